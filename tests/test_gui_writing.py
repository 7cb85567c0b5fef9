"""Issue 16 in the real window: new stories' settings and presets, autosave within seconds,
candidates kept as versions, next words after undo and redo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.helpers.gui import type_text
from tests.helpers.paths import ROOT
from tests.helpers.waiting import wait_for

pytestmark = pytest.mark.timeout(180)


# -- autosave (point 4) ----------------------------------------------------------------------------


def recovered_text(autosaver) -> str | None:
    pending = autosaver.pending()
    return pending[0][1].text() if pending else None


def test_typing_reaches_the_recovery_copy_two_seconds_after_the_last_keystroke(qtbot, window):
    saver = window.files.autosaver
    window.editor.setFocus()
    type_text(window.editor, "사라지면 안 되는 문장.")
    qtbot.wait(1000)
    assert recovered_text(saver) is None  # not on every keystroke: once the writer pauses
    qtbot.waitUntil(lambda: recovered_text(saver) == "사라지면 안 되는 문장.", timeout=2500)


def test_nonstop_typing_is_still_saved_every_few_seconds(qtbot, window):
    saver = window.files.autosaver
    window.editor.setFocus()
    seen = []
    started = time.monotonic()
    while time.monotonic() - started < 5.5:  # a key every 0.3 s: never a 2 s pause
        type_text(window.editor, "가")
        qtbot.wait(300)
        seen.append(recovered_text(saver))
    assert any(seen), "nothing was saved during 5.5 s of typing"
    first = next(i for i, text in enumerate(seen) if text)
    assert first * 0.3 <= 4.6  # at the latest two pauses' worth after the first key


KILLED_WRITER = textwrap.dedent(
    """
    from PySide6.QtWidgets import QApplication
    from storyteller.engine.korean.analysis import analyzer
    from storyteller.gui.app import build_window, make_settings
    from tests.helpers.gui import type_text

    # The writer starts once the app has settled: Kiwi's first load holds the GIL for seconds
    # (a known stall of the window at start-up), which would delay the pause this test times.
    analyzer().split_into_sents("준비.")
    app = QApplication([])
    window = build_window(make_settings())
    window.show()
    window.editor.setFocus()
    type_text(window.editor, "죽기 직전에 쓴 글.")
    print("typed", flush=True)
    app.exec()
    """
)


def test_killing_the_app_after_a_pause_loses_nothing_typed(isolated):
    from storyteller.engine.story.file import Autosaver

    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        assert process.stdout.readline().strip() == b"typed"
        # the writer paused; once the recovery copy holds all they typed, the power goes
        saver = Autosaver(isolated / "data" / "recovery")
        assert wait_for(lambda: recovered_text(saver) == "죽기 직전에 쓴 글.", timeout=30)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert recovered_text(Autosaver(isolated / "data" / "recovery")) == "죽기 직전에 쓴 글."


# -- new stories' settings and the preset box (point 2) --------------------------------------------


@pytest.fixture
def fresh_window(qtbot, isolated, questions):
    """The window as a first start shows it: no model needed, nothing set by the test."""
    from storyteller.gui.app import build_window, make_settings

    windows = []

    def start():
        win = build_window(make_settings())
        qtbot.addWidget(win)
        windows.append(win)
        return win

    yield start
    for win in windows:
        win.client.shutdown()
        win.document.mark_saved()


def test_the_first_story_starts_from_default_and_new_ones_from_the_last_choice_the_box_names(
        qtbot, fresh_window, isolated, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from storyteller.engine.settings.generation import GenerationSettings
    from storyteller.engine.settings.presets import PRESETS, same_sampling
    from storyteller.engine.story.document import Story
    from storyteller.engine.story.file import save_story

    window = fresh_window()
    presets = window.sampling.presets
    assert window.story.generation == PRESETS["default"]  # not the neutral declared values
    assert window.story.generation != GenerationSettings()
    assert presets.currentText() == "Default"

    # A slider edit: the box says which preset was changed.
    window.sampling._rows["temperature"][0].setValue(95)
    assert window.story.generation.temperature == pytest.approx(0.95)
    assert presets.currentText() == "Default (modified)"
    window.sampling._rows["temperature"][0].setValue(80)  # back where the preset had it
    assert presets.currentText() == "Default"

    # File > New starts from the writer's last choice, and still says where it came from.
    window.sampling._rows["top_k"][1].setValue(40)
    window.findChild(type(window.continue_action), "new").trigger()
    assert window.story.generation.top_k == 40 and window.story.generation.temperature == pytest.approx(0.8)
    assert presets.currentText() == "Default (modified)"

    # Choosing a preset: its name is shown; an imported text starts from it too.
    presets.activated.emit(presets.findText("Steady"))
    assert presets.currentText() == "Steady" and same_sampling(window.story.generation, PRESETS["steady"])
    text = isolated / "옛이야기.txt"
    text.write_text("옛날 옛적에 호랑이가 살았다.\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(text), ""))
    window.findChild(type(window.continue_action), "import").trigger()
    assert window.story.text() == "옛날 옛적에 호랑이가 살았다."
    assert same_sampling(window.story.generation, PRESETS["steady"]) and presets.currentText() == "Steady"
    markdown = isolated / "초고.md"  # Markdown is text too (it went to the KoboldAI reader)
    markdown.write_text("# 호랑이와 곶감\n\n옛날 옛적에 호랑이가 살았다.\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(markdown), ""))
    window.findChild(type(window.continue_action), "import").trigger()
    assert window.story.text() == "옛날 옛적에 호랑이가 살았다." and window.story.title == "호랑이와 곶감"

    # A story with settings of its own: no stale name.
    path = isolated / "own.story.json"
    save_story(Story(generation=GenerationSettings(temperature=1.4, top_k=7)), path)
    assert window.files.open_path(path)
    assert presets.currentText() == "Custom settings"

    # The next start: the first story starts from the last choice, named.
    again = fresh_window()
    assert same_sampling(again.story.generation, PRESETS["steady"])
    assert again.sampling.presets.currentText() == "Steady"


def test_the_preset_box_names_an_edited_preset_after_a_restart(qtbot, fresh_window):
    window = fresh_window()
    window.sampling._rows["repetition_penalty"][1].setValue(1.4)
    assert window.sampling.presets.currentText() == "Default (modified)"
    again = fresh_window()
    assert again.story.generation.repetition_penalty == pytest.approx(1.4)
    assert again.sampling.presets.currentText() == "Default (modified)"


# -- candidates kept as versions (point 10) --------------------------------------------------------


def test_candidates_not_chosen_are_versions_to_browse(qtbot, window, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QPushButton

    from storyteller.engine.story.modes import tidy_output
    from storyteller.gui.dialogs.candidates import CandidatesDialog

    notes = []

    def pick_third(dialog):
        notes.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.findChild(QPushButton, "useCandidate2").click()
        return True

    monkeypatch.setattr(CandidatesDialog, "exec", pick_third)
    window.story.tidy.trim_incomplete_sentence = False  # three different texts, none cut away
    window.sampling._rows["num_candidates"][1].setValue(3)
    window.editor.setPlainText("그날 밤 바람이 불었다.")
    with qtbot.waitSignal(window.client.finished, timeout=60_000) as finished:
        window.continue_action.trigger()
    texts = [tidy_output(text, window.story) for text in finished.args[1].texts]
    assert len(set(texts)) == 3 and any("◀ ▶" in note for note in notes)
    piece = window.story.pieces[-1]
    assert piece.versions == [texts[2], texts[0], texts[1]] and piece.chosen == 0
    assert window.version_label.text() == "1 / 3" and window.next_version.isEnabled()
    qtbot.mouseClick(window.next_version, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "그날 밤 바람이 불었다." + texts[0] and window.version_label.text() == "2 / 3"
    window.undo_action.trigger()  # browsing is undoable; the continuation itself one more step
    window.undo_action.trigger()
    assert window.story.text() == "그날 밤 바람이 불었다."


# -- next words after undo and redo (point 14) -----------------------------------------------------


def test_next_words_follow_undo_and_redo_without_moving_the_cursor(qtbot, window, monkeypatch):
    from PySide6.QtCore import Qt

    from tests.helpers.gui import continue_and_wait

    asked = []
    suggest = window.client.suggest
    monkeypatch.setattr(window.client, "suggest", lambda prompt, k=5: (asked.append(prompt), suggest(prompt, k)))

    def shown() -> bool:
        return any(button.isVisible() for button in window.next_words_panel.buttons)

    def offered_for(text: str) -> None:
        """Wait until next words were asked for the story ending at `text` and are shown."""
        qtbot.waitUntil(lambda: bool(asked) and asked[-1].endswith(text) and shown(), timeout=10_000)

    editor = window.editor
    editor.setFocus()
    type_text(editor, "옛날 옛적에")
    offered_for("옛날 옛적에")
    written = continue_and_wait(qtbot, window)
    assert written
    whole = window.story.text()
    assert whole.endswith(written)
    offered_for(whole)

    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the continuation
    assert not shown()  # the words for the text that is gone disappear at once
    offered_for("옛날 옛적에")
    assert editor.textCursor().position() == len("옛날 옛적에")

    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.story.text() == whole and not shown()
    assert editor.textCursor().position() == len(whole)  # the cursor follows the redone text
    offered_for(whole)


def test_a_continuation_that_fails_after_some_text_keeps_that_text_and_says_why(qtbot, tiny_loaded):
    """A failure that carries no result of its own (a server's connection broken mid-stream) after
    some text arrived: the worker hands over what was written as a Stop would, then the error. The
    GUI sends a ContinuationPlan, not a bare request (the worker once read `.settings` off the plan)."""
    from storyteller.engine.decode.requests import Finished, TextDelta
    from storyteller.engine.story.context import ContextBuilder
    from storyteller.engine.story.continuation import plan_continuation
    from storyteller.engine.story.document import Author, Piece, Story
    from storyteller.gui.background.worker import EngineWorker, Failed

    class BreaksAfterOneWord:
        def stream(self, request, cancel):
            yield TextDelta(0, " 그는")
            raise ConnectionResetError("connection reset by peer")

    plan = plan_continuation(Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에")]),
                             ContextBuilder(tiny_loaded.tokenizer, 128))
    worker = EngineWorker()
    worker.generator = BreaksAfterOneWord()
    events = []
    worker.event.connect(lambda request_id, event: events.append(event))
    worker.generate(7, plan)
    delta, finished, failed = events
    assert delta == TextDelta(0, " 그는") and isinstance(finished, Finished) and isinstance(failed, Failed)
    assert finished.result.texts == [" 그는"] and finished.result.stop_reasons == ["cancelled"]
    assert "connection reset by peer" in failed.message
