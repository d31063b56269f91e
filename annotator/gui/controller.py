"""What the actions do: turn a key press or click into an undoable command, and keep the text,
the span panel, the article list and the status bar showing the file's current truth."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from annotator import config
from annotator.gui import commands as cmd
from annotator.gui import dialogs
from annotator.gui.offsets import move_boundary, snap_to_tokens
from annotator.model import Article, ArticleState, Layer, Span, Status
from annotator.schemes import Scheme
from annotator.store import Store, StoreError

EXTERNAL_POLL_MS = 1500
FIRST_SCREEN_CHARS = 6000  # more than a maximised window shows of an article at once


class Controller(QObject):
    """One annotation session: a store, an annotator, the article on screen, one undo stack."""

    articleOpened = Signal(int)
    statusChanged = Signal()  # progress, time or message changed
    message = Signal(str)

    def __init__(self, store: Store, scheme: Scheme, preferences: config.Preferences, view, panel, article_list,
                 parent=None):
        super().__init__(parent)
        self.store = store
        self.scheme = scheme
        self.preferences = preferences
        self.view = view
        self.panel = panel
        self.article_list = article_list
        self.undo_stack = QUndoStack(self)
        self.context = cmd.EditContext(store, preferences.annotator, self._changed, self._failed)
        self.article: Article | None = None
        self.spans: list[Span] = []
        self.spans_by_id: dict[int, Span] = {}
        self.selected: int | None = None
        self.link_event: int | None = None
        self._partial = False
        self._progress: tuple[int, int] | None = None
        self._opened_at = time.monotonic()
        self._seconds_before = 0.0
        self._data_version = store.data_version()
        self.view.set_colours({label.name: label.color for label in scheme.labels})
        self.view.spanClicked.connect(lambda span_id: self.select(span_id if span_id >= 0 else None))
        self.panel.spanSelected.connect(self.select)
        self.panel.attributeEdited.connect(self.set_attribute)
        self.panel.argumentRemoveRequested.connect(self.remove_argument)
        self.article_list.articleActivated.connect(self.open_article)
        # Another process (a second window, a suggester) may write the same file: look now and then.
        self.poll = QTimer(self, interval=EXTERNAL_POLL_MS)
        self.poll.timeout.connect(self.check_external_changes)
        self.poll.start()

    # -- who and where -----------------------------------------------------------------------

    @property
    def annotator(self) -> str:
        return self.context.annotator

    def switch_annotator(self, name: str) -> None:
        """Someone else takes the chair: their spans, their states, a fresh undo history."""
        name = name.strip()
        if not name or name == self.annotator:
            return
        self._account_time()
        self.store.ensure_annotator(name)
        self.preferences.annotator = name
        self.preferences.save()
        self.context.annotator = name
        self._progress = None
        self.undo_stack.clear()
        self.article_list.model.set_annotator(name)
        if self.article is not None:
            current, self.article = self.article.id, None  # force a fresh load for the new annotator
            self.open_article(current)
        self.statusChanged.emit()

    def start(self, db_key: str) -> None:
        """Open the article this annotator left off at, or their next unfinished one."""
        self.db_key = db_key
        last = self.preferences.last_article.get(db_key)
        candidates = [last, self.store.next_article_id(self.annotator)]
        for article_id in candidates:
            if article_id is None:
                continue
            try:
                self.open_article(article_id)
                return
            except StoreError:
                continue
        self.statusChanged.emit()

    def open_article(self, article_id: int, select: int | None = None) -> None:
        if self.article is not None and self.article.id != article_id:
            self._account_time()
        if self.article is None or self.article.id != article_id:
            article = self.store.get_article(article_id)
            self.article = article
            self._opened_at = time.monotonic()
            self._seconds_before = self.store.get_state(article_id, self.annotator)[2]
            # A long article shows its first screen's spans at once and the rest right after, so
            # the text is on screen before thousands of spans further down have been read.
            self._partial = len(article.text) > 2 * FIRST_SCREEN_CHARS
            within = (0, FIRST_SCREEN_CHARS) if self._partial else None
            self.spans = self.store.spans_for(article_id, self.annotator, within=within)
            self.spans_by_id = {s.id: s for s in self.spans}
            self.selected = None
            self.link_event = None
            self.view.set_article(article.text, self.spans)
            self.panel.set_spans(article.text, self.spans)
            self.preferences.last_article[getattr(self, "db_key", "")] = article_id
            self.preferences.save()  # now, not later: a killed window must reopen here
            if self._partial:
                QTimer.singleShot(0, self.ensure_complete)
            self.article_list.show_current(article_id)
            self.articleOpened.emit(article_id)
        if select is not None and select not in self.spans_by_id:
            self.ensure_complete()
        self.select(select)
        self.statusChanged.emit()

    def ensure_complete(self) -> None:
        """Read the spans beyond the first screen, if they are not read yet."""
        if self.article is not None and self._partial:
            self._partial = False
            self.reload_spans(self.selected)

    def reload_spans(self, select: int | None = None, within: tuple[int, int] | None = None) -> None:
        """Re-read what the annotator sees: all of it, or only the spans overlapping ``within``
        (an edit reports the offsets it touched, so a long article is not re-read per action)."""
        if self.article is None:
            return
        if within is None:
            fresh = self.store.spans_for(self.article.id, self.annotator)
            removed = [s.id for s in self.spans]
        else:
            start, end = within
            fresh = self.store.spans_for(self.article.id, self.annotator, within=within)
            removed = [s.id for s in self.spans if s.start_char < end and s.end_char > start]
        gone = set(removed)
        merged = [s for s in self.spans if s.id not in gone] + fresh
        merged.sort(key=lambda s: (s.start_char, -s.end_char, s.id))
        self.spans = merged
        self.spans_by_id = {s.id: s for s in self.spans}
        self.view.replace_spans(removed, fresh)
        self.panel.set_spans(self.article.text, self.spans)
        if self.link_event not in self.spans_by_id:
            self.link_event = None
        self.select(select if select in self.spans_by_id else None)

    def _changed(self, article_id: int, focus: int | None, touched: tuple[int, int] | None) -> None:
        """Every command reports here after redo/undo; undo on another article brings it back."""
        if self.article is None or article_id != self.article.id:
            self.open_article(article_id, select=focus)
        elif touched is not None:
            self.reload_spans(focus, within=touched)
        else:
            self.select(focus if focus is not None else self.selected)  # arguments or state changed
        self.article_list.model.refresh_article(article_id)
        self._data_version = self.store.data_version()
        if touched is None:  # a state (or an argument) changed, not a span
            self._progress = None
        self.statusChanged.emit()

    def _failed(self, message: str, article_id: int) -> None:
        self.message.emit(message)
        if self.article is not None and self.article.id == article_id:
            self.reload_spans(self.selected)
        self.article_list.model.refresh_article(article_id)

    def check_external_changes(self, *, announce: bool = True) -> bool:
        """Refresh if another connection committed since we last looked; True if it did."""
        version = self.store.data_version()
        if version == self._data_version:
            return False
        self._data_version = version
        selected = self.selected
        self.article_list.model.reload()
        if self.article is not None:
            self.article_list.show_current(self.article.id)
            self.reload_spans(selected)
        self._progress = None
        if announce:
            self.message.emit("Updated with changes made by another window")
        self.statusChanged.emit()
        return True

    def _account_time(self) -> None:
        if self.article is not None:
            self.store.add_seconds(self.article.id, self.annotator, time.monotonic() - self._opened_at)
            self._opened_at = time.monotonic()

    def seconds_on_article(self) -> float:
        return self._seconds_before + (time.monotonic() - self._opened_at if self.article else 0.0)

    def progress(self) -> tuple[int, int]:
        """(done, total) for this annotator; counted again only after a state may have changed
        (on a 100,000-article project the count takes tens of milliseconds)."""
        if self._progress is None:
            done = self.store.count_articles_where(self.annotator, states=[ArticleState.DONE.value])
            self._progress = (done, self.store.count_articles())
        return self._progress

    def close(self) -> None:
        self.poll.stop()
        self._account_time()
        self.preferences.save()

    # -- selection ---------------------------------------------------------------------------

    def select(self, span_id: int | None) -> None:
        span = self.spans_by_id.get(span_id) if span_id is not None else None
        self.selected = span.id if span else None
        self.view.select_span(self.selected)
        self.panel.select(self.selected)
        arguments = self.store.arguments_of(span.id) if span and span.layer is Layer.EVENT else []
        self.panel.show_span(span, arguments, self.spans_by_id)
        if span is not None and span.layer is Layer.EVENT:
            self.link_event = span.id

    def selected_span(self) -> Span | None:
        return self.spans_by_id.get(self.selected) if self.selected is not None else None

    def step_span(self, direction: int) -> None:
        self.ensure_complete()
        order = self.view.shown_span_ids()
        if not order:
            return
        if self.selected in order:
            index = (order.index(self.selected) + direction) % len(order)
        else:
            index = 0 if direction > 0 else len(order) - 1
        self.select(order[index])

    # -- span edits ----------------------------------------------------------------------------

    def label_key(self, label_name: str) -> None:
        """A label key: a text selection becomes a new span; otherwise the selected span is relabelled."""
        offsets = self.view.selected_offsets()
        if offsets is not None:
            self.add_span(*offsets, label_name)
        elif self.selected_span() is not None:
            self.relabel(label_name)
        else:
            self.message.emit("Select some text first, then press a label key")

    def add_span(self, start: int, end: int, label_name: str) -> None:
        if self.article is None:
            return
        label = self.scheme.label(label_name)
        if label is None:
            return
        if self.preferences.snap_to_tokens:
            start, end = snap_to_tokens(self.article.text, start, end)
        if start >= end or not self.article.text[start:end].strip():
            self.message.emit("The selection is only spaces; select the words to label")
            return
        attributes = {}
        if label.layer is Layer.EVENT:
            modality = next((a for a in self.scheme.attributes if a.name == "modality"), None)
            if modality and modality.default:
                attributes["modality"] = modality.default
        cursor = self.view.textCursor()
        cursor.clearSelection()  # the selection became the span; keep the place in the text
        self.view.setTextCursor(cursor)
        self.undo_stack.push(cmd.AddSpan(self.context, self.article.id, start, end, label.name, label.layer,
                                         attributes))

    def _edit_selected(self, text: str, changes: dict, *, mergeable: bool = False) -> None:
        span = self.selected_span()
        if span is None or self.article is None:
            self.message.emit("Select a span first (click it or press Tab)")
            return
        if span.is_suggestion:
            self.undo_stack.push(cmd.fix_suggestion(self.context, self.article.id, span, text, changes))
        else:
            self.undo_stack.push(cmd.UpdateSpan(self.context, self.article.id, span.id, text, changes,
                                                mergeable=mergeable))

    def relabel(self, label_name: str) -> None:
        label = self.scheme.label(label_name)
        span = self.selected_span()
        if label is None or span is None or span.label == label.name:
            return
        self._edit_selected(f"Relabel {span.label} as {label.name}", {"label": label.name, "layer": label.layer})

    def nudge(self, edge: str, direction: int) -> None:
        span = self.selected_span()
        if span is None or self.article is None:
            return
        start, end = move_boundary(self.article.text, span.start_char, span.end_char, edge, direction,
                                   by_token=self.preferences.snap_to_tokens)
        if (start, end) == (span.start_char, span.end_char):
            return
        self._edit_selected(f"Resize {span.label}", {"start_char": start, "end_char": end}, mergeable=True)

    def decide(self, status: Status) -> None:
        span = self.selected_span()
        if span is None or self.article is None:
            self.message.emit("Select a suggestion first (Tab moves between spans)")
            return
        if not span.is_suggestion:
            self.message.emit(f"This {span.label} is already yours ({span.status.value}); Delete removes it")
            return
        self.undo_stack.push(cmd.DecideSuggestion(self.context, self.article.id, span.id, status, span.label))

    def accept_all(self) -> None:
        self.ensure_complete()
        pending = [s for s in self.spans if s.is_suggestion]
        if not pending or self.article is None:
            self.message.emit("No pending suggestions on this article")
            return
        self.undo_stack.push(cmd.accept_all(self.context, self.article.id, pending))

    def delete_selected(self) -> None:
        span = self.selected_span()
        if span is None or self.article is None:
            return
        if span.is_suggestion:
            self.decide(Status.REJECTED)
            return
        self.undo_stack.push(cmd.DeleteSpan(self.context, self.article.id, span.id, span.label))

    # -- events: arguments and attributes ------------------------------------------------------

    def link(self, role: str) -> None:
        """Make the selected span fill ``role`` of the event selected before it."""
        event = self.spans_by_id.get(self.link_event) if self.link_event is not None else None
        target = self.selected_span()
        if event is None or self.article is None:
            self.message.emit("Select an event first, then the span that fills the role")
            return
        if target is None or target.id == event.id:
            self.message.emit(f"Now select the span that is the {role} of {event.label}, and press the role key")
            return
        parent = cmd.Compound(self.context, self.article.id, f"Link {role} to {event.label}")
        event_ref = (cmd.DecideSuggestion(self.context, self.article.id, event.id, Status.ACCEPTED, event.label, parent)
                     if event.is_suggestion else event.id)
        target_ref = (cmd.DecideSuggestion(self.context, self.article.id, target.id, Status.ACCEPTED, target.label,
                                           parent) if target.is_suggestion else target.id)
        cmd.AddArgument(self.context, self.article.id, event_ref, target_ref, role, parent)
        self.undo_stack.push(parent)

    def remove_argument(self, link_id: int) -> None:
        if self.article is None:
            return
        link = self.store.get_argument(link_id)
        self.undo_stack.push(cmd.DeleteArgument(self.context, self.article.id, link_id, link.role))

    def set_attribute(self, span_id: int, name: str, value) -> None:
        if span_id != self.selected:
            self.select(span_id)
        span = self.selected_span()
        if span is None:
            return
        attributes = dict(span.attributes)
        if value in (None, ""):
            attributes.pop(name, None)
        else:
            attributes[name] = value
        self._edit_selected(f"Set {name} of {span.label}", {"attributes": attributes})

    def _selected_event(self) -> Span | None:
        span = self.selected_span()
        if span is None or span.layer is not Layer.EVENT:
            self.message.emit("Select an event first")
            return None
        return span

    def cycle_modality(self) -> None:
        span = self._selected_event()
        modality = next((a for a in self.scheme.attributes if a.name == "modality"), None)
        if span is None or modality is None:
            return
        values = list(modality.values)
        current = span.attributes.get("modality", modality.default or values[0])
        following = values[(values.index(current) + 1) % len(values)] if current in values else values[0]
        self.set_attribute(span.id, "modality", following)

    def choose_sub_event_type(self, parent_widget=None) -> None:
        span = self._selected_event()
        label = self.scheme.label(span.label) if span else None
        if span is None or label is None or not label.subtypes:
            return
        choice = dialogs.ask(parent_widget, "Sub-event type", f"Sub-event type of this {span.label}:",
                             choices=list(label.subtypes), default=span.attributes.get("sub_event_type", ""))
        if choice:
            self.set_attribute(span.id, "sub_event_type", choice)

    def ask_reported_by(self, parent_widget=None) -> None:
        span = self._selected_event()
        if span is None:
            return
        answer = dialogs.ask(parent_widget, "Reported by", "Who makes the claim (official, agency, outlet)?",
                             default=span.attributes.get("reported_by", ""))
        if answer is not None:
            self.set_attribute(span.id, "reported_by", answer.strip() or None)

    def ask_relabel(self, parent_widget=None) -> None:
        span = self.selected_span()
        if span is None:
            return
        names = [label.name for label in self.scheme.labels]
        choice = dialogs.ask(parent_widget, "Relabel", f"New label for “{span.text_in(self.article.text)}”:",
                             choices=names, default=span.label)
        if choice:
            self.relabel(choice)

    # -- article states ------------------------------------------------------------------------

    def _set_state(self, state: ArticleState, note: str | None = None, *, advance: bool = True) -> None:
        if self.article is None:
            return
        current = self.article.id
        self.undo_stack.push(cmd.SetState(self.context, current, state, note))
        if advance:
            following = self.store.next_article_id(self.annotator, after=current)
            if following is not None and following != current:
                self.open_article(following)
            else:
                self.message.emit("No unfinished articles left: well done")

    def mark_done(self) -> None:
        self._set_state(ArticleState.DONE)

    def skip(self) -> None:
        self._set_state(ArticleState.SKIPPED)

    def flag(self, parent_widget=None) -> None:
        if self.article is None:
            return
        previous_note = self.store.get_state(self.article.id, self.annotator)[1] or ""
        note = dialogs.ask(parent_widget, "Flag article", "What is wrong with this article?", default=previous_note)
        if note is None:
            return
        self._set_state(ArticleState.FLAGGED, note.strip() or None, advance=False)

    def step_article(self, direction: int) -> None:
        model = self.article_list.model
        row = model.row_of(self.article.id) if self.article else None
        target = 0 if row is None else row + direction
        if target >= model.rowCount() and model.canFetchMore():
            model.fetchMore()
        if 0 <= target < model.rowCount():
            self.open_article(model.article_at(target).id)

    def toggle_snap(self, on: bool) -> None:
        self.preferences.snap_to_tokens = bool(on)
        self.preferences.save()


def db_key(path: Path | None) -> str:
    return str(path.resolve()) if path else ":memory:"
