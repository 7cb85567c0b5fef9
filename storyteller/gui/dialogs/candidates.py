"""Several continuations side by side, to pick one; the others stay as versions of it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from storyteller.gui.common.fonts import korean_font
from storyteller.gui.panels.token_hits import TokenHits


class CandidatesDialog(QDialog):
    """`records`: per candidate, its token records (hover a token for its alternatives);
    `overlay`: tint the tokens by probability, as the editor does."""

    def __init__(self, texts: list[str], parent=None, records=(), overlay: bool = False):
        super().__init__(parent)
        self.setObjectName("candidatesDialog")
        self.setWindowTitle(self.tr("Choose a continuation"))
        self.selected: int | None = None
        row = QHBoxLayout()
        for index, text in enumerate(texts):
            column = QVBoxLayout()
            view = QPlainTextEdit(text.strip())
            view.setObjectName(f"candidate{index}")
            view.setReadOnly(True)
            view.setFont(korean_font(12))
            if index < len(records):  # the view shows the text without its leading whitespace
                lead = len(text) - len(text.lstrip())
                hits = TokenHits(view, lambda r=records[index], lead=lead: [(-lead, r)])
                hits.show_overlay(overlay)
            button = QPushButton(self.tr("Use %1").replace("%1", str(index + 1)))
            button.setObjectName(f"useCandidate{index}")
            button.clicked.connect(lambda _=False, i=index: self._choose(i))
            column.addWidget(view, 1)
            column.addWidget(button)
            row.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        kept = QLabel(self.tr("The others are kept as versions: browse them with ◀ ▶ below the story."))
        kept.setWordWrap(True)
        layout.addWidget(kept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(300 * max(2, len(texts)), 360)

    def _choose(self, index: int) -> None:
        self.selected = index
        self.accept()
