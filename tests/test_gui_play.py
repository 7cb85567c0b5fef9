"""Play and Chat in the real window with the tiny model: turns, names, turn lengths, new adventures
by genre, placeholders, and layouts that hold at 800×600 (issue 16, points 3, 9, 17)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from storyteller.engine.decode.requests import TextDelta
from storyteller.engine.story.document import Author, Mode, Piece, Story
from storyteller.engine.story.modes import InputKind
from tests.helpers.paths import ARTIFACTS

PLAY, CHAT = 1, 2
SHOTS = Path(os.environ.get("STORYTELLER_SHOTS", ARTIFACTS))  # screenshots for people to look at


def record_requests(monkeypatch, window) -> list:
    """The requests the window sends to the worker, in order (they still run)."""
    sent = []
    generate = window.client.generate

    def recording(job):
        sent.append(getattr(job, "request", job))  # the writing session sends a continuation plan
        return generate(job)

    monkeypatch.setattr(window.client, "generate", recording)
    return sent


def send(qtbot, window, line_edit, text: str) -> str:
    line_edit.setText(text)
    with qtbot.waitSignal(window.writing.generation_done, timeout=60_000) as done:
        qtbot.keyClick(line_edit, Qt.Key.Key_Return)
    return done.args[0]


def force_text(window, monkeypatch, text: str) -> None:
    """Make the tiny model write `text` (then more), through the real generator: its stop strings
    and the story's tidying decide what goes in."""
    from transformers import LogitsProcessor

    from storyteller.engine.decode.requests import DecodeHooks

    forced = window.client.loaded.tokenizer.encode(text)

    class Script(LogitsProcessor):
        start = None

        def __call__(self, input_ids, scores):
            if self.start is None:
                self.start = input_ids.shape[1]
            step = input_ids.shape[1] - self.start
            scores[:, forced[min(step, len(forced) - 1)]] += 1000
            return scores

    plan = window.writing.plan

    def scripted(retry):
        result = plan(retry)
        result.request = dataclasses.replace(result.request, hooks=DecodeHooks(logits_processors=[Script()]))
        return result

    monkeypatch.setattr(window.writing, "plan", scripted)


def test_chat_turn_with_names_and_its_own_reply_length(qtbot, window, monkeypatch):
    sent = record_requests(monkeypatch, window)
    window.mode_tabs.setCurrentIndex(CHAT)
    assert window.views.currentWidget() is window.chat and window.story.mode is Mode.CHAT
    for field, name in ((window.chat.user_name, " 민수 "), (window.chat.ai_name, "봇")):
        field.setText(name)
        field.editingFinished.emit()
    assert (window.story.chat_user_name, window.story.chat_ai_name) == ("민수", "봇")
    assert window.chat.user_name.text() == "민수" and window.document.is_modified()
    window.chat.turn_length.setValue(9)
    assert window.story.chat_turn_length == 9
    reply = send(qtbot, window, window.chat.input, "안녕?")
    pieces = window.story.pieces
    assert pieces[0].text == "민수: 안녕?\n봇:" and pieces[0].author is Author.PLAYER
    assert pieces[1].author is Author.MODEL and pieces[1].text == reply and reply.endswith("\n")
    settings = sent[-1].settings
    assert settings.max_new_tokens == 9 and window.story.generation.max_new_tokens == 24  # not the Length
    assert {"\n민수:", "\n봇:"} <= set(settings.stop_strings)
    assert "민수: 안녕?" in window.chat.transcript.toPlainText()
    assert window.chat.input.text() == "" and window.chat.input.isEnabled()


def test_chat_reply_stops_at_the_next_speaker(qtbot, window, monkeypatch):
    window.mode_tabs.setCurrentIndex(CHAT)
    force_text(window, monkeypatch, " 반가워요.\n사용자: 나도 반가워.\nAI: 그래요.")
    send(qtbot, window, window.chat.input, "안녕?")
    assert window.story.text().endswith("사용자: 안녕?\nAI: 반가워요.\n")
    assert "나도" not in window.story.text()


def test_bad_chat_names_are_refused_with_a_message(qtbot, window):
    window.mode_tabs.setCurrentIndex(CHAT)
    window.chat.ai_name.setText("사용자")
    window.chat.ai_name.editingFinished.emit()
    assert window.story.chat_ai_name == "AI" and window.chat.ai_name.text() == "AI"
    assert window.last_error is not None and "사용자" in window.last_error.text()
    window.last_error.close()


