"""Next words: once the writer pauses, the model's likeliest next tokens at the cursor, offered in
the next-words panel; a click types the chosen one. They follow the story's `changed` signal, so
undo, redo and continuations refresh them as typing does."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, QTimer

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.korean.words import ban_phrases
from storyteller.engine.story.document import Piece
from storyteller.gui.background.worker import EngineClient
from storyteller.gui.controllers.model_status import ModelStatus
from storyteller.gui.document.document import StoryChange, StoryDocument
from storyteller.gui.document.editor import StoryEditor
from storyteller.gui.panels.next_words import NextWordsPanel

SUGGEST_PAUSE_MS = 700
SHOWN, SPARE = 5, 5  # words offered, and extra ones asked for in case bans rule some out


class NextWords(QObject):
    """Asks the engine `client` for the next words at the `editor`'s cursor in the story of `document`,
    built for the model of `model` (its context builder), and offers them in `panel`."""

    def __init__(self, client: EngineClient, document: StoryDocument, model: ModelStatus, editor: StoryEditor,
                 panel: NextWordsPanel, parent: QObject):
        super().__init__(parent)
        self.client, self.document, self.model, self.editor, self.panel = client, document, model, editor, panel
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUGGEST_PAUSE_MS)
        self._timer.timeout.connect(self.refresh)
        self.editor.cursorPositionChanged.connect(self._timer.start)
        document.changed.connect(self._story_changed)
        self.panel.chosen.connect(self.insert)
        self.client.suggestions.connect(self._show)

    def schedule(self, *_) -> None:
        """Ask once the writer pauses: asking on every keystroke would queue up model calls."""
        self._timer.start()

    def _story_changed(self, change) -> None:
        if StoryChange.TEXT not in change or self.editor.streaming:
            return
        if StoryChange.TYPING not in change:
            # Undo, redo, a continuation or another story changed the text under the cursor:
            # the words shown were for a text that is gone.
            self.panel.show_choices([])
        self.schedule()

    def refresh(self) -> None:
        builder = self.model.builder
        if self.client.busy or self.editor.streaming:
            return
        if builder is None:
            self.panel.show_choices([])
            return
        # The story as it would be if it ended at the cursor; at the end this is exactly the
        # continuation's prompt, so the suggestion's prefill also readies the next Continue.
        story = self.document.story
        position, pieces = self.editor.textCursor().position(), []
        for piece in story.pieces:
            if position <= 0:
                break
            pieces.append(Piece(piece.author, [piece.text[:position]]))
            position -= len(piece.text)
        try:
            prompt = builder.build(dataclasses.replace(story, pieces=pieces)).text
        except StorytellerError:  # e.g. memory too large: the context bar says why
            self.panel.show_choices([])
            return
        self.client.suggest(prompt, SHOWN + SPARE)

    def _show(self, choices) -> None:
        """The likeliest words that the story's bans allow (the panel offered a banned 사람 at the top)."""
        banned = tuple(ban_phrases(self.document.story.steering.banned))
        allowed = [c for c in choices if not (word := c.text.strip()) or not word.startswith(banned)]
        self.panel.show_choices(allowed[:SHOWN])

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
