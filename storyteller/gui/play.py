"""Adventure play: the transcript above, an input line with Do / Say / Story below. It shares the
main window's story, worker and undo history; the story is switched to adventure mode.

`TurnView` is what Play and Chat (chat.py) share: a transcript, a line to type the next turn, Send
and Stop, and the mode's own turn length, a story setting declared in engine/story.py."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QTextBrowser, QVBoxLayout,
    QWidget,
)

from storyteller.engine.modes import InputKind
from storyteller.engine.schema import setting_of
from storyteller.engine.story import Author, Story

from .editor import korean_font
from .setting_widgets import label, spin_box
from .theme import Tints, tints_for

# Below this the line where a turn is typed shows too few characters to read back what was typed.
# With the turn kind and Send beside it, the row still fits beside the docks in an 800-pixel window.
INPUT_MIN_WIDTH = 200


@dataclass(frozen=True)
class Genre:
    """What a new adventure of a genre starts from: the opening the model continues, the memory it
    always sees and an author's note that keeps the tone."""

    opening: str
    memory: str
    authors_note: str


GENRES = {
    "fantasy": Genre(
        "마법이 사라져 가는 왕국의 변방 마을. 나는 낡은 검 한 자루와 지도 한 장을 들고 여관 문을 나섰다.",
        "장르: 판타지 모험. 마법이 사라져 가는 왕국. 주인공 '나'는 낡은 검과 지도 한 장을 지닌 떠돌이 모험가다. "
        "검과 마법, 괴물, 고대 유적이 있는 세계.",
        "긴장감 있는 모험, 생생한 풍경 묘사",
    ),
    "martial": Genre(
        "강호에 피바람이 불던 해, 나는 스승의 유언을 품고 무림맹이 있는 산으로 향했다.",
        "장르: 무협. 강호는 정파와 사파의 싸움으로 어지럽다. 주인공 '나'는 스승을 잃은 젊은 무인으로, "
        "스승의 유언을 품고 무림맹을 찾아간다.",
        "무공 초식과 내공 묘사, 의리와 복수, 고풍스러운 말투",
    ),
    "sf": Genre(
        "우주선 아르고호의 냉동 수면실에서 눈을 떴을 때, 경보음이 울리고 있었고 다른 승무원은 아무도 없었다.",
        "장르: SF. 먼 미래, 우주선 아르고호는 새 행성을 향해 항해 중이다. 주인공 '나'는 냉동 수면에서 홀로 깨어난 "
        "승무원이다. 선내 인공지능과 고장 난 장비가 곁에 있다.",
        "과학적인 세부 묘사, 고립감, 조금씩 드러나는 비밀",
    ),
    "horror": Genre(
        "비가 억수같이 쏟아지던 밤, 나는 산속 폐가의 삐걱거리는 대문을 밀고 들어섰다.",
        "장르: 공포. 외딴 산속의 오래된 폐가. 주인공 '나'는 실종된 친구를 찾아 비 오는 밤에 이곳에 왔다.",
        "서서히 조여 오는 공포, 소리와 어둠의 묘사, 설명되지 않는 일",
    ),
    "mystery": Genre(
        "아침 일곱 시, 하숙집 주인이 서재에서 쓰러진 채 발견되었다. 형사인 나는 현관에 들어서며 주위를 살폈다.",
        "장르: 추리. 하숙집 주인이 서재에서 숨진 채 발견되었다. 주인공 '나'는 사건을 맡은 형사다. "
        "하숙생들은 저마다 무언가를 숨기고 있다.",
        "단서와 증언, 논리적인 추리, 의심스러운 인물들",
    ),
    "romance": Genre(
        "벚꽃이 흩날리던 봄날, 나는 오래된 헌책방에서 낯익은 이름이 적힌 편지 한 통을 발견했다.",
        "장르: 로맨스. 봄날의 작은 도시. 주인공 '나'는 헌책방에서 오래전 헤어진 첫사랑의 이름이 적힌 편지를 "
        "발견했다.",
        "섬세한 감정 묘사, 설렘과 망설임, 따뜻한 분위기",
    ),
}


