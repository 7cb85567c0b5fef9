"""The version tree dock driven as a writer drives it: continue, retry, go to a version with the
keyboard, compare two, prune one, undo each, type in bursts, save and reopen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from storyteller.engine.story.document import Author, Piece, Story
from storyteller.engine.story.tree import count_nodes, current_address
from storyteller.gui.panels.version_tree import CompareDialog, diff_html, summary
from tests.helpers.gui import continue_and_wait, type_text

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def open_tree(qtbot, window):
    qtbot.keyClick(window.editor, Qt.Key.Key_T, CTRL | SHIFT)  # View › Version tree › Show the version tree
    panel = window.version_tree
    qtbot.waitUntil(panel.tree.hasFocus)
    panel.refresh()  # rather than waiting for its pause after the last change
    return panel


def select(qtbot, panel, *addresses):
    panel.tree.clearSelection()
    for address in addresses:
        panel.items[address].setSelected(True)
    panel.tree.setCurrentItem(panel.items[addresses[-1]], 0, panel.tree.selectionModel().SelectionFlag.NoUpdate)


def test_continue_retry_go_to_compare_prune_undo_and_reopen(qtbot, window, isolated):
    window.activateWindow()
    window.editor.setFocus()
    type_text(window.editor, "옛날 옛적에 나무꾼이 살았다.")
    first = continue_and_wait(qtbot, window)
    window.story.generation = window.story.generation.replace(seed=12)
    second = continue_and_wait(qtbot, window, window.retry_action)
    assert first != second and current_address(window.story.pieces) == (0, 1)

    panel = open_tree(qtbot, window)
    assert set(panel.items) == {(0,), (0, 0), (0, 1)}
    current = panel.items[(0, 1)]
    assert current.text(0).startswith("▶") and current.font(0).bold() and current.text(2) == "2/2"
    assert panel.tree.currentItem() is current and not panel.items[(0, 0)].font(0).bold()

    # Enter on the first continuation: the editor shows that path; undo returns to the retry.
    select(qtbot, panel, (0, 0))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    assert window.story.text() == window.editor.toPlainText() == "옛날 옛적에 나무꾼이 살았다." + first
    assert window.version_label.text() == "1 / 2"  # the bar below the editor agrees
    window.undo_action.trigger()
    assert window.editor.toPlainText().endswith(second)

    # Compare the two: the words only one of them has are marked.
    panel.refresh()
    select(qtbot, panel, (0, 0), (0, 1))
    assert panel.compare_button.isEnabled() and not panel.go_button.isEnabled()
    qtbot.keyClick(panel.tree, Qt.Key.Key_D, CTRL)
    dialog = next(widget for widget in QApplication.topLevelWidgets()
                  if isinstance(widget, CompareDialog) and widget.isVisible())
    shown = dialog.view.toPlainText()
    for word in set(first.split()) ^ set(second.split()):
        assert word in shown
    dialog.close()

    # Prune the first continuation with Delete: gone from the tree; undo brings it back.
    select(qtbot, panel, (0, 0))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert window.story.pieces[-1].versions == [second] and set(panel.items) == {(0,), (0, 0)}
    assert "1" in panel.hint.text()
    window.undo_action.trigger()
    panel.refresh()
    assert window.story.pieces[-1].versions == [first, second] and len(panel.items) == 3

    # Saved and opened again, the tree is all there.
    path = isolated / "나무.story.json"
    assert window.files.save_to(path)
    window.set_story(Story(), None)
    assert "Pruned" not in panel.hint.text() and "Enter" in panel.hint.text()  # a new story: the usage again
    assert window.files.open_path(path)
    panel.refresh()
    assert set(panel.items) == {(0,), (0, 0), (0, 1)} and window.editor.toPlainText().endswith(second)


def test_typing_in_bursts_makes_one_version_per_burst(qtbot, window, isolated):
    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "그날 밤")]), None)
    window.activateWindow()
    window.editor.setFocus()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(window.editor, " 바람이")
    type_text(window.editor, " 불었다.")  # the same burst: one node, one undo step
    assert window.story.pieces[0].versions == ["그날 밤", "그날 밤 바람이 불었다."]
    path = isolated / "밤.story.json"
    assert window.files.save_to(path)  # saving does not end the burst: no copy of the paragraph
    type_text(window.editor, " 비가")
    assert window.story.pieces[0].versions == ["그날 밤", "그날 밤 바람이 불었다. 비가"]
    assert count_nodes(window.story.pieces) == 2
    window.undo_action.trigger()  # the save still splits the undo steps: back to what was saved
    assert window.story.pieces[0].versions == ["그날 밤", "그날 밤 바람이 불었다."]
    assert not window.document.is_modified()
    window.undo_action.trigger()
    assert window.story.text() == "그날 밤" and len(window.story.pieces[0].versions) == 1
    window.redo_action.trigger()
    window.redo_action.trigger()

    # Three small appends, each saved (the new user's case): still one version, and the file
    # grows by the appended text, not by a copy of the paragraph each time.
    sizes = []
    for words in (" 내렸다.", " 나는", " 걸었다."):
        type_text(window.editor, words)
        assert window.files.save_to(path)
        sizes.append(path.stat().st_size)
    assert window.story.pieces[0].versions == ["그날 밤", "그날 밤 바람이 불었다. 비가 내렸다. 나는 걸었다."]
    assert sizes[2] - sizes[0] < 2 * len(" 나는 걸었다.".encode())


def test_the_tree_reads_long_korean_text_by_its_ends_and_is_not_changed_while_the_model_writes(qtbot, window):
    long = "가나다라마바사 " * 40 + "끝."
    window.set_story(Story(pieces=[Piece.of(Author.WRITER, long), Piece(Author.MODEL, [" 하나.", " 둘."], 1)]), None)
    panel = window.version_tree
    panel.refresh()
    shown = panel.items[(0,)].text(0)
    assert shown.startswith("가나다라마바사") and shown.endswith("끝.") and " … " in shown and len(shown) < 60
    assert panel.items[(0,)].toolTip(0).startswith("가나다라마바사")
    assert summary("짧은 글\n두 줄") == "짧은 글 두 줄"
    select(qtbot, panel, (0, 0))
    panel.set_busy(True)
    assert not panel.go_button.isEnabled() and not panel.prune_button.isEnabled()
    panel.go_to_selected()
    assert window.story.text().endswith(" 둘.")
    panel.set_busy(False)
    assert panel.go_button.isEnabled()


def test_the_comparison_marks_changed_words_and_keeps_line_breaks():
    html = diff_html("하나 둘 셋\n넷", "하나 둘 다섯\n넷")
    assert "셋" in html and "다섯" in html and "line-through" in html and "<br>" in html
    assert "&lt;" in diff_html("<b>", "")  # text, never markup
    shared = " ".join(f"말{i}" for i in range(100))
    shortened = diff_html(shared + " 끝", shared + " 마지막")
    assert "말0 " not in shortened and "말99" in shortened and "마지막" in shortened  # the far start is cut


def test_a_branch_is_built_when_opened_and_stays_open(qtbot, window):
    from storyteller.engine.story.history import as_new_version, span_edit

    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "처음. "), Piece.of(Author.MODEL, "둘째. "),
                                   Piece.of(Author.WRITER, "셋째.")]), None)
    window.undo_stack.apply(as_new_version(span_edit(window.story, 0, 2, "시작")))  # the old opening keeps a copy
    panel = window.version_tree
    panel.refresh()
    old = panel.items[(0,)]
    assert old.childCount() == 0 and (0, 0) not in panel.items and not old.isExpanded()
    old.setExpanded(True)  # as a click on its arrow, or the right arrow key, does
    assert [old.child(i).text(0) for i in range(old.childCount())] == ["둘째.", "셋째."]
    assert (0, 0, 0) in panel.items
    panel.refresh()
    assert panel.items[(0,)].isExpanded() and (0, 0, 0) in panel.items
