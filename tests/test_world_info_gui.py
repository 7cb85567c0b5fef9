"""The world-info editor and the context viewer, driven as a writer would."""

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QTreeWidget

from storyteller.engine.story.file import load_story
from storyteller.engine.story.world_info import Matching
from tests.helpers.gui import type_text
from tests.helpers.paths import ARTIFACTS

SHOTS = Path(os.environ.get("STORYTELLER_SHOTS", ARTIFACTS))


def test_writer_edits_exclusions_order_and_settings_and_sees_why_entries_are_in_or_out(qtbot, window, tmp_path):
    notes = window.notes
    window.editor.setPlainText("꿈에서 철수가 바다로 갔다. 영희는 마을에 남았다.")
    for keys, content in (("철수", "철수: 열 살 나무꾼."), ("바", "바: 항구의 술집."), ("영희", "영희: 철수의 누나.")):
        notes.add_entry.click()
        type_text(notes.keys, keys)
        notes.content.setPlainText(content)
    notes.entries.setCurrentRow(0)
    type_text(notes.exclude, "꿈")
    notes.entries.setCurrentRow(2)
    notes.order.setValue(150)
    notes.recursion.setValue(1)
    story = window.story
    assert story.world_info[0].exclude_keys == ["꿈"] and story.world_info[2].order == 150
    assert story.world_info_recursion == 1 and story.world_info_matching is Matching.WORDS

    context = window.context_bar.context
    assert [status.active for status in context.world_info] == [False, False, True]  # excluded, 바 of 바다, in
    assert "영희: 철수의 누나." in context.text and "철수: 열 살" not in context.text
    window.context_bar.show_sent_text()
    dialog = window.context_bar.findChild(QDialog, "contextDialog")
    table = dialog.findChild(QTreeWidget, "worldInfoReasons")
    rows = [[table.topLevelItem(i).text(c) for c in range(4)] for i in range(table.topLevelItemCount())]
    assert rows[0][2] == "Left out: 꿈 is there" and rows[1][2] == "None of its keys is in the scanned text"
    assert rows[2][1] == "✔" and rows[2][2] == "Key 영희 is in the story"
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "context-viewer-world-info.png"))
    dialog.close()

    notes.match_words.setChecked(False)  # plain text: 바 is found inside 바다
    assert [status.active for status in window.context_bar.context.world_info] == [False, True, True]

    notes.entries.setCurrentRow(1)
    notes.keys.clear()
    type_text(notes.keys, "/바(다/")
    assert notes.key_problem.isVisible() and "not a valid regular expression" in notes.key_problem.text()
    assert story.world_info[1].keys == ["/바(다/"]  # kept as typed
    notes.keys.clear()
    type_text(notes.keys, "/바다|항구/")
    assert not notes.key_problem.isVisible() and window.context_bar.context.world_info[1].active
    window.resize(1280, 900)
    QApplication.processEvents()
    notes.grab().save(str(SHOTS / "world-info-editor.png"))

    path = tmp_path / "wi.story.json"
    assert window.files.save_to(path)
    loaded = load_story(path)
    assert loaded.world_info == story.world_info and loaded.world_info_recursion == 1
    assert loaded.world_info_matching is Matching.TEXT


def test_an_entry_the_model_writes_joins_the_continuation_in_the_app(qtbot, window, monkeypatch):
    from storyteller.engine.decode.requests import DecodeHooks
    from tests.helpers.gui import continue_and_wait

    written = " 철수가 나무를 하러 산에 갔다."
    ids = window.client.loaded.tokenizer.encode(written)

    class Script:  # makes the tiny model write `written`, one token a step, across the plan's requests
        step = 0

        def __call__(self, input_ids, scores):
            scores[:, ids[min(Script.step, len(ids) - 1)]] += 1000
            Script.step += 1
            return scores

    plan = window.writing.plan

    def scripted(retry):
        made = plan(retry)
        made.request.hooks = DecodeHooks(logits_processors=[Script()])
        return made

    monkeypatch.setattr(window.writing, "plan", scripted)
    window.story.generation = window.story.generation.replace(max_new_tokens=len(ids))
    window.story.tidy.trim_incomplete_sentence = False
    window.editor.setPlainText("옛날에 한 마을이 있었다.")
    window.notes.add_entry.click()
    type_text(window.notes.keys, "철수")
    window.notes.content.setPlainText("철수는 나무꾼이다.")
    assert not window.context_bar.context.world_info[0].active
    assert continue_and_wait(qtbot, window) == written  # one continuation, one piece
    assert window.story.text() == "옛날에 한 마을이 있었다." + written
    assert window.statusBar().currentMessage() == "Done. World info joined while writing: 철수"
    qtbot.waitUntil(lambda: window.context_bar.context.world_info[0].active, timeout=10_000)  # the story says 철수 now


def test_a_bad_key_error_moves_no_field(qtbot, window):
    """Issue 27: selecting an entry with a broken /regular expression/ key, or typing one, showed its
    error by pushing the fields around, so a click aimed at Content landed elsewhere."""
    from PySide6.QtCore import QPoint

    from storyteller.engine.story.document import Story, WorldInfoEntry

    story = Story()
    story.world_info = [WorldInfoEntry(keys=["철수"], content="철수: 열 살 나무꾼."),
                        WorldInfoEntry(keys=["/바(다/"], content="바다: 깊고 푸르다.")]
    window.set_story(story, None)
    notes = window.notes
    window.resize(1200, 800)
    qtbot.wait(100)  # the window's layout settles

    def places():
        qtbot.wait(20)
        return [(w.mapTo(notes, QPoint(0, 0)), w.size()) for w in
                (notes.entries, notes.keys, notes.secondary, notes.exclude, notes.content, notes.order)]

    calm = places()
    assert not notes.key_problem.isVisible()
    notes.entries.setCurrentRow(1)  # the entry with the broken key: its error shows
    assert notes.key_problem.isVisible() and "/바(다/" in notes.key_problem.toolTip()
    assert places() == calm
    aim = notes.content.mapTo(notes, notes.content.rect().center())
    assert notes.childAt(aim) in (notes.content, notes.content.viewport())  # the click lands in Content
    notes.entries.setCurrentRow(0)
    assert not notes.key_problem.isVisible() and places() == calm
    notes.keys.clear()
    type_text(notes.keys, "/철수(/")  # the writer types a broken key: the error appears, nothing moves
    assert notes.key_problem.isVisible() and places() == calm
    # A narrow dock: a long error is cut to the room kept, whole in the tooltip.
    notes.key_problem.set_problem("정규식이 잘못되었습니다. " * 20)
    assert places() == calm and notes.key_problem.text().endswith("…")
    assert notes.key_problem.toolTip() == "정규식이 잘못되었습니다. " * 20
