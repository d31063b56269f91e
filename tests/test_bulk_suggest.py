"""`annotator bulk suggest`: chunks, shards that import as they are, the same suggestions as
`annotator suggest`, a killed run that continues, a project's scheme and memory.

One Dask LocalCluster (one worker process) serves the module through --scheduler, which is also
how a real cluster is used; one test runs the command's own local cluster.
"""

from __future__ import annotations

import gzip
import json

import pytest

from annotator.bulk.chunks import plan_chunks, read_chunk
from annotator.cli import main
from annotator.importers import import_paths
from annotator.domain import Layer, Origin, Status
from annotator.store import Store

TEXTS = [
    "Rebels shelled Dorvan on Tuesday, the governor Mira Talo said. Two civilians were killed.",
    "Police arrested two men in Teluk after a protest on Monday.",
    "Government forces clashed with fighters near the village of Kessel on Friday, a monitor said.",
    "The army will withdraw from the river crossing at Brana next week, a spokesman said.",
]


def articles(count: int) -> list[dict]:
    return [{"text": f"{TEXTS[i % len(TEXTS)]} Report number {i}.", "title": f"Report {i}",
             "source": ["Valley Post", "Coast Wire"][i % 2], "published": f"2026-0{1 + i % 3}-1{i % 10}"}
            for i in range(count)]


def write_jsonl(path, records) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture(scope="module")
def scheduler():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                                       memory_limit="2GiB", silence_logs=50)
    yield cluster.scheduler_address
    cluster.close()


def shard_records(out) -> list[dict]:
    found = []
    for shard in sorted((out / "shards").glob("*.jsonl.gz")):
        with gzip.open(shard, "rt", encoding="utf-8") as handle:
            found += [json.loads(line) for line in handle]
    return found


def suggestion_rows(store) -> list[tuple]:
    rows = []
    for article in store.articles.iter():
        spans = [s for s in store.spans.for_article(article.id) if s.is_suggestion]
        by_id = {s.id: s for s in spans}
        for span in spans:
            roles = sorted((a.role, by_id[a.filler_id].start_char, by_id[a.filler_id].label)
                           for a in store.arguments.of_event(span.id))
            attributes = {k: v for k, v in span.attributes.items()}
            rows.append((article.text, span.start_char, span.end_char, span.label, str(span.layer),
                         json.dumps(attributes, sort_keys=True), span.source, tuple(roles)))
    return sorted(rows)


def test_plan_cuts_json_lines_by_records_and_groups_small_files(tmp_path):
    write_jsonl(tmp_path / "feed.jsonl", articles(7))
    (tmp_path / "notes").mkdir()
    for i in range(3):
        (tmp_path / "notes" / f"n{i}.txt").write_text(f"Note {i}\n\n{TEXTS[i]}", encoding="utf-8")
    (tmp_path / "table.csv").write_text("text,source\n\"" + TEXTS[0] + "\",Wire\n", encoding="utf-8")
    chunks = plan_chunks([tmp_path / "feed.jsonl", tmp_path / "notes", tmp_path / "table.csv"], chunk_size=3)
    assert [c.records for c in chunks[:3]] == [3, 3, 1]
    assert [c.first_line for c in chunks[:3]] == [1, 4, 7]
    assert len(chunks[3].paths) == 3 and chunks[4].paths[0].endswith("table.csv")
    # Every record read back exactly once, in order, with its line.
    read = [where for chunk in chunks[:3] for _, where in read_chunk(chunk)]
    assert read == [f"{tmp_path / 'feed.jsonl'}:{n}" for n in range(1, 8)]
    # Names are stable for the same input and change when the input changes.
    assert [c.name for c in plan_chunks([tmp_path / "feed.jsonl"], 3)] == [c.name for c in chunks[:3]]
    write_jsonl(tmp_path / "feed.jsonl", articles(8))
    assert plan_chunks([tmp_path / "feed.jsonl"], 3)[0].name != chunks[0].name


