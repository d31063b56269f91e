"""Regenerate the screenshots in this folder from an invented article (tests/gui/fixtures.py).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests" / "gui"))

from fixtures import REPORT, build_project, find  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> int:
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as home:
        os.environ["ANNOTATOR_HOME"] = home
        from annotator import config
        from annotator.gui.app import open_window
        from annotator.model import ArticleState
        from annotator.store import Store

        path = Path(home) / "demo.sqlite"
        with Store.open(path) as store:
            ids = build_project(store)
            store.set_state(ids["plain0"], "Ana", ArticleState.DONE)
            store.set_state(ids["plain1"], "Ana", ArticleState.FLAGGED, "two places share a name")
        window = open_window(path, config.Preferences(annotator="Ana"))
        window.resize(1500, 900)
        window.show()
        QTest.qWaitForWindowActive(window)
        window.start()
        c, view = window.controller, window.view
        view.setFocus()
        # A morning's work: two suggestions accepted, one new event linked to its actor.
        for key in ("town", "brigade"):
            c.select(ids[key])
            QTest.keyClick(view, Qt.Key_A)
        view.select_offsets(*find(REPORT, "repelled an assault"))
        QTest.keyClick(view, Qt.Key_B)
        event = c.selected
        c.select(next(s.id for s in c.spans if s.suggestion_id == ids["brigade"]))
        QTest.keyClick(view, Qt.Key_1)
        view.select_offsets(*find(REPORT, "Two civilians were killed"))
        QTest.keyClick(view, Qt.Key_Q)
        c.select(event)
        app.processEvents()
        window.grab().save(str(HERE / "main-window.png"))
        window.show_shortcuts()
        app.processEvents()
        window.shortcuts_dialog.grab().save(str(HERE / "keyboard-shortcuts.png"))
        window.close()
        window.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
