"""The keyboard (issue 16 point 13): Tab leaves the editor, the version, pin, view and context actions
have shortcuts, every shortcut is in a menu, and Help > Keyboard shortcuts lists them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit

from storyteller.engine.story.document import Author, Piece, Story
from storyteller.gui.common.shortcuts import menu_actions
from storyteller.gui.menus.help import ShortcutsDialog, readme_path

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def focus_editor(qtbot, window):
    window.activateWindow()
    window.editor.setFocus()
    qtbot.waitUntil(window.editor.hasFocus)


def story_with_two_versions() -> Story:
    return Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에"), Piece(Author.MODEL, [" 호랑이가", " 나무꾼이"], 1)])


def test_tab_moves_the_focus_out_of_the_editor_and_ctrl_tab_types_a_tab(qtbot, window):
    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에")]), None)
    focus_editor(qtbot, window)
    qtbot.keyClick(window.editor, Qt.Key.Key_Tab)
    assert not window.editor.hasFocus() and QApplication.focusWidget() is not None
    assert window.story.text() == "옛날 옛적에"

    focus_editor(qtbot, window)
    qtbot.keyClick(window.editor, Qt.Key.Key_Backtab, SHIFT)
    assert not window.editor.hasFocus()

    focus_editor(qtbot, window)
    qtbot.keyClick(window.editor, Qt.Key.Key_Tab, CTRL)
    assert window.editor.hasFocus() and window.story.text() == "옛날 옛적에\t"


def test_version_and_pin_shortcuts_drive_the_last_continuation(qtbot, window):
    window.set_story(story_with_two_versions(), None)
    piece = window.story.pieces[-1]
    focus_editor(qtbot, window)
    qtbot.keyClick(window.editor, Qt.Key.Key_BracketLeft, CTRL)
    assert piece.chosen == 0 and window.story.text() == "옛날 옛적에 호랑이가"
    assert window.version_label.text() == "1 / 2" and not window.previous_version.isEnabled()
    qtbot.keyClick(window.editor, Qt.Key.Key_BracketRight, CTRL)
    assert piece.chosen == 1 and window.editor.toPlainText() == "옛날 옛적에 나무꾼이"

    qtbot.keyClick(window.editor, Qt.Key.Key_P, CTRL | SHIFT)
    assert piece.pinned and window.pin_button.isChecked() and not window.retry_action.isEnabled()
    window.pin_button.click()  # the button is the same action
    assert not piece.pinned and not window.pin_action.isChecked()
    window.undo_stack.undo()  # undoing the unpin shows the pin again
    assert piece.pinned and window.pin_action.isChecked()


def test_view_shortcuts_switch_between_write_and_play(qtbot, window):
    window.set_story(Story(), None)
    focus_editor(qtbot, window)
    qtbot.keyClick(window.editor, Qt.Key.Key_2, CTRL)
    assert window.mode_tabs.currentIndex() == 1 and window.views.currentWidget() is window.play
    assert window.findChild(QAction, "view1").isChecked()
    qtbot.keyClick(window.play, Qt.Key.Key_1, CTRL)
    assert window.mode_tabs.currentIndex() == 0 and window.findChild(QAction, "view0").isChecked()


def test_context_shortcut_shows_the_text_sent_to_the_model(qtbot, window):
    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에")]), None)
    qtbot.waitUntil(lambda: window.context_bar.context is not None)
    focus_editor(qtbot, window)
    qtbot.keyClick(window.editor, Qt.Key.Key_M, CTRL | SHIFT)
    dialogs = [d for d in window.context_bar.findChildren(QDialog) if d.isVisible()]
    assert len(dialogs) == 1 and "옛날 옛적에" in dialogs[0].findChild(QPlainTextEdit).toPlainText()
    dialogs[0].close()


def test_every_shortcut_is_in_a_menu_and_in_the_shortcuts_dialog(qtbot, window):
    in_menus = {action for _, action in menu_actions(window)}
    with_keys = [action for action in window.findChildren(QAction)
                 if any(not key.isEmpty() for key in action.shortcuts())]
    names = {action.objectName() for action in with_keys}
    assert {"previousVersion", "nextVersion", "pin", "view0", "view1", "contextText", "insertTab",
            "keyboardShortcuts", "continue", "undo"} <= names
    assert [action.text() for action in with_keys if action not in in_menus] == []

    window.findChild(QAction, "keyboardShortcuts").trigger()
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    rows = {tuple(table.item(row, column).text() for column in range(3)) for row in range(table.rowCount())}
    for action in with_keys:
        keys = ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()
                         if not key.isEmpty())
        assert any(keys == row[2] and row[1] == action.text().replace("&", "").rstrip("…") for row in rows), \
            action.text()
    assert all(row[2] for row in rows)
    assert any("Tab" in row[2] for row in rows)  # leaving the editor is listed too
    dialog.close()


def test_help_menu_opens_the_readme(monkeypatch, window):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    readme = window.findChild(QAction, "readme")
    assert readme.isEnabled() and readme in {action for _, action in menu_actions(window)}
    readme.trigger()
    assert [url.toLocalFile() for url in opened] == [str(readme_path())]
    assert readme_path().read_text(encoding="utf-8").startswith("#")


def test_ctrl_tab_types_a_tab_only_in_the_editor(qtbot, window):
    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에")]), None)
    window.activateWindow()
    window.notes.setFocus()
    for place in (window.title_field, window.find_bar.find_field):
        place.setFocus()
        qtbot.keyClick(place, Qt.Key.Key_Tab, CTRL)
    window.mode_tabs.setCurrentIndex(1)  # the Play view
    window.play.input.setFocus()
    qtbot.keyClick(window.play.input, Qt.Key.Key_Tab, CTRL)
    window.findChild(QAction, "insertTab").trigger()  # from the menu, with the Play view shown
    assert window.story.text() == "옛날 옛적에"  # no tab landed unseen in the story
