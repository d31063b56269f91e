"""Turn one JSON object (or CSV row) from another tool into an ``ArticleRecord``.

Recognised by shape, not by file name:
- Label Studio task: ``data`` holding the text, with ``annotations`` / ``predictions``;
- doccano: ``label`` / ``labels`` as ``[start, end, label]`` triples, or ``entities`` + ``relations``;
- Prodigy task (and this app's own JSONL export): ``spans`` / ``answer`` / ``tokens`` / ``_input_hash``;
- plain: ``text`` with optional ``meta``, title, url, date fields.
"""

from __future__ import annotations

import re
from typing import Any

from annotator.domain import content_hash
from annotator.importers.records import (
    Annotation,
    ArticleRecord,
    InputError,
    RelationRecord,
    SpanRecord,
)

TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link")
DATE_KEYS = ("published", "date", "published_at", "pub_date")
OUTLET_KEYS = ("source", "outlet", "publisher")
LANGUAGE_KEYS = ("language", "lang")
# Prodigy's own fields: the hashes and tokens are recomputed on export, the rest is read below.
PRODIGY_KEYS = {"text", "meta", "spans", "relations", "tokens", "answer", "_input_hash", "_task_hash",
                "_view_id", "_session_id", "_annotator_id", "_timestamp", "_is_binary", "config"}
ARTICLE_KEYS = set(TITLE_KEYS + URL_KEYS + DATE_KEYS + OUTLET_KEYS + LANGUAGE_KEYS)
# Label Studio data fields that point at media rather than hold text (its object tags' usual names).
MEDIA_KEYS = {"image", "img", "audio", "video", "pdf", "url", "file", "ocr", "timeseries", "paragraphs"}
# One token that is a URL or a file name: "x.png", "s3://bucket/a.wav", "/data/upload/1/scan.jpg".
_FILE_REFERENCE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:\S+|\S*\.[A-Za-z0-9]{2,5})$")


def convert_object(obj: dict[str, Any], path: str, line: int) -> ArticleRecord:
    if isinstance(obj.get("data"), dict) and ("annotations" in obj or "predictions" in obj or "text" not in obj):
        return _label_studio(obj, path, line)
    if "text" not in obj:
        raise InputError(path, line, f"no 'text' field (fields: {', '.join(sorted(obj)) or 'none'})")
    if "entities" in obj and isinstance(obj["entities"], list):
        return _doccano_entities(obj, path, line)
    if ("label" in obj and isinstance(obj["label"], list)) or ("labels" in obj and isinstance(obj["labels"], list)):
        return _doccano_labels(obj, path, line)
    return _prodigy_or_plain(obj, path, line)


def convert_csv_row(row: dict[str, str], text_column: str, path: str, line: int) -> ArticleRecord:
    text = row.get(text_column) or ""
    fields = {k: v for k, v in row.items() if k != text_column and v not in (None, "")}
    record = ArticleRecord(text=text, line=line)
    _article_fields(record, {k.lower(): v for k, v in fields.items()})
    record.meta.update({k: v for k, v in fields.items() if k.lower() not in ARTICLE_KEYS})
    return record


def _article_fields(record: ArticleRecord, obj: dict[str, Any], meta: dict[str, Any] | None = None) -> None:
    """Title, url, date, outlet (the article's ``source``) and language from the object or its meta; the rest
    stays in meta.

    A value that became one of the article's own fields is not kept in meta a second time.
    """
    meta = dict(meta or {})
    pools = [obj, meta]
    used: set[str] = set()

    def pick(keys: tuple[str, ...]) -> str | None:
        for pool in pools:
            for key in keys:
                value = pool.get(key)
                if isinstance(value, (str, int, float)) and str(value).strip():
                    if pool is meta:
                        used.add(key)
                    return str(value).strip()
        return None

    record.title = pick(TITLE_KEYS)
    record.url = pick(URL_KEYS)
    record.published = pick(DATE_KEYS)
    record.source = pick(OUTLET_KEYS)
    record.language = pick(LANGUAGE_KEYS)
    extra = {k: v for k, v in obj.items() if k in ARTICLE_KEYS}
    kept = {k: v for k, v in meta.items() if k not in used}
    record.meta = {**kept, **{k: v for k, v in extra.items() if k not in meta and not _picked(record, k, v)}}


def _picked(record: ArticleRecord, key: str, value: Any) -> bool:
    return str(value).strip() in {record.title, record.url, record.published, record.source, record.language}


