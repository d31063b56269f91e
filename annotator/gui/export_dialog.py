"""File → Export: the command line's export options in one form, run in a background job
(annotator.gui.background) with a progress dialog whose Cancel stops it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QLineEdit, QPlainTextEdit, QProgressDialog, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from annotator import config
from annotator.export import FORMATS, ExportCancelled, ExportError, export_project
from annotator.gui.background import BackgroundJob
from annotator.domain import ArticleState
from annotator.domain import GOLD
from annotator.store import Store

GOLD_CHOICE = "gold (reviewed)"


class ExportDialog(QDialog):
    """Choose whose spans, which articles and where; the report of the last export is shown below."""

    exportEnded = Signal()  # the export's report (or why it did not happen) is on show

    def __init__(self, store: Store, annotator: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export training data")
        self.store = store
        self.report = None
        self.job: BackgroundJob | None = None
        self.progress: QProgressDialog | None = None
        self.format = QComboBox()
        self.format.addItems(FORMATS)
        self.whose = QComboBox()
        names = [n for n in store.annotators.names() if n != GOLD]
        self.whose.addItems(names + [GOLD_CHOICE])
        self.whose.setCurrentText(annotator)
        self.states = {state: QCheckBox(state.value.replace("_", " ")) for state in ArticleState}
        self.states[ArticleState.DONE].setChecked(True)
        states_row = QHBoxLayout()
        for box in self.states.values():
            states_row.addWidget(box)
        self.split = QLineEdit()
        self.split.setPlaceholderText("e.g. train=0.8,dev=0.1,test=0.1 (empty: one file)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.include_rejected = QCheckBox("Add rejected spans as 'reject' records (JSONL)")
        self.folder = QLineEdit(str(config.data_dir() / "export"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Whose spans", self.whose)
        form.addRow("Article states", states_row)
        form.addRow("Split", self.split)
        form.addRow("Seed", self.seed)
        form.addRow("", self.include_rejected)
        form.addRow("Folder", folder_row)
        self.result = QPlainTextEdit()
        self.result.setReadOnly(True)
        self.result.setPlaceholderText("The export's report appears here.")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self.run_export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result, 1)
        layout.addWidget(buttons)
        self.format.currentTextChanged.connect(
            lambda name: self.include_rejected.setEnabled(name == "jsonl"))
        self.resize(620, 480)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def run_export(self) -> None:
        """Export with the chosen options in the background; errors and the report land in the
        dialog, never lost."""
        if self.job is not None and self.job.running():
            return  # one export at a time; the button is disabled meanwhile anyway
        gold = self.whose.currentText() == GOLD_CHOICE
        options = dict(
            format=self.format.currentText(), annotator=None if gold else self.whose.currentText(), gold=gold,
            states=[state.value for state, box in self.states.items() if box.isChecked()],
            split=self.split.text().strip() or None, seed=self.seed.value(),
            include_rejected=self.include_rejected.isChecked() and self.format.currentText() == "jsonl",
        )
        folder = Path(self.folder.text()).expanduser()

        def work(store: Store, job: BackgroundJob):
            return export_project(store, folder, progress=job.progress, **options)

        self.progress = QProgressDialog("Exporting…", "Cancel", 0, 0, self)
        self.progress.setWindowModality(Qt.WindowModal)
        self.progress.setMinimumDuration(500)
        self.job = BackgroundJob(self.store, work)
        self.progress.canceled.connect(self.job.cancel)
        self.job.progressed.connect(self._progressed)
        self.job.succeeded.connect(self._exported)
        self.job.failed.connect(self._not_exported)
        self.job.ended.connect(self._ended)
        self.export_button.setEnabled(False)
        self.job.start()

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _exported(self, report) -> None:
        self.report = report
        self.result.setPlainText("\n".join(report.lines()))

    def _not_exported(self, message: str) -> None:
        # The job names the exception's type; the reasons the exporter gives are sentences already.
        for kind in (ExportError, ExportCancelled, OSError):
            message = message.removeprefix(f"{kind.__name__}: ")
        self.result.setPlainText(f"Not exported: {message}")

    def _ended(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress = None
        self.export_button.setEnabled(True)
        self.exportEnded.emit()
