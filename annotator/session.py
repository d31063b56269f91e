"""One annotator's session on a project, Qt-free: the article on screen, the spans they see, the
selection, which spans are read yet, and the time they actually spent.

The session says what changed (:class:`SessionEvents`: the article opened, spans swapped, the
selection moved, another annotator took the chair) and the window's views listen, as napari's evented
models do; the window's controller only turns key presses into edits and tells the session to re-read.
Everything here can be driven and tested without a display (docs/adr/0013-a-window-listens-to-its-session.md).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from typing import Callable

from annotator.domain import Argument, Article, ArticleState, Layer, Span
from annotator.evented import Event
from annotator.store.errors import BusyError, StoreError

FIRST_SCREEN_CHARS = 6000  # more than a maximised window shows of an article at once
# Up to this length an article is read whole at once: one query and one paint beat two for a few
# thousand spans; longer ones show their first screen first and the rest right after.
PARTIAL_ABOVE_CHARS = 100_000
# Time on an article stops counting after this long without a key press or click, and while the
# window is in the background: reading a paragraph is work, lunch is not.
IDLE_SECONDS = 120.0
# A writer stamps its rows before it commits; looking back this far when asking what changed
# catches a transaction that was stamped before the last look but committed after it.
LOOK_BACK_SECONDS = 2.0


def look_stamp() -> str:
    """A time stamp (the store's format: UTC, ISO 8601, milliseconds) a little in the past."""
    return (datetime.now(timezone.utc) - timedelta(seconds=LOOK_BACK_SECONDS)).isoformat(timespec="milliseconds")


class SessionEvents:
    """What an :class:`AnnotationSession` announces, and with what."""

    def __init__(self) -> None:
        #: (article, spans): another article is on show, with the spans read so far
        self.article_opened = Event()
        #: (removed span ids, fresh spans): spans on show were swapped (an edit, a refresh, the rest
        #: of a long article read)
        self.spans_changed = Event()
        #: (span or None): the selection moved
        self.selection_changed = Event()
        #: (name): another annotator took the chair
        self.annotator_changed = Event()


@dataclass
class Clock:
    """Active time on one article: gaps between activities count up to ``idle_after`` each."""

    now: Callable[[], float] = time.monotonic
    idle_after: float = IDLE_SECONDS
    counted: float = 0.0
    _last: float | None = None  # last activity while running; None when paused

    def start(self) -> None:
        self.counted = 0.0
        self._last = self.now()

    def activity(self) -> None:
        """A key press or click: the time since the last one counts (up to the idle limit)."""
        moment = self.now()
        if self._last is not None:
            self.counted += min(moment - self._last, self.idle_after)
        self._last = moment

    def pause(self) -> None:
        """The window lost focus: stop counting until :meth:`resume`."""
        if self._last is not None:
            self.activity()
            self._last = None

    def resume(self) -> None:
        if self._last is None:
            self._last = self.now()

    def seconds(self) -> float:
        running = 0.0 if self._last is None else min(self.now() - self._last, self.idle_after)
        return self.counted + running

    def take(self) -> float:
        """The time counted so far, which is then cleared (it goes into the project file)."""
        if self._last is not None:
            self.activity()
        taken, self.counted = self.counted, 0.0
        return taken


@dataclass
class AnnotationSession:
    """What one annotator sees of one project.

    :param store: the project
    :param annotator: who is annotating (never the reserved gold name)
    """

    store: object
    annotator: str
    clock: Clock = field(default_factory=Clock)
    article: Article | None = None
    spans: list[Span] = field(default_factory=list)
    spans_by_id: dict[int, Span] = field(default_factory=dict)
    selected: int | None = None
    link_event: int | None = None  # the event a role key links to
    partial: bool = False  # only the first screen's spans are read yet
    anchor: tuple[int, int] | None = None  # where the last selected span was, for Tab after it went away
    seconds_before: float = 0.0
    seen_at: str = ""  # when the spans on show were last read from the file (see refresh)
    unsaved_seconds: dict[tuple[int, str], float] = field(default_factory=dict)  # the file was busy
    events: SessionEvents = field(default_factory=SessionEvents, repr=False, compare=False)

    def switch_annotator(self, name: str) -> None:
        """Someone else takes the chair: their time starts, the article on show is read again for them."""
        self.account_time()
        self.annotator = name
        self.events.annotator_changed.emit(name)
        if self.article is not None:
            self.open(self.article.id)

    # -- the article -----------------------------------------------------------------------------

    def open(self, article_id: int) -> Article:
        """Read an article and the spans of its first screen (all of them for a short article)."""
        self.account_time()
        article = self.store.articles.get(article_id)
        self.article = article
        self.seconds_before = self.store.states.get(article_id, self.annotator)[2]
        self.clock.start()
        # A long article shows its first screen's spans at once and the rest right after, so the
        # text is on screen before thousands of spans further down have been read.
        self.partial = len(article.text) > PARTIAL_ABOVE_CHARS
        within = (0, FIRST_SCREEN_CHARS) if self.partial else None
        self.seen_at = look_stamp()
        self.spans = self.store.spans.for_article(article_id, self.annotator, within=within)
        self.spans_by_id = {s.id: s for s in self.spans}
        self.selected = self.link_event = None
        self.anchor = None
        self.events.article_opened.emit(article, self.spans)
        self.events.selection_changed.emit(None)
        return article

    def complete(self) -> tuple[list[int], list[Span]] | None:
        """Read the spans beyond the first screen; (removed ids, fresh spans) if there were any to read."""
        if self.article is None or not self.partial:
            return None
        self.partial = False
        # Only what lies beyond the first screen (and what crosses into it): the first screen's
        # spans are on show already.
        return self.reload(within=(FIRST_SCREEN_CHARS, len(self.article.text)))

    def reload(self, within: tuple[int, int] | None = None) -> tuple[list[int], list[Span]]:
        """Re-read what the annotator sees: all of it, or only the spans overlapping ``within``.

        :returns: (ids no longer valid, spans read now) for the view to swap
        """
        if self.article is None:
            return [], []
        if within is None:
            self.seen_at = look_stamp()
            fresh = self.store.spans.for_article(self.article.id, self.annotator)
            removed = [s.id for s in self.spans]
        else:
            start, end = within
            fresh = self.store.spans.for_article(self.article.id, self.annotator, within=within)
            removed = [s.id for s in self.spans if s.start_char < end and s.end_char > start]
        self._swap(removed, fresh)
        return removed, fresh

    def refresh(self) -> tuple[list[int], list[Span]]:
        """Take in what another connection wrote since the spans were last read: only the spans
        written since then, and the ids of those that are gone (a long article is not re-read).

        :returns: (ids no longer valid, spans read now) for the view to swap
        """
        if self.article is None:
            return [], []
        stamp, self.seen_at = self.seen_at, look_stamp()
        changed, now_ids = self.store.spans.changed_since(self.article.id, self.annotator, stamp)
        visible = set(now_ids)
        if self.partial:  # spans beyond the first screen are read by complete(), not here
            changed = [s for s in changed if s.start_char < FIRST_SCREEN_CHARS]
        known = self.spans_by_id
        changed_ids = {s.id for s in changed}
        # A span can come back with an old stamp (another window undid a delete): read those by id.
        returned = [i for i in now_ids if i not in known and i not in changed_ids]
        if returned and not self.partial:
            changed += self.store.spans.by_ids(returned)
        removed = [i for i in known if i not in visible or i in changed_ids]
        fresh = [s for s in changed if s.id in visible]
        self._swap(removed, fresh)
        return removed, fresh

    def _swap(self, removed: list[int], fresh: list[Span]) -> None:
        """Take spans out and put spans in, keeping reading order. Few changes (one edit) are
        placed by bisection; a long article's 2,000 spans are not re-sorted per key press."""
        gone = set(removed)
        if len(removed) + len(fresh) > 64:
            merged = [s for s in self.spans if s.id not in gone] + fresh
            merged.sort(key=_reading_order)
            self.spans = merged
            self.spans_by_id = {s.id: s for s in merged}
        else:
            for span_id in gone:
                span = self.spans_by_id.pop(span_id, None)
                if span is not None:
                    i = bisect_left(self.spans, _reading_order(span), key=_reading_order)
                    while self.spans[i].id != span_id:
                        i += 1
                    del self.spans[i]
            for span in fresh:
                insort(self.spans, span, key=_reading_order)
                self.spans_by_id[span.id] = span
        if self.link_event not in self.spans_by_id:
            self.link_event = None
        if self.selected not in self.spans_by_id:
            self.selected = None
        if removed or fresh:
            self.events.spans_changed.emit(removed, fresh)

    # -- selection -------------------------------------------------------------------------------

    def select(self, span_id: int | None) -> Span | None:
        span = self.spans_by_id.get(span_id) if span_id is not None else None
        self.selected = span.id if span else None
        if span is not None:
            self.anchor = (span.start_char, span.end_char)
            if span.layer is Layer.EVENT:
                self.link_event = span.id
        self.events.selection_changed.emit(span)
        return span

    def links_of(self, span: Span | None) -> tuple[list[Argument], dict[int, Span]]:
        """An event's argument links and the spans filling them. A filler need not be on show (an
        accepted suggestion is hidden behind the annotator's copy): those are read from the file, so
        a view always names the text and the label, never a bare id."""
        if span is None or span.layer is not Layer.EVENT:
            return [], {}
        arguments = self.store.arguments.of_event(span.id)
        fillers = {}
        for link in arguments:
            filler = self.spans_by_id.get(link.filler_id)
            if filler is None:
                try:
                    filler = self.store.spans.get(link.filler_id)
                except StoreError:
                    continue
            fillers[link.filler_id] = filler
        return arguments, fillers

    def selected_span(self) -> Span | None:
        return self.spans_by_id.get(self.selected) if self.selected is not None else None

    def step(self, order: list[int], direction: int) -> int | None:
        """The span after (or before) the selected one in ``order`` (the spans as shown). With no
        selection, continue from where the last selected span was, not from the top."""
        if not order:
            return None
        if self.selected in order:
            return order[(order.index(self.selected) + direction) % len(order)]
        if self.anchor is not None:
            positions = [(self.spans_by_id[i].start_char, self.spans_by_id[i].end_char) if i in self.spans_by_id
                         else (0, 0) for i in order]
            if direction > 0:
                following = [i for i, at in zip(order, positions) if at > self.anchor]
                return following[0] if following else order[0]
            before = [i for i, at in zip(order, positions) if at < self.anchor]
            return before[-1] if before else order[-1]
        return order[0] if direction > 0 else order[-1]

    def next_undecided(self, after: tuple[int, int] | None) -> int | None:
        """The first suggestion still undecided at or after offsets ``after`` (wrapping around):
        where the annotator goes once they decided one (Prodigy's habit)."""
        # Jump to the decided span's place instead of filtering all 2,000 spans per key press.
        spans = self.spans
        if after is not None:
            first = bisect_left(spans, (after[0], float("-inf"), float("-inf")), key=_reading_order)
            for span in spans[first:]:
                if span.annotator is None and (span.start_char, span.end_char) > after:
                    return span.id
        return next((span.id for span in spans if span.annotator is None), None)

    # -- time --------------------------------------------------------------------------------------

    def account_time(self) -> None:
        """Put the active time on the current article into the project file. While another program
        holds the file, the seconds are kept here and written with the next accounting."""
        if self.article is not None:
            key = (self.article.id, self.annotator)
            self.unsaved_seconds[key] = self.unsaved_seconds.get(key, 0.0) + self.clock.take()
        for (article_id, annotator), seconds in list(self.unsaved_seconds.items()):
            try:
                self.store.states.add_seconds(article_id, annotator, seconds)
            except BusyError:
                return
            del self.unsaved_seconds[(article_id, annotator)]

    def seconds_on_article(self) -> float:
        return self.seconds_before + (self.clock.seconds() if self.article else 0.0)

    def progress(self) -> tuple[int, int]:
        """(articles done, articles in all) for this annotator."""
        done = self.store.articles.count_where(self.annotator, states=[ArticleState.DONE.value])
        return done, self.store.articles.count()


def _reading_order(span: Span) -> tuple[int, int, int]:
    return span.start_char, -span.end_char, span.id
