"""The window syncs in the background; with the server stopped mid-session it keeps working, says so
in the status bar, and catches up once the server is back."""

from __future__ import annotations

import psycopg

from annotator import config
from annotator.hub import admin
from annotator.hub.connect import remember_password
from annotator.hub.sync import sync
from annotator.store import Store

from .hub_helpers import lead_project


def hub_spans(url: str, annotator: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM spans WHERE annotator = %s AND NOT deleted",
                            [annotator]).fetchone()[0]


def test_window_keeps_working_while_the_hub_is_down_and_catches_up(qtbot, tmp_path, hub_url, member_name,
                                                                    pg_cluster):
    from annotator.gui.app import open_window

    with Store.open(lead_project(tmp_path / "lead.sqlite")) as store:
        admin.init(hub_url, store)
    name = member_name("ana")
    url = remember_password(admin.add_annotator(hub_url, name))
    admin.assign(hub_url, per_article=1, lease_days=None)
    path = tmp_path / "ana.sqlite"
    with Store.open(path) as store:
        sync(store, url)
    preferences = config.Preferences.load()
    preferences.annotator = name
    window = open_window(path, preferences, create=False)
    qtbot.addWidget(window)
    window.show()
    window.start()
    hub = window.hub
    hub.timer.setInterval(300)
    qtbot.waitUntil(lambda: hub.syncs >= 1, timeout=15000)
    controller = window.controller

    controller.add_span(0, 8, "PERSON")  # "Shelling" on the first article
    qtbot.waitUntil(lambda: hub_spans(hub_url, name) == 1, timeout=15000)

    pg_cluster.stop()
    try:
        # (the label is read as it changes: the next round soon says "syncing…" again)
        qtbot.waitUntil(lambda: "offline" in hub.label.text() and "work is kept" in hub.label.text(), timeout=15000)
        # Offline, the window goes on as ever: spans are made and shown.
        text = controller.session.article.text
        start = text.index("Dorvala")
        controller.add_span(start, start + len("Dorvala"), "LOCATION")
        assert [s.label for s in window.store.spans.own(controller.session.article.id, name)] == ["PERSON", "LOCATION"]
        failures = hub.failures
        qtbot.waitUntil(lambda: hub.failures > failures, timeout=15000)  # it keeps trying
    finally:
        pg_cluster.start()
    qtbot.waitUntil(lambda: hub_spans(hub_url, name) == 2, timeout=20000)
    qtbot.waitUntil(lambda: hub.label.text().startswith("Hub: synced"), timeout=5000)
    window.close()


def test_team_hub_dialog_sets_the_hub_and_syncs(qtbot, tmp_path, hub_url, member_name):
    from annotator.gui.app import open_window

    with Store.open(lead_project(tmp_path / "lead.sqlite")) as store:
        admin.init(hub_url, store)
    name = member_name("bo")
    member_url = admin.add_annotator(hub_url, name)
    admin.assign(hub_url, per_article=1, lease_days=None)
    path = tmp_path / "bo.sqlite"
    with Store.open(path) as store:
        store.articles.add("A local note about Tamsk.")
    preferences = config.Preferences.load()
    preferences.annotator = name
    window = open_window(path, preferences, create=False)
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert window.hub.label.text() == ""  # no hub yet: nothing said, nothing tried
    assert window.hub.action is not None and window.hub.action.text() == "Team hub…"
    dialog = window.hub.open_dialog()
    dialog.url_edit.setText(member_url)
    dialog.sync_button.click()
    qtbot.waitUntil(lambda: window.hub.syncs >= 1, timeout=15000)
    assert window.store.sync.url().startswith(f"postgresql://{name}@")  # the password went elsewhere
    assert window.store.articles.count() == 7  # its own article and the six the hub assigns
    assert "synced" in dialog.state_label.text() and "pulled" in dialog.details.toPlainText()
    window.close()
