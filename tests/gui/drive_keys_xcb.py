"""Run by test_first_week under Xvfb: the window on the real xcb platform, keys pressed through the
X server (xdotool), so that Qt's keyboard mapping runs as on a desktop (QTest's synthetic events skip
it, and with it the ambiguity that made Shift+Tab do nothing). Prints one line of JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))

from fixtures import build_project  # noqa: E402

from annotator import config  # noqa: E402
from annotator.store import Store  # noqa: E402

warnings: list[str] = []


def keep(kind, _context, message) -> None:
    if kind != QtMsgType.QtDebugMsg:
        warnings.append(message)


def main() -> int:
    qInstallMessageHandler(keep)
    app = QApplication(sys.argv[:1])  # noqa: F841 - kept alive for the window
    from annotator.gui.app import open_window

    path = Path(tempfile.mkdtemp()) / "keys.sqlite"
    with Store.open(path) as store:
        build_project(store)
    window = open_window(path, config.Preferences(annotator="ana"))
    window.show()
    window.start()
    QTest.qWaitForWindowActive(window, 5000)
    subprocess.run(["xdotool", "windowfocus", str(int(window.winId()))], check=True)
    QTest.qWait(300)
    window.view.setFocus()

    def key(name: str) -> int | None:
        subprocess.run(["xdotool", "key", name], check=True)
        QTest.qWait(200)
        return window.controller.session.selected

    steps = [key("Tab"), key("Tab"), key("Tab"), key("shift+Tab"), key("shift+Tab")]
    print(json.dumps({"selected": steps, "warnings": warnings}), flush=True)
    window.close()
    window.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