def test_chat_names_and_reply_length_are_saved_in_the_story(qtbot, window, isolated):
    window.mode_tabs.setCurrentIndex(CHAT)
    window.chat.user_name.setText("지우")
    window.chat.user_name.editingFinished.emit()
    window.chat.turn_length.setValue(17)
    path = isolated / "chat.story.json"
    assert window.files.save_to(path)
    from storyteller.engine.story.file import load_story

    loaded = load_story(path)
    assert (loaded.mode, loaded.chat_user_name, loaded.chat_turn_length) == (Mode.CHAT, "지우", 17)


def test_play_turns_use_the_play_turn_length_not_the_writing_length(qtbot, window, monkeypatch):
    sent = record_requests(monkeypatch, window)
    window.mode_tabs.setCurrentIndex(PLAY)
    window.play.turn_length.setValue(7)
    assert window.story.play_turn_length == 7
    send(qtbot, window, window.play.input, "문을 연다")
    assert sent[-1].settings.max_new_tokens == 7 and "\n>" in sent[-1].settings.stop_strings
    assert window.story.generation.max_new_tokens == 24


def test_new_adventure_by_genre_sets_memory_and_authors_note(qtbot, window):
    from storyteller.engine.story.scenarios import adventure_starters

    genres = {key: scenario.start() for key, scenario in adventure_starters().items()}  # resources/scenarios/
    window.mode_tabs.setCurrentIndex(PLAY)
    window.play.genre.setCurrentIndex(window.play.genre.findData("horror"))
    with qtbot.waitSignal(window.writing.generation_done, timeout=60_000):
        window.play.start_button.click()
    story = window.story
    assert story.mode is Mode.ADVENTURE and story.pieces[0].text.startswith(genres["horror"].text())
    assert story.memory == genres["horror"].memory and "공포" in story.memory
    assert story.authors_note == genres["horror"].authors_note
    assert window.notes.memory.toPlainText() == story.memory  # shown where the writer edits it
    assert window.notes.note.toPlainText() == story.authors_note
    assert len({genre.memory for genre in genres.values()}) == len(genres)


def test_each_input_kind_has_its_own_placeholder(qtbot, window):
    shown = {}
    for kind in InputKind:
        window.play.kind.setCurrentIndex(window.play.kind.findData(kind.value))
        shown[kind] = window.play.input.placeholderText()
    assert len(set(shown.values())) == len(InputKind)
    assert "say" in shown[InputKind.SAY].lower() and "do" in shown[InputKind.DO].lower()


def test_said_lines_in_play_use_straight_quotes(qtbot, window):
    window.mode_tabs.setCurrentIndex(PLAY)
    window.play.kind.setCurrentIndex(window.play.kind.findData("say"))
    send(qtbot, window, window.play.input, "누구세요?")
    assert '> "누구세요?"라고 말한다.' in window.story.text() and "“" not in window.story.text()


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)])
def test_play_and_chat_controls_are_usable_at_small_and_large_sizes(qtbot, window, size):
    from storyteller.engine.story.scenarios import adventure_starters
    from storyteller.gui.panels.play import INPUT_MIN_WIDTH

    window.showNormal()
    window.resize(*size)
    SHOTS.mkdir(parents=True, exist_ok=True)
    turns = {
        PLAY: Story(mode=Mode.ADVENTURE, pieces=[
            Piece.of(Author.WRITER, adventure_starters()["fantasy"].opening),
            Piece.of(Author.MODEL, "바람이 차갑게 불었다.\n"),
            Piece.of(Author.PLAYER, '> "여기가 어디죠?"라고 말한다.\n'),
            Piece.of(Author.MODEL, "노인이 고개를 들었다.")]),
        CHAT: Story(mode=Mode.CHAT, chat_user_name="민수", chat_ai_name="봇", pieces=[
            Piece.of(Author.PLAYER, "민수: 안녕? 오늘 날씨 어때?\n봇:"), Piece.of(Author.MODEL, " 맑고 따뜻해요.\n")]),
    }
    for index, view, name in ((PLAY, window.play, "play"), (CHAT, window.chat, "chat")):
        window.set_story(turns[index], None)
        assert window.mode_tabs.currentIndex() == index
        qtbot.wait(50)
        assert window.width() <= size[0] and window.height() <= size[1]
        assert view.input.width() >= INPUT_MIN_WIDTH, f"{name}: the input is {view.input.width()} px wide"
        assert view.transcript.height() >= 120
        for widget in (view.send, view.stop, view.turn_length):
            assert widget.isVisible() and widget.width() >= widget.minimumSizeHint().width()
        window.grab().save(str(SHOTS / f"{name}-view-{size[0]}x{size[1]}.png"))