def test_bulk_suggest_writes_shards_that_import_as_suggest_would_store(scheduler, tmp_path, capsys):
    records = articles(9)
    write_jsonl(tmp_path / "feed.jsonl", records[:7] + [{"title": "no text here"}] + records[7:])
    out = tmp_path / "out"
    status = main(["bulk", "suggest", str(tmp_path / "feed.jsonl"), "--out", str(out), "--scheduler", scheduler,
                   "--chunk-size", "4"])
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert "chunks: 3; done now 3, already done 0, failed 0" in printed
    assert "records not suggested: 1" in printed and "feed.jsonl:8: no 'text' field" in printed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["articles"] == 9 and manifest["shards_complete"] == 3 and manifest["shards_missing"] == []
    assert manifest["suggester"][0].startswith("conflict-suggester@")
    assert manifest["spans"] == sum(len(r["spans"]) for r in shard_records(out)) > 0
    assert all(r["relations"] for r in shard_records(out) if "shelled" in r["text"])

    # The shards import as they are; what they hold is what `annotator suggest` stores.
    with Store.open(tmp_path / "bulk.sqlite") as bulk:
        summary = import_paths(bulk, [out / "shards"])
        assert summary.ok and summary.imported == 9 and summary.suggestions == manifest["spans"]
        imported = suggestion_rows(bulk)
        [article] = [a for a in bulk.articles.iter() if a.title == "Report 3"]
        assert article.source == "Coast Wire" and article.published == "2026-01-13"
    with Store.open(tmp_path / "plain.sqlite") as plain:
        for record in records:
            plain.articles.add(record["text"], title=record["title"])
        from annotator.suggest import suggest_articles

        suggest_articles(plain, learned=False)
        suggested = suggestion_rows(plain)
    assert len(imported) > 20 and imported == suggested


def test_killed_run_continues_without_losing_or_doubling_a_shard(scheduler, tmp_path, capsys):
    write_jsonl(tmp_path / "feed.jsonl", articles(6))
    out = tmp_path / "out"
    argv = ["bulk", "suggest", str(tmp_path / "feed.jsonl"), "--out", str(out), "--scheduler", scheduler,
            "--chunk-size", "2"]
    assert main(argv) == 0
    shards = sorted((out / "shards").glob("*.jsonl.gz"))
    before = {p.name: p.read_bytes() for p in shards}
    # What a kill leaves: one shard never renamed into place (only its temporary file), and no manifest.
    shards[1].rename(shards[1].with_name(f".{shards[1].name}.4242.tmp"))
    (out / "manifest.json").unlink()
    capsys.readouterr()
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "done now 1, already done 2" in printed and "articles this run: 2" in printed
    assert sorted(p.name for p in (out / "shards").glob("*.jsonl.gz")) == sorted(before)
    assert not list((out / "shards").glob(".*"))
    texts = [r["text"] for r in shard_records(out)]
    assert sorted(texts) == sorted(a["text"] for a in articles(6))
    assert json.loads((out / "manifest.json").read_text())["articles"] == 6
    # A third run has nothing to do.
    assert main(argv) == 0
    assert "done now 0, already done 3" in capsys.readouterr().out


def test_bulk_suggest_uses_the_projects_scheme_and_memory(scheduler, tmp_path, capsys):
    project = tmp_path / "team.sqlite"
    with Store.open(project) as store:
        text = "The Dorvan Water Board said supplies were cut."
        article, _ = store.articles.add(text)
        start = text.index("Dorvan Water Board")
        store.spans.add(article, start, start + len("Dorvan Water Board"), "ORG", Layer.ENTITY, annotator="ana",
                        origin=Origin.MANUAL, status=Status.ACCEPTED)
    write_jsonl(tmp_path / "feed.jsonl", [{"text": "Engineers of the Dorvan Water Board inspected the plant."}])
    assert main(["bulk", "suggest", str(tmp_path / "feed.jsonl"), "--out", str(tmp_path / "out"), "--scheduler",
                 scheduler, "--db", str(project)]) == 0
    [record] = shard_records(tmp_path / "out")
    assert {"text": "Dorvan Water Board", "label": "ORG"}.items() <= next(
        s for s in record["spans"] if s["text"] == "Dorvan Water Board").items()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["project"].endswith("team.sqlite") and manifest["scheme"] == "conflict"


