"""The event table of a project: annotations in the store become one row per real-world event, and the
reviewer's choices (place, date, groups) are stored, undoable, and replayed."""

from __future__ import annotations

import csv
import json

import pytest

from annotator.cli import main
from annotator.eventtable import decisions
from annotator.eventtable.table import build_table
from annotator.store import Store
from eventtable_fixtures import places_index, store_pair  # noqa: F401 - a fixture


@pytest.fixture
def pair(tmp_path, places_index, monkeypatch):
    # One GeoNames index for the session: each test's fresh home would otherwise rebuild it (seconds).
    monkeypatch.setattr("annotator.eventtable.places.load_index", lambda *args, **kwargs: places_index)
    with Store.open(tmp_path / "events.sqlite") as store:
        ids = store_pair(store)
        yield store, ids


def test_eventtable_project_two_reports_of_one_withdrawal_are_one_event_with_two_sources(pair):
    store, ids = pair
    table = build_table(store, annotator="ana")
    assert len(table.records) == 3
    withdrawal = [g for g in table.grouping.groups if len(g.members) == 2]
    assert [sorted(a for a, _ in g.members) for g in withdrawal] == [[ids["Northern Ledger"], ids["Coastal Wire"]]]


def test_eventtable_project_place_choice_is_stored_undoable_and_replayed(pair):
    store, ids = pair
    event = ids["Coastal Wire:shelling"]
    before = build_table(store, annotator="ana").records[(ids["Coastal Wire"], event)].place
    other = next(c for c in before.candidates if c.geonameid != before.place.geonameid) if len(before.candidates) > 1 \
        else None
    chosen = other.geonameid if other else 703448  # Kyiv, when the name had one candidate only
    edit = decisions.choose_place("rita", ids["Coastal Wire"], event, chosen)
    edit.apply(store)
    after = build_table(store, annotator="ana").records[(ids["Coastal Wire"], event)].place
    assert after.place.geonameid == chosen and after.basis == "reviewer"
    edit.revert(store)
    assert build_table(store, annotator="ana").records[(ids["Coastal Wire"], event)].place.place.geonameid == \
        before.place.geonameid
    assert any(a["action"] == "event_override" and a["annotator"] == "rita" for a in store.log.entries())


def test_eventtable_project_split_and_merge_are_confirmed_and_undone(pair):
    store, ids = pair
    table = build_table(store, annotator="ana")
    [group] = [g for g in table.grouping.groups if len(g.members) == 2]
    split = decisions.split_group("rita", table.grouping, group.id, [[group.members[0]]])
    split.apply(store)
    assert len(store.events.groups()) == 2
    table = build_table(store, annotator="ana")
    assert len(table.grouping.groups) == 3  # the two withdrawal reports apart now, and the shelling
    separate = [g for g in table.grouping.groups if g.confirmed]
    assert len(separate) == 2 and all(len(g.members) == 1 for g in separate)
    merged = decisions.merge_groups("rita", table.grouping, [g.id for g in separate])
    merged.apply(store)
    assert [sorted(m) for m in store.events.groups().values()] == [sorted(group.members)]
    merged.revert(store)
    split.revert(store)
    assert store.events.groups() == {}


def test_eventtable_project_export_command_writes_csv_and_geojson(pair, tmp_path, capsys):
    store, ids = pair
    out = tmp_path / "table"
    assert main(["export", "--db", str(store.path), "--format", "events", "--annotator", "ana",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    rows = list(csv.DictReader((out / "events.csv").open(encoding="utf-8")))
    assert len(rows) == 2
    withdrawal = next(r for r in rows if r["number_of_sources"] == "2")
    assert withdrawal["event_type"] == "Strategic developments"
    assert withdrawal["sources"] == "https://ledger.example/a1 | https://wire.example/b7"
    geojson = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    assert len(geojson["features"]) == 2
    assert "2 event rows" in printed
    assert main(["export", "--db", str(store.path), "--format", "events", "--annotator", "ana",
                 "--out", str(out), "--split", "train=1"]) == 2


def test_eventtable_project_reviewer_keeps_a_background_event_undoably(pair):
    from annotator.eventtable.export import event_rows

    store, ids = pair
    event = ids["Coastal Wire:shelling"]
    key = (ids["Coastal Wire"], event)
    rows = event_rows(build_table(store, annotator="ana").grouping, build_table(store, annotator="ana").records)
    assert any(f"{key[0]}:{key[1]}" in r["spans"] for r in rows)
    edit = decisions.mark_background("rita", ids["Coastal Wire"], event, True)
    edit.apply(store)
    table = build_table(store, annotator="ana")
    assert table.records[key].background
    assert not any(f"{key[0]}:{key[1]}" in r["spans"] for r in event_rows(table.grouping, table.records))
    assert any(f"{key[0]}:{key[1]}" in r["spans"]
               for r in event_rows(table.grouping, table.records, include_background=True))
    edit.revert(store)
    assert not build_table(store, annotator="ana").records[key].background
    assert store.events.override(event) is None
