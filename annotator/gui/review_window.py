"""Reviewer mode: settle the annotators' disagreements into the gold layer, from the keyboard.

Left, the queue of articles with disagreements (worst first) and the progress; middle, the article
as plain text with every disagreement and gold span marked, and below it every annotator's spans
side by side, region by region; right, the disagreements of the article, the annotators' versions
of the current one, and gold with where each span came from.

Keys (the table REVIEW_KEYS in annotator.gui.actions, listed by F1 in the main window): 1-9 take that
annotator's version; N / P next / previous disagreement; A add the selected text to gold with the
chosen label; L, B, M, Delete relabel, reshape, step the modality of, remove the gold span;
Ctrl+Return finish the article; F5 reload the queue; Ctrl+Z / Ctrl+Shift+Z undo / redo; Ctrl+W close.
Every change is an undoable edit of annotator.review (annotator.edits), wrapped for Qt's undo stack.
The article under review is held by a Qt-free ``annotator.review.session.ReviewSession``; the window
shows each review the session announces (docs/adr/0013-a-window-listens-to-its-session.md).
The lists and the table read through the item models of annotator.gui.review_models; the queue is
computed in a background job on a connection of its own and shown as it comes, so the window opens
at once on a big project.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QListView, QMainWindow, QMessageBox,
    QPlainTextEdit, QPushButton, QSplitter, QTableView, QTextEdit, QVBoxLayout, QWidget,
)

from annotator import review
from annotator.edits import Edit
from annotator.gui.background import BackgroundJob
from annotator.gui.offsets import OffsetMap
from annotator.gui.review_models import (
    CURRENT_COLOUR, OPEN_COLOUR, RESOLVED_COLOUR, ComparisonModel, DisagreementModel, GoldModel, IdRole, QueueModel,
    VersionModel,
)
from annotator.gui import screen_fit
from annotator.gui.actions import REVIEW_KEYS, build_window_keys
from annotator.gui.undo import EditCommand, WindowHistory
from annotator.gui.watcher import watcher_for
from annotator.review.session import ReviewSession
from annotator.domain import GOLD, ArticleState, Layer, check_annotator_name
from annotator.store import Store, StoreError

GOLD_UNDERLINE = QColor("#15803d")


class RecordListView(QListView):
    """A list view over one of the review models, with the row-based calls the window needs."""

    currentRowChanged = Signal(int)

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.selectionModel().currentRowChanged.connect(self._row_changed)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.currentRowChanged.emit(current.row() if current.isValid() else -1)

    def count(self) -> int:
        return self.model().rowCount()

    def currentRow(self) -> int:  # noqa: N802 - the name QListWidget gives it
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def setCurrentRow(self, row: int) -> None:  # noqa: N802 - the name QListWidget gives it
        self.setCurrentIndex(self.model().index(row, 0))


class ComparisonView(QTableView):
    """The side-by-side table. Its columns are sized here, on every resize: the text column gets
    at most a sixth of the width, layer fits its word, and every annotator's column (and gold's)
    is at least as wide as its longest word, so a label such as STRATEGIC_DEVELOPMENTS is never cut;
    what is left is shared among them and their text wraps at spaces."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setStretchLastSection(True)  # gold takes what the others leave

    def size_columns(self) -> None:
        model = self.model()
        if model is None or model.columnCount() == 0:
            return
        metrics = self.fontMetrics()
        padding = 2 * self.style().pixelMetric(self.style().PixelMetric.PM_FocusFrameHMargin) + 12
        cells = model.cells
        headers = model.headers

        def widest(column: int, whole: bool) -> int:
            texts = [row[column] for row in cells] + [headers[column]]
            words = texts if whole else [word for text in texts for word in text.split()]
            return max((metrics.horizontalAdvance(word) for word in words), default=0) + padding

        available = self.viewport().width()
        # The text column wraps too: it gets up to a sixth, never less than its longest word.
        text_width = max(widest(0, whole=False), min(widest(0, whole=True), available // 6))
        layer_width = widest(1, whole=True)
        needs = [widest(column, whole=False) for column in range(2, model.columnCount())]
        wanted = [widest(column, whole=True) for column in range(2, model.columnCount())]
        rest = available - text_width - layer_width
        spare = max(0, rest - sum(needs))
        # Share what is spare evenly, no column getting more than fits its text on one line.
        grow = [max(0, w - n) for w, n in zip(wanted, needs)]
        extra = [0] * len(grow)
        for position, column in enumerate(sorted(range(len(grow)), key=grow.__getitem__)):
            extra[column] = min(grow[column], spare // (len(grow) - position))
            spare -= extra[column]
        widths = [n + e for n, e in zip(needs, extra)]
        changed = False
        for column, width in enumerate([text_width, layer_width, *widths]):
            if self.columnWidth(column) != width:
                self.setColumnWidth(column, width)
                changed = True
        if changed:
            # Row heights follow the new widths now, not at the next reset (rows too tall or cut);
            # a reset with the same widths has sized its rows already.
            self.verticalHeader().resizeSections(QHeaderView.ResizeToContents)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.size_columns()


class ReviewWindow(WindowHistory, QMainWindow):
    """Reviewer mode for ``reviewer_name``; gold is written as the reserved annotator ``gold``."""

    articleFinished = Signal(int)
    queueReady = Signal()  # the whole queue is on show (after opening, F5, a change by another window)
    queue_piece = 500  # articles per piece of the queue shown while it is being computed

    def __init__(self, store: Store, reviewer_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        try:
            self.reviewer = check_annotator_name(reviewer_name)
        except ValueError as exc:
            raise StoreError(f"the reviewer needs a name of their own: {exc}") from exc
        self.store = store
        self.undo_stack = QUndoStack(self)
        self.queue_model = QueueModel(self)
        self.queue_job: BackgroundJob | None = None
        self.queue_complete = False
        # The article under review lives in a Qt-free session; this window shows what it announces.
        self.session = ReviewSession(store, self.reviewer)
        self.session.article_reviewed.connect(self._show_review)
        self.offsets: OffsetMap | None = None
        self.setWindowTitle(f"Review into gold — {self.reviewer}")
        self._build()
        self._actions()
        # Another window or process may finish articles or merge work meanwhile: the queue and the
        # article on show follow the file.
        self.watcher = watcher_for(store)
        self.watcher.changed.connect(self._file_changed)
        self.reload_queue()

    # -- building ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.progress_label = QLabel()
        self.queue_list = RecordListView(self.queue_model)
        # One line per article: without this Qt measures all 10,000 rows of a big queue.
        self.queue_list.setUniformItemSizes(True)
        # Long titles end in "…" within the pane (the whole title is in the tooltip), rather than
        # pushing the scores of every row out of sight behind a horizontal scroll bar.
        self.queue_list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.queue_list.setTextElideMode(Qt.ElideRight)
        self.queue_list.currentRowChanged.connect(self._queue_row_changed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        heading = QLabel("Articles with disagreements, worst first")
        heading.setWordWrap(True)  # the side panes' minimum widths decide how wide the table can be
        left_layout.addWidget(heading)
        left_layout.addWidget(self.progress_label)
        left_layout.addWidget(self.queue_list)
        reload_button = QPushButton("Reload queue (F5)")
        reload_button.setFocusPolicy(Qt.NoFocus)
        reload_button.clicked.connect(self.reload_queue)
        left_layout.addWidget(reload_button)
        self.agreed_button = agreed_button = QPushButton("Accept fully agreed articles")
        agreed_button.setFocusPolicy(Qt.NoFocus)
        agreed_button.setToolTip("Articles where every annotator agrees never enter the queue: put them "
                                 "into gold and finish them, as one step you can undo (Ctrl+Z)")
        agreed_button.clicked.connect(self.accept_agreed)
        left_layout.addWidget(agreed_button)

        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        # Keep keyboard focus on the window's shortcuts while still letting the reviewer select text.
        self.text_view.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.legend = QLabel("red: open disagreement · orange: current · grey: settled · green underline: gold")
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        self.article_title = QLabel()
        self.article_title.setTextFormat(Qt.PlainText)
        # Wrapped: unwrapped, a long title set the window's minimum width (1,500 pixels and more).
        self.article_title.setWordWrap(True)
        middle_layout.addWidget(self.article_title)
        middle_layout.addWidget(self.text_view, 3)
        middle_layout.addWidget(self.legend)
        middle_layout.addWidget(QLabel("Every annotator's spans side by side (green: agreed, in gold)"))
        self.comparison_model = ComparisonModel(self)
        self.comparison_table = ComparisonView()
        self.comparison_table.setModel(self.comparison_model)
        self.comparison_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.comparison_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.comparison_table.setWordWrap(True)
        # Rows follow their wrapped text when the columns change width (a resized window).
        self.comparison_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.comparison_table.clicked.connect(self._comparison_clicked)
        middle_layout.addWidget(self.comparison_table, 2)

        self.disagreement_model = DisagreementModel(self)
        self.disagreement_list = RecordListView(self.disagreement_model)
        self.disagreement_list.setWordWrap(True)  # a long name wraps rather than hides its kinds
        self.disagreement_list.currentRowChanged.connect(lambda _row: self._show_versions())
        self.version_model = VersionModel(self)
        self.version_list = RecordListView(self.version_model)
        self.version_list.setWordWrap(True)
        self.version_list.activated.connect(lambda index: self.take_version(index.row()))
        self.gold_model = GoldModel(self)
        self.gold_list = RecordListView(self.gold_model)
        self.gold_list.setWordWrap(True)
        self.label_choice = QComboBox()
        scheme = self.store.project_scheme()
        self.scheme = scheme
        self._layers = {label.name: label.layer for label in scheme.labels}
        self.label_choice.addItems([label.name for label in scheme.labels])
        # Three rows of two: in one row the six buttons alone made the window wider than 1366 pixels,
        # and a narrower pane leaves the side-by-side table room for its longest labels.
        buttons = QGridLayout()
        for text, slot in (("Add own (A)", self.add_own_span), ("Relabel (L)", self.relabel_gold),
                           ("Bounds (B)", self.reshape_gold), ("Modality (M)", self.cycle_modality),
                           ("Remove (Del)", self.delete_gold), ("Finish (Ctrl+Return)", self.finish)):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button, buttons.count() // 2, buttons.count() % 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel("Disagreements (N / P)"))
        right_layout.addWidget(self.disagreement_list, 2)
        right_layout.addWidget(QLabel("Versions: press 1-9 to take one into gold"))
        right_layout.addWidget(self.version_list, 2)
        right_layout.addWidget(QLabel("Gold (where each span came from)"))
        right_layout.addWidget(self.gold_list, 2)
        label_row = QHBoxLayout()
        label_row.addWidget(QLabel("Label:"))
        label_row.addWidget(self.label_choice, 1)
        right_layout.addLayout(label_row)
        right_layout.addLayout(buttons)

        splitter = QSplitter()
        for widget, stretch in ((left, 2), (middle, 7), (right, 4)):
            splitter.addWidget(widget)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        self.setCentralWidget(splitter)
        screen_fit.first_size(self, 1300, 720)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        screen_fit.fit_soon(self)

    def _actions(self) -> None:
        # The keys are a table in annotator.gui.actions, which F1 in the main window lists too.
        build_window_keys(self, REVIEW_KEYS)

    # -- the queue ---------------------------------------------------------------------------------

    def accept_agreed(self) -> None:
        if not self.queue_complete:  # which articles are fully agreed is known once the queue is
            self.statusBar().showMessage("The queue is still being computed; try again in a moment", 5000)
            return
        article_ids = review.agreed_article_ids(self.store, queue=self.queue)
        if not article_ids:
            self.statusBar().showMessage("No fully agreed article is waiting for gold", 8000)
            return
        if self.push(review.accept_agreed_articles(self.reviewer, article_ids)):
            self.statusBar().showMessage(f"Accepted {len(article_ids)} fully agreed article(s) into gold", 8000)

    def push(self, edit: Edit) -> bool:
        """Apply a review step as one undo step; False if it could not be taken (nothing written).
        True too while it waits to be saved (another program holds the file)."""
        command = EditCommand(self.store, edit, self._edit_done, self._edit_failed)
        self.undo_stack.push(command)
        return edit.done or command.waiting

    def _edit_done(self, edit: Edit, _undone: bool) -> None:
        """After every step and its undo: the queue line, the progress, and the article it changed."""
        self.watcher.announce(self)
        # A step changes one article (accepting agreed articles changes several, none of them in the
        # queue): look at that one row, not all 10,000 of a big queue.
        row = self.queue_model.row_of(edit.article_id)
        if row >= 0:
            finished = self.store.states.article_ids(GOLD, ArticleState.DONE)
            if self.queue_model.set_finished_row(row, edit.article_id in finished):
                self._show_progress()
            self.show_article(edit.article_id)

    def _edit_failed(self, message: str, _edit: Edit) -> None:
        self.statusBar().showMessage(message, 8000)

    def _file_changed(self, origin) -> None:
        if origin is self:
            return
        self.reload_queue()
        self.statusBar().showMessage("Updated with changes made by another window", 6000)

    @property
    def queue(self) -> list[review.QueueItem]:
        return self.queue_model.records

    def reload_queue(self) -> None:
        """Compute the queue again in the background; the window stays usable meanwhile.

        On opening, the queue is shown piece by piece as it is found (worst first); on a reload the
        old queue stays on show until the new one is complete, so the list does not flicker empty.
        """
        if self.queue_job is not None:
            # A newer question makes the running one moot: stop it and ignore what it still says.
            for signal in (self.queue_job.published, self.queue_job.succeeded, self.queue_job.failed):
                signal.disconnect()
            self.queue_job.cancel()
        self.queue_complete = False
        self.agreed_button.setEnabled(False)
        self._first_fill = not self.queue
        if self._first_fill:
            self.progress_label.setText("Finding articles with disagreements…")

        piece_size = self.queue_piece

        def work(store, job):
            found: list[review.QueueItem] = []
            for piece in review.review_queue_batches(store, batch=piece_size):
                if job.cancelled():
                    return None
                found += piece
                job.publish(piece)
            return found

        self.queue_job = job = BackgroundJob(self.store, work)
        job.published.connect(self._queue_piece)
        job.succeeded.connect(self._queue_done)
        job.failed.connect(self._queue_failed)
        job.start()

    def _queue_piece(self, piece: list[review.QueueItem]) -> None:
        if self._first_fill:
            self.queue_model.append(piece)
            self.progress_label.setText(f"Finding articles with disagreements… {len(self.queue)} so far")

    def _queue_done(self, items: list[review.QueueItem] | None) -> None:
        if items is None:  # cancelled
            return
        chosen = self.session.current.article.id if self.session.current else None
        if not self._first_fill:
            self.queue_list.blockSignals(True)
            self.queue_model.set_records(items)
            self.queue_list.blockSignals(False)
        self.queue_complete = True
        self.agreed_button.setEnabled(True)
        self._show_progress()
        if not self.queue:
            self.article_title.setText("No article has disagreements to review: every article two or more "
                                       "annotators marked done is agreed on.")
        row = self.queue_model.row_of(chosen) if chosen is not None else -1
        if row >= 0:
            if self.queue_list.currentRow() == row:
                self.show_article(chosen)  # the file changed: show it as it is now
            else:
                self.queue_list.setCurrentRow(row)
        elif self.queue:
            first_open = next((i for i, item in enumerate(self.queue) if not item.finished), 0)
            self.queue_list.setCurrentRow(first_open)
        self.queueReady.emit()

    def _queue_failed(self, message: str) -> None:
        self.progress_label.setText("The queue could not be computed")
        self.statusBar().showMessage(f"The review queue could not be computed: {message}", 15000)

    def _show_progress(self) -> None:
        done, total = review.review_progress(self.queue)
        self.progress_label.setText(f"Reviewed {done} of {total}")

    def _queue_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.queue):
            article_id = self.queue[row].article_id
            self.show_article(article_id)
            # What every annotator agrees on goes into gold as a step of its own, so Ctrl+Z takes
            # it back like any other; opening an article twice adds nothing the second time.
            self.push(review.prefill_gold(self.reviewer, article_id))

    # -- showing an article ------------------------------------------------------------------------

    def show_article(self, article_id: int) -> None:
        """Review an article as the file holds it now (the one on show again keeps its place)."""
        self.session.open(article_id)

    def _show_review(self, current: review.ArticleReview, same_article: bool) -> None:
        """The session read an article's review: show it, where the reviewer was if it is the same one."""
        row = self.disagreement_list.currentRow() if same_article else 0
        gold_row = self.gold_list.currentRow() if same_article else -1
        article = current.article
        if not same_article:
            queue_row = self.queue_model.row_of(article.id)
            if queue_row >= 0 and self.queue_list.currentRow() != queue_row:
                self.queue_list.blockSignals(True)
                self.queue_list.setCurrentRow(queue_row)
                self.queue_list.blockSignals(False)
            self.text_view.setPlainText(article.text)  # plain text: nothing in an article is rendered
        self.offsets = OffsetMap(article.text)
        state = "finished" if current.finished else "open"
        self.article_title.setText(
            f"#{article.id} {article.title or ''} — annotators {', '.join(current.annotators)} — "
            f"{len(current.open_disagreements)} of {len(current.disagreements)} disagreements open, "
            f"{current.agreed} agreed — review {state}")
        # Everything below is shown once, with one highlighting pass at the end (each pass marks
        # every disagreement of the article).
        self.disagreement_list.blockSignals(True)
        self.disagreement_model.show(current)
        if current.disagreements:
            self.disagreement_list.setCurrentRow(min(max(row, 0), len(current.disagreements) - 1))
        self.disagreement_list.blockSignals(False)
        self._show_versions(highlight=False)
        self.gold_model.show(current)
        if 0 <= gold_row < self.gold_list.count():
            self.gold_list.setCurrentRow(gold_row)
        self._fill_comparison()
        self._highlight()

    def _fill_comparison(self) -> None:
        """One row per region: what each annotator marked there, and what gold holds."""
        self.comparison_model.show(self.session.current)
        self.comparison_table.size_columns()

    def _comparison_clicked(self, index: QModelIndex) -> None:
        region = self.comparison_model.region(index.row())
        if region is not None and region.kinds:
            self.disagreement_list.setCurrentRow(self.session.current.disagreements.index(region))

    def current_disagreement(self) -> review.Region | None:
        row = self.disagreement_list.currentRow()
        if self.session.current and 0 <= row < len(self.session.current.disagreements):
            return self.session.current.disagreements[row]
        return None

    def _show_versions(self, highlight: bool = True) -> None:
        disagreement = self.current_disagreement()
        self.version_model.show(disagreement, self.session.current.article.text if self.session.current else "")
        if disagreement is not None and highlight:
            self._highlight()

    def _highlight(self) -> None:
        if self.session.current is None or self.offsets is None:
            return
        selections = []
        current = self.current_disagreement()
        for disagreement in self.session.current.disagreements:
            colour = RESOLVED_COLOUR if disagreement.resolved else OPEN_COLOUR
            if disagreement is current:
                colour = CURRENT_COLOUR
            selections.append(self._selection(disagreement.start, disagreement.end, background=colour))
        for gold in self.session.current.gold:
            selections.append(self._selection(gold.span.start_char, gold.span.end_char, underline=GOLD_UNDERLINE))
        self.text_view.setExtraSelections(selections)
        if current is not None:
            cursor = QTextCursor(self.text_view.document())
            cursor.setPosition(self.offsets.to_doc(current.start))
            self.text_view.setTextCursor(cursor)
            self.text_view.ensureCursorVisible()

    def _selection(self, start: int, end: int, background: QColor | None = None,
                   underline: QColor | None = None) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text_view.document())
        doc_start, doc_end = self.offsets.span_to_doc(start, end)
        cursor.setPosition(doc_start)
        cursor.setPosition(doc_end, QTextCursor.KeepAnchor)
        selection.cursor = cursor
        text_format = QTextCharFormat()
        if background is not None:
            text_format.setBackground(background)
        if underline is not None:
            text_format.setUnderlineStyle(QTextCharFormat.SingleUnderline)
            text_format.setUnderlineColor(underline)
            text_format.setFontUnderline(True)
        selection.format = text_format
        return selection

    # -- review steps ------------------------------------------------------------------------------

    def step_disagreement(self, step: int) -> None:
        if self.session.current and self.session.current.disagreements:
            row = (self.disagreement_list.currentRow() + step) % len(self.session.current.disagreements)
            self.disagreement_list.setCurrentRow(row)

    def take_version(self, index: int) -> None:
        disagreement = self.current_disagreement()
        if disagreement is None or not 0 <= index < len(disagreement.versions):
            return
        name = list(disagreement.versions)[index]
        article_id = self.session.current.article.id
        self.push(review.take_version(self.reviewer, disagreement, name, article_id))
        self._advance_to_open()

    def _advance_to_open(self) -> None:
        if self.session.current is None:
            return
        for offset in range(1, len(self.session.current.disagreements) + 1):
            row = (self.disagreement_list.currentRow() + offset) % len(self.session.current.disagreements)
            if not self.session.current.disagreements[row].resolved:
                self.disagreement_list.setCurrentRow(row)
                return

    def add_own_span(self) -> None:
        if self.session.current is None or self.offsets is None:
            return
        cursor = self.text_view.textCursor()
        if not cursor.hasSelection():
            self.statusBar().showMessage("select the words in the text first, then press A", 5000)
            return
        start, end = self.offsets.selection_to_offsets(cursor.selectionStart(), cursor.selectionEnd())
        label = self.label_choice.currentText()
        article_id = self.session.current.article.id
        self.push(review.add_gold_span(self.reviewer, article_id, start, end, label,
                                       self._layers.get(label, Layer.ENTITY)))

    def selected_gold(self) -> int | None:
        index = self.gold_list.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def relabel_gold(self) -> None:
        span_id = self.selected_gold()
        if span_id is None:
            self.statusBar().showMessage("choose a gold span in the list first", 5000)
            return
        label = self.label_choice.currentText()
        self.push(review.edit_gold_span(self.reviewer, self.session.current.article.id, span_id, label=label,
                                        layer=self._layers.get(label, Layer.ENTITY)))

    def reshape_gold(self) -> None:
        """Give the selected gold span the offsets of the text selection."""
        span_id = self.selected_gold()
        cursor = self.text_view.textCursor()
        if span_id is None or not cursor.hasSelection() or self.offsets is None:
            self.statusBar().showMessage("choose a gold span in the list and select its new words in the text", 5000)
            return
        start, end = self.offsets.selection_to_offsets(cursor.selectionStart(), cursor.selectionEnd())
        self.push(review.edit_gold_span(self.reviewer, self.session.current.article.id, span_id, start_char=start,
                                        end_char=end))

    def cycle_modality(self) -> None:
        """Step the selected gold event's modality to the next value of the scheme."""
        span_id = self.selected_gold()
        if span_id is None:
            return
        span = self.store.spans.get(span_id)
        if span.layer is not Layer.EVENT:
            self.statusBar().showMessage("modality belongs to events", 5000)
            return
        following = self.scheme.next_modality(span.attributes.get("modality"))
        if following is not None:
            self.push(review.edit_gold_span(self.reviewer, self.session.current.article.id, span_id,
                                            attributes={**span.attributes, "modality": following}))

    def delete_gold(self) -> None:
        span_id = self.selected_gold()
        if span_id is not None:
            self.push(review.delete_gold_span(self.reviewer, self.session.current.article.id, span_id))

    def finish(self) -> None:
        if self.session.current is None:
            return
        still_open = len(self.session.current.open_disagreements)
        if still_open and not self.confirm(
                f"{still_open} disagreement(s) are still open. Finish the article anyway?"):
            return
        article_id = self.session.current.article.id
        # Finishing and moving on (which puts the next article's agreed spans into gold) are one
        # step: Ctrl+Z right after takes both back and returns to this article.
        self.undo_stack.beginMacro(f"Finish article #{article_id}")
        try:
            if not self.push(review.finish_article(self.reviewer, article_id)):
                return
            self.articleFinished.emit(article_id)
            position = next((i for i, item in enumerate(self.queue) if item.article_id == article_id), -1)
            following = [i for i, item in enumerate(self.queue) if not item.finished]
            if following:
                after = [i for i in following if i > position]
                self.queue_list.setCurrentRow((after or following)[0])
        finally:
            self.undo_stack.endMacro()

    def confirm(self, question: str) -> bool:
        """Asked before finishing with open disagreements; tests replace it."""
        return QMessageBox.question(self, "Finish review", question) == QMessageBox.Yes

