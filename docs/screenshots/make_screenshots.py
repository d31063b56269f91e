"""Regenerate the main window, events window and shortcut screenshots in this folder: the main window
on the bundled invented samples (resources/samples) with the suggester's suggestions, at 1920×1080 and
1366×768, and the events window of those samples once accepted, at 1366×768.

As on a desktop (the xcb platform on a virtual X server, with the colour emoji font installed:
fonts-noto-color-emoji, xvfb):

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" python docs/screenshots/make_screenshots.py

(QT_QPA_PLATFORM=offscreen works too, without a display.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests" / "gui"))

from fixtures import build_project  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


SIZES = {"main-window.png": (1920, 1080), "main-window-1366.png": (1366, 768)}


def sample_project(path: Path) -> None:
    """The bundled invented samples with the real suggester's suggestions, as on a first start."""
    from annotator.store import Store

    with Store.open(path):
        pass
    env = {**os.environ, "ANNOTATOR_DB": str(path)}
    annotator = Path(sys.executable).with_name("annotator")
    subprocess.run([str(annotator), "import", str(HERE.parents[1] / "resources" / "samples")], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(annotator), "suggest"], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def main_window_shots(app) -> None:
    """The main window on the drone-strike sample (emoji, an event with arguments), mid-morning."""
    from annotator import config
    from annotator.gui.app import open_window
    from annotator.domain import Layer

    path = Path(os.environ["ANNOTATOR_HOME"]) / "samples.sqlite"
    sample_project(path)
    for name, (width, height) in SIZES.items():
        window = open_window(path, config.Preferences(annotator="Ana"))
        window.resize(width, height)  # as a first start on a screen of this size
        window.show()
        QTest.qWaitForWindowActive(window)
        window.start()
        c, view = window.controller, window.view
        drone = next(a.id for a in window.store.articles.list("Ana", offset=0, limit=10)
                     if a.title.startswith("Drone strike"))
        c.open_article(drone)
        view.setFocus()
        if name == "main-window.png":
            # A few decisions, so accepted, pending and an event with its arguments are all on show.
            # Through the controller, as the keys do: under Xvfb without a window manager the window
            # is never "active", and Qt sends window shortcuts only to an active window.
            from annotator.domain import Status

            for _ in range(3):
                c.step_span(+1)
                c.decide(Status.ACCEPTED)
        event = next((s for s in c.session.spans if s.layer is Layer.EVENT), None)
        if event is not None:
            c.select(event.id)
        app.processEvents()
        window.grab().save(str(HERE / name))
        window.close()
        window.store.close()
        window._settings.sync()  # written now, so that it can be removed: the next size starts afresh
        (Path(os.environ["ANNOTATOR_HOME"]) / "config" / "window.ini").unlink(missing_ok=True)


def events_window_shot(app) -> None:
    """The events window at 1366×768 on the samples, every suggestion accepted by Ana and each article done."""
    from annotator import edits
    from annotator.gui.event_window import EventWindow
    from annotator.domain import ArticleState
    from annotator.store import Store

    path = Path(os.environ["ANNOTATOR_HOME"]) / "samples.sqlite"
    with Store.open(path) as store:
        for summary in store.articles.list("Ana", offset=0, limit=10):
            pending = [s for s in store.spans.for_article(summary.id, "Ana") if s.is_suggestion]
            edits.apply_all(store, [edits.accept_all("Ana", summary.id, pending),
                                    edits.set_state("Ana", summary.id, ArticleState.DONE)])
        window = EventWindow(store, "Ana", annotator="Ana")
        window.resize(1366, 768)
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()
        window.grab().save(str(HERE / "event_window.png"))
        window.close()


def main() -> int:
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as home:
        os.environ["ANNOTATOR_HOME"] = home
        main_window_shots(app)
        events_window_shot(app)
        from annotator import config
        from annotator.gui.app import open_window
        from annotator.store import Store

        path = Path(home) / "demo.sqlite"
        with Store.open(path) as store:
            build_project(store)
        window = open_window(path, config.Preferences(annotator="Ana"))
        window.resize(1500, 900)
        window.show()
        QTest.qWaitForWindowActive(window)
        window.start()
        window.show_shortcuts()
        app.processEvents()
        window.shortcuts_dialog.grab().save(str(HERE / "keyboard-shortcuts.png"))
        window.close()
        window.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