def test_bulk_suggest_on_its_own_local_cluster(tmp_path, capsys):
    pytest.importorskip("distributed")
    (tmp_path / "a.txt").write_text("Clashes near Kessel\n\n" + TEXTS[2], encoding="utf-8")
    assert main(["bulk", "suggest", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--workers", "1",
                 "--memory-limit", "1.5GiB"]) == 0
    printed = capsys.readouterr().out
    assert "done now 1" in printed and "peak memory per worker process (MB): " in printed
    [record] = shard_records(tmp_path / "out")
    assert record["meta"]["title"] == "Clashes near Kessel"


def test_gzipped_shard_cut_short_is_refused_by_import(store, tmp_path):
    data = gzip.compress(b'{"text": "Police arrested two men in Teluk."}\n' * 50)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    summary = import_paths(store, [tmp_path / "cut.jsonl.gz"])
    assert "cut.jsonl.gz: not a complete gzip file" in str(summary.failed[0])
    assert store.articles.count() == 0


def test_command_defaults_match_the_bulk_package():
    from annotator.bulk.chunks import DEFAULT_CHUNK_SIZE
    from annotator.bulk.run import DEFAULT_MEMORY_LIMIT
    from annotator.commands import bulk

    assert (bulk.DEFAULT_CHUNK_SIZE, bulk.DEFAULT_MEMORY_LIMIT) == (DEFAULT_CHUNK_SIZE, DEFAULT_MEMORY_LIMIT)


def test_bulk_suggest_uses_the_projects_learned_version_and_select_ranks_by_its_scores(scheduler, tmp_path,
                                                                                       monkeypatch, capsys):
    from learn_fixtures import build_team_project, learn_fast

    learn_fast(monkeypatch)
    project = build_team_project(tmp_path / "team.sqlite", "Half done: Major Ilse Brandvold visited Kettleby.")
    assert main(["learn", "--db", str(project)]) == 0
    write_jsonl(tmp_path / "feed.jsonl", [{"text": "Colonel Arvo Tammik said that rebels shelled Sarvik overnight."},
                                          {"text": "Major Ilse Brandvold visited Kettleby on Monday."},
                                          {"text": "Police arrested two men in Teluk."}])
    out = tmp_path / "out"
    assert main(["bulk", "suggest", str(tmp_path / "feed.jsonl"), "--out", str(out), "--scheduler", scheduler,
                 "--db", str(project)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["learned_version"] == "v0001" and manifest["suggester"][0].endswith("+learned-v0001")
    records = shard_records(out)
    scored = [s for r in records for s in r["spans"] if "score" in s]
    assert scored and all(s["source"].endswith("+learned-v0001") for r in records for s in r["spans"])
    capsys.readouterr()
    assert main(["bulk", "select", str(out), "--out", str(tmp_path / "pick.jsonl"), "--uncertain", "1"]) == 0
    assert "written: 1 articles" in capsys.readouterr().out
    [picked] = [json.loads(line) for line in (tmp_path / "pick.jsonl").read_text().splitlines()]
    from annotator.bulk.select import uncertainty

    least_sure = min((uncertainty(r), r["text"]) for r in records if uncertainty(r) is not None)
    assert picked["text"] == least_sure[1]


def test_bulk_suggest_refuses_missing_input_and_project_before_making_anything(tmp_path, capsys):
    write_jsonl(tmp_path / "feed.jsonl", articles(1))
    out = tmp_path / "out"
    assert main(["bulk", "suggest", str(tmp_path / "missing.jsonl"), "--out", str(out)]) == 2
    assert "missing.jsonl: no such file or folder" in capsys.readouterr().err
    assert main(["bulk", "suggest", str(tmp_path / "feed.jsonl"), "--out", str(out), "--db",
                 str(tmp_path / "nope.sqlite")]) == 2
    assert "no project at" in capsys.readouterr().err
    assert not out.exists()
