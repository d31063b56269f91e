from __future__ import annotations

import atexit
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

# The offscreen platform's screen is 800x600 unless told otherwise; the smallest screen the window
# must fit is a 1366x768 laptop, with window frames as a desktop draws them. Read when the one
# QApplication of the run is made, which is after this file is imported.
LAPTOP = (1366, 768)
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    _screen = Path(tempfile.gettempdir()) / f"annotator-tests-screen-{os.getpid()}.json"
    _screen.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": LAPTOP[0], "height": LAPTOP[1], "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"
    atexit.register(_screen.unlink, missing_ok=True)

from fixtures import build_project  # noqa: E402

from annotator import config  # noqa: E402
from annotator.gui import dialogs  # noqa: E402
from annotator.store import Store  # noqa: E402


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    return tmp_path / "home"


@pytest.fixture
def project(tmp_path, home):
    """A project file with the test articles; returns (path, ids)."""
    path = tmp_path / "project.sqlite"
    with Store.open(path) as store:
        ids = build_project(store)
    return path, ids


class Answers(list):
    """Answers to hand out, in order; ``asked`` records every question and warning shown."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []


@pytest.fixture
def answers(monkeypatch):
    """Queue answers for dialogs.ask; a test fails if the window asks something unexpected."""
    queue = Answers()
    asked = queue.asked

    def fake_ask(parent, title, prompt, **kwargs):
        asked.append(title)
        if not queue:
            raise AssertionError(f"unexpected question: {title}: {prompt}")
        return queue.pop(0)

    monkeypatch.setattr(dialogs, "ask", fake_ask)
    monkeypatch.setattr(dialogs, "inform", lambda parent, title, message: asked.append(f"inform: {message}"))
    return queue


def open_test_window(qtbot, path, annotator="ana"):
    from annotator.gui.app import open_window

    preferences = config.Preferences.load()
    if not preferences.annotator:
        preferences.annotator = annotator
    window = open_window(path, preferences)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    activate(qtbot, window)
    return window


def activate(qtbot, window) -> None:
    """Text-scoped shortcuts only fire in the active window: wait until the platform says it is."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.view.setFocus()


@pytest.fixture
def window(qtbot, project, answers):
    path, _ids = project
    window = open_test_window(qtbot, path)
    yield window
    window.close()
    window.store.close()
