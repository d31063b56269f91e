"""What the actions do: turn a key press or click into an undoable edit (annotator.edits), and keep
the text, the span panel, the article list and the status bar showing the file's current truth.

The state of the session (article, spans, selection, time) lives in :class:`annotator.session.AnnotationSession`;
this class only adds Qt: signals, the undo stack, the widgets.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from annotator import config, edits
from annotator.gui import dialogs
from annotator.gui.offsets import move_boundary, snap_to_tokens
from annotator.gui.undo import EditCommand
from annotator.gui.watcher import watcher_for
from annotator.domain import ArticleState, Layer, Span, Status, check_annotator_name
from annotator.schemes import Scheme
from annotator.session import AnnotationSession
from annotator.store import Store, StoreError


LIST_DELAY_MS = 120


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
        # Preferences change on the window's thread and are written on another (config.PreferencesWriter).
        self._preferences_writer = config.PreferencesWriter()
        self._preferences_failing = False
        self.view = view
        self.panel = panel
        self.article_list = article_list
        self.undo_stack = QUndoStack(self)
        self.session = AnnotationSession(store, preferences.annotator)
        # The views show what the session announces; this controller only turns input into edits
        # and tells the session to re-read (docs/adr/0013-a-window-listens-to-its-session.md).
        view.follow(self.session)
        panel.follow(self.session)
        article_list.follow(self.session)
        self.session.events.article_opened.connect(self._article_opened)
        self.session.events.selection_changed.connect(self._selection_changed)
        self._progress: tuple[int, int] | None = None
        self.db_key = ""
        self.view.set_colours({label.name: label.color for label in scheme.labels})
        self.view.spanClicked.connect(lambda span_id: self.select(span_id if span_id >= 0 else None))
        self.panel.spanSelected.connect(self.select)
        self.panel.attributeEdited.connect(self.set_attribute)
        self.panel.argumentRemoveRequested.connect(self.remove_argument)
        self.panel.placeChosen.connect(self.choose_place)
        self.panel.dateTyped.connect(self.type_date)
        self._record_job = None
        self._record_wanted: int | None = None
        self._record_timer = QTimer(self, singleShot=True, interval=300)
        self._record_timer.timeout.connect(self._start_record_job)
        self.panel.recordRequested.connect(self.read_selected_record)
        self.article_list.articleActivated.connect(self.open_article)
        # Another process (a second window, a suggester) may write the same file.
        self.watcher = watcher_for(store)
        self.watcher.changed.connect(self._file_changed)
        # The article list's counts follow an edit a moment later, in one query for a burst of
        # edits: the text and the span panel answer the key press within the frame.
        self._list_stale: set[int] = set()
        self._list_reload = False
        self._list_timer = QTimer(self, singleShot=True, interval=LIST_DELAY_MS)
        self._list_timer.timeout.connect(self._update_list)

    # -- who and where -----------------------------------------------------------------------

    def switch_annotator(self, name: str) -> None:
        """Someone else takes the chair: their spans, their states, a fresh undo history."""
        try:
            name = check_annotator_name(name)
        except ValueError as exc:
            self.message.emit(str(exc))
            return
        if name == self.session.annotator:
            return
        try:
            self.store.annotators.ensure(name)
        except StoreError as exc:  # the file busy for longer than the window waits: nothing changed
            self.message.emit(f"Could not switch to {name}: {exc}; try again in a moment")
            return
        self.preferences.annotator = name
        self._save_preferences()
        previous, steps = self.session.annotator, self.undo_stack.count()
        self._progress = None
        # Undo acts for whoever made the edit; the next annotator's Ctrl+Z must not take back the
        # previous one's work, so the history goes, and the window says so.
        self.undo_stack.clear()
        self.session.switch_annotator(name)  # the list and the article on show follow it
        if steps:
            self.message.emit(f"Now annotating as {name}. {previous}'s {steps} edit(s) of this session are kept "
                              f"in the file; they can no longer be undone here (Ctrl+Z now undoes {name}'s edits)")
        self.statusChanged.emit()

    def start(self, db_key: str) -> None:
        """Open the article this annotator left off at, or their next unfinished one."""
        self.db_key = db_key
        last = self.preferences.last_article.get(db_key)
        for article_id in (last, self.store.articles.next_id(self.session.annotator)):
            if article_id is None:
                continue
            try:
                self.open_article(article_id)
                return
            except StoreError:
                continue
        self.statusChanged.emit()

    def open_article(self, article_id: int, select: int | None = None) -> None:
        if self.session.article is None or self.session.article.id != article_id:
            self.session.open(article_id)
        if select is not None and select not in self.session.spans_by_id:
            self.ensure_complete()
        self.select(select)
        self.statusChanged.emit()

    def _article_opened(self, article, _spans) -> None:
        """The session opened an article (here, or for another annotator): the window reopens there."""
        self.preferences.last_article[self.db_key] = article.id
        self._save_preferences()  # now, not at closing: a killed window must reopen here
        if self.session.partial:
            QTimer.singleShot(0, self.ensure_complete)
        self.articleOpened.emit(article.id)

    def ensure_complete(self) -> None:
        """Read the spans beyond the first screen, if they are not read yet."""
        if self.session.complete() is not None:
            self._reselect(self.session.selected)

    def reload_spans(self, select: int | None = None, within: tuple[int, int] | None = None) -> None:
        """Re-read what the annotator sees: all of it, or only the spans overlapping ``within``
        (an edit reports the offsets it touched, so a long article is not re-read per action)."""
        if self.session.article is None:
            return
        self.session.reload(within)
        self._reselect(select)

    def _reselect(self, select: int | None) -> None:
        """After spans were swapped (the views took them from the session): select again."""
        self.select(select if select in self.session.spans_by_id else None)

    def _edit_done(self, edit: edits.Edit, undone: bool) -> None:
        """Every edit reports here after redo/undo; undo on another article brings it back. An edit
        stored late (the file was busy) only updates what is on show: the annotator has moved on."""
        focus = edit.focus_on_revert if undone else edit.focus
        if edit.late:
            if self.session.article is not None and edit.article_id == self.session.article.id:
                self.reload_spans(self.session.selected, within=edit.touched)
        elif self.session.article is None or edit.article_id != self.session.article.id:
            self.session.clock.activity()
            self.open_article(edit.article_id, select=focus)
        elif edit.touched is not None:
            self.session.clock.activity()
            self.reload_spans(focus, within=edit.touched)
        else:
            self.session.clock.activity()
            self.select(focus if focus is not None else self.session.selected)  # arguments or state changed
        self._list_stale.add(edit.article_id)
        self._list_timer.start()
        self.watcher.announce(self)
        if edit.touched is None:  # only a state change can change how many articles are done
            self._progress = None
        self.statusChanged.emit()

    def _edit_failed(self, message: str, edit: edits.Edit) -> None:
        self.message.emit(message)
        if edit.late:
            # It waited for the file and the annotator moved on: a status line could go unseen.
            dialogs.inform(self.parent(), "An edit could not be saved", message)
        if self.session.article is not None and self.session.article.id == edit.article_id:
            self.reload_spans(self.session.selected)
        self.article_list.model.refresh_article(edit.article_id)

    def push(self, edit: edits.Edit) -> bool:
        """Apply an edit as one undo step; False if the store refused it. True too when it waits to
        be saved (another program holds the file): it is on the undo stack and will be stored."""
        command = EditCommand(self.store, edit, self._edit_done, self._edit_failed)
        self.undo_stack.push(command)
        return edit.done or command.waiting

    def _file_changed(self, origin) -> None:
        if origin is not self:
            self._refresh(announce=origin is None and self._announce)

    _announce = True

    def check_external_changes(self, *, announce: bool = True) -> bool:
        """Refresh if another connection committed since we last looked; True if it did."""
        self._announce = announce
        try:
            return self.watcher.poll()
        finally:
            self._announce = True

    def _update_list(self) -> None:
        if not self.store.is_open:  # the window closed the project meanwhile
            return
        model = self.article_list.model
        if self._list_reload:
            model.reload()
            if self.session.article is not None:
                self.article_list.show_current(self.session.article.id)
        else:
            for article_id in self._list_stale:
                model.refresh_article(article_id)
        self._list_stale.clear()
        self._list_reload = False

    def _refresh(self, announce: bool) -> None:
        """Another connection wrote: take in the spans it changed on this article (not all of
        them again) and re-read the article list a moment later."""
        selected = self.session.selected
        self._list_reload = True
        self._list_timer.start()
        if self.session.article is not None:
            self.session.refresh()
            self._reselect(selected)
        self._progress = None
        if announce:
            self.message.emit("Updated with changes made by another window")
        self.statusChanged.emit()

    def window_active(self, active: bool) -> None:
        """The window gained or lost focus: the clock runs only while it is in front."""
        (self.session.clock.resume if active else self.session.clock.pause)()

    def progress(self) -> tuple[int, int]:
        """(done, total) for this annotator; counted again only after a state may have changed
        (on a 100,000-article project the count takes tens of milliseconds)."""
        if self._progress is None:
            self._progress = self.session.progress()
        return self._progress

    def _save_preferences(self) -> None:
        """Have the preferences written at once, in the writer's thread: on a disk busy with another
        program's writes (an import beside the window) writing them took up to 0.9 s. Without the fsync
        the file still survives a killed window; closing writes it with the fsync. A write that failed
        is said once, in the status bar."""
        error = self._preferences_writer.error
        if error is not None and not self._preferences_failing:
            self.message.emit(f"Could not save the preferences ({error}); annotations are saved as always")
        self._preferences_failing = error is not None  # said again only after a write has succeeded
        self._preferences_writer.save(self.preferences)

    def wait_for_preferences(self, timeout: float = 10.0) -> bool:
        """Wait until the preferences are on disk (for scripts that stop the process next)."""
        return self._preferences_writer.wait(timeout)

    def close(self) -> None:
        self._list_timer.stop()
        self.watcher.changed.disconnect(self._file_changed)
        self.session.account_time()
        self._preferences_writer.close()  # first, so that no older state lands after this one
        try:
            self.preferences.save()
        except OSError as exc:  # a full disk must not stop the window closing: the annotations are stored
            print(f"annotator: could not save the preferences: {exc}", file=sys.stderr)

    # -- selection ---------------------------------------------------------------------------

    def select(self, span_id: int | None) -> None:
        self.session.select(span_id)  # the text and the span panel follow the session

    def _selection_changed(self, span: Span | None) -> None:
        if span is not None and span.layer is Layer.EVENT:
            self._read_record(span)

    def step_span(self, direction: int) -> None:
        self.ensure_complete()
        self.session.clock.activity()
        following = self.session.step(self.view.shown_span_ids(), direction)
        if following is not None:
            self.select(following)

    def _advance(self, decided: tuple[int, int]) -> None:
        """After a decision, go to the next undecided suggestion (Prodigy's habit), the same way for
        accept, reject and relabel; Tab goes on from there."""
        following = self.session.next_undecided(decided)
        if following is not None:
            self.select(following)
        else:
            self.session.anchor = decided

    # -- span edits ----------------------------------------------------------------------------

    def label_key(self, label_name: str) -> None:
        """A label key: a text selection becomes a new span; otherwise the selected span is relabelled."""
        offsets = self.view.selected_offsets()
        if offsets is not None:
            self.add_span(*offsets, label_name)
        elif self.session.selected_span() is not None:
            self.relabel(label_name)
        else:
            self.message.emit("Select some text first, then press a label key")

    def add_span(self, start: int, end: int, label_name: str) -> None:
        if self.session.article is None:
            return
        label = self.scheme.label(label_name)
        if label is None:
            return
        if self.preferences.snap_to_tokens:
            start, end = snap_to_tokens(self.session.article.text, start, end)
        if start >= end or not self.session.article.text[start:end].strip():
            self.message.emit("The selection is only spaces; select the words to label")
            return
        cursor = self.view.textCursor()
        cursor.clearSelection()  # the selection became the span; keep the place in the text
        self.view.setTextCursor(cursor)
        self.ensure_complete()
        # Pending suggestions of the layer under the new span are settled by it (rejected in the same
        # step); one with these very offsets and label counts as the annotator's already.
        under = [s for s in self.session.spans if s.is_suggestion and s.layer is label.layer
                 and s.start_char < end and start < s.end_char
                 and (s.start_char, s.end_char, s.label) != (start, end, label.name)]
        self.push(edits.add_span(self.session.annotator, self.session.article.id, start, end, label.name, label.layer,
                                 self.scheme.default_attributes(label.name), settles=under))

    def _change_selected(self, text: str, changes: dict, *, mergeable: bool = False) -> bool:
        span = self.session.selected_span()
        if span is None or self.session.article is None:
            self.message.emit("Select a span first (click it or press Tab)")
            return False
        if span.is_suggestion:
            text = f"Accept and {text[:1].lower()}{text[1:]}"
        return self.push(edits.change_span(self.session.annotator, span, text, changes, mergeable=mergeable))

    def relabel(self, label_name: str) -> None:
        label = self.scheme.label(label_name)
        span = self.session.selected_span()
        if label is None or span is None or span.label == label.name:
            return
        changed = self._change_selected(f"Relabel {span.label} as {label.name}",
                                        {"label": label.name, "layer": label.layer})
        if changed and span.is_suggestion:  # relabelling a suggestion decides it: move on as after A or X
            self._advance((span.start_char, span.end_char))

    def nudge(self, edge: str, direction: int) -> None:
        span = self.session.selected_span()
        if span is None or self.session.article is None:
            return
        start, end = move_boundary(self.session.article.text, span.start_char, span.end_char, edge, direction,
                                   by_token=self.preferences.snap_to_tokens)
        if (start, end) == (span.start_char, span.end_char):
            return
        self._change_selected(f"Resize {span.label}", {"start_char": start, "end_char": end}, mergeable=True)

    def decide(self, status: Status) -> None:
        span = self.session.selected_span()
        if span is None or self.session.article is None:
            self.message.emit("Select a suggestion first (Tab moves between spans)")
            return
        if not span.is_suggestion:
            self.message.emit(f"This {span.label} is already yours ({span.status.value}); Delete removes it")
            return
        if self.push(edits.decide(self.session.annotator, span, status)):
            self._advance((span.start_char, span.end_char))

    def accept_all(self) -> None:
        self.ensure_complete()
        pending = [s for s in self.session.spans if s.is_suggestion]
        if not pending or self.session.article is None:
            self.message.emit("No pending suggestions on this article")
            return
        self.push(edits.accept_all(self.session.annotator, self.session.article.id, pending))

    def delete_selected(self) -> None:
        span = self.session.selected_span()
        if span is None or self.session.article is None:
            return
        if span.is_suggestion:
            self.decide(Status.REJECTED)
            return
        if span.suggestion_id is not None:
            if span.status is Status.REJECTED:
                self.message.emit(f"This {span.label} is rejected already; Ctrl+Z takes the rejection back")
                return
            links = [a for a in self.store.arguments.for_article(self.session.article.id) if span.id in (a.event_id, a.filler_id)]
            self.push(edits.remove_decided(self.session.annotator, span, links))
            return
        self.push(edits.delete_span(self.session.annotator, span))

    # -- events: arguments and attributes ------------------------------------------------------

    def link(self, role: str) -> None:
        """Make the selected span fill ``role`` of the event selected before it."""
        event = self.session.spans_by_id.get(self.session.link_event) if self.session.link_event is not None else None
        target = self.session.selected_span()
        if event is None or self.session.article is None:
            self.message.emit("Select an event first, then the span that fills the role")
            return
        if target is None or target.id == event.id:
            self.message.emit(f"Now select the span that is the {role} of {event.label}, and press the role key")
            return
        self.push(edits.link(self.session.annotator, event, target, role))

    def remove_argument(self, link_id: int) -> None:
        if self.session.article is None:
            return
        link = self.store.arguments.get(link_id)
        self.push(edits.unlink(self.session.annotator, self.session.article.id, link_id, link.role, link.event_id))

    def set_attribute(self, span_id: int, name: str, value) -> None:
        if span_id != self.session.selected:
            self.select(span_id)
        span = self.session.selected_span()
        if span is None:
            return
        attributes = dict(span.attributes)
        if value in (None, ""):
            attributes.pop(name, None)
        else:
            attributes[name] = value
        self._change_selected(f"Set {name} of {span.label}", {"attributes": attributes})

    # -- the event table's reading of the selected event -----------------------------------------

    def _read_record(self, span: Span) -> None:
        """Show how the event table reads the selected event. The reading runs off the GUI thread,
        one at a time, once the selection has rested (Tab through events starts none); the GeoNames
        index it needs takes seconds to load, so the first reading waits for the annotator's click."""
        self._record_wanted = None
        accepted = not span.is_suggestion and span.status is Status.ACCEPTED
        from annotator.eventtable.places import index_loaded

        self.panel.show_record(span.id, None, needs_index=accepted and not index_loaded())
        if not accepted or not index_loaded():
            return
        self._record_wanted = span.id
        self._record_timer.start()

    def read_selected_record(self) -> None:
        """The annotator asked for the reading (the first one loads the place index)."""
        span = self.session.selected_span()
        if span is not None and span.layer is Layer.EVENT and not span.is_suggestion:
            self._record_wanted = span.id
            self._start_record_job()

    def _start_record_job(self) -> None:
        if self._record_wanted is None or self.session.article is None:
            return
        if self._record_job is not None and self._record_job.running():
            return  # the one under way ends first; _record_ended starts the one wanted now
        span_id, article_id, annotator = self._record_wanted, self.session.article.id, self.session.annotator
        self._record_wanted = None
        from annotator.gui.background import BackgroundJob

        def work(store, _job):
            from annotator.eventtable.table import record_of

            return record_of(store, article_id, span_id, annotator)

        job = BackgroundJob(self.store, work)
        # Bound methods of this QObject, not lambdas: Qt then queues the call to the GUI thread.
        job.succeeded.connect(self._record_ready)
        job.failed.connect(self._record_failed)
        job.ended.connect(self._start_record_job)
        self._record_job = job
        job.start()

    def _record_ready(self, record) -> None:
        if record is not None:
            self.panel.show_record(record.span_id, record)

    def _record_failed(self, message: str) -> None:
        self.message.emit(f"Event table: {message}")

    def choose_place(self, span_id: int, geonameid) -> None:
        from annotator.eventtable import decisions

        if self.session.article is not None:
            self.push(decisions.choose_place(self.session.annotator, self.session.article.id, span_id, geonameid))

    def type_date(self, span_id: int, typed: str) -> None:
        """A date typed for the event: YYYY-MM-DD (day) or YYYY-MM (month); empty clears it."""
        import calendar
        from datetime import date

        from annotator.eventtable import decisions

        if self.session.article is None:
            return
        if not typed:
            self.push(decisions.choose_date(self.session.annotator, self.session.article.id, span_id, None))
            return
        try:
            if len(typed) == 7:
                date.fromisoformat(typed + "-01")
                start, precision = typed + "-01", 3
            else:
                start, precision = date.fromisoformat(typed).isoformat(), 1
        except ValueError:
            self.message.emit(f"“{typed}” is not a date: type 2022-06-24 for a day or 2022-06 for a month")
            return
        end = None
        if precision == 3:
            year, month = int(start[:4]), int(start[5:7])
            end = f"{start[:8]}{calendar.monthrange(year, month)[1]:02d}"
        self.push(decisions.choose_date(self.session.annotator, self.session.article.id, span_id, start, date_end=end,
                                        precision=precision))

    def _selected_event(self) -> Span | None:
        span = self.session.selected_span()
        if span is None or span.layer is not Layer.EVENT:
            self.message.emit("Select an event first")
            return None
        return span

    def cycle_modality(self) -> None:
        span = self._selected_event()
        if span is None:
            return
        following = self.scheme.next_modality(span.attributes.get("modality"))
        if following is not None:
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
        span = self.session.selected_span()
        if span is None:
            return
        names = [label.name for label in self.scheme.labels]
        choice = dialogs.ask(parent_widget, "Relabel", f"New label for “{span.text_in(self.session.article.text)}”:",
                             choices=names, default=span.label)
        if choice:
            self.relabel(choice)

    # -- article states ------------------------------------------------------------------------

    def _set_state(self, state: ArticleState, note: str | None = None, *, advance: bool = True) -> None:
        if self.session.article is None:
            return
        current = self.session.article.id
        self.push(edits.set_state(self.session.annotator, current, state, note))
        if advance:
            following = self.store.articles.next_id(self.session.annotator, after=current)
            if following is not None and following != current:
                self.open_article(following)
            else:
                self.message.emit("No unfinished articles left: well done")

    def mark_done(self) -> None:
        self._set_state(ArticleState.DONE)

    def skip(self) -> None:
        self._set_state(ArticleState.SKIPPED)

    def flag(self, parent_widget=None) -> None:
        if self.session.article is None:
            return
        previous_note = self.store.states.get(self.session.article.id, self.session.annotator)[1] or ""
        note = dialogs.ask(parent_widget, "Flag article", "What is wrong with this article?", default=previous_note)
        if note is None:
            return
        self._set_state(ArticleState.FLAGGED, note.strip() or None, advance=False)

    def step_article(self, direction: int) -> None:
        model = self.article_list.model
        row = model.row_of(self.session.article.id) if self.session.article else None
        target = 0 if row is None else row + direction
        if target >= model.rowCount() and model.canFetchMore():
            model.fetchMore()
        if 0 <= target < model.rowCount():
            self.open_article(model.article_at(target).id)

    def toggle_snap(self, on: bool) -> None:
        self.preferences.snap_to_tokens = bool(on)
        self._save_preferences()


def db_key(path: Path | None) -> str:
    return str(path.resolve()) if path else ":memory:"
