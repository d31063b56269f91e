"""The frozen app's entry point: the ``annotator`` console script, window and subcommands alike.

PyInstaller freezes a script, not a console-script entry point, hence this file. ``freeze_support``
lets ``annotator suggest --workers N`` start spaCy's worker processes from the frozen executable
(needed where processes are spawned: Windows, macOS).

For the packaging smoke test only, ``ANNOTATOR_SMOKE_SCREENSHOT=PATH`` makes the window save a picture
of itself once it shows an article, then quit (exit status 0, or 3 if nothing showed within a minute).
It lives here, not in ``annotator.gui``, because it exists to check the bundle, not the app.
"""

import multiprocessing
import os
import sys
import time

from annotator.cli import main

SMOKE_TIMEOUT = 60.0


def arm_smoke_screenshot(path: str) -> None:
    """Create the QApplication the window will reuse, and poll it until an article is on screen."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    started = time.monotonic()

    def check() -> None:
        for window in app.topLevelWidgets():
            view = getattr(window, "view", None)
            if isinstance(window, QMainWindow) and window.isVisible() and view is not None \
                    and view.toPlainText().strip():
                app.processEvents()  # let the first paint of the highlights happen
                saved = window.grab().save(path)
                heading = getattr(window, "heading", None)
                title = heading.text() if heading is not None else window.windowTitle()
                print(f"smoke: the window shows {title!r} after {time.monotonic() - started:.1f} s; "
                      f"screenshot {'saved to ' + path if saved else 'NOT saved'}", flush=True)
                app.exit(0 if saved else 3)
                return
        if time.monotonic() - started > SMOKE_TIMEOUT:
            print(f"smoke: no article on screen after {SMOKE_TIMEOUT:.0f} s", file=sys.stderr, flush=True)
            app.exit(3)

    timer = QTimer(app)
    timer.timeout.connect(check)
    timer.start(200)


if __name__ == "__main__":
    multiprocessing.freeze_support()
    if os.environ.get("ANNOTATOR_SMOKE_SCREENSHOT"):
        arm_smoke_screenshot(os.environ["ANNOTATOR_SMOKE_SCREENSHOT"])
    raise SystemExit(main())
