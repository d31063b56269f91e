"""Event rows as researchers publish them: a CSV with ACLED-like columns (plus our sources, modality and
UCDP-style low/best/high deaths) and a GeoJSON FeatureCollection of the same rows.

One row per group of records (one real-world event), never one per report. Planned, hypothetical and
denied events stay in the table with their modality and ``counted`` false; counts leave them out unless
asked. Field by field: docs/formats.md, "Event table"; schemas: schemas/event_row.schema.json and
schemas/events.geojson.schema.json.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Mapping, Sequence

from annotator.eventtable.fatalities import combine_across_sources
from annotator.eventtable.linking import Group, Grouping, RecordKey
from annotator.eventtable.records import EventRecord

FORMAT = "conflict-annotator/events"
VERSION = 1

COLUMNS = (
    "event_id_cnty", "event_date", "date_end", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "iso", "country", "admin1", "admin1_code", "location", "geonameid", "latitude", "longitude", "geo_precision",
    "location_precision", "source", "source_scale", "notes", "fatalities", "deaths_low", "deaths_best", "deaths_high",
    "injured", "missing", "arrested", "modality", "counted", "background", "sources", "number_of_sources", "spans",
    "date_basis", "place_basis", "place_candidates",
)
_NOTES_LIMIT = 400
_BASIS_RANK = {"reviewer": 0, "argument": 1, "attachment": 2, "sentence": 3, "article": 4, "dateline": 4, "published": 5,
               "unresolved": 6, "none": 7}


class EventExportError(ValueError):
    """A grouping that names records the export was not given; the message names them."""


def best_dated(records: Sequence[EventRecord]) -> EventRecord:
    """The report whose date the row shows: dated first, then by how the date was found (a reviewer's,
    the TIME argument's, the sentence's, the published day standing in), then the finest precision."""
    return min(records, key=lambda r: (r.date.start is None, _BASIS_RANK.get(r.date.basis, 9),
                                       r.date.precision or 9, r.key))


def best_placed(records: Sequence[EventRecord]) -> EventRecord | None:
    """The report whose place the row shows: a reviewer's choice; else the most precise place a report's
    own words give (the reports of a group have compatible places, so one naming the town says more than
    one naming the country, as ACLED codes the most specific location), its basis breaking ties; a place
    that only stands in (where the article is set) last."""
    placed = [r for r in records if r.place and r.place.place]
    if not placed:
        return None
    return min(placed, key=lambda r: (r.place.basis != "reviewer", r.place.basis in _STANDING_IN,
                                      r.place.place.precision, _BASIS_RANK.get(r.place.basis, 9), r.key))


_STANDING_IN = {"article", "dateline", "none"}  # place bases that only stand in: where the article is set, or nothing


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: the two inter codes, lower first (12 = state forces vs rebels); 10 alone."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    return codes[0] * 10 + (codes[1] if len(codes) > 1 else 0)


def event_row(group: Group, records: Sequence[EventRecord]) -> dict:
    """The row of one group; ``records`` are its members' records."""
    dated = best_dated(records)
    placed = best_placed(records)
    place = placed.place.place if placed else None
    # The report saying most of who acted: named actors first, then identified ones ("suspected jihadist
    # fighters" over a headline's "Gunmen"), then the most actors and targets.
    with_actors = max(records, key=lambda r: (sum(a.named for a in r.actors),
                                               sum(not a.unidentified for a in r.actors),
                                               len(r.actors) + len(r.targets), -r.article_id, -r.span_id))
    actor1 = with_actors.actors[0] if with_actors.actors else None
    actor2 = with_actors.targets[0] if with_actors.targets else None
    names1 = list(dict.fromkeys(a.name for r in records for a in r.actors))
    names2 = list(dict.fromkeys(a.name for r in records for a in r.targets))
    deaths = combine_across_sources([r.fatalities for r in records if r.fatalities is not None])

    def least(outcome: str) -> int | None:
        # Reports of one event disagree: the lowest figure, as ACLED codes deaths.
        found = [r.casualties.of(outcome).low for r in records
                 if r.casualties is not None and r.casualties.of(outcome) is not None]
        return min(found) if found else None

    outlets = list(dict.fromkeys(r.source.outlet for r in records if r.source.outlet))
    references = list(dict.fromkeys(r.source.url or f"article {r.article_id}" for r in records))
    modalities = list(dict.fromkeys(r.modality for r in records))
    first = records[0]
    notes = [first.sentence[:_NOTES_LIMIT]]
    if deaths and len({(r.fatalities.low, r.fatalities.high) for r in records if r.fatalities}) > 1:
        notes.append(f"Reports differ on deaths: {deaths.text}.")
    notes.extend(n for r in records for n in r.notes)
    if dated.date.note:
        notes.append(f"Date: {dated.date.note}.")
    if placed is not None and placed.place.unlisted:
        notes.append(f"Place: {placed.place.note}.")
    iso = place.iso3 if place else ""
    inter1 = actor1.inter if actor1 else None
    inter2 = actor2.inter if actor2 else None
    return {
        "event_id_cnty": f"{iso or 'XXX'}{group.members[0][0]}-{group.members[0][1]}",
        "event_date": dated.date.start,
        "date_end": dated.date.end,
        "year": int(dated.date.start[:4]) if dated.date.start else None,
        "time_precision": dated.date.precision,
        "disorder_type": first.disorder_type,
        "event_type": first.event_type,
        "sub_event_type": next((r.sub_event_type for r in records if r.sub_event_type), ""),
        "actor1": actor1.name if actor1 else "",
        "assoc_actor_1": "; ".join(n for n in names1 if not actor1 or n != actor1.name),
        "inter1": inter1,
        "actor2": actor2.name if actor2 else "",
        "assoc_actor_2": "; ".join(n for n in names2 if not actor2 or n != actor2.name),
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "iso": iso,
        "country": place.country if place else "",
        "admin1": place.admin1 if place else "",
        "admin1_code": place.admin1_code if place else "",
        # A place the gazetteer lacks keeps its words; the coordinates are its region's or country's.
        "location": placed.place.text if placed and placed.place.unlisted else place.name if place else (
            next((r.place.text for r in records if r.place), "")),
        "geonameid": place.geonameid if place and place.geonameid > 0 else None,  # regions carry no GeoNames id
        "latitude": round(place.latitude, 5) if place else None,
        "longitude": round(place.longitude, 5) if place else None,
        "geo_precision": place.precision if place else None,
        "location_precision": place.precision_name if place else "",
        "source": "; ".join(outlets),
        "source_scale": "; ".join(dict.fromkeys(r.source.source_scale for r in records if r.source.source_scale)),
        "notes": " ".join(n for n in notes if n),
        "fatalities": deaths.low if deaths else 0,
        "deaths_low": deaths.low if deaths else None,
        "deaths_best": deaths.best if deaths else None,
        "deaths_high": deaths.high if deaths else None,
        "injured": least("injured"),
        "missing": least("missing"),
        "arrested": least("arrested"),
        "modality": modalities[0] if len(modalities) == 1 else "; ".join(modalities),
        "counted": any(r.counted for r in records),
        "background": all(r.background for r in records),
        "sources": " | ".join(references),
        "number_of_sources": len(references),
        "spans": " ".join(f"{a}:{s}" for a, s in group.members),
        "date_basis": dated.date.basis,
        "place_basis": placed.place.basis if placed else "none",
        "place_candidates": " ".join(str(c.geonameid) for c in placed.place.candidates) if placed else "",
    }


