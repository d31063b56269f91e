"""What the store refuses, as small named exceptions with messages fit for the user."""

from __future__ import annotations


class StoreError(Exception):
    """Base class: anything the store refuses to do, with a message fit for the user."""


class NotAProjectError(StoreError):
    """The file is not an annotation project (another SQLite file, or not SQLite at all)."""


class NewerSchemaError(StoreError):
    """The file was written by a newer version of the app; it is left untouched."""


class CannotOpenError(StoreError):
    """SQLite could not open or create the file there (a folder, a read-only place, /proc ...)."""


class NotFoundError(StoreError, LookupError):
    """No article, span, argument link or annotator with that id or name."""


class UnknownAnnotatorError(NotFoundError):
    """No annotator of that name; the message lists who exists."""


class ConflictError(StoreError):
    """The change collides with one already made (e.g. a suggestion this annotator already decided)."""


class OffsetError(StoreError, ValueError):
    """Offsets outside the article's text, or an empty range."""


class ReadOnlyError(StoreError):
    """The project file cannot be written where it is (a read-only file, folder or medium)."""


class DiskFullError(StoreError):
    """The disk (or the file system holding the project) has no room for the write."""


class BusyError(StoreError):
    """Another connection held the file's write lock longer than this one's busy timeout: nothing was
    written, and the same change can be tried again (the window retries; see Store.set_busy_timeout)."""
