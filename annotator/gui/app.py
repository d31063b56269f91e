"""Start the window: find the annotator, open the project, return to where they left off."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from annotator import config
from annotator.gui import dialogs
from annotator.gui.main_window import MainWindow
from annotator.projects import open_project
from annotator.schemes import SchemeError, scheme_by_name
from annotator.store import StoreError


def open_window(db_path: Path, preferences: config.Preferences | None = None, *,
                create: bool = True) -> MainWindow | None:
    """Open the project and build the window (not shown); None if the user declines to give a name.

    ``create=False`` refuses a path where there is no project yet (``annotator --db PATH``), as the
    other commands do; the default project is made either way, with the sample articles.
    """
    preferences = preferences or config.Preferences.load()
    opened = open_project(db_path, create=create)
    store = opened.store
    if opened.samples_error is not None:  # a broken installation: say so, and open the empty project
        dialogs.inform(None, "Sample articles not loaded", str(opened.samples_error))
    if not preferences.annotator:
        name = dialogs.ask(None, "Welcome", "Your name, so every span you make is attributed to you:")
        if not name or not name.strip():
            store.close()
            return None
        preferences.annotator = name.strip()
        preferences.save()
    store.ensure_annotator(preferences.annotator)
    scheme = scheme_by_name(store.get_setting("scheme", preferences.scheme or "conflict"))
    window = MainWindow(store, scheme, preferences, db_path)
    # A first start should look like every later one: the sample articles with their suggestions.
    window.suggest_when_started = opened.samples is not None and opened.samples.imported > 0
    return window


def run(db_path: Path, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Conflict Annotator")
    try:
        window = open_window(Path(db_path), create=False)
    except (StoreError, SchemeError) as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)  # for a terminal; the dialog for a desktop
        dialogs.inform(None, "Cannot open the project", str(exc))
        return 2
    if window is None:
        return 1
    window.show()
    window.start()
    status = app.exec()
    window.store.close()
    return status
