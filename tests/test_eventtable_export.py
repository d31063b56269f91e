import json

import jsonschema
import pytest

from annotator.eventtable.export import COLUMNS, counts, event_rows, read_csv, to_geojson, write_csv, write_geojson
from annotator.eventtable.linking import propose
from annotator.schemes import schemas_dir
from eventtable_fixtures import Annotated, builder, places_index, withdrawal_pair  # noqa: F401 - places_index is a fixture


def validator(name):
    schema = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def rows(builder):
    first, second = withdrawal_pair()
    planned = Annotated(6, "Rebels threatened to storm Goma next week, a spokesman said.", source="Lakes Post",
                        published="2023-11-02")
    planned.event("storm", "BATTLES", modality="planned", actor=("Rebels", "ARMED_GROUP"),
                  location=("Goma", "LOCATION"))
    undated = Annotated(7, "Gunmen killed two farmers somewhere in the hills.", source="")
    undated.event("killed", "VIOLENCE_AGAINST_CIVILIANS", actor=("Gunmen", "ARMED_GROUP"),
                  target=("two farmers", "QUANTITY"), fatalities=("two farmers", "QUANTITY"))
    records = []
    for item in (first, second, planned, undated):
        records += builder.records(item.article, item.spans, item.links)
    return event_rows(propose(records), {r.key: r for r in records})


def test_export_one_row_per_event_with_both_sources(rows):
    withdrawal = next(r for r in rows if r["number_of_sources"] == 2)
    assert withdrawal["event_date"] == "2022-06-24" and withdrawal["time_precision"] == 1
    assert withdrawal["source"] == "Northern Ledger; Coastal Wire"
    assert withdrawal["sources"] == "https://ledger.example/a1 | https://wire.example/b7"
    assert (withdrawal["iso"], withdrawal["geonameid"], withdrawal["geo_precision"]) == ("UKR", 691999, 1)
    assert withdrawal["event_id_cnty"].startswith("UKR")
    assert withdrawal["inter1"] == 1 and withdrawal["interaction"] == 10
    assert len(rows) == 4


def test_export_plans_are_kept_but_not_counted(rows):
    plan = next(r for r in rows if r["modality"] == "planned")
    assert plan["counted"] is False
    assert counts(rows)["events"] == 3
    assert counts(rows)["left_out"] == {"planned": 1}
    assert counts(rows, include_uncounted=True)["events"] == 4


def test_export_csv_validates_against_the_row_schema_and_reads_back(rows, tmp_path):
    text = write_csv(rows, tmp_path / "events.csv")
    assert text.splitlines()[0].split(",") == list(COLUMNS)
    back = read_csv((tmp_path / "events.csv").read_text(encoding="utf-8"))
    check = validator("event_row.schema.json")
    for row in back:
        check.validate(row)
    assert back == rows


def test_export_geojson_validates_and_places_points(rows, tmp_path):
    write_geojson(rows, tmp_path / "events.geojson")
    collection = json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
    validator("events.geojson.schema.json").validate(collection)
    placed = [f for f in collection["features"] if f["geometry"]]
    unplaced = [f for f in collection["features"] if f["geometry"] is None]
    assert len(placed) == 3 and len(unplaced) == 1
    lon, lat = next(f for f in placed if f["properties"]["geonameid"] == 691999)["geometry"]["coordinates"]
    assert 38 < lon < 39 and 48 < lat < 49  # Sievierodonetsk, eastern Ukraine
    assert unplaced[0]["properties"]["fatalities"] == 2


def test_export_schema_rejects_a_broken_row(rows):
    broken = dict(rows[0], inter1=9)
    with pytest.raises(jsonschema.ValidationError):
        validator("event_row.schema.json").validate(broken)


def test_export_geojson_schema_and_row_schema_agree(rows):
    row_fields = set(json.loads((schemas_dir() / "event_row.schema.json").read_text())["properties"])
    geo = json.loads((schemas_dir() / "events.geojson.schema.json").read_text())
    feature_fields = set(geo["properties"]["features"]["items"]["properties"]["properties"]["properties"])
    assert feature_fields == row_fields | {"members"}
    assert set(to_geojson(rows)["features"][0]["properties"]) == feature_fields
