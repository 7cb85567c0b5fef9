"""The story's title, edited above the story: saved with it and shown in the window title."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from storyteller.gui.common.fonts import korean_font
from storyteller.gui.document.document import StoryChange

NOTHING_ELSE = StoryChange(0)  # a title edit changes nothing the panels show; the window title follows


class TitleField(QLineEdit):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("storyTitle")
        self.setFont(korean_font(15))
        self.setPlaceholderText(self.tr("Title"))
        self.setToolTip(self.tr("The story's title: saved with it and shown in the window title"))
        self.document = document
        self.textEdited.connect(self._edited)
        document.changed.connect(self._story_changed)

    def _story_changed(self, change: StoryChange) -> None:
        if StoryChange.NEW in change:
            self.setText(self.document.story.title)

    def _edited(self, text: str) -> None:
        self.document.story.title = text.strip()
        self.document.edited(NOTHING_ELSE)
