"""The label palette: one button per label with its key, entities and events apart."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.schemes import Label, Scheme


class LabelPalette(QWidget):
    labelChosen = Signal(str)

    def __init__(self, scheme: Scheme, parent=None):
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for title, labels in (("Entities", scheme.entity_labels), ("Events", scheme.event_labels)):
            heading = QLabel(title)
            heading.setStyleSheet("color: #6b7280; font-weight: 600; margin-top: 4px;")
            layout.addWidget(heading)
            grid = QGridLayout()
            grid.setSpacing(4)
            for i, label in enumerate(labels):
                grid.addWidget(self._button(label), i // 2, i % 2)
            layout.addLayout(grid)
        layout.addStretch()

    def _button(self, label: Label) -> QPushButton:
        button = QPushButton(f"{label.key.upper()}   {label.name.replace('_', ' ').title()}")
        button.setToolTip(f"{label.name} ({label.layer.value}), key {label.key}: {label.description}")
        button.setFocusPolicy(Qt.NoFocus)  # keep the keyboard focus on the text
        underline = "border-bottom: 3px solid" if label.layer.value == "event" else "border-left: 6px solid"
        button.setStyleSheet(
            f"QPushButton {{ text-align: left; padding: 4px 8px; background: #ffffff; color: #1d232a;"
            f" border: 1px solid #d8dadf; {underline} {label.color}; border-radius: 3px; }}"
            f" QPushButton:hover {{ background: #f1f3f6; }}"
        )
        button.clicked.connect(lambda _checked=False, name=label.name: self.labelChosen.emit(name))
        self.buttons[label.name] = button
        return button
