"""Start the window: find the annotator, open the project, return to where they left off."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import Callable, Mapping

from PySide6.QtWidgets import QApplication

from annotator import config
from annotator.gui import dialogs
from annotator.gui.main_window import MainWindow
from annotator.opening import open_project
from annotator.schemes import SchemeError
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
        name = _ask_first_name()
        if name is None:
            store.close()
            return None
        preferences.annotator = name
        preferences.save()
    store.annotators.ensure(preferences.annotator)
    scheme = store.project_scheme(preferences.scheme or "conflict")
    window = MainWindow(store, scheme, preferences, db_path)
    # A first start should look like every later one: the sample articles with their suggestions.
    window.suggest_when_started = opened.samples is not None and opened.samples.imported > 0
    return window


def _ask_first_name() -> str | None:
    """The annotator's name on a first start; None only when the user cancels.

    The login name is offered, so Enter on the first question starts work. An empty answer asks again
    (with why) instead of closing the app: a window that vanishes on Enter looks like a crash.
    """
    prompt = "Your name, so every span you make is attributed to you:"
    default = config.login_name()
    while True:
        name = dialogs.ask(None, "Welcome", prompt, default=default)
        if name is None:
            return None
        if name.strip():
            return name.strip()
        prompt = "A name is needed to attribute your spans (Cancel closes the app). Your name:"
        default = ""


# Qt platforms that draw without a display server (QT_QPA_PLATFORM=offscreen for tests and scripts).
NO_DISPLAY_PLATFORMS = {"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"}
# What Qt's xcb plugin loads besides the PySide6 wheel, with the Debian/Ubuntu package of each.
XCB_LIBRARIES = {"libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
                 "libxcb-keysyms.so.1": "libxcb-keysyms1"}


def can_load(soname: str) -> bool:
    """Whether the dynamic loader finds the library, as Qt's plugin will ask it to."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def x_server_listening(display: str, unix_dir: Path = Path("/tmp/.X11-unix"),
                       sockets: Path = Path("/proc/net/unix")) -> bool:
    """False only when DISPLAY names a local X server (":0") whose socket is certainly not there.

    Remote displays (ssh -X's "localhost:10.0") and anything not understood count as listening: this
    check only turns Qt's misleading abort into a clear message, it must never refuse a working one.
    """
    if not display.startswith(":"):
        return True
    number = display[1:].split(".")[0]
    if not number.isdigit() or (unix_dir / f"X{number}").exists():
        return True
    try:
        # X servers on Linux also listen on an abstract socket, which a container may see without /tmp.
        return f"@/tmp/.X11-unix/X{number}" in sockets.read_text(errors="replace")
    except OSError:
        return True


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None,
                    loadable: Callable[[str], bool] = can_load) -> str | None:
    """Why Qt could not open a window here, in words, or None if it should be able to.

    Without a display, Qt aborts the process with a message blaming libxcb-cursor0 even when that is
    installed; this says what is actually missing before Qt gets the chance.
    """
    environ = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return None
    # QT_QPA_PLATFORM may list fallbacks ("wayland;xcb") and options ("vnc:size=800x600").
    chosen = [name.split(":")[0].strip() for name in environ.get("QT_QPA_PLATFORM", "").split(";") if name.strip()]
    if any(name in NO_DISPLAY_PLATFORMS for name in chosen):
        return None
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return ("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set, as in an SSH "
                "session or a container): start it from a desktop session, under a virtual display with "
                "`xvfb-run annotator`, or with QT_QPA_PLATFORM=offscreen to run without showing anything")
    uses_xcb = "xcb" in chosen or (not chosen and not environ.get("WAYLAND_DISPLAY"))
    if uses_xcb and not x_server_listening(environ.get("DISPLAY", "")):
        return (f"no X server answers at DISPLAY={environ.get('DISPLAY')} (it may have stopped, or the "
                "variable was copied from another session): start it from the desktop session, under "
                "`xvfb-run annotator`, or with QT_QPA_PLATFORM=offscreen to run without showing anything")
    if uses_xcb:
        missing = [package for soname, package in XCB_LIBRARIES.items() if not loadable(soname)]
        if missing:
            return (f"Qt needs {', '.join(missing)} to open a window on X11 and it is not installed: "
                    f"sudo apt-get install {' '.join(missing)} (Debian/Ubuntu)")
    return None


def run(db_path: Path, argv: list[str] | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"annotator: error: {problem}", file=sys.stderr)
        return 2
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
