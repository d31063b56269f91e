"""spaCy ``Doc`` per article, written as DocBin shards that ``spacy train`` reads as a corpus.

- ``doc.ents``: entity spans, overlaps resolved by ENTS_RULE (longest first, then earliest, then label);
- ``doc.spans["entities"]``: every aligned entity span, overlapping or not;
- ``doc.spans["events"]``: every aligned event span, labelled with its event label;
- ``doc.user_data``: the article (``article_id``, ``title``, ``source``, ``url``, ``published``,
  ``content_hash``), the ``annotator``, and ``events``: for each event its offsets, attributes and
  arguments (role + the argument span's offsets, label and layer). DocBin keeps it with
  ``store_user_data=True``.
"""

from __future__ import annotations

from contextlib import contextmanager

import srsly.msgpack
from spacy.tokens import DocBin
from spacy.tokens import Span as SpacySpan

from annotator.export.alignment import Aligned, align_spans, split_reports, tokenize_for
from annotator.selection import ArticleExport, Selection
from annotator.domain import Layer

ENTS_RULE = "longest first, then earliest start, then label name; a span overlapping one already chosen is left out"
ENTITIES_KEY = "entities"
EVENTS_KEY = "events"
# Articles per .spacy file: a DocBin holds its token arrays in memory until written.
SHARD_SIZE = 1000


def choose_ents(aligned: list[Aligned]) -> list[Aligned]:
    """Non-overlapping entities for ``doc.ents`` by ENTS_RULE, in text order."""
    ranked = sorted(aligned, key=lambda a: (-(a.token_end - a.token_start), a.token_start, a.span.label))
    taken: set[int] = set()
    chosen: list[Aligned] = []
    for candidate in ranked:
        tokens = set(range(candidate.token_start, candidate.token_end + 1))
        if tokens & taken:
            continue
        taken |= tokens
        chosen.append(candidate)
    return sorted(chosen, key=lambda a: a.token_start)


def build_doc(item: ArticleExport, selection: Selection):
    """One article as a spaCy Doc; returns the Doc, the alignment problems (tokens split first) and
    the arguments left out."""
    article = item.article
    doc, cut = tokenize_for(article.text, item.spans)
    aligned, problems = align_spans(doc, article.id, article.text, item.spans)
    problems = split_reports(article.id, article.text, cut, item.spans) + problems
    aligned.sort(key=lambda a: (a.token_start, a.token_end, a.span.label, a.span.id))
    entities = [a for a in aligned if a.span.layer is Layer.ENTITY]
    events = [a for a in aligned if a.span.layer is Layer.EVENT]

    def as_spacy(a: Aligned) -> SpacySpan:
        return SpacySpan(doc, a.token_start, a.token_end + 1, label=a.span.label)

    doc.ents = [as_spacy(a) for a in choose_ents(entities)]
    doc.spans[ENTITIES_KEY] = [as_spacy(a) for a in entities]
    doc.spans[EVENTS_KEY] = [as_spacy(a) for a in events]
    placed = {a.span.id: a for a in aligned}
    left_out = 0
    event_records = []
    for event in events:
        arguments = []
        for link in item.arguments:
            if link.event.id != event.span.id:
                continue
            target = placed.get(link.filler.id)
            if target is None:
                left_out += 1
                continue
            arguments.append({
                "role": link.role,
                "label": target.span.label,
                "layer": str(target.span.layer),
                "start_char": target.start_char,
                "end_char": target.end_char,
            })
        event_records.append({
            "label": event.span.label,
            "start_char": event.start_char,
            "end_char": event.end_char,
            "attributes": dict(event.span.attributes),
            "arguments": arguments,
        })
    left_out += sum(1 for link in item.arguments if link.event.id not in placed)
    doc.user_data.update({
        "article_id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "content_hash": article.content_hash,
        "annotator": selection.annotator,
        "events": event_records,
    })
    return doc, problems, left_out


@contextmanager
def cached_msgpack_encoders():
    """Look srsly's msgpack encoders up once for the whole export, not for every Doc.

    DocBin.add packs each Doc's user data and span groups with srsly, whose packer scans every
    installed package's entry points and the whole catalogue registry on each call: that scan was
    two thirds of the export time. The instance attribute shadows the method and is removed after.
    """
    registry = srsly.msgpack.msgpack_encoders
    encoders = registry.get_all()
    registry.get_all = lambda: encoders
    try:
        yield
    finally:
        del registry.get_all


class DocBinShards:
    """Collects Docs of one split part and writes a .spacy file every SHARD_SIZE articles."""

    def __init__(self, directory, shard_size: int = SHARD_SIZE):
        self.directory = directory
        self.shard_size = shard_size
        self.files: list = []
        self._bin = self._new_bin()
        self._count = 0

    @staticmethod
    def _new_bin() -> DocBin:
        return DocBin(store_user_data=True)

    def add(self, doc) -> None:
        self._bin.add(doc)
        self._count += 1
        if self._count == self.shard_size:
            self.flush()

    def flush(self) -> None:
        if self._count == 0 and self.files:
            return
        path = self.directory / f"{len(self.files):04d}.spacy"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._bin.to_disk(path)
        self.files.append(path)
        self._bin = self._new_bin()
        self._count = 0


def read_docs(path, vocab=None):
    """The Docs of one .spacy file or of every shard in a part's folder, in order."""
    from pathlib import Path

    from annotator.export.alignment import tokenizer_pipeline

    path = Path(path)
    vocab = vocab or tokenizer_pipeline().vocab
    files = sorted(path.glob("*.spacy")) if path.is_dir() else [path]
    for file in files:
        yield from DocBin().from_disk(file).get_docs(vocab)
