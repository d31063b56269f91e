"""Start the window: find the annotator, open the project, return to where they left off."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from annotator import config
from annotator.gui import dialogs
from annotator.gui.main_window import MainWindow
from annotator.importers import import_samples
from annotator.importers.records import InputError
from annotator.schemes import SchemeError, scheme_by_name
from annotator.store import Store, StoreError


def load_samples_if_new(store: Store, was_new: bool) -> int:
    """A brand-new default project gets the bundled sample articles, so there is something to do."""
    if not was_new:
        return 0
    return import_samples(store).imported


def open_window(db_path: Path, preferences: config.Preferences | None = None) -> MainWindow | None:
    """Open the project and build the window (not shown); None if the user declines to give a name."""
    preferences = preferences or config.Preferences.load()
    was_new = not db_path.exists() or db_path.stat().st_size == 0
    store = Store.open(db_path)
    samples = 0
    if was_new and db_path == config.default_db_path():
        try:
            samples = load_samples_if_new(store, was_new)
        except InputError as exc:  # a broken installation: say so, and open the empty project
            dialogs.inform(None, "Sample articles not loaded", str(exc))
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
    window.suggest_when_started = samples > 0
    return window


def run(db_path: Path, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Conflict Annotator")
    try:
        window = open_window(Path(db_path))
    except (StoreError, SchemeError) as exc:
        dialogs.inform(None, "Cannot open the project", str(exc))
        return 2
    if window is None:
        return 1
    window.show()
    window.start()
    status = app.exec()
    window.store.close()
    return status
