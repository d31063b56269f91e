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