def _int(value: Any, path: str, line: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise InputError(path, line, f"offsets must be integers, got {value!r}", where)
    return value


def _span_from_prodigy(raw: Any, path: str, line: int, where: str) -> SpanRecord:
    if not isinstance(raw, dict):
        raise InputError(path, line, "a span must be an object", where)
    for key in ("start", "end", "label"):
        if key not in raw:
            raise InputError(path, line, f"missing {key!r}", where)
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise InputError(path, line, "attributes must be an object", where)
    return SpanRecord(
        start=_int(raw["start"], path, line, where),
        end=_int(raw["end"], path, line, where),
        label=raw["label"],
        layer=raw.get("layer"),
        attributes=attributes,
        text=raw.get("text"),
        source=raw.get("source") if isinstance(raw.get("source"), str) else None,
        score=raw.get("score") if isinstance(raw.get("score"), (int, float)) else None,
        key=(raw["start"], raw["end"], raw["label"]),
        where=where,
    )


def _prodigy_or_plain(obj: dict[str, Any], path: str, line: int) -> ArticleRecord:
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    record = ArticleRecord(text=obj["text"], line=line)
    _article_fields(record, obj, meta)
    if isinstance(obj["text"], str) and record.meta.get("content_hash") == content_hash(obj["text"]):
        # Our own export's bookkeeping: the id and hash belong to the project it came from.
        record.meta.pop("content_hash")
        record.meta.pop("article_id", None)
    # Fields we neither use nor can rebuild are kept with the article, so nothing is lost.
    record.meta.update({k: v for k, v in obj.items() if k not in PRODIGY_KEYS and k not in ARTICLE_KEYS
                        and k not in record.meta})
    spans = obj.get("spans") or []
    if not isinstance(spans, list):
        raise InputError(path, line, "must be a list", "spans")
    span_records = [_span_from_prodigy(s, path, line, f"spans[{i}]") for i, s in enumerate(spans)]
    listed = len(span_records)
    relations = _prodigy_relations(obj.get("relations") or [], span_records, path, line)
    record.spans_from_relations = len(span_records) - listed
    answer = obj.get("answer")
    if answer not in (None, "accept", "reject", "ignore"):
        raise InputError(path, line, f"must be accept, reject or ignore, got {answer!r}", "answer")
    annotator = obj.get("_annotator_id") if isinstance(obj.get("_annotator_id"), str) else None
    if answer == "accept":
        record.annotations.append(Annotation(annotator, span_records, relations))
    elif answer == "reject":
        # The annotator judged these spans wrong; that is a decision, not the end of the article.
        record.annotations.append(Annotation(annotator, span_records, relations, status="rejected",
                                             state="in_progress"))
    elif answer == "ignore":
        # Skipped by the annotator; its spans are kept as undecided suggestions, so nothing is lost.
        record.annotations.append(Annotation(annotator, [], [], state="skipped"))
        record.suggestions, record.suggestion_relations = span_records, relations
    else:
        record.suggestions, record.suggestion_relations = span_records, relations
    return record


def _prodigy_relations(raw: Any, spans: list[SpanRecord], path: str, line: int) -> list[RelationRecord]:
    if not isinstance(raw, list):
        raise InputError(path, line, "must be a list", "relations")
    relations = []
    for index, relation in enumerate(raw):
        where = f"relations[{index}]"
        if not isinstance(relation, dict) or not all(k in relation for k in ("head_span", "child_span", "label")):
            raise InputError(path, line, "needs head_span, child_span and label", where)
        keys = []
        for end in ("head_span", "child_span"):
            span = _span_from_prodigy(relation[end], path, line, f"{where}.{end}")
            if span.key not in {s.key for s in spans}:
                # Prodigy's relation view may link spans only described inside the relation.
                spans.append(span)
            keys.append(span.key)
        relations.append(RelationRecord(keys[0], keys[1], relation["label"]))
    return relations


def _doccano_labels(obj: dict[str, Any], path: str, line: int) -> ArticleRecord:
    raw = obj.get("label") if isinstance(obj.get("label"), list) else obj.get("labels")
    record = ArticleRecord(text=obj["text"], line=line)
    rest = {k: v for k, v in obj.items() if k not in ("text", "label", "labels", "meta")}
    _article_fields(record, rest, obj.get("meta") if isinstance(obj.get("meta"), dict) else None)
    record.meta.update({k: v for k, v in rest.items() if k not in ARTICLE_KEYS and k != "id"})
    if "id" in obj:
        record.meta["doccano_id"] = obj["id"]
    spans = []
    for index, triple in enumerate(raw):
        where = f"label[{index}]"
        if not (isinstance(triple, list) and len(triple) == 3):
            raise InputError(path, line, f"must be [start, end, label], got {triple!r}", where)
        start, end, label = triple
        spans.append(SpanRecord(_int(start, path, line, where), _int(end, path, line, where), label, where=where))
    annotator = obj.get("user") if isinstance(obj.get("user"), str) else None
    record.annotations.append(Annotation(annotator, spans))
    return record


def _doccano_entities(obj: dict[str, Any], path: str, line: int) -> ArticleRecord:
    record = ArticleRecord(text=obj["text"], line=line)
    rest = {k: v for k, v in obj.items() if k not in ("text", "entities", "relations", "meta")}
    _article_fields(record, rest, obj.get("meta") if isinstance(obj.get("meta"), dict) else None)
    if "id" in obj:
        record.meta["doccano_id"] = obj["id"]
    spans = []
    for index, entity in enumerate(obj["entities"]):
        where = f"entities[{index}]"
        if not isinstance(entity, dict) or not all(k in entity for k in ("start_offset", "end_offset", "label")):
            raise InputError(path, line, "needs start_offset, end_offset and label", where)
        spans.append(SpanRecord(
            _int(entity["start_offset"], path, line, where), _int(entity["end_offset"], path, line, where),
            entity["label"], key=entity.get("id", index), where=where,
        ))
    relations = []
    raw_relations = obj.get("relations") or []
    if not isinstance(raw_relations, list):
        raise InputError(path, line, "must be a list", "relations")
    for index, relation in enumerate(raw_relations):
        where = f"relations[{index}]"
        if not isinstance(relation, dict) or not all(k in relation for k in ("from_id", "to_id", "type")):
            raise InputError(path, line, "needs from_id, to_id and type", where)
        relations.append(RelationRecord(relation["from_id"], relation["to_id"], relation["type"]))
    record.annotations.append(Annotation(None, spans, relations))
    return record


def _label_studio(obj: dict[str, Any], path: str, line: int) -> ArticleRecord:
    data = obj["data"]
    text = data.get("text")
    if text is None:
        # A labelling config may name the text field anything ($body, $article): a lone string is taken,
        # unless it is a reference to a file (an image, audio or video task), which has no text to import.
        strings = [k for k, v in data.items() if isinstance(v, str)]
        if len(strings) != 1:
            raise InputError(path, line, f"no 'text' in data (fields: {', '.join(sorted(data)) or 'none'})", "data")
        key = strings[0]
        text = data[key]
        if key.lower() in MEDIA_KEYS or _FILE_REFERENCE.match(text.strip()):
            raise InputError(path, line, f"no 'text'; its only field, {key!r}, holds {text[:80]!r}, a file, not an "
                             "article's text (an image, audio or video task?)", "data")
    record = ArticleRecord(text=text, line=line)
    _article_fields(record, {k: v for k, v in data.items() if k != "text"},
                    data.get("meta") if isinstance(data.get("meta"), dict) else None)
    record.meta.update({k: v for k, v in data.items() if k not in ARTICLE_KEYS and k not in ("text", "meta")})
    if "id" in obj:
        record.meta["label_studio_id"] = obj["id"]
    for index, annotation in enumerate(obj.get("annotations") or []):
        where = f"annotations[{index}]"
        if not isinstance(annotation, dict):
            raise InputError(path, line, "must be an object", where)
        spans, relations = _ls_results(annotation.get("result") or [], path, line, where, None)
        who = annotation.get("completed_by")
        if isinstance(who, dict):
            who = who.get("email") or who.get("username") or who.get("id")
        name = f"label-studio-{who}" if isinstance(who, int) else who if isinstance(who, str) else None
        if annotation.get("was_cancelled"):
            record.annotations.append(Annotation(name, [], [], state="skipped"))
            record.suggestions.extend(spans)
        else:
            record.annotations.append(Annotation(name, spans, relations))
    for index, prediction in enumerate(obj.get("predictions") or []):
        where = f"predictions[{index}]"
        if not isinstance(prediction, dict):
            raise InputError(path, line, "must be an object", where)
        source = prediction.get("model_version")
        score = prediction.get("score") if isinstance(prediction.get("score"), (int, float)) else None
        spans, relations = _ls_results(prediction.get("result") or [], path, line, where, score)
        for span in spans:
            span.source = str(source) if source is not None else "label-studio prediction"
            span.key = (f"p{index}", span.key)
        record.suggestions.extend(spans)
        record.suggestion_relations.extend(
            RelationRecord((f"p{index}", r.head), (f"p{index}", r.child), r.role) for r in relations
        )
    return record


def _ls_results(results: Any, path: str, line: int, where: str, score: float | None
                ) -> tuple[list[SpanRecord], list[RelationRecord]]:
    if not isinstance(results, list):
        raise InputError(path, line, "result must be a list", where)
    spans, relations = [], []
    for index, result in enumerate(results):
        at = f"{where}.result[{index}]"
        if not isinstance(result, dict):
            raise InputError(path, line, "must be an object", at)
        if result.get("type") == "relation":
            labels = result.get("labels") or []
            relations.append(RelationRecord(result.get("from_id"), result.get("to_id"),
                                            labels[0] if labels else "ARGUMENT"))
            continue
        value = result.get("value")
        if not isinstance(value, dict) or "start" not in value:
            continue  # choices, ratings, text areas: not spans
        labels = value.get("labels") or value.get("hypertextlabels") or []
        if not labels:
            raise InputError(path, line, "a span result without labels", at)
        for label in labels:
            spans.append(SpanRecord(
                _int(value["start"], path, line, at), _int(value.get("end"), path, line, at), label,
                text=value.get("text"), score=result.get("score", score), key=result.get("id", index),
                where=at,
            ))
    return spans, relations
