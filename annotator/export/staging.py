"""Write an export aside, in the output folder itself, and move it into place only when complete.

An interrupted or failed export therefore leaves nothing under the final names: the staging folder
is removed, and the files of an earlier export stay as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class Staging:
    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        # Same folder as the final files, so each os.replace is a rename on one file system.
        self.path = Path(tempfile.mkdtemp(prefix=".export-", suffix=".part", dir=self.out_dir))

    def file(self, relative: str) -> Path:
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def commit(self) -> list[Path]:
        """Move every staged top-level entry to its final name; returns the final paths."""
        moved: list[Path] = []
        for entry in sorted(self.path.iterdir()):
            final = self.out_dir / entry.name
            if entry.is_dir():
                old = None
                if final.exists():
                    old = self.path.with_name(self.path.name + ".old-" + entry.name)
                    os.replace(final, old)
                os.replace(entry, final)
                if old is not None:
                    shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(entry, final)
            moved.append(final)
        self.path.rmdir()
        return moved

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
