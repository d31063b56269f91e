"""Every question the window asks goes through :func:`ask`, so tests (and a future headless
driver) replace one function instead of clicking through modal dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


def _ask_with_dialogs(parent: QWidget | None, title: str, prompt: str, *, choices: list[str] | None = None,
                      default: str = "", confirm: bool = False) -> str | None:
    """Ask for text, for one of ``choices``, or (``confirm``) for yes/no; None when cancelled."""
    if confirm:
        answer = QMessageBox.question(parent, title, prompt)
        return "yes" if answer == QMessageBox.Yes else None
    if choices is not None:
        current = choices.index(default) if default in choices else 0
        value, ok = QInputDialog.getItem(parent, title, prompt, choices, current, False)
        return value if ok else None
    value, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.Normal, default)
    return value if ok else None


def inform(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the user something went wrong; replaced in tests like :func:`ask`."""
    QMessageBox.warning(parent, title, message)


ask = _ask_with_dialogs
