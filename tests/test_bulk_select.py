"""`annotator bulk select`: each filter, near-duplicate removal, and an output that imports with its
suggestions. The shards are written here by hand (invented text), in the format `bulk suggest` writes."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from annotator.bulk.select import Criteria, SelectSummary, choose, shard_files, uncertainty
from annotator.cli import main
from annotator.importers import import_paths

WIRE = ("KESSEL, March 3 — Government forces and fighters of the Northern Shore Front clashed for a second day "
        "near the village of Kessel, a local monitor said on Tuesday, in the heaviest fighting in the district "
        "since a truce was agreed in January. At least nine fighters were killed, the monitor said, and dozens "
        "of families fled towards the coast. State television said the army had restored order in two "
        "villages, a claim the group denied in a statement posted online.")


def span(text: str, needle: str, label: str, score: float | None = None, layer: str = "entity") -> dict:
    start = text.index(needle)
    entry = {"start": start, "end": start + len(needle), "label": label, "text": needle, "layer": layer,
             "source": "conflict-suggester@1.5/test"}
    if score is not None:
        entry["score"] = score
    return entry


def record(text: str, *, source="Valley Post", published="2026-03-03", title=None, spans=(), relations=()):
    meta = {"source": source, "published": published} if published else {"source": source}
    if title:
        meta["title"] = title
    return {"text": text, "meta": meta, "spans": list(spans), "relations": list(relations)}


def write_shards(folder, *shards: list[dict]):
    (folder / "shards").mkdir(parents=True, exist_ok=True)
    for index, records in enumerate(shards):
        with gzip.open(folder / "shards" / f"{index:05d}-feed-test.jsonl.gz", "wt", encoding="utf-8") as handle:
            for item in records:
                handle.write(json.dumps(item) + "\n")
    return folder


def run_select(folder, **criteria) -> tuple[list[int], SelectSummary]:
    summary = SelectSummary()
    return choose(shard_files(folder), Criteria(**criteria), summary), summary


def texts(folder, positions):
    from annotator.bulk.select import iter_shard_records

    wanted = set(positions)
    return [r["text"] for p, r in iter_shard_records(shard_files(folder)) if p in wanted]


def test_query_needs_every_word_as_a_word_and_quoted_phrases(tmp_path):
    folder = write_shards(tmp_path, [
        record("Police arrested two men in Teluk after a protest."),
        record("A protest in Teluk ended peacefully.", title="Teluk march"),
        record("Protesters gathered in Telukbay."),
    ], [record("Fighting near the river crossing at Brana."), record("The crossing river Brana flooded.")])
    positions, summary = run_select(folder, query="protest teluk")
    assert texts(folder, positions) == ["Police arrested two men in Teluk after a protest.",
                                        "A protest in Teluk ended peacefully."]
    assert summary.read == 5 and summary.after_query == 2
    positions, _ = run_select(folder, query='"river crossing"')
    assert texts(folder, positions) == ["Fighting near the river crossing at Brana."]
    positions, _ = run_select(folder, query="march")  # the title counts too
    assert texts(folder, positions) == ["A protest in Teluk ended peacefully."]


def test_label_with_a_minimum_count(tmp_path):
    one = "Rebels shelled Dorvan."
    two = "Rebels and militia shelled Dorvan and Kessel."
    folder = write_shards(tmp_path, [
        record(one, spans=[span(one, "Rebels", "ARMED_GROUP"), span(one, "Dorvan", "LOCATION")]),
        record(two, spans=[span(two, "Rebels", "ARMED_GROUP"), span(two, "militia", "ARMED_GROUP"),
                           span(two, "Dorvan", "LOCATION")]),
    ])
    assert texts(folder, run_select(folder, label="ARMED_GROUP", label_min=2)[0]) == [two]
    assert texts(folder, run_select(folder, label="ARMED_GROUP")[0]) == [one, two]
    assert run_select(folder, label="PERSON")[0] == []


def test_date_range_is_inclusive_and_leaves_out_undated(tmp_path):
    from datetime import date

    folder = write_shards(tmp_path, [
        record("February report.", published="2026-02-28"),
        record("First of March report.", published="2026-03-01T06:00:00Z"),
        record("Mid March report.", published="2026-03-15"),
        record("Undated report.", published=None),
        record("April report.", published="2026-04-01"),
    ])
    positions, summary = run_select(folder, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert texts(folder, positions) == ["First of March report.", "Mid March report."]
    assert summary.undated == 1
    positions, _ = run_select(folder, date_to=date(2026, 2, 28))
    assert texts(folder, positions) == ["February report."]


def test_uncertain_picks_the_least_sure_articles(tmp_path):
    sure, unsure, mixed, unscored = ("Sure: Rebels shelled Dorvan.", "Unsure: Rebels shelled Dorvan.",
                                     "Mixed: Rebels shelled Dorvan.", "Unscored: Rebels shelled Dorvan.")
    folder = write_shards(tmp_path, [
        record(sure, spans=[span(sure, "Rebels", "ARMED_GROUP", 0.98), span(sure, "Dorvan", "LOCATION", 0.95)]),
        record(unsure, spans=[span(unsure, "Rebels", "ARMED_GROUP", 0.52), span(unsure, "Dorvan", "LOCATION", 0.45)]),
        record(unscored, spans=[span(unscored, "Rebels", "ARMED_GROUP")]),
        record(mixed, spans=[span(mixed, "Rebels", "ARMED_GROUP", 0.9), span(mixed, "Dorvan", "LOCATION", 0.3)]),
    ])
    assert uncertainty(json.loads(json.dumps(record(unsure, spans=[span(unsure, "Rebels", "X", 0.5)])))) == (0.0, 0.5)
    positions, summary = run_select(folder, uncertain=2)
    assert texts(folder, positions) == [unsure, mixed]  # in the shards' order
    assert summary.unscored == 1
    bare = write_shards(tmp_path / "bare", [record(unscored, spans=[span(unscored, "Rebels", "ARMED_GROUP")])])
    from annotator.bulk.select import SelectError

    with pytest.raises(SelectError, match="no suggestion in these shards has a score"):
        run_select(bare, uncertain=5)


def test_sample_is_stratified_by_outlet_and_month_and_repeatable(tmp_path):
    records = []
    # 60 % Valley Post in March, 20 % Valley Post in April, 20 % Coast Wire in March.
    for i in range(30):
        records.append(record(f"Valley March story {i}.", source="Valley Post", published=f"2026-03-{1 + i % 28:02d}"))
    for i in range(10):
        records.append(record(f"Valley April story {i}.", source="Valley Post", published=f"2026-04-{1 + i:02d}"))
    for i in range(10):
        records.append(record(f"Coast March story {i}.", source="Coast Wire", published=f"2026-03-{1 + i:02d}"))
    folder = write_shards(tmp_path, records[:25], records[25:])
    positions, summary = run_select(folder, sample=10, seed=7)
    chosen = texts(folder, positions)
    strata = Counter(" ".join(t.split()[:2]) for t in chosen)
    assert strata == {"Valley March": 6, "Valley April": 2, "Coast March": 2} and summary.strata == 3
    assert run_select(folder, sample=10, seed=7)[0] == positions
    assert run_select(folder, sample=10, seed=8)[0] != positions
    assert len(run_select(folder, sample=100)[0]) == 50


def test_dedupe_drops_wire_copies_and_keeps_other_stories(tmp_path):
    copy_other_outlet = WIRE.replace("KESSEL, March 3 — ", "KESSEL (Coast Wire) — ") + " Reporting by staff."
    copy_cut_short = WIRE.rsplit(" State television", 1)[0]
    follow_up = ("KESSEL, March 5 — Families who fled the fighting near Kessel began returning on Thursday after "
                 "the army and the Northern Shore Front agreed a pause, aid workers said. The monitor said at least "
                 "nine fighters had been killed in the clashes earlier in the week, and that roads to the coast "
                 "remained closed to trucks carrying food and fuel.")
    folder = write_shards(tmp_path, [record(WIRE), record(follow_up, source="Coast Wire")],
                          [record(copy_other_outlet, source="Coast Wire"), record(copy_cut_short, source="Hill Times")])
    positions, summary = run_select(folder, dedupe=True)
    assert texts(folder, positions) == [WIRE, follow_up]
    assert summary.duplicates == 2
    assert len(run_select(folder)[0]) == 4


def test_select_command_output_imports_with_its_suggestions(tmp_path, store, capsys):
    text = "Rebels shelled Dorvan on Tuesday."
    spans = [span(text, "Rebels", "ARMED_GROUP", 0.6), span(text, "Dorvan", "LOCATION", 0.7),
             span(text, "shelled", "EXPLOSIONS_REMOTE_VIOLENCE", 0.55, layer="event")]
    relation = {"head_span": {k: spans[2][k] for k in ("start", "end", "label")},
                "child_span": {k: spans[1][k] for k in ("start", "end", "label")}, "label": "LOCATION"}
    folder = write_shards(tmp_path / "run", [record(text, spans=spans, relations=[relation]),
                                             record("Police arrested two men in Teluk.")])
    out = tmp_path / "pick.jsonl"
    assert main(["bulk", "select", str(folder), "--out", str(out), "--query", "Dorvan", "--label", "LOCATION"]) == 0
    printed = capsys.readouterr().out
    assert "articles read: 2" in printed and "written: 1 articles" in printed
    summary = import_paths(store, [out])
    assert summary.imported == 1 and summary.suggestions == 3 and summary.arguments == 1
    [article] = list(store.articles.iter())
    assert article.source == "Valley Post"
    assert sorted(s.label for s in store.spans.for_article(article.id) if s.is_suggestion) == [
        "ARMED_GROUP", "EXPLOSIONS_REMOTE_VIOLENCE", "LOCATION"]


def test_select_command_refuses_bad_dates_and_missing_shards(tmp_path, capsys):
    assert main(["bulk", "select", str(tmp_path), "--out", str(tmp_path / "x.jsonl")]) == 2
    assert "no shards" in capsys.readouterr().err
    write_shards(tmp_path, [record("Police arrested two men in Teluk.")])
    assert main(["bulk", "select", str(tmp_path), "--out", str(tmp_path / "x.jsonl"), "--from", "March"]) == 2
    assert "--from: 'March' is not a date" in capsys.readouterr().err
