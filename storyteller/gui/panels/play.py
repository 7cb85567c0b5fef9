"""Adventure play: the transcript above, an input line with Do / Say / Story below. It shares the
main window's story, worker and undo history; the story is switched to adventure mode.

`TurnView` is what Play and Chat (chat.py) share: a transcript, a line to type the next turn, Send
and Stop, and the mode's own turn length, a story setting declared in engine/story/document.py."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.settings.schema import setting_of
from storyteller.engine.story.document import Author, Story
from storyteller.engine.story.modes import InputKind
from storyteller.engine.story.scenarios import adventure_starters
from storyteller.gui.common.fonts import korean_font
from storyteller.gui.common.setting_widgets import label, spin_box
from storyteller.gui.common.theme import Tints, tints_for

# Below this the line where a turn is typed shows too few characters to read back what was typed.
# With the turn kind and Send beside it, the row still fits beside the docks in an 800-pixel window.
INPUT_MIN_WIDTH = 200


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
    new_adventure = Signal(str)  # genre key (`genres`)
    TURN_LENGTH = "play_turn_length"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("playView")
        self.genre = QComboBox()
        self.genre.setObjectName("genre")
        # The genres are the shipped adventure scenarios (resources/scenarios/), as File > New from scenario lists them.
        self.genres = adventure_starters()
        for key, scenario in self.genres.items():
            self.genre.addItem(scenario.title, key)
            self.genre.setItemData(self.genre.count() - 1, scenario.description, Qt.ItemDataRole.ToolTipRole)
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