def event_rows(grouping: Grouping, records: Mapping[RecordKey, EventRecord], *,
               include_background: bool = False) -> list[dict]:
    """One row per group, in date order (undated last), then by id. Groups of background events (told as
    history: "a war in 2006") are left out unless asked; the reviewer can say an event is not background.

    :raises EventExportError: when a group names a record not in ``records``
    """
    rows = []
    for group in grouping.groups:
        missing = [k for k in group.members if k not in records]
        if missing:
            raise EventExportError(f"group {group.id} names records not given to the export: {missing[:5]}")
        members = [records[k] for k in group.members]
        if not include_background and all(r.background for r in members):
            continue
        rows.append(event_row(group, members))
    rows.sort(key=lambda r: (r["event_date"] is None, r["event_date"] or "", r["event_id_cnty"]))
    return rows


def counts(rows: Sequence[dict], *, include_uncounted: bool = False) -> dict:
    """Events by type; rows with ``counted`` false only when asked."""
    chosen = [r for r in rows if include_uncounted or r["counted"]]
    return {
        "events": len(chosen),
        "by_event_type": dict(sorted(Counter(r["event_type"] for r in chosen).items())),
        "fatalities": sum(r["fatalities"] for r in chosen),
        "left_out": {m: n for m, n in sorted(Counter(r["modality"] for r in rows if not r["counted"]).items())}
        if not include_uncounted else {},
    }


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(rows: Sequence[dict], path: Path | None = None) -> str:
    """The rows as CSV (RFC 4180, UTF-8, header first); written to ``path`` when given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in COLUMNS])
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8", newline="")
    return text


def read_csv(text: str) -> list[dict]:
    """Rows back from :func:`write_csv`, typed as in the schema (empty cells are null)."""
    integers = {"year", "time_precision", "inter1", "inter2", "interaction", "geonameid", "geo_precision",
                "fatalities", "deaths_low", "deaths_best", "deaths_high", "number_of_sources", "injured", "missing",
                "arrested"}
    floats = {"latitude", "longitude"}
    rows = []
    for raw in csv.DictReader(io.StringIO(text)):
        row: dict = {}
        for column in COLUMNS:
            value = raw[column]
            if column in integers or column in floats:
                row[column] = None if value == "" else (int(value) if column in integers else float(value))
            elif column in {"counted", "background"}:
                row[column] = value == "true"
            elif column in {"event_date", "date_end"}:
                row[column] = value or None
            else:
                row[column] = value
        rows.append(row)
    return rows


def to_geojson(rows: Sequence[dict], *, include_uncounted: bool = False) -> dict:
    """A FeatureCollection: one Point per row (null geometry when the place is unknown)."""
    features = []
    for row in rows:
        geometry = None
        if row["latitude"] is not None and row["longitude"] is not None:
            geometry = {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
        members = [{"article_id": int(a), "span_id": int(s)} for a, s in (m.split(":") for m in row["spans"].split())]
        features.append({
            "type": "Feature",
            "id": row["event_id_cnty"],
            "geometry": geometry,
            "properties": {**row, "members": members},
        })
    return {
        "type": "FeatureCollection",
        "format": FORMAT,
        "version": VERSION,
        "counts": counts(rows, include_uncounted=include_uncounted),
        "features": features,
    }


def write_geojson(rows: Sequence[dict], path: Path, *, include_uncounted: bool = False) -> None:
    # Compact, without indent: json's C encoder then does the work (ten times faster on 10,000 events).
    payload = json.dumps(to_geojson(rows, include_uncounted=include_uncounted), ensure_ascii=False,
                         separators=(",", ":"))
    Path(path).write_text(payload, encoding="utf-8")
