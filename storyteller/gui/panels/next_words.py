"""Next words: the model's likeliest next tokens at the end of the story, refreshed when the
writer pauses; a click inserts one (the seed project's top-5 idea)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from storyteller.gui.common.fonts import korean_font


class NextWordsPanel(QWidget):
    chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("nextWords")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(4, 2, 4, 2)
        self.row.addWidget(QLabel(self.tr("Next words:")))
        self.buttons: list[QPushButton] = []
        for _ in range(5):
            button = QPushButton()
            button.setFont(korean_font(11))
            button.setFlat(True)
            button.clicked.connect(self._clicked)
            button.hide()
            self.row.addWidget(button)
            self.buttons.append(button)
        self.row.addStretch(1)

    def show_choices(self, choices) -> None:
        for button, choice in zip(self.buttons, list(choices) + [None] * 5):
            if choice is None or not choice.text.strip():
                button.hide()
                continue
            button.setText(f"{choice.text.strip()}  {choice.probability:.0%}")
            button.setProperty("insert", choice.text)
            button.setToolTip(self.tr("Insert “%1” at the cursor").replace("%1", choice.text))
            button.show()

    def _clicked(self) -> None:
        button = self.sender()
        if button is not None:
            self.chosen.emit(button.property("insert"))
