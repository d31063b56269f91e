"""Windows that fit the screen they open on, frame included (a 1366×768 laptop is the smallest we
design for): a first size within the screen's free area, corrected once the desktop's frame is known."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What a desktop's window frame usually takes (borders, title bar) before the real frame is known.
FRAME_ALLOWANCE = (8, 36)


def first_size(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width``×``height``, or less where its screen has less room."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - FRAME_ALLOWANCE[0])
        height = min(height, room.height() - FRAME_ALLOWANCE[1])
    window.resize(width, height)


def fit_soon(window: QWidget) -> None:
    """Call :func:`fit_to_screen` once the window is on screen (from its showEvent)."""
    QTimer.singleShot(0, window, lambda: fit_to_screen(window))


def fit_to_screen(window: QWidget) -> None:
    """Shrink and move ``window`` so that all of it, frame included, is on its screen's free area
    (a size saved on a larger screen, or a frame taller than :data:`FRAME_ALLOWANCE`)."""
    screen = window.screen()
    if screen is None or not window.isVisible() or window.isMaximized() or window.isFullScreen():
        return
    room = screen.availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    extra_width, extra_height = frame.width() - inner.width(), frame.height() - inner.height()
    width = min(inner.width(), room.width() - extra_width)
    height = min(inner.height(), room.height() - extra_height)
    if (width, height) != (inner.width(), inner.height()):
        window.resize(width, height)
    left = min(max(frame.left(), room.left()), room.right() + 1 - (width + extra_width))
    top = min(max(frame.top(), room.top()), room.bottom() + 1 - (height + extra_height))
    if (left, top) != (frame.left(), frame.top()):
        window.move(left, top)
