"""Announcing a change to whoever listens, without Qt: what a session object tells the views that
show it (napari's evented models, reduced to a list of callbacks; docs/adr/0013-a-window-listens-to-its-session.md)."""

from __future__ import annotations

from typing import Callable


class Event:
    """One kind of change: whoever listens is called, in the order they connected, with the change."""

    def __init__(self) -> None:
        self._listeners: list[Callable[..., None]] = []

    def connect(self, listener: Callable[..., None]) -> None:
        self._listeners.append(listener)

    def disconnect(self, listener: Callable[..., None]) -> None:
        self._listeners.remove(listener)

    def emit(self, *change) -> None:
        for listener in list(self._listeners):
            listener(*change)
