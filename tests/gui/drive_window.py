"""Run by test_persistence: opens the real window on a project, performs actions with key
presses, reports each one as it completes, then waits to be killed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator import config
from annotator.gui.app import open_window


def report(**what) -> None:
    print("did " + json.dumps(what), flush=True)


def main(path: str) -> int:
    app = QApplication(sys.argv[:1])
    window = open_window(Path(path), config.Preferences(annotator="driver"))
    window.show()
    window.start()
    window.activateWindow()
    if not QTest.qWaitForWindowActive(window):
        print("the window never became active", flush=True)
        return 3
    view, c = window.view, window.controller
    view.setFocus()
    text = c.session.article.text
    suggestions = {s.text_in(text): s.id for s in c.session.spans if s.is_suggestion}

    c.select(suggestions["58th Brigade"])
    QTest.keyClick(view, Qt.Key_A)
    # Accepting moves on to the next undecided suggestion; the accepted copy stays in the text.
    report(span=next(s.id for s in c.session.spans if s.suggestion_id == suggestions["58th Brigade"]))
    c.select(suggestions["Tuesday"])
    QTest.keyClick(view, Qt.Key_X)
    report(span=next(s.id for s in c.session.spans if s.suggestion_id == suggestions["Tuesday"]))
    start = text.index("Red Cross")
    view.select_offsets(start, start + len("Red Cross"))
    QTest.keyClick(view, Qt.Key_O)
    report(span=c.session.selected)
    start = text.index("repelled an assault")
    view.select_offsets(start, start + len("repelled an assault"))
    QTest.keyClick(view, Qt.Key_B)
    event = c.session.selected
    c.select(next(s.id for s in c.session.spans if s.suggestion_id == suggestions["58th Brigade"]))
    QTest.keyClick(view, Qt.Key_1)
    report(event=event)
    QTest.keyClick(view, Qt.Key_Return, Qt.ControlModifier)
    report(state="done")
    c.wait_for_preferences()  # where to reopen is written in a thread of its own
    print("waiting", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
