"""Opening a project file: which paths may become a new project, and what a new default one gets.

The command line and the window both open projects through :func:`open_project`, so the rules live
here once and without Qt:

- a path that does not exist is refused unless the caller creates projects (``annotator import``,
  a future New Project) or it is the default project, so a mistyped ``--db`` never leaves an empty
  project behind for the next command to suggest into;
- a brand-new default project gets the bundled sample articles, so a first start has something to do;
- a path SQLite cannot use (a folder, ``/proc/x.sqlite``, a folder without write permission) is
  refused in one sentence instead of SQLite's "disk I/O error".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import config
from annotator.store import CannotOpenError, Store, StoreError

if TYPE_CHECKING:
    from annotator.importers import ImportSummary

__all__ = ["NoProjectError", "OpenedProject", "UnusablePathError", "is_default_project", "open_project"]


class NoProjectError(StoreError):
    """The path names no project, and this caller does not create one."""


class UnusablePathError(StoreError):
    """The path cannot hold a project: a folder, a special file system, no permission."""


@dataclass
class OpenedProject:
    store: Store
    samples: ImportSummary | None = None  # set when a new default project got the sample articles
    samples_error: Exception | None = None  # the samples could not be read: a broken installation


def is_default_project(path: Path) -> bool:
    return Path(os.path.abspath(path)) == Path(os.path.abspath(config.default_db_path()))


def open_project(path: str | os.PathLike, *, create: bool = False, readonly: bool = False) -> OpenedProject:
    """Open the project at ``path``; a new default project starts with the sample articles.

    :param path: the project file
    :param create: make a new project if the file does not exist (only ``import`` and New Project)
    :param readonly: open without writing anything; a missing file is then always refused
    :raises NoProjectError: nothing at ``path`` and this call may not create it
    :raises UnusablePathError: ``path`` cannot be opened or created as an SQLite file
    :raises StoreError: the file is not a project, or one from a newer version (the store's own errors)
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise UnusablePathError(f"{path} is a folder, not a project file")
        exists = path.exists()
        is_new = not exists or path.stat().st_size == 0
        default = is_default_project(path)
        if not exists and (readonly or not (create or default)):
            raise NoProjectError(f"no project at {path}; `annotator import` creates one")
        store = Store.open(path, readonly=readonly)
    except (CannotOpenError, OSError) as exc:  # also a folder on the way that may not be looked into
        raise UnusablePathError(_why_unusable(path, exc)) from exc
    opened = OpenedProject(store)
    if is_new and default and not readonly:
        from annotator.importers import InputError, import_samples  # only a first start pays for it

        try:
            opened.samples = import_samples(store)
        except InputError as exc:
            opened.samples_error = exc
        except BaseException:
            store.close()
            raise
    return opened


def _why_unusable(path: Path, exc: BaseException) -> str:
    """One sentence a user can act on, instead of SQLite's "unable to open database file"."""
    folder = path.parent
    try:
        path.exists()
    except OSError as denied:  # the path cannot even be looked at
        return f"cannot open {path} as a project: {(denied.strerror or str(denied)).lower()}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot open {path} as a project: {exc.strerror.lower()} ({exc.filename or path})"
    if path.exists() and not path.is_file():
        return f"cannot open {path} as a project: it is not a regular file"
    if not path.exists() and folder.is_dir() and not os.access(folder, os.W_OK):
        return f"cannot create a project at {path}: no permission to write in {folder}"
    if path.exists() and not os.access(folder, os.W_OK):
        # WAL mode keeps its -wal and -shm files beside the project, so the folder must be writable too.
        return (f"cannot open {path} as a project: SQLite writes its journal beside the file and {folder} "
                "is not writable; copy the project to a folder you can write in")
    if path.exists() and not os.access(path, os.W_OK):
        return f"cannot open {path} as a project: the file is read-only"
    # SQLite's own words here ("unable to open database file", "disk I/O error") name no cause.
    return (f"cannot open {path} as a project: SQLite cannot create or open a database file there; "
            "choose a file on a local, writable disk")
