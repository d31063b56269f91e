"""Write an export aside, in the output folder itself, and put it in place as one step.

1. Everything is written into a hidden ``DIR/.export-*.part`` folder.
2. The commit point: that folder is renamed to ``DIR/.export-*.ready`` (one rename). From here on the
   export is complete and will be put in place, by this run or, if it is killed, by the next one.
3. The old ``export.json`` is removed first, so that no folder holding a mix of old and new files
   looks complete; the new files move to their final names; the new ``export.json`` (the manifest)
   moves last; the ``.ready`` folder goes.

So a folder with an ``export.json`` always holds one export, whole. A kill before step 2 leaves a
``.part`` folder (removed by the next export into the folder, the old files untouched); a kill
during step 3 leaves a ``.ready`` folder, which the next export into the folder finishes first
(:func:`recover`). Two exports into the same folder at the same time are not supported.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Written last: its presence says the folder holds one whole export.
MANIFEST = "export.json"
PREFIX = ".export-"
PART = ".part"
READY = ".ready"
OLD = ".old-"


def recover(out_dir: Path) -> list[str]:
    """Finish what killed exports left in ``out_dir``: a complete but unplaced export is put in place;
    half-written ones and old copies are removed. Returns a note per folder handled."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    notes = []
    for entry in sorted(out_dir.iterdir()):
        if entry.is_dir() and entry.name.startswith(PREFIX) and entry.name.endswith(READY):
            _place(entry, out_dir)
            notes.append(f"finished putting in place an export interrupted while moving its files ({entry.name})")
    for entry in sorted(out_dir.iterdir()):
        if entry.name.startswith(PREFIX) and (entry.name.endswith(PART) or OLD in entry.name):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            notes.append(f"removed {entry.name}, left by an interrupted export")
    return notes


def _place(ready: Path, out_dir: Path) -> list[Path]:
    """Move every entry of ``ready`` to its final name, the manifest last; then remove ``ready``."""
    (out_dir / MANIFEST).unlink(missing_ok=True)
    entries = sorted(ready.iterdir(), key=lambda p: (p.name == MANIFEST, p.name))
    placed: list[Path] = []
    for entry in entries:
        final = out_dir / entry.name
        if entry.is_dir():
            old = None
            if final.exists():
                old = ready.with_name(ready.name + OLD + entry.name)
                shutil.rmtree(old, ignore_errors=True)  # left by a kill during an earlier try
                os.replace(final, old)
            os.replace(entry, final)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(entry, final)
        placed.append(final)
    ready.rmdir()
    return placed


class Staging:
    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.notes = recover(self.out_dir)
        # Same folder as the final files, so each os.replace is a rename on one file system.
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, suffix=PART, dir=self.out_dir))

    def file(self, relative: str) -> Path:
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def commit(self) -> list[Path]:
        """Put the staged export in place (see the module's docstring); returns the final paths."""
        ready = self.path.with_name(self.path.name.removesuffix(PART) + READY)
        os.replace(self.path, ready)  # the commit point
        self.path = ready
        return sorted(_place(ready, self.out_dir))

    def abort(self) -> None:
        if self.path.name.endswith(PART):
            shutil.rmtree(self.path, ignore_errors=True)
