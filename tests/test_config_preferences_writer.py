"""The preferences written in a thread of their own: the newest state lands, nothing older after it, and a
failure is kept for the window to report."""

from __future__ import annotations

import threading

from annotator import config


def test_preferences_writer_lands_the_newest_state_and_closing_waits_for_it(tmp_path, monkeypatch):
    path = tmp_path / "config" / "preferences.json"
    gate = threading.Event()
    written: list[int] = []
    real = config.write_atomically

    def slow_disk(target, payload, *, sync=True):
        gate.wait(5)  # the first write hangs on a busy disk while the window goes on
        real(target, payload, sync=sync)
        written.append(config.Preferences.load(target).last_article["p"])

    monkeypatch.setattr(config, "write_atomically", slow_disk)
    writer = config.PreferencesWriter(path)
    preferences = config.Preferences(annotator="ana")
    for article in range(1, 6):
        preferences.last_article["p"] = article
        writer.save(preferences)  # returns at once although the disk hangs
    assert not writer.wait(0.05)
    gate.set()
    writer.close(5)
    assert config.Preferences.load(path).last_article == {"p": 5}
    assert written[-1] == 5 and len(written) <= 2  # states queued behind a write are replaced, not written each


def test_preferences_writer_keeps_a_failure_until_a_write_succeeds(tmp_path, monkeypatch):
    path = tmp_path / "preferences.json"
    real = config.write_atomically
    disk = {"full": True}

    def maybe_full(target, payload, *, sync=True):
        if disk["full"]:
            raise OSError(28, "No space left on device")
        real(target, payload, sync=sync)

    monkeypatch.setattr(config, "write_atomically", maybe_full)
    writer = config.PreferencesWriter(path)
    writer.save(config.Preferences(annotator="ana"))
    assert writer.wait(5)
    assert "No space left" in str(writer.error) and not path.exists()
    disk["full"] = False
    writer.save(config.Preferences(annotator="ana"))
    assert writer.wait(5)
    assert writer.error is None and config.Preferences.load(path).annotator == "ana"
    writer.close(5)
    writer.save(config.Preferences(annotator="bo"))  # after closing: written at once, on this thread
    assert config.Preferences.load(path).annotator == "bo"
