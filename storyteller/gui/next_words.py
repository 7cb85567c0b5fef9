"""Next words: once the writer pauses, the model's likeliest next tokens at the cursor, offered in
the next-words panel; a click types the chosen one."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, QTimer

from storyteller.engine.errors import StorytellerError
from storyteller.engine.story import Piece

SUGGEST_PAUSE_MS = 700


class WordSuggestions(QObject):
    """Works for the window: its editor, next-words panel, model and engine client."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.editor, self.panel, self.client = window.editor, window.next_words, window.client
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUGGEST_PAUSE_MS)
        self._timer.timeout.connect(self.refresh)
        self.editor.cursorPositionChanged.connect(self._timer.start)
        self.panel.chosen.connect(self.insert)
        self.client.suggestions.connect(self.panel.show_choices)

    def schedule(self, *_) -> None:
        """Ask once the writer pauses: asking on every keystroke would queue up model calls."""
        self._timer.start()

    def refresh(self) -> None:
        builder = self.window.model.builder
        if builder is None or self.client.busy or self.editor.streaming:
            return
        # The story as it would be if it ended at the cursor; at the end this is exactly the
        # continuation's prompt, so the suggestion's prefill also readies the next Continue.
        story = self.window.document.story
        position, pieces = self.editor.textCursor().position(), []
        for piece in story.pieces:
            if position <= 0:
                break
            pieces.append(Piece(piece.author, [piece.text[:position]]))
            position -= len(piece.text)
        try:
            prompt = builder.build(dataclasses.replace(story, pieces=pieces)).text
        except StorytellerError:
            return
        self.client.suggest(prompt, 5)

    def insert(self, text: str) -> None:
        if self.editor.streaming:
            return
        cursor = self.editor.textCursor()
        if cursor.position() == 0 or self.editor.toPlainText()[cursor.position() - 1 : cursor.position()] in (
            " ",
            "\n",
        ):
            text = text.lstrip(" ")
        cursor.insertText(text)
        self.editor.setFocus()
