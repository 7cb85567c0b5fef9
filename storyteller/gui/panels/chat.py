"""Chat: the story as `name: text` turns between the writer and the model, with both names
editable (they are saved in the story) and a short reply length of its own. The turns and where a
reply stops are the engine's (engine/story/modes.py); this view only shows them and takes the next one."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from storyteller.engine.story.document import Story
from storyteller.gui.common.theme import Tints
from storyteller.gui.panels.play import TurnView

NAME_WIDTH = 110


class ChatView(TurnView):
    message = Signal(str)
    names_edited = Signal(str, str)  # your name, the model's name, as typed
    new_chat = Signal()
    TURN_LENGTH = "chat_turn_length"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("chatView")
        self.user_name = QLineEdit()
        self.user_name.setObjectName("chatUserName")
        self.ai_name = QLineEdit()
        self.ai_name.setObjectName("chatAiName")
        for field in (self.user_name, self.ai_name):
            field.setMinimumWidth(NAME_WIDTH // 2)
            field.setMaximumWidth(NAME_WIDTH)
            field.setToolTip(self.tr("Each turn starts with the speaker's name and a colon."))
            field.editingFinished.connect(self._names_edited)
        self.new_button = QPushButton(self.tr("New chat"))
        self.new_button.setObjectName("newChat")
        self.new_button.clicked.connect(self.new_chat)
        self.top.addWidget(QLabel(self.tr("You")))
        self.top.addWidget(self.user_name)
        self.top.addWidget(QLabel(self.tr("Model")))
        self.top.addWidget(self.ai_name)
        self.top.addWidget(self.new_button)
        self.top.addStretch(1)
        self.input.setObjectName("chatInput")
        self.input.setPlaceholderText(self.tr("Your message, e.g. 오늘 하루는 어땠어?"))
        self.send.setObjectName("sendMessage")
        self.set_busy(False)

    def show_story(self, story: Story) -> None:
        for field, name in ((self.user_name, story.chat_user_name), (self.ai_name, story.chat_ai_name)):
            if not field.hasFocus():  # never overwrite a name being typed
                field.setText(name)
        super().show_story(story)

    def set_names(self, story: Story) -> None:
        """Show the names the story holds now (the typed ones, tidied, or the old ones if refused)."""
        self.user_name.setText(story.chat_user_name)
        self.ai_name.setText(story.chat_ai_name)

    def render(self, story: Story, tints: Tints) -> str:
        """Each line as a turn, the speaker's name in bold and their own colour."""
        colours = {story.chat_user_name: tints.player_text, story.chat_ai_name: tints.model_speaker_text}
        lines = []
        for line in story.text().split("\n"):
            name, colon, rest = line.partition(":")
            if colon and name in colours:
                lines.append(f'<b style="color:{colours[name]}">{html.escape(name)}:</b>{html.escape(rest)}')
            else:
                lines.append(html.escape(line))
        return "<br>".join(lines)

    def busy_disabled(self) -> list[QWidget]:
        return [*super().busy_disabled(), self.new_button, self.user_name, self.ai_name]

    def send_turn(self, text: str) -> None:
        self.message.emit(text)

    def _names_edited(self) -> None:
        self.names_edited.emit(self.user_name.text(), self.ai_name.text())