def test_new_chat_keeps_the_names_and_reply_length_and_starts_empty(qtbot, window, questions):
    window.editor.setPlainText("옛날 옛적에")
    window.mode_tabs.setCurrentIndex(CHAT)
    assert "Chat in this story?" in questions and window.story.mode is Mode.CHAT  # the writer was asked
    window.chat.user_name.setText("지우")
    window.chat.user_name.editingFinished.emit()
    window.chat.turn_length.setValue(12)
    window.chat.new_button.click()
    story = window.story
    assert (story.mode, story.pieces, story.chat_user_name, story.chat_turn_length) == (Mode.CHAT, [], "지우", 12)
    assert window.views.currentWidget() is window.chat and window.chat.transcript.toPlainText() == ""


def test_a_refused_switch_keeps_the_view_and_the_mode(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.No)
    window.editor.setPlainText("옛날 옛적에")
    window.mode_tabs.setCurrentIndex(CHAT)
    assert window.mode_tabs.currentIndex() == 0 and window.views.currentIndex() == 0
    assert window.story.mode is Mode.STORY


def test_a_turn_sent_before_the_model_is_ready_stays_in_its_input(qtbot, window):
    window.set_story(Story(mode=Mode.ADVENTURE, pieces=[Piece.of(Author.WRITER, "동굴 앞이다.\n")]), None)
    window.mode_tabs.setCurrentIndex(PLAY)
    builder, window.model.builder = window.model.builder, None  # as while a model loads or after it failed
    try:
        window.play.input.setText("문을 연다")
        qtbot.keyClick(window.play.input, Qt.Key.Key_Return)
        assert window.play.input.text() == "문을 연다" and len(window.story.pieces) == 1
        assert "not ready" in window.statusBar().currentMessage()
    finally:
        window.model.builder = builder
    send(qtbot, window, window.play.input, window.play.input.text())
    assert window.play.input.text() == "" and "문을 연다" in window.story.text()


def test_opening_another_chat_shows_its_names_even_in_a_field_being_edited(qtbot, window, isolated):
    other = Story(mode=Mode.CHAT, chat_user_name="민수", chat_ai_name="봇",
                  pieces=[Piece.of(Author.PLAYER, "민수: 안녕\n")])
    path = isolated / "other.story.json"
    from storyteller.engine.story.file import save_story

    save_story(other, path)
    window.set_story(Story(mode=Mode.CHAT, chat_user_name="철수"), None)
    window.mode_tabs.setCurrentIndex(CHAT)
    window.activateWindow()
    window.chat.user_name.setFocus()
    qtbot.waitUntil(window.chat.user_name.hasFocus)
    window.files.open_path(path)
    window.chat.input.setFocus()  # focus leaves the name field: editingFinished
    qtbot.wait(50)
    assert window.chat.user_name.text() == "민수" and window.story.chat_user_name == "민수"
    assert not window.document.is_modified()


def test_switching_a_story_to_play_is_an_unsaved_change_and_not_offered_while_writing(qtbot, window):
    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에")]), None)
    assert not window.document.is_modified()
    window.mode_tabs.setCurrentIndex(PLAY)  # the `questions` fixture answers Yes
    assert window.story.mode is Mode.ADVENTURE and window.document.is_modified()

    window.mode_tabs.setCurrentIndex(0)
    with qtbot.waitSignal(window.writing.generation_done, timeout=60_000):
        window.continue_action.trigger()
        assert not window.mode_tabs.isEnabled() and not window.view_actions.isEnabled()
    assert window.mode_tabs.isEnabled()


def test_text_of_a_dropped_continuation_lands_nowhere(qtbot, window):
    window.set_story(Story(mode=Mode.ADVENTURE, pieces=[Piece.of(Author.WRITER, "동굴 앞이다.\n")]), None)
    window.mode_tabs.setCurrentIndex(PLAY)
    window.writing.drop()  # nothing is being written now: text still on its way belongs to no story
    window.client.delta.emit(0, TextDelta(0, "늦은 토큰"))
    assert "늦은" not in window.play.transcript.toPlainText() and "늦은" not in window.editor.toPlainText()
