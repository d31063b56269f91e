"""The desktop window: a thin PySide6 layer over the store (see docs/gui.md)."""
