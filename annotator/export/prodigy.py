"""Prodigy task JSONL: one record per article (plus one ``reject`` record for rejected spans).

Offsets in ``spans`` are the stored ones, exact; the tokens are split where a span's edge falls
inside one (reported), so token indices cover exactly the span's characters. Relations follow Prodigy's
relations UI: ``head``/``child`` are the index of the *last* token of the event and of the argument.
The schema of a record is ``schemas/task.schema.json``; docs/formats.md explains every field.
"""

from __future__ import annotations

import json
from bisect import bisect_right

from annotator.export.alignment import Misalignment, TokenIndex, align_spans, split_reports, tokenize_for
from annotator.selection import ArticleExport, Selection, stable_hash32
from annotator.domain import Article, Layer, Span


def article_meta(article: Article) -> dict:
    """The article's own meta, then our fields (which win on a name clash)."""
    meta = dict(article.meta)
    ours = {
        "article_id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "content_hash": article.content_hash,
    }
    meta.update({k: v for k, v in ours.items() if v is not None})
    return meta


class _SpanTokens:
    def __init__(self, index: TokenIndex):
        self.index = index

    def of(self, span: Span) -> tuple[int, int]:
        found = self.index.overlapping(span.start_char, span.end_char)
        if found is not None:
            return found
        # Only whitespace: it belongs to the token before it (spaCy keeps it as that token's ``ws``).
        token = max(0, bisect_right(self.index.starts, span.start_char) - 1)
        return token, token


def span_dict(span: Span, tokens: _SpanTokens, text: str) -> dict:
    token_start, token_end = tokens.of(span)
    entry = {
        "start": span.start_char,
        "end": span.end_char,
        "token_start": token_start,
        "token_end": token_end,
        "label": span.label,
        "text": text[span.start_char : span.end_char],
        "layer": str(span.layer),
    }
    if span.layer is Layer.EVENT or span.attributes:
        entry["attributes"] = dict(span.attributes)
    if span.source:
        entry["source"] = span.source
    return entry


def _span_ref(entry: dict) -> dict:
    return {key: entry[key] for key in ("start", "end", "token_start", "token_end", "label")}


def _span_key(span: Span) -> tuple:
    return (span.start_char, span.end_char, str(span.layer), span.label, span.id)


def records_for(item: ArticleExport, selection: Selection) -> tuple[list[dict], list[Misalignment]]:
    """The accept record, and with ``include_rejected`` a reject record, for one article."""
    article = item.article
    doc, cut = tokenize_for(article.text, item.spans + item.rejected)
    index = TokenIndex(doc)
    _, problems = align_spans(doc, article.id, article.text, item.spans, index)
    problems = split_reports(article.id, article.text, cut, item.spans) + problems
    tokens = _SpanTokens(index)
    text = article.text
    token_list = [
        {"text": text[start:end], "start": start, "end": end, "id": i, "ws": ws}
        for i, (start, end, ws) in enumerate(zip(index.starts, index.ends, index.followed_by_space))
    ]
    entries = {s.id: span_dict(s, tokens, article.text) for s in sorted(item.spans, key=_span_key)}
    relations = []
    for link in item.arguments:
        head, child = entries[link.event.id], entries[link.filler.id]
        relations.append({
            "head": head["token_end"],
            "child": child["token_end"],
            "head_span": _span_ref(head),
            "child_span": _span_ref(child),
            "label": link.role,
        })
    records = [_record(item, selection, token_list, list(entries.values()), relations, "accept")]
    if item.rejected:
        rejected = [span_dict(s, tokens, article.text) for s in sorted(item.rejected, key=_span_key)]
        records.append(_record(item, selection, token_list, rejected, [], "reject"))
    return records, problems


def _record(item: ArticleExport, selection: Selection, tokens: list[dict], spans: list[dict],
            relations: list[dict], answer: str) -> dict:
    text = item.article.text
    hashed_spans = [[s["start"], s["end"], s["label"], s["layer"], s.get("attributes")] for s in spans]
    hashed_relations = [
        [r["head_span"]["start"], r["head_span"]["end"], r["child_span"]["start"], r["child_span"]["end"], r["label"]]
        for r in relations
    ]
    return {
        "text": text,
        "meta": article_meta(item.article),
        "_input_hash": stable_hash32({"text": text}),
        "_task_hash": stable_hash32({"text": text, "spans": hashed_spans, "relations": hashed_relations}),
        "tokens": tokens,
        "spans": spans,
        "relations": relations,
        "answer": answer,
        "_view_id": "relations" if relations else "spans_manual",
        "_annotator_id": selection.annotator,
        "_session_id": selection.annotator,
        "_timestamp": item.timestamp(),
    }


def dumps(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8", "surrogatepass")
