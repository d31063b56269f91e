"""The main window: arranges the views and menus; the controller does the work."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QFont, QUndoGroup
from PySide6.QtWidgets import (
    QDialog, QDockWidget, QHeaderView, QLabel, QMainWindow, QMenu, QProgressBar, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from annotator import config
from annotator.gui import dialogs, fonts, screen_fit
from annotator.gui.actions import build_actions, shortcut_rows
from annotator.gui.article_list import ArticleListModel, ArticleListPanel
from annotator.gui.article_view import ArticleView
from annotator.gui.controller import Controller, db_key
from annotator.gui.palette import LabelPalette
from annotator.gui.saving import saver_for
from annotator.gui.span_panel import SpanPanel
from annotator.gui.suggest_worker import SuggestRunner
from annotator.domain import display_title
from annotator.schemes import Scheme
from annotator.store import Store

CLOSE_WAIT_S = 10.0  # closing with edits waiting: how long to wait for the file before asking

MENU_ORDER = ("&File", "&Edit", "&Span", "&Labels", "&Event", "&Article", "&Review", "&View", "&Help")


class MainWindow(QMainWindow):
    def __init__(self, store: Store, scheme: Scheme, preferences: config.Preferences, db_path: Path | None):
        super().__init__()
        # Only looked up, never added to a font: fontconfig draws emoji per character (fonts.py).
        self.emoji_font = fonts.installed_emoji_family()
        self.store = store
        self.db_path = db_path
        self.suggest_when_started = False  # set by app.open_window for a brand-new project
        self.setWindowTitle(f"Conflict Annotator — {db_path.name if db_path else 'in memory'}")
        self.view = ArticleView()
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.PlainText)  # titles are article data: never markup
        self.heading.setWordWrap(True)
        heading_font = QFont(self.font())
        heading_font.setPointSizeF(15)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.byline = QLabel()
        self.byline.setTextFormat(Qt.PlainText)
        self.byline.setStyleSheet("color: #6b7280;")
        central = QWidget()
        central.setStyleSheet("background: #fbfaf6;")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(28, 16, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.byline)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)

        self.article_list = ArticleListPanel(ArticleListModel(store, preferences.annotator),
                                             sorted(label.name for label in scheme.labels))
        self.span_panel = SpanPanel(scheme)
        self.palette = LabelPalette(scheme)
        self.articles_dock = self._dock("Articles", self.article_list, Qt.LeftDockWidgetArea)
        labels_dock = self._dock("Labels", self.palette, Qt.RightDockWidgetArea)
        spans_dock = self.spans_dock = self._dock("Spans", self.span_panel, Qt.RightDockWidgetArea)
        # The palette needs only its buttons' height; the spans get the rest.
        self.resizeDocks([labels_dock, spans_dock], [self.palette.sizeHint().height(), 800], Qt.Vertical)

        self.controller = Controller(store, scheme, preferences, self.view, self.span_panel, self.article_list, self)
        # One undo group for every window on the project; each window makes its stack the active one
        # when it comes to the front, so Edit → Undo always means the active window's history.
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.controller.undo_stack)
        self.undo_group.setActiveStack(self.controller.undo_stack)
        self.palette.labelChosen.connect(self.controller.label_key)
        self.view.spanMenuRequested.connect(self._span_menu_requested)
        self.article_list.articleActivated.connect(lambda _id: self.focus_text())  # keys work at once
        self.actions = build_actions(self.controller, self, [self.view, self.span_panel])
        self.actions["snap"].setChecked(preferences.snap_to_tokens)
        self._menus()
        self.undo_group.canUndoChanged.connect(self.actions["undo"].setEnabled)
        self.undo_group.canRedoChanged.connect(self.actions["redo"].setEnabled)
        self.actions["undo"].setEnabled(False)
        self.actions["redo"].setEnabled(False)

        self.suggester = SuggestRunner(db_path, preferences.suggester_model, parent=self)
        self.suggest_progress = QProgressBar()
        self.suggest_progress.setMaximumWidth(180)
        self.suggest_progress.setFormat("Suggesting %v/%m")
        self.suggest_progress.hide()
        self.statusBar().addPermanentWidget(self.suggest_progress)
        from annotator.gui.learn_runner import LearnRunner

        self.learner = LearnRunner(store, parent=self)
        self.learn_progress = QProgressBar()
        self.learn_progress.setMaximumWidth(180)
        self.learn_progress.setFormat("Learning %p%")
        self.learn_progress.hide()
        self.statusBar().addPermanentWidget(self.learn_progress)
        self.learner.progressed.connect(self._learn_progressed)
        self.learner.finished.connect(self._learn_finished)
        self.learner.failed.connect(self._learn_failed)
        self.suggester.progressed.connect(self._suggest_progressed)
        self.suggester.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.suggester.ended.connect(self._suggest_ended)
        self.suggester.problems.connect(
            lambda text: dialogs.inform(self, "Some articles were not suggested",
                                        "The other articles were suggested; these were left as they were "
                                        "(suggest again to retry):\n\n" + text))
        self.actions["suggest_stop"].setEnabled(False)
        self.actions["learn_stop"].setEnabled(False)

        # Edits that wait while another program writes the file (annotator.gui.saving): said here.
        self.saver = saver_for(store)
        self.saving_label = QLabel()
        self.saving_label.setStyleSheet("color: #b45309; font-weight: bold;")
        self.saving_label.hide()
        self.saver.pendingChanged.connect(self._saving_changed)
        self.saver.stalled.connect(self._saving_stalled)
        self.progress_label = QLabel()
        self.time_label = QLabel()
        self.who_label = QLabel()
        for label in (self.saving_label, self.who_label, self.progress_label, self.time_label):
            self.statusBar().addPermanentWidget(label)
        self.controller.statusChanged.connect(self.update_status)
        self.controller.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.controller.articleOpened.connect(self._show_heading)
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        # First start: 1440×900, or what the screen has room for (a 1366×768 laptop, an Xvfb screen),
        # leaving room for the frame the desktop adds; fit_to_screen corrects it once that is known.
        screen_fit.first_size(self, 1440, 900)
        self._settings = QSettings(str(config.config_dir() / "window.ini"), QSettings.IniFormat)
        geometry = self._settings.value("geometry")
        self._docks_placed = geometry is not None  # the user's own dock sizes win over ours
        if geometry is not None:
            self.restoreGeometry(geometry)
            self.restoreState(self._settings.value("docks"))
        self.update_status()
        from annotator.gui.hub_status import HubStatus

        self.hub = HubStatus(self, store)  # syncs with the team hub when the project has one

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _menus(self) -> None:
        menus = {name: self.menuBar().addMenu(name) for name in MENU_ORDER}
        for action in self.actions.values():
            menus[action.property("menu")].addAction(action)
            if action.objectName() in ("redo", "clear_selection", "end_right", "reported_by", "flag"):
                menus[action.property("menu")].addSeparator()

    # -- things actions call -------------------------------------------------------------------

    def start(self) -> None:
        self.controller.start(db_key(self.db_path))
        self.focus_text()
        if self.emoji_font is None and not self._settings.value("hints/emoji_font", False, type=bool):
            # Once per installation: the README says it too, but boxes in the text need a reason.
            self._settings.setValue("hints/emoji_font", True)
            self.statusBar().showMessage(fonts.EMOJI_HINT, 30000)
        if self.suggest_when_started:
            self.suggest_all()

    def focus_search(self) -> None:
        self.article_list.search.setFocus()
        self.article_list.search.selectAll()

    def focus_text(self) -> None:
        self.view.setFocus()

    def ask_annotator(self) -> None:
        name = dialogs.ask(self, "Annotator", "Who is annotating?", default=self.controller.session.annotator)
        if name and name.strip():
            self.controller.switch_annotator(name)

    def span_menu(self) -> QMenu:
        """The right-click menu of the selected span: the same actions as the keys."""
        menu = QMenu(self)
        span = self.controller.session.selected_span()
        if span is None:
            for name in ("accept_all", "suggest_article"):
                menu.addAction(self.actions[name])
            return menu
        if span.is_suggestion:
            menu.addAction(self.actions["accept"])
            menu.addAction(self.actions["reject"])
        menu.addAction(self.actions["relabel"])
        menu.addAction(self.actions["delete"])
        if span.layer.value == "event":
            menu.addSeparator()
            for name in ("modality", "sub_event_type", "reported_by"):
                menu.addAction(self.actions[name])
        elif self.controller.session.link_event is not None:
            link = menu.addMenu("Link to the event as")
            for name, action in self.actions.items():
                if name.startswith("role:"):
                    link.addAction(action)
        return menu

    def _span_menu_requested(self, span_id: int, position) -> None:
        if span_id >= 0:
            self.controller.select(span_id)
        self._open_menu = self.span_menu()
        self._open_menu.popup(position)

    def suggest_current(self) -> None:
        if self.controller.session.article is not None:
            self._start_suggesting([self.controller.session.article.id])

    def suggest_all(self) -> None:
        self._start_suggesting(None)

    def _start_suggesting(self, article_ids: list[int] | None) -> None:
        if self.suggester.start(article_ids):
            self.suggest_progress.setRange(0, 0)
            self.suggest_progress.show()
            self.actions["suggest_stop"].setEnabled(True)

    def stop_suggesting(self) -> None:
        self.suggester.stop()

    def start_learning(self) -> None:
        """Train on the team's decisions off the GUI thread; the window stays usable meanwhile."""
        if self.learner.start(self.controller.session.annotator):
            self.learn_progress.setRange(0, 0)
            self.learn_progress.show()
            self.actions["learn_stop"].setEnabled(True)
            self.statusBar().showMessage("Learning from reviewed and finished articles… (the window stays usable)",
                                         8000)
        else:
            self.statusBar().showMessage("Learning is already running; stop it first (Ctrl+Alt+L)", 6000)

    def stop_learning(self) -> None:
        self.learner.stop()

    def _learn_progressed(self, done: int, total: int) -> None:
        self.learn_progress.setRange(0, max(total, 1))
        self.learn_progress.setValue(done)

    def _learn_done(self) -> None:
        self.learn_progress.hide()
        self.actions["learn_stop"].setEnabled(False)

    def _learn_finished(self, outcome) -> None:
        self._learn_done()
        if outcome is None:
            self.statusBar().showMessage("Learning stopped: no version was written", 8000)
            return
        from annotator.gui.learn_runner import show_outcome

        self.learn_dialog = show_outcome(self, outcome)
        self.statusBar().showMessage(f"Learned {outcome.version.name}: suggest again to use it", 8000)

    def _learn_failed(self, message: str) -> None:
        self._learn_done()
        self.statusBar().showMessage(f"Not learned: {message}", 12000)

    def _suggest_progressed(self, done: int, total: int) -> None:
        self.suggest_progress.setRange(0, max(total, 1))
        self.suggest_progress.setValue(done)

    def _suggest_ended(self) -> None:
        self.suggest_progress.hide()
        self.actions["suggest_stop"].setEnabled(False)
        self.controller.check_external_changes(announce=False)  # the run's summary is the news

    def show_export(self) -> None:
        # Imported here: the exporter loads spaCy, which takes seconds; the window must open fast.
        from annotator.gui.export_dialog import ExportDialog

        self.export_dialog = ExportDialog(self.store, self.controller.session.annotator, self)
        self.export_dialog.show()

    def show_agreement(self) -> None:
        # Imported here, like the exporter: agreement needs numpy, which the first paint does not.
        from annotator.gui.agreement_window import AgreementWindow

        self.agreement_window = AgreementWindow(self.store, self.controller.session.annotator, self)
        self.agreement_window.articleActivated.connect(self.show_article)
        self.agreement_window.show()

    def show_article(self, article_id: int, span_id: int | None = None) -> None:
        """Bring the annotation window forward on an article (from the agreement window's list, or an
        event of the event table), with ``span_id`` selected when given."""
        self.controller.open_article(article_id, select=span_id)
        self.raise_()
        self.activateWindow()
        self.focus_text()

    def show_events(self) -> None:
        # Imported here: the event table brings dateparser and the GeoNames index.
        from annotator.gui.event_window import EventWindow

        name = self.controller.session.annotator
        self.events_window = EventWindow(self.store, name, annotator=name, parent=self)
        self.events_window.eventActivated.connect(self.show_article)
        self.undo_group.addStack(self.events_window.undo_stack)
        self.events_window.show()

    def show_review(self) -> None:
        # The review writes gold spans; the main window picks them up like any other change.
        from annotator.gui.review_window import ReviewWindow

        self.review_window = ReviewWindow(self.store, self.controller.session.annotator, self)
        self.undo_group.addStack(self.review_window.undo_stack)
        self.review_window.show()

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(self.actions)
        table = QTableWidget(len(rows), 3, dialog)
        table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                table.setItem(i, j, QTableWidgetItem(value))
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        dialog.resize(620, 640)
        self.shortcuts_dialog = dialog
        dialog.show()

    # -- status ------------------------------------------------------------------------------------

    def _show_heading(self, _article_id: int) -> None:
        article = self.controller.session.article
        self.heading.setText(display_title(article.title, article.text[:400], article.id, article.published))
        parts = [p for p in (article.source, article.published, f"#{article.id}",
                             f"{len(article.text):,} characters") if p]
        self.byline.setText("  ·  ".join(parts))

    def _saving_changed(self, pending: int, waiting: float) -> None:
        if pending:
            self.saving_label.setText(f"Saving… {pending} edit{'s' if pending > 1 else ''} waiting "
                                      f"({waiting:.0f} s: another program is writing the file)")
            self.saving_label.setToolTip("Your edits are kept and written, in order, as soon as the file is "
                                         "free; keep the window open until this goes away.")
        else:  # saved: back to the quiet look for the next wait
            self.saving_label.setStyleSheet("color: #b45309; font-weight: bold;")
        self.saving_label.setVisible(bool(pending))

    def _saving_stalled(self, message: str) -> None:
        # Said in the window, not in a dialog: a dialog would take the keyboard from the annotator
        # mid-sentence, and the keys typed meanwhile would be lost.
        self.saving_label.setStyleSheet("color: #ffffff; background: #b91c1c; font-weight: bold; padding: 0 4px;")
        self.saving_label.setToolTip(message)
        self.statusBar().showMessage(message, 30000)

    def update_status(self) -> None:
        done, total = self.controller.progress()
        self.who_label.setText(f"Annotator: {self.controller.session.annotator}")
        self.progress_label.setText(f"Done {done} of {total}")
        self._tick()

    def _tick(self) -> None:
        seconds = int(self.controller.session.seconds_on_article())
        self.time_label.setText(f"On this article {seconds // 60}:{seconds % 60:02d}")

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.ActivationChange:
            # Time on an article counts only while the window is in front.
            self.controller.window_active(self.isActiveWindow())
            if self.isActiveWindow():
                self.controller.undo_stack.setActive()
        super().changeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        screen_fit.fit_soon(self)
        if not self._docks_placed:
            # First start: the article list gets 22% of the width (titles readable on a wide
            # screen, the text keeps its room on a 1366-pixel one); later the user's sizes are kept.
            self._docks_placed = True
            QTimer.singleShot(0, self._place_docks)  # once the layout has its real width

    def _place_docks(self) -> None:
        self.resizeDocks([self.articles_dock, self.spans_dock],
                         [max(self.article_list.minimumWidth(), self.width() * 22 // 100),
                          max(self.span_panel.minimumWidth(), self.width() * 3 // 10)], Qt.Horizontal)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.saver.pending and not self.saver.flush(CLOSE_WAIT_S):
            question = (f"{self.saver.pending} edit(s) could not be saved: another program has been writing to "
                        f"the project file for {self.saver.waiting_seconds():.0f} seconds. Close anyway and "
                        f"lose them? (No keeps the window open; they are saved as soon as the file is free.)")
            if dialogs.ask(self, "Edits not saved", question, confirm=True) != "yes":
                event.ignore()
                return
        self.suggester.stop()
        self.suggester.wait()  # what it finished is stored; the rest is picked up next time
        self.learner.stop()
        self.learner.wait()  # a stopped run writes nothing
        self.controller.close()
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.setValue("docks", self.saveState())
        super().closeEvent(event)

