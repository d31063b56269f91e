"""Starting the window: the CLI entry, a new default project, the first question."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator import cli, config
from annotator.gui.app import open_window
from annotator.gui.main_window import MainWindow


def close_windows_soon() -> None:
    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()

    QTimer.singleShot(0, close)


def test_app_annotator_alone_opens_the_window_and_exits_cleanly(qapp, project, answers):
    path, ids = project
    config.Preferences(annotator="ana").save()
    close_windows_soon()
    assert cli.main(["--db", str(path)]) == 0
    prefs = config.Preferences.load()
    assert prefs.last_article[str(path.resolve())] == ids["report"]
    close_windows_soon()
    assert cli.main(["gui", "--db", str(path)]) == 0


def test_app_new_default_project_gets_the_sample_articles(qtbot, home, answers):
    path = config.default_db_path()
    assert not path.exists()
    window = open_window(path, config.Preferences(annotator="ana"))
    qtbot.addWidget(window)
    assert window.store.articles.count() >= 1
    window.store.close()


def test_app_existing_or_other_projects_get_no_samples(qtbot, tmp_path, home, answers):
    other = tmp_path / "empty.sqlite"
    window = open_window(other, config.Preferences(annotator="ana"))
    qtbot.addWidget(window)
    assert window.store.articles.count() == 0
    window.store.close()


def test_app_refuses_a_file_that_is_not_a_project(qapp, tmp_path, home, answers):
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"this is not sqlite at all, just text" * 10)
    config.Preferences(annotator="ana").save()
    assert cli.main(["gui", "--db", str(bogus)]) == 2
    assert bogus.read_bytes().startswith(b"this is not sqlite")


def test_app_missing_samples_open_an_empty_project_with_a_message(qtbot, home, answers, monkeypatch):
    monkeypatch.setattr(config, "samples_dir", lambda: home / "no-samples")
    window = open_window(config.default_db_path(), config.Preferences(annotator="ana"))
    qtbot.addWidget(window)
    assert window.store.articles.count() == 0
    assert any("no-samples" in shown and "no such file" in shown for shown in answers.asked)
    window.store.close()


def test_app_mistyped_db_opens_no_window_and_creates_nothing(qapp, tmp_path, home, answers, capsys):
    config.Preferences(annotator="ana").save()
    typo = tmp_path / "projcets" / "war.sqlite"
    assert cli.main(["--db", str(typo)]) == 2
    assert "no project at" in capsys.readouterr().err
    assert any("no project at" in shown for shown in answers.asked), "a desktop start shows it too"
    assert not typo.parent.exists()


def test_app_first_start_of_the_default_project_suggests_the_samples(qtbot, home, answers):
    window = open_window(config.default_db_path(), config.Preferences(annotator="ana"))
    qtbot.addWidget(window)
    assert window.suggest_when_started
    window.store.close()
    again = open_window(config.default_db_path(), config.Preferences(annotator="ana"))
    qtbot.addWidget(again)
    assert not again.suggest_when_started, "only a brand-new project is suggested for at start"
    again.store.close()


FIRST_PAINT = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
seen = []

def painted():
    windows = [w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible()]
    seen.append([name for name in ("spacy", "thinc", "numpy", "jsonschema") if name in sys.modules])
    for window in windows:
        window.close()

QTimer.singleShot(0, painted)
from annotator.cli import main
status = main(["--db", sys.argv[1]])
print(json.dumps({"status": status, "loaded": seen[0] if seen else None}))
"""


def test_app_first_paint_loads_no_nlp(tmp_path, home, write):
    """The window opens on the real `annotator --db PATH` path without spaCy, thinc or numpy."""
    import json
    import os
    import subprocess
    import sys

    db = tmp_path / "p.sqlite"
    assert cli.main(["import", "--db", str(db), str(write("a.txt", "Clashes near Aleppo."))]) == 0
    config.Preferences(annotator="ana").save()
    done = subprocess.run([sys.executable, "-c", FIRST_PAINT, str(db)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 0, done.stderr
    # Not even jsonschema: the project's label scheme was checked by the import above and the cache
    # remembers that this text passed (annotator/schemes.py).
    assert result["loaded"] == []


def without_display(**extra: str) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**env, **extra}


def test_app_without_any_display_says_so_instead_of_qts_abort(tmp_path, home, write):
    """Qt would abort (status 134) blaming libxcb-cursor0, though installed; the user gets the real cause."""
    import subprocess
    import sys

    db = tmp_path / "p.sqlite"
    assert cli.main(["import", "--db", str(db), str(write("a.txt", "Clashes near Aleppo."))]) == 0
    config.Preferences(annotator="ana").save()
    done = subprocess.run([sys.executable, "-m", "annotator", "--db", str(db)], capture_output=True, text=True,
                          timeout=120, env=without_display())
    assert done.returncode == 2, done.stderr
    assert "no display to open the window on" in done.stderr
    assert "xvfb-run annotator" in done.stderr and "QT_QPA_PLATFORM=offscreen" in done.stderr
    assert "xcb-cursor" not in done.stderr


def test_app_run_checks_the_display_before_qt(project, monkeypatch, capsys):
    from annotator.gui import app

    path, _ = project
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")
    assert app.run(path) == 2
    assert "no display to open the window on" in capsys.readouterr().err


def test_app_display_problem_names_the_missing_xcb_package():
    from annotator.gui.app import display_problem

    ssh_x = {"DISPLAY": "localhost:10.0"}  # a remote display: no local socket to look for
    problem = display_problem(ssh_x, "linux", loadable=lambda soname: "cursor" not in soname)
    assert "libxcb-cursor0" in problem and "apt-get install libxcb-cursor0" in problem
    assert "icccm" not in problem
    assert display_problem(ssh_x, "linux", loadable=lambda soname: True) is None


def test_app_display_problem_leaves_displayless_platforms_and_other_systems_alone():
    from annotator.gui.app import display_problem

    nothing = lambda soname: False  # noqa: E731 - not one X library: none is needed on these
    for platform in ("offscreen", "minimal", "vnc:size=800x600", "wayland;offscreen"):
        assert display_problem({"QT_QPA_PLATFORM": platform}, "linux", nothing) is None
    assert display_problem({}, "darwin", nothing) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", nothing) is None
    assert "no display" in display_problem({"QT_QPA_PLATFORM": "xcb"}, "linux", nothing)


def test_app_display_problem_spots_a_local_x_server_that_is_gone(tmp_path):
    from annotator.gui.app import x_server_listening

    sockets = tmp_path / "unix"
    sockets.write_text("Num RefCount Protocol Flags Type St Inode Path\n", encoding="utf-8")
    assert not x_server_listening(":7", tmp_path / "x11", sockets)
    (tmp_path / "x11").mkdir()
    (tmp_path / "x11" / "X7").touch()
    assert x_server_listening(":7.0", tmp_path / "x11", sockets)
    sockets.write_text("0000: 00000002 0 10000 0001 01 1234 @/tmp/.X11-unix/X8\n", encoding="utf-8")
    assert x_server_listening(":8", tmp_path / "none", sockets), "an abstract socket serves a container"
    assert x_server_listening("localhost:10.0", tmp_path / "none", sockets)
