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
    assert window.store.count_articles() >= 1
    window.store.close()


def test_app_existing_or_other_projects_get_no_samples(qtbot, tmp_path, home, answers):
    other = tmp_path / "empty.sqlite"
    window = open_window(other, config.Preferences(annotator="ana"))
    qtbot.addWidget(window)
    assert window.store.count_articles() == 0
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
    assert window.store.count_articles() == 0
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
    # jsonschema is used: the project's label scheme is validated when the window loads it.
    assert result["loaded"] == ["jsonschema"]
