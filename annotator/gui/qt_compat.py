"""A work-around for a binding bug, kept in one place.

PySide6 6.12.0 on Python 3.11 hands out ``None``, ``True`` and ``False`` without taking the
reference the caller will drop: every call of a void Qt method (``label.update()``), every
``Signal.emit()`` (returns ``True``) and every ``None`` a model's ``data()`` answers lowers that
object's reference count by one. After a few thousand calls Python frees it and aborts
("none_dealloc", "bool_dealloc") - in a window that paints all day, within minutes. Python 3.12
made these objects immortal (PEP 683), which hides the bug there. :func:`protect_singletons`
does the same for 3.11: each gets a reference count no session can use up. They are never freed
in a working interpreter anyway, so nothing else changes.
"""

from __future__ import annotations

import ctypes
import sys

# Far more references than a process can drop in its lifetime (2**40 Qt calls).
_RESERVE = 1 << 40
_SINGLETONS = (None, True, False)


def protect_singletons() -> None:
    """Make None/True/False effectively immortal on CPython before 3.12; a no-op elsewhere."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    for singleton in _SINGLETONS:
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt: first field of an object
        if refcount.value < _RESERVE:
            refcount.value += _RESERVE
