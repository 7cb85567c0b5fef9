"""Adventure play: the transcript above, an input line with Do / Say / Story below. It shares the
main window's story, worker and undo history; the story is switched to adventure mode."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextBrowser, QVBoxLayout, QWidget,
)

from storyteller.engine.modes import InputKind
from storyteller.engine.story import Author, Story

from .editor import korean_font
from .theme import tints_for

# Openings the model continues for a new adventure, by genre (shown translated).
GENRE_OPENINGS = {
    "fantasy": "마법이 사라져 가는 왕국의 변방 마을. 나는 낡은 검 한 자루와 지도 한 장을 들고 여관 문을 나섰다.",
    "martial": "강호에 피바람이 불던 해, 나는 스승의 유언을 품고 무림맹이 있는 산으로 향했다.",
    "sf": "우주선 아르고호의 냉동 수면실에서 눈을 떴을 때, 경보음이 울리고 있었고 다른 승무원은 아무도 없었다.",
    "horror": "비가 억수같이 쏟아지던 밤, 나는 산속 폐가의 삐걱거리는 대문을 밀고 들어섰다.",
    "mystery": "아침 일곱 시, 하숙집 주인이 서재에서 쓰러진 채 발견되었다. 형사인 나는 현관에 들어서며 주위를 살폈다.",
    "romance": "벚꽃이 흩날리던 봄날, 나는 오래된 헌책방에서 낯익은 이름이 적힌 편지 한 통을 발견했다.",
}


class PlayView(QWidget):
    action = Signal(str, object)  # text, InputKind
    new_adventure = Signal(str)  # opening text
    stop_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("playView")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.genre = QComboBox()
        self.genre.setObjectName("genre")
        for key, title in self.genre_titles().items():
            self.genre.addItem(title, key)
        self.start_button = QPushButton(self.tr("New adventure"))
        self.start_button.setObjectName("newAdventure")
        self.start_button.clicked.connect(self._start)
        top.addWidget(QLabel(self.tr("Genre")))
        top.addWidget(self.genre)
        top.addWidget(self.start_button)
        top.addStretch(1)
        self.transcript = QTextBrowser()
        self.transcript.setObjectName("transcript")
        self.transcript.setFont(korean_font(13))
        bottom = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("inputKind")
        self.kind.addItem(self.tr("Do"), InputKind.DO.value)
        self.kind.addItem(self.tr("Say"), InputKind.SAY.value)
        self.kind.addItem(self.tr("Story"), InputKind.STORY.value)
        self.kind.setToolTip(self.tr("Do: 문을 연다 → > 나는 문을 연다.  Say: 누구세요? → > “누구세요?”라고 말한다.  "
                                     "Story: narration added as is."))
        self.input = QLineEdit()
        self.input.setObjectName("actionInput")
        self.input.setFont(korean_font(13))
        self.input.setPlaceholderText(self.tr("What do you do? e.g. 문을 연다"))
        self.send = QPushButton(self.tr("Send"))
        self.send.setObjectName("sendAction")
        self.stop = QPushButton(self.tr("Stop"))
        self.input.returnPressed.connect(self._send)
        self.send.clicked.connect(self._send)
        self.stop.clicked.connect(self.stop_requested)
        bottom.addWidget(self.kind)
        bottom.addWidget(self.input, 1)
        bottom.addWidget(self.send)
        bottom.addWidget(self.stop)
        layout.addLayout(top)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(bottom)
        self._streamed = ""
        self.set_busy(False)

    def genre_titles(self) -> dict[str, str]:
        return {"fantasy": self.tr("Fantasy"), "martial": self.tr("Martial arts"), "sf": self.tr("SF"),
                "horror": self.tr("Horror"), "mystery": self.tr("Mystery"), "romance": self.tr("Romance")}

    def show_story(self, story: Story) -> None:
        parts, tints = [], tints_for(QApplication.palette())  # the editor's author colours, for the theme
        for piece in story.pieces:
            text = html.escape(piece.text).replace("\n", "<br>")
            if piece.author is Author.PLAYER:
                parts.append(f'<span style="color:{tints.player_text}; font-weight:600">{text}</span>')
            else:
                parts.append(text)
        if self._streamed:
            streamed = html.escape(self._streamed).replace(chr(10), "<br>")
            parts.append(f'<span style="background:{tints.stream_background}">{streamed}</span>')
        self.transcript.setHtml("".join(parts))
        self.transcript.verticalScrollBar().setValue(self.transcript.verticalScrollBar().maximum())

    def stream(self, story: Story, text: str) -> None:
        self._streamed += text
        self.show_story(story)

    def clear_stream(self) -> None:
        self._streamed = ""

    def set_busy(self, busy: bool) -> None:
        for widget in (self.input, self.send, self.start_button, self.kind):
            widget.setEnabled(not busy)
        self.stop.setEnabled(busy)

    def _send(self) -> None:
        text = self.input.text().strip()
        if text:
            self.input.clear()
            self.action.emit(text, InputKind(self.kind.currentData()))

    def _start(self) -> None:
        self.new_adventure.emit(GENRE_OPENINGS[self.genre.currentData()])