class TurnView(QWidget):
    """A transcript and the line for the next turn; subclasses fill `top` and render the story."""

    stop_requested = Signal()
    turn_length_changed = Signal(int)
    TURN_LENGTH = ""  # the Story field holding this mode's turn length

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.top = QHBoxLayout()
        declared = setting_of(Story, self.TURN_LENGTH)
        self.turn_length = spin_box(declared)
        self.turn_length.setObjectName("turnLength")
        self.turn_length.setSuffix(self.tr(" tokens"))
        self.turn_length.valueChanged.connect(self.turn_length_changed)
        self.transcript = QTextBrowser()
        self.transcript.setObjectName("transcript")
        self.transcript.setFont(korean_font(13))
        self.transcript.setMinimumHeight(120)
        self.bottom = QHBoxLayout()
        self.input = QLineEdit()
        self.input.setObjectName("actionInput")
        self.input.setFont(korean_font(13))
        self.input.setMinimumWidth(INPUT_MIN_WIDTH)
        self.input.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.send = QPushButton(self.tr("Send"))
        self.send.setObjectName("sendAction")
        self.stop = QPushButton(self.tr("Stop"))
        self.input.returnPressed.connect(self._send)
        self.send.clicked.connect(self._send)
        self.stop.clicked.connect(self.stop_requested)
        self.bottom.addWidget(self.input, 1)
        self.bottom.addWidget(self.send)
        length_row = QHBoxLayout()  # Stop sits here: beside Send the row would not fit at 800 pixels
        length_row.addWidget(self.stop)
        length_row.addStretch(1)
        length_row.addWidget(label(declared))
        length_row.addWidget(self.turn_length)
        layout.addLayout(self.top)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(self.bottom)
        layout.addLayout(length_row)
        self._streamed = ""

    def show_story(self, story: Story) -> None:
        tints = tints_for(QApplication.palette())  # the editor's author colours, for the theme
        parts = [self.render(story, tints)]
        if self._streamed:
            streamed = html.escape(self._streamed).replace("\n", "<br>")
            parts.append(f'<span style="background:{tints.stream_background}">{streamed}</span>')
        # pre-wrap keeps every space, so the transcript's characters are the story's (token hit-testing)
        self.transcript.setHtml('<div style="white-space:pre-wrap">' + "".join(parts) + "</div>")
        self.transcript.verticalScrollBar().setValue(self.transcript.verticalScrollBar().maximum())
        self.turn_length.blockSignals(True)
        self.turn_length.setValue(getattr(story, self.TURN_LENGTH))
        self.turn_length.blockSignals(False)

    def render(self, story: Story, tints: Tints) -> str:
        raise NotImplementedError

    def stream(self, story: Story, text: str) -> None:
        self._streamed += text
        self.show_story(story)

    def clear_stream(self) -> None:
        self._streamed = ""

    def set_busy(self, busy: bool) -> None:
        for widget in self.busy_disabled():
            widget.setEnabled(not busy)
        self.stop.setEnabled(busy)

    def busy_disabled(self) -> list[QWidget]:
        return [self.input, self.send, self.turn_length]

    def _send(self) -> None:
        text = self.input.text().strip()
        if text:
            self.send_turn(text)  # the input is cleared once the turn is taken (AdventurePlay.take_turn)

    def send_turn(self, text: str) -> None:
        raise NotImplementedError


class PlayView(TurnView):
    action = Signal(str, object)  # text, InputKind
    new_adventure = Signal(str)  # genre key (GENRES)
    TURN_LENGTH = "play_turn_length"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("playView")
        self.genre = QComboBox()
        self.genre.setObjectName("genre")
        for key, title in self.genre_titles().items():
            self.genre.addItem(title, key)
        self.start_button = QPushButton(self.tr("New adventure"))
        self.start_button.setObjectName("newAdventure")
        self.start_button.clicked.connect(self._start)
        self.top.addWidget(QLabel(self.tr("Genre")))
        self.top.addWidget(self.genre)
        self.top.addWidget(self.start_button)
        self.top.addStretch(1)
        self.kind = QComboBox()
        self.kind.setObjectName("inputKind")
        self.kind.addItem(self.tr("Do"), InputKind.DO.value)
        self.kind.addItem(self.tr("Say"), InputKind.SAY.value)
        self.kind.addItem(self.tr("Story"), InputKind.STORY.value)
        self.kind.setToolTip(self.tr("Do: 문을 연다 → > 나는 문을 연다.  Say: 누구세요? → > \"누구세요?\"라고 말한다.  "
                                     "Story: narration added as is."))
        self.kind.currentIndexChanged.connect(self._show_placeholder)
        self.bottom.insertWidget(0, self.kind)
        self._show_placeholder()
        self.set_busy(False)

    def genre_titles(self) -> dict[str, str]:
        return {"fantasy": self.tr("Fantasy"), "martial": self.tr("Martial arts"), "sf": self.tr("SF"),
                "horror": self.tr("Horror"), "mystery": self.tr("Mystery"), "romance": self.tr("Romance")}

    def placeholders(self) -> dict[InputKind, str]:
        return {InputKind.DO: self.tr("What do you do? e.g. 문을 연다"),
                InputKind.SAY: self.tr("What do you say? e.g. 누구세요?"),
                InputKind.STORY: self.tr("What happens next? e.g. 갑자기 등불이 꺼졌다.")}

    def render(self, story: Story, tints: Tints) -> str:
        parts = []
        for piece in story.pieces:
            text = html.escape(piece.text).replace("\n", "<br>")
            if piece.author is Author.PLAYER:
                parts.append(f'<span style="color:{tints.player_text}; font-weight:600">{text}</span>')
            else:
                parts.append(text)
        return "".join(parts)

    def busy_disabled(self) -> list[QWidget]:
        return [*super().busy_disabled(), self.start_button, self.kind]

    def send_turn(self, text: str) -> None:
        self.action.emit(text, InputKind(self.kind.currentData()))

    def _show_placeholder(self, *_) -> None:
        self.input.setPlaceholderText(self.placeholders()[InputKind(self.kind.currentData())])

    def _start(self) -> None:
        self.new_adventure.emit(self.genre.currentData())
