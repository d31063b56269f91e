"""The desktop window: a thin PySide6 layer over the store (see docs/gui.md)."""

from annotator.gui.qt_compat import protect_singletons

# Before any Qt call: see qt_compat for the PySide 6.12 / Python 3.11 reference-count bug.
protect_singletons()
