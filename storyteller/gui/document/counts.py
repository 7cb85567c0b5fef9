"""The story's word and character count in the status bar, as Korean writers count: 어절 (words
between spaces) and characters with and without spaces (line breaks are not characters)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from storyteller.gui.document.document import StoryChange

COUNT_PAUSE_MS = 300  # counting a long story on every keystroke would lag


@dataclass(frozen=True)
class TextCounts:
    words: int
    characters: int
    characters_without_spaces: int


def count_text(text: str) -> TextCounts:
    words = text.split()
    return TextCounts(len(words), len(text.replace("\r", "").replace("\n", "")), sum(map(len, words)))


class WordCountLabel(QLabel):
    """Follows the document: recounts a moment after the writer stops typing."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("wordCount")
        self.document = document
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COUNT_PAUSE_MS)
        self._timer.timeout.connect(self.recount)
        document.changed.connect(self._story_changed)
        self.recount()

    def _story_changed(self, change: StoryChange) -> None:
        if StoryChange.NEW in change:
            self.recount()
        elif StoryChange.TEXT in change:
            self._timer.start()

    def recount(self) -> None:
        counts = self.count()
        self.setText(self.tr("%1 words · %2 characters (%3 without spaces)")
                     .replace("%1", f"{counts.words:,}").replace("%2", f"{counts.characters:,}")
                     .replace("%3", f"{counts.characters_without_spaces:,}"))

    def count(self) -> TextCounts:
        return count_text(self.document.story.text())
