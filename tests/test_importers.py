import json
import sqlite3

import pytest

from annotator.importers import import_paths, import_samples
from annotator.domain import ArticleState, Layer, Status
from annotator.importers.readers import read_text
from pathlib import Path

WAR = "Russian forces shelled Kharkiv on Monday, killing two people."


def jsonl(*records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def content(store) -> list:
    """Everything a user could see in the project, for before/after comparisons; read through a
    connection of its own, as another program would see the file."""
    db = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [
            list(db.execute(f"SELECT * FROM {table} ORDER BY 1"))
            for table in ("articles", "annotators", "spans", "arguments", "article_states", "actions")
        ]
    finally:
        db.close()


def test_importers_text_file_keeps_text_exactly_and_takes_title(store, write):
    raw = "Shelling resumes near Kharkiv\r\n\r\nКиїв 🇺🇦 said <b>nothing</b> &amp; more.\r\n"
    path = write("a.txt", raw)
    summary = import_paths(store, [path])
    assert summary.imported == 1
    article = store.articles.get(1)
    assert article.text == raw
    assert article.title == "Shelling resumes near Kharkiv"


def test_importers_text_title_only_when_it_looks_like_one():
    assert read_text(Path("x.txt"), "- Troops will withdraw, an official said.\nMore text").title is None
    assert read_text(Path("x.txt"), "One line only").title is None


def test_importers_folder_recursive_and_reimport_adds_nothing(store, write):
    write("a/one.txt", "Protest in Bamako\n\nThousands marched.")
    write("a/deeper/two.txt", "Strike on Mykolaiv\n\nMissiles hit the port.")
    write("a/notes.md", "not an article")
    folder = write("a/three.txt", "Clash near Aleppo\n\nNine killed.").parent
    assert import_paths(store, [folder]).imported == 3
    again = import_paths(store, [folder])
    assert (again.imported, again.already_present) == (0, 3)
    assert store.articles.count() == 3


def test_importers_prodigy_answers(store, write):
    text = WAR
    spans = [{"start": 0, "end": 14, "label": "ARMED_GROUP", "text": "Russian forces"},
             {"start": 23, "end": 30, "label": "LOCATION"}]
    path = write("p.jsonl", jsonl(
        {"text": text, "spans": spans, "answer": "accept", "_annotator_id": "ds-olena", "meta": {"source": "wire"}},
        {"text": text + " (2)", "spans": spans, "answer": "reject"},
        {"text": text + " (3)", "spans": spans, "answer": "ignore"},
        {"text": text + " (4)", "spans": spans},
    ))
    summary = import_paths(store, [path], annotator="olena")
    assert summary.imported == 4
    accepted = store.spans.for_article(1, "olena")
    assert [(s.label, s.status, s.annotator) for s in accepted] == [
        ("ARMED_GROUP", Status.ACCEPTED, "olena"), ("LOCATION", Status.ACCEPTED, "olena")]
    assert store.states.get(1, "olena")[0] is ArticleState.DONE
    assert store.articles.get(1).source == "wire"
    assert {s.status for s in store.spans.for_article(2, "olena")} == {Status.REJECTED}
    assert store.states.get(3, "olena")[0] is ArticleState.SKIPPED
    # ignored and unanswered spans stay as suggestions anyone can decide: nothing lost
    assert [(s.annotator, s.status) for s in store.spans.for_article(3, "olena")] == [(None, Status.PENDING)] * 2
    assert [(s.annotator, s.status) for s in store.spans.for_article(4, "someone")] == [(None, Status.PENDING)] * 2
    assert store.states.get(4, "olena")[0] is ArticleState.TODO


def test_importers_prodigy_annotator_from_record_when_not_given(store, write):
    path = write("p.jsonl", jsonl({"text": WAR, "spans": [], "answer": "accept", "_annotator_id": "ds-olena"}))
    import_paths(store, [path])
    assert store.annotators.names() == ["ds-olena"]


def test_importers_prodigy_event_layer_attributes_and_relations(store, write):
    record = {
        "text": WAR, "answer": "accept",
        "spans": [
            {"start": 0, "end": 14, "label": "ARMED_GROUP"},
            {"start": 15, "end": 22, "label": "EXPLOSIONS_REMOTE_VIOLENCE", "layer": "event",
             "attributes": {"modality": "happened", "sub_event_type": "Shelling/artillery/missile attack"}},
            {"start": 23, "end": 30, "label": "LOCATION"},
        ],
        "relations": [
            {"head": 2, "child": 0, "label": "ACTOR",
             "head_span": {"start": 15, "end": 22, "label": "EXPLOSIONS_REMOTE_VIOLENCE"},
             "child_span": {"start": 0, "end": 14, "label": "ARMED_GROUP"}},
            {"head": 2, "child": 4, "label": "LOCATION",
             "head_span": {"start": 15, "end": 22, "label": "EXPLOSIONS_REMOTE_VIOLENCE"},
             "child_span": {"start": 23, "end": 30, "label": "LOCATION"}},
        ],
    }
    summary = import_paths(store, [write("e.jsonl", jsonl(record))], annotator="ann")
    assert summary.arguments == 2
    event = next(s for s in store.spans.for_article(1, "ann") if s.layer is Layer.EVENT)
    assert event.attributes["modality"] == "happened"
    roles = {(a.role, store.spans.get(a.filler_id).label) for a in store.arguments.of_event(event.id)}
    assert roles == {("ACTOR", "ARMED_GROUP"), ("LOCATION", "LOCATION")}


def test_importers_layer_from_scheme_when_not_given(store, write):
    record = {"text": WAR, "answer": "accept", "spans": [{"start": 15, "end": 22, "label": "BATTLES"}]}
    import_paths(store, [write("e.jsonl", jsonl(record))], annotator="ann")
    assert store.spans.for_article(1, "ann")[0].layer is Layer.EVENT


def test_importers_doccano_both_shapes(store, write):
    pretty = json.dumps({"text": WAR, "entities": [
        {"id": 7, "start_offset": 0, "end_offset": 14, "label": "ARMED_GROUP"},
        {"id": 8, "start_offset": 23, "end_offset": 30, "label": "LOCATION"}],
        "relations": [{"id": 1, "from_id": 7, "to_id": 8, "type": "attacked"}]}, indent=4)
    path = write("rel.jsonl", pretty + "\n" + pretty.replace("Monday", "Tuesday"))
    summary = import_paths(store, [path], annotator="doc")
    assert summary.imported == 2 and summary.spans == 4
    # a relation between two entities cannot be an event argument: kept in meta, and said so
    assert store.articles.get(1).meta["relations_between_entities"] == [
        {"label": "attacked", "head": [0, 14, "ARMED_GROUP"], "child": [23, 30, "LOCATION"]}]
    assert any("kept in the article's meta" in note for note in summary.notes)
    seq = write("seq.jsonl", jsonl({"text": "Kyiv and Kiev", "label": [[0, 4, "LOCATION"], [9, 13, "LOCATION"]]}))
    import_paths(store, [seq], annotator="doc")
    assert [s.text_in("Kyiv and Kiev") for s in store.spans.for_article(3, "doc")] == ["Kyiv", "Kiev"]
    assert store.states.get(3, "doc")[0] is ArticleState.DONE


def test_importers_label_studio_annotations_predictions_and_utf16_offsets(store, write):
    text = "🇺🇦 Troops left Sievierodonetsk."
    # Label Studio counts UTF-16 units: the flag is 4 units but 2 code points
    task = {"id": 5, "data": {"text": text, "title": "Withdrawal"},
            "annotations": [{"completed_by": {"email": "ira@example.org"}, "result": [
                {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": 17, "end": 32, "text": "Sievierodonetsk", "labels": ["LOCATION"]}}]}],
            "predictions": [{"model_version": "ner-v2", "score": 0.8, "result": [
                {"id": "p1", "type": "labels", "value": {"start": 5, "end": 11, "text": "Troops", "labels": ["ARMED_GROUP"]}}]}]}
    summary = import_paths(store, [write("ls.json", json.dumps([task]))])
    assert summary.utf16_fixed == 2
    mine = store.spans.for_article(1, "ira@example.org")
    assert [(s.text_in(text), s.annotator) for s in mine] == [("Troops", None), ("Sievierodonetsk", "ira@example.org")]
    suggestion = mine[0]
    assert (suggestion.source, suggestion.score) == ("ner-v2", 0.8)
    assert store.articles.get(1).title == "Withdrawal"


def test_importers_csv_with_text_column(store, write):
    path = write("a.csv", 'id,headline,body,url\n1,Clash,"Fighting near\r\nAleppo, nine killed.",https://x.invalid/1\n')
    summary = import_paths(store, [path], text_column="body")
    assert summary.imported == 1
    article = store.articles.get(1)
    assert article.text == "Fighting near\r\nAleppo, nine killed."
    assert (article.title, article.url, article.meta["id"]) == ("Clash", "https://x.invalid/1", "1")


def test_importers_csv_missing_column_names_the_columns(store, write):
    summary = import_paths(store, [write("a.csv", "id,body\n1,x\n")])
    assert "columns are: id, body" in str(summary.failed[0])


def test_importers_broken_third_line_imports_nothing_and_names_line_3(store, write):
    import_paths(store, [write("first.txt", "Already here\n\nAn article from before.")])
    before = content(store)
    good = json.dumps({"text": WAR})
    path = write("b.jsonl", good + "\n" + good.replace("Monday", "Tuesday") + '\n{"text": "broken\n' + good + "\n")
    summary = import_paths(store, [path])
    assert not summary.ok
    assert summary.imported == 0
    error = summary.failed[0]
    assert (error.path, error.line) == (str(path), 3)
    assert "b.jsonl:3: not valid JSON" in str(error)
    assert content(store) == before


def test_importers_skip_invalid_keeps_good_records_and_lists_bad(store, write):
    good = {"text": WAR}
    path = write("b.jsonl", jsonl(good, {"title": "no text"}, {"text": "Kyiv", "spans": [{"start": 0, "end": 9, "label": "LOCATION"}]})
                 + "{oops\n" + jsonl({"text": WAR + " again"}))
    summary = import_paths(store, [path], skip_invalid=True)
    assert summary.imported == 2
    assert [e.line for e in summary.rejected] == [2, 3, 4]
    assert "no 'text' field" in str(summary.rejected[0])
    assert "outside the text (length 4)" in str(summary.rejected[1])
    assert "spans[0]" in str(summary.rejected[1])


@pytest.mark.parametrize(
    "record, message",
    [
        ({"text": ""}, "text: is empty"),
        ({"text": 5}, "text: must be a string"),
        ({"text": WAR, "spans": [{"start": 0, "end": 7, "label": "X", "text": "Ukraine"}]},
         "offsets 0-7 give 'Russian' but the span's text is 'Ukraine'"),
        ({"text": WAR, "spans": [{"start": "0", "end": 7, "label": "X"}]}, "offsets must be integers"),
        ({"text": WAR, "spans": [{"start": 0, "end": 7}]}, "missing 'label'"),
        ({"text": WAR, "answer": "maybe"}, "answer: must be accept, reject or ignore"),
        ({"text": WAR, "label": [[0, 7]]}, "must be [start, end, label]"),
    ],
)
def test_importers_bad_record_error_names_file_line_and_field(store, write, record, message):
    path = write("bad.jsonl", jsonl({"text": "A good first line"}, record))
    summary = import_paths(store, [path])
    assert f"bad.jsonl:2: " in str(summary.failed[0])
    assert message in str(summary.failed[0])
    assert store.articles.count() == 0


def test_importers_unknown_encoding_is_refused_with_a_hint(store, write):
    path = write("cp1251.txt", "Обстрел Харькова\n\nТекст.".encode("cp1251"))
    summary = import_paths(store, [path])
    assert "not valid UTF-8" in str(summary.failed[0]) and "--encoding" in str(summary.failed[0])
    ok = import_paths(store, [path], encoding="cp1251")
    assert store.articles.get(1).text == "Обстрел Харькова\n\nТекст." and ok.imported == 1


def test_importers_utf8_bom_is_not_part_of_the_text(store, write):
    import_paths(store, [write("bom.txt", "\ufeffKyiv under fire\n\nText.".encode("utf-8"))])
    assert store.articles.get(1).text == "Kyiv under fire\n\nText."


def test_importers_one_bad_file_does_not_stop_the_others(store, write):
    good = write("good.jsonl", jsonl({"text": WAR}))
    bad = write("bad.jsonl", "{nope\n")
    summary = import_paths(store, [bad, good])
    assert summary.imported == 1 and len(summary.failed) == 1


def test_importers_samples_are_bundled_and_exact(store):
    summary = import_samples(store)
    assert summary.imported >= 5
    texts = [a.text for a in store.articles.iter()]
    assert any("\r\n" in t for t in texts), "a CRLF sample keeps its line ends"
    # The web-page sample (it replaced a raw HTML fragment, issue 11 item 6) keeps its residue as read.
    assert any("\n\nAdvertisement\n\n" in t and "—" in t for t in texts), "pasted page residue stays as stored"
    assert any("🇺🇦" in t for t in texts)


def test_importers_encoding_error_in_json_lines_names_the_line(store, write):
    good = json.dumps({"text": WAR}).encode()
    path = write("latin.jsonl", good + b"\n" + good.replace(b"Monday", b"Montag") + b"\n" + '{"text": "Café"}'.encode("latin-1") + b"\n")
    summary = import_paths(store, [path])
    assert "latin.jsonl:3: not valid UTF-8" in str(summary.failed[0])
    assert store.articles.count() == 0


def test_importers_json_lines_with_crlf_and_bom(store, write):
    lines = [json.dumps({"text": WAR}), json.dumps({"text": "Second report"})]
    import_paths(store, [write("crlf.jsonl", ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))])
    assert [a.text for a in store.articles.iter()] == [WAR, "Second report"]


def test_importers_records_of_one_text_count_as_one_article(store, write):
    spans = [{"start": 0, "end": 14, "label": "ARMED_GROUP"}]
    path = write("p.jsonl", jsonl({"text": WAR, "spans": spans, "answer": "accept"},
                                  {"text": WAR, "spans": [{"start": 23, "end": 30, "label": "LOCATION"}], "answer": "reject"}))
    summary = import_paths(store, [path], annotator="ann")
    assert (summary.imported, summary.already_present) == (1, 0)
    assert {(s.label, s.status) for s in store.spans.for_article(1, "ann")} == {
        ("ARMED_GROUP", Status.ACCEPTED), ("LOCATION", Status.REJECTED)}
    assert store.states.get(1, "ann")[0] is ArticleState.DONE


def test_importers_own_export_bookkeeping_is_not_kept_in_meta(store, write):
    from annotator.domain import content_hash

    meta = {"article_id": 41, "content_hash": content_hash(WAR), "title": "Shelling", "desk": "east"}
    import_paths(store, [write("ours.jsonl", jsonl({"text": WAR, "meta": meta}))])
    article = store.articles.get(1)
    assert article.title == "Shelling"
    assert article.meta == {"desk": "east"}


@pytest.mark.parametrize("name, data, offset", [
    ("scan.txt", b"Report\x00\x00\x00\x01 of a renamed binary", 6),
    ("scan.txt", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff", 7),
    ("table.csv", b"text\nReport\x00 of a renamed binary\n", 11),
])
def test_importers_binary_file_named_txt_is_refused_as_not_text(store, write, name, data, offset):
    path = write(name, data)
    summary = import_paths(store, [path])
    message = str(summary.failed[0])
    assert message.startswith(f"{path}: not text") and f"NUL byte at byte {offset}" in message
    assert store.articles.count() == 0


def test_importers_utf16_text_file_is_text_despite_its_nul_bytes(store, write):
    assert import_paths(store, [write("wide.txt", "Kyiv under fire\n\nText.".encode("utf-16"))]).imported == 1
    assert store.articles.get(1).text == "Kyiv under fire\n\nText."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])  # UTF-16 is read whole, UTF-8 streamed
def test_importers_json_lines_skip_blank_lines_with_or_without_cr(store, write, encoding):
    text = (json.dumps({"text": WAR}) + "\r\n\r\n" + json.dumps({"text": "Second report"}) + "\r\n \r\n\n"
            + json.dumps({"text": "Third report"}) + "\r\n")
    summary = import_paths(store, [write("blank.jsonl", text.encode(encoding))])
    assert summary.ok, summary.lines()
    assert [a.text for a in store.articles.iter()] == [WAR, "Second report", "Third report"]


def test_importers_label_studio_task_without_text_is_refused(store, write):
    # An image task's only field is a file name: importing it would make an article whose text is "x.png".
    path = write("ls.jsonl", jsonl({"data": {"text": WAR}}, {"data": {"image": "x.png"}}))
    summary = import_paths(store, [path])
    message = str(summary.failed[0])
    assert message.startswith(f"{path}:2: data: ")
    assert "'image'" in message and "'x.png'" in message
    assert store.articles.count() == 0


def test_importers_label_studio_task_text_under_another_name_is_still_taken(store, write):
    path = write("ls.jsonl", jsonl({"data": {"body": WAR}}))
    assert import_paths(store, [path]).imported == 1
    assert store.articles.get(1).text == WAR


def test_importers_empty_file_is_named_in_the_summary(store, write):
    empty = write("empty.jsonl", "")
    blank = write("blank.jsonl", "\r\n\n")
    summary = import_paths(store, [empty, blank, write("one.jsonl", jsonl({"text": WAR}))])
    assert f"{empty}: no records" in summary.lines()
    assert f"{blank}: no records" in summary.lines()
    assert summary.imported == 1 and not any("one.jsonl" in line for line in summary.lines())


def test_importers_spans_added_from_relation_endpoints_are_reported(store, write):
    event = {"start": 15, "end": 22, "label": "EXPLOSIONS_REMOTE_VIOLENCE"}
    record = {"text": WAR, "answer": "accept", "spans": [event], "relations": [
        {"label": "ACTOR", "head_span": event, "child_span": {"start": 0, "end": 14, "label": "ARMED_GROUP"}},
        {"label": "LOCATION", "head_span": event, "child_span": {"start": 23, "end": 30, "label": "LOCATION"}},
    ]}
    path = write("rel.jsonl", jsonl({"text": "A good first line"}, record))
    summary = import_paths(store, [path], annotator="ann")
    assert summary.spans == 3 and summary.arguments == 2
    assert (f"{path}:2: 2 span(s) added from relation endpoints (head_span/child_span) that are not in"
            " 'spans'") in summary.lines()


def test_importers_warns_about_a_very_long_article(store, write):
    long = "Shelling continued overnight. " * 10_000  # 300,000 characters, one line
    path = write("long.jsonl", jsonl({"text": WAR}, {"text": long}))
    summary = import_paths(store, [path])
    assert summary.imported == 2
    assert f"{path}:2: article of 300,000 characters; suggestions will be made in pieces" in summary.lines()
    assert not any(":1: article of" in line for line in summary.lines())
