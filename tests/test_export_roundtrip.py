"""Exported JSONL imported into a new project gives back the same spans, events, arguments, attributes."""

from __future__ import annotations

import json

from annotator.export import export_project
from annotator.importers import import_paths
from annotator.store import Store
from test_export_helpers import build_project


def annotations_of(store: Store, annotator: str) -> dict[str, tuple]:
    """Per article text: the annotator's spans (with status and attributes), arguments and state."""
    found = {}
    for article in store.articles.iter():
        spans = [s for s in store.spans.for_article(article.id, annotator) if s.annotator == annotator]
        by_id = {s.id: (s.start_char, s.end_char, s.label) for s in spans}
        arguments = sorted(
            (by_id[g.event_id], g.role, by_id[g.filler_id])
            for g in store.arguments.for_article(article.id) if g.event_id in by_id
        )
        found[article.text] = (
            sorted((s.start_char, s.end_char, s.label, str(s.layer), str(s.status), json.dumps(s.attributes, sort_keys=True))
                   for s in spans),
            arguments,
            str(store.states.get(article.id, annotator)[0]),
        )
    return found


def test_export_roundtrip_jsonl_import_gives_back_spans_events_arguments(store, tmp_path):
    build_project(store)
    export_project(store, tmp_path / "out", format="jsonl", annotator="maria", include_rejected=True)
    with Store.open(tmp_path / "copy.sqlite") as copy:
        summary = import_paths(copy, [tmp_path / "out" / "all.jsonl"])
        assert summary.failed == [] and summary.rejected == []
        original = annotations_of(store, "maria")
        done = {text: value for text, value in original.items() if value[2] == "done"}
        assert annotations_of(copy, "maria") == done
        assert sum(len(v[1]) for v in done.values()) == 4  # the arguments did travel

        # Exporting the copy again gives the same annotations (the spans' source names the import).
        export_project(copy, tmp_path / "again", format="jsonl", annotator="maria", include_rejected=True)
    strip = lambda r: {"spans": [{k: v for k, v in s.items() if k != "source"} for s in r["spans"]],  # noqa: E731
                       "relations": r["relations"], "answer": r["answer"], "text": r["text"],
                       "tokens": r["tokens"], "_task_hash": r["_task_hash"]}
    first = [strip(json.loads(l)) for l in (tmp_path / "out" / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    second = [strip(json.loads(l)) for l in (tmp_path / "again" / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert first == second
