"""A work-around for a binding bug, kept in one place.

PySide6 6.12.0 on Python 3.11 returns ``None`` from its wrappers without taking the reference the
caller will drop: every call of a void Qt method (``label.update()``, ``timer.stop()`` ...) and
every ``None`` answered from a model's ``data()`` lowers ``None``'s reference count by one. After
a few thousand calls Python frees ``None`` and aborts ("none_dealloc") - in a window that paints
all day, within minutes. Python 3.12 made ``None`` immortal (PEP 683), which hides the bug there.
:func:`protect_none` does the same for 3.11: ``None`` gets a reference count that no session can
use up. ``None`` is never freed in a working interpreter anyway, so this changes nothing else.
"""

from __future__ import annotations

import ctypes
import sys

# Far more references than a process can drop in its lifetime (2**40 Qt calls).
_RESERVE = 1 << 40


def protect_none() -> None:
    """Make ``None`` effectively immortal on CPython before 3.12; a no-op elsewhere. Idempotent."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of every object
    if refcount.value < _RESERVE:
        refcount.value += _RESERVE
