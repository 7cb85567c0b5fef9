"""Editing basics in the real window: find and replace, the title, counts, text size, themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from storyteller.engine.story.document import Author, Piece, Story
from storyteller.engine.story.file import load_story
from storyteller.gui.common.settings_keys import THEME
from storyteller.gui.common.theme import DARK_TINTS, apply_theme
from storyteller.gui.panels.find import find_matches
from tests.helpers.gui import type_text

CTRL = Qt.KeyboardModifier.ControlModifier


def texts(text: str, spans) -> list[str]:
    return [text[a:b] for a, b in spans]


# -- finding words as Korean writes them ---------------------------------------------------------


def test_find_sees_korean_words_inside_their_particles():
    text = "철수가 왔다. 철수는 웃었다. 철수세미를 샀다. 김철수에게서 편지가 왔다."
    assert texts(text, find_matches(text, "철수")) == ["철수"] * 4
    # Whole word: particles (even several: 에게+서) belong to the word; 세미 and 김 do not.
    whole = find_matches(text, "철수", whole_word=True)
    assert [text[a:a + 4] for a, _ in whole] == ["철수가 ", "철수는 "]
    assert find_matches("철수에게서는 소식이 없다", "철수", whole_word=True) == [(0, 2)]
    assert find_matches("철수세미", "철수", whole_word=True) == []
    # Kiwi reads the rest of the 어절, as for world-info keys: a copula with an ending belongs to the
    # word; 을 after 가 does not make 가을 the word 가 with a particle (a particle list said it did).
    assert find_matches("철수였지만 아무도 몰랐다", "철수", whole_word=True) == [(0, 2)]
    assert find_matches("가을이 왔다", "가", whole_word=True) == []
    assert find_matches("점순이가 왔다", "점순", whole_word=True) == [(0, 2)]  # a name Kiwi does not know
    # Spaces typed around the word belong to the match, so Replace takes them too.
    assert find_matches("철수 왔다. 철수가 갔다", "철수 ", whole_word=True) == [(0, 3)]


def test_find_ignores_latin_case_unless_asked():
    text = "Seoul, SEOUL and seoulite"
    assert texts(text, find_matches(text, "seoul")) == ["Seoul", "SEOUL", "seoul"]
    assert texts(text, find_matches(text, "seoul", whole_word=True)) == ["Seoul", "SEOUL"]
    assert texts(text, find_matches(text, "Seoul", match_case=True)) == ["Seoul"]
    assert texts(text, find_matches(text, "SEOUL", whole_word=True, match_case=True)) == ["SEOUL"]
    assert find_matches(text, "") == [] and find_matches("a.b", ".") == [(1, 2)]  # no regex surprises


def test_ctrl_f_finds_next_and_previous_in_the_editor(qtbot, window):
    editor = window.editor
    editor.setFocus()
    type_text(editor, "철수가 산에 갔다. 영희는 철수를 불렀다. 철수세미가 떨어졌다.")
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible() and bar.find_field.hasFocus() and not bar.replace_field.isVisible()
    type_text(bar.find_field, "철수")
    bar.whole_word.setChecked(True)
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)  # Enter: next match, wrapping from the end
    cursor = editor.textCursor()
    assert cursor.selectedText() == "철수" and cursor.selectionStart() == 0
    assert bar.status.text() == "1 of 2"
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert editor.textCursor().selectionStart() == editor.toPlainText().index("철수를")
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # previous
    assert editor.textCursor().selectionStart() == 0
    qtbot.waitUntil(lambda: len(editor.extraSelections()) == 2)  # every match is tinted
    bar.find_field.setText("호랑이")
    assert not window.find_actions[2].trigger() and bar.status.text() == "Not found"
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Escape)  # Esc closes the bar, back to the story
    assert not bar.isVisible() and editor.hasFocus() and editor.extraSelections() == []
    assert [a.text() for a in window.edit_menu.actions() if a.objectName() == "find"] == ["&Find…"]
    bar.find_field.clear()
    window.find_actions[3].trigger()  # Find previous (Shift+F3) opens the bar to ask what to find
    assert bar.isVisible() and bar.find_field.hasFocus()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # from the editor, Esc closes the bar too
    assert not bar.isVisible()


def test_replace_all_is_one_undo_step(qtbot, window):
    story = Story(pieces=[Piece.of(Author.WRITER, "철수가 산에 갔다. "),
                          Piece.of(Author.MODEL, "철수는 나무를 했다. 철수세미는 그대로였다."),
                          Piece.of(Author.WRITER, " 철수야!")])
    window.set_story(story, None)
    original = window.story.text()
    editor = window.editor
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    bar = window.find_bar
    assert bar.replace_field.isVisible()
    bar.find_field.setText("철수")
    bar.whole_word.setChecked(True)
    bar.replace_field.setText("영수")
    assert bar.replace_all() == 3
    expected = "영수가 산에 갔다. 영수는 나무를 했다. 철수세미는 그대로였다. 영수야!"
    assert window.story.text() == editor.toPlainText() == expected
    assert [p.author for p in window.story.pieces] == [Author.WRITER, Author.MODEL, Author.WRITER]
    assert bar.status.text() == "Replaced: 3"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # one Ctrl+Z undoes all three
    assert window.story.text() == editor.toPlainText() == original
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.story.text() == expected
    window.undo_stack.undo()

    # Replace: the first press finds, the next replaces that match and moves on.
    bar.find_field.setText("철수")
    bar.whole_word.setChecked(False)
    bar.replace_field.setText("민수")
    bar.replace()
    assert editor.textCursor().selectionStart() == 0 and window.story.text() == original
    qtbot.keyClick(bar.replace_field, Qt.Key.Key_Return)  # Enter in the replace field replaces
    assert window.story.text() == original.replace("철수", "민수", 1)
    assert editor.textCursor().selectedText() == "철수"  # the next one is selected
    window.undo_action.trigger()
    assert window.story.text() == original

    editor.begin_stream()  # while a continuation streams in, the text is not to be replaced
    assert bar.replace_all() == 0 and window.story.text() == original
    assert bar.status.text() == "Wait until the model has finished writing"
    editor.end_stream()


# -- the title -----------------------------------------------------------------------------------


def test_title_is_edited_saved_and_shown_in_the_window_title(qtbot, window, isolated):
    path = isolated / "안개_낀_고개.story.json"
    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "고개를 넘었다.")]), None)
    assert window.files.save_to(path)
    assert window.windowTitle().startswith("안개 낀 고개[*]")  # no title: the file name, as words

    window.title_field.setFocus()
    type_text(window.title_field, "안개 속의 고개")
    qtbot.keyClick(window.title_field, Qt.Key.Key_Return)  # Enter: on to the story
    assert window.editor.hasFocus()
    assert window.story.title == "안개 속의 고개"
    assert window.windowTitle().startswith("안개 속의 고개[*]") and window.isWindowModified()
    assert window.files.save_to(path)
    assert load_story(path).title == "안개 속의 고개"

    window.files.new_story()
    assert window.title_field.text() == "" and window.windowTitle().startswith("Untitled")
    assert window.files.open_path(path)
    assert window.title_field.text() == "안개 속의 고개" and window.windowTitle().startswith("안개 속의 고개")
    window.undo_action.trigger()  # the title is not a text edit: undo leaves it alone
    assert window.story.title == "안개 속의 고개"


def test_the_window_title_names_the_app_once(qtbot, window, monkeypatch):
    """Qt appends the application's display name to a title that lacks it: the title said 이야기꾼 twice."""
    from PySide6.QtGui import QGuiApplication

    monkeypatch.setattr(QGuiApplication, "applicationDisplayName", staticmethod(lambda: "이야기꾼 Storyteller"))
    window.set_story(Story(title="편지"), None)
    assert window.windowTitle() == "편지[*] — 이야기꾼 Storyteller"
    assert window.windowTitle().count("이야기꾼") == 1


# -- counting ------------------------------------------------------------------------------------


def test_counts_follow_korean_typing(qtbot, window):
    label = window.word_count
    assert label.isVisible() and label.text() == "0 words · 0 characters (0 without spaces)"
    window.editor.setFocus()
    type_text(window.editor, "철수가 밥을 먹었다.")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    type_text(window.editor, "영희도  왔다.")
    # 5 어절; 19 characters with spaces (the line break is not one), 15 without.
    qtbot.waitUntil(lambda: label.text() == "5 words · 19 characters (15 without spaces)", timeout=3000)


# -- text size and theme -------------------------------------------------------------------------


def test_text_size_changes_and_persists_in_a_new_window(qtbot, window):
    from storyteller.gui.app import build_window, make_settings

    editor = window.editor
    start = editor.point_size()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Plus, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Equal, CTRL)
    assert editor.point_size() == start + 2
    qtbot.keyClick(editor, Qt.Key.Key_Minus, CTRL)
    assert editor.point_size() == start + 1
    for _ in range(60):
        window.appearance.bigger_action.trigger()
    assert editor.point_size() == 40  # bounded
    window.appearance.smaller_action.trigger()
    window.qsettings.sync()

    second = build_window(make_settings())
    qtbot.addWidget(second)
    try:
        assert second.editor.point_size() == 39
        qtbot.keyClick(editor, Qt.Key.Key_0, CTRL)
        assert editor.point_size() == start
    finally:
        second.client.shutdown()


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        channels = [c / 255 for c in (colour.red(), colour.green(), colour.blue())]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rendered_formats(editor):
    """(text, format) of every run of text as the editor shows it."""
    runs, block = [], editor.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            runs.append((fragment.text(), fragment.charFormat()))
            iterator += 1
        block = block.next()
    return runs


@pytest.fixture
def restore_theme():
    yield
    apply_theme("system")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_theme_keeps_author_tints_and_banner_readable(qtbot, window, restore_theme, theme):
    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "작가의 글. "), Piece.of(Author.MODEL, "모델의 글. "),
                                   Piece.of(Author.PLAYER, "> 문을 연다.")]), None)
    window.banner.show()
    action = next(a for a in window.appearance.theme_actions.actions() if a.data() == theme)
    action.trigger()
    dark = theme == "dark"
    # The new palette reaches the widgets through posted events.
    qtbot.waitUntil(lambda: (window.editor.palette().color(QPalette.ColorRole.Base).lightness() < 80) == dark)
    palette = window.editor.palette()
    background, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    assert (QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80) == dark
    runs = {run: fmt for run, fmt in rendered_formats(window.editor)}
    model = runs["모델의 글. "].background().color()
    player = runs["> 문을 연다."].foreground().color()
    assert contrast(text, model) >= 4.5 and contrast(text, background) >= 4.5
    assert contrast(player, background) >= 4.5
    assert model != background  # the model's text stays told apart from the writer's
    label = window.banner_label
    label.ensurePolished()
    banner_background = window.banner.grab().toImage().pixelColor(2, 2)  # as drawn, style sheet and all
    assert contrast(label.palette().color(label.foregroundRole()), banner_background) >= 4.5
    assert THEME.read(window.qsettings) == theme
    assert window.appearance.theme() == theme
    # The Play view draws the player's lines in the same colour as the editor.
    assert f"color:{QColor(player).name()}" in window.play.transcript.toHtml().replace(" ", "")


def test_theme_is_remembered_for_the_next_window(qtbot, window, restore_theme):
    from storyteller.gui.app import build_window, make_settings

    window.appearance.set_theme("dark")
    window.qsettings.sync()
    apply_theme("system")  # as a fresh start finds it
    second = build_window(make_settings())
    qtbot.addWidget(second)
    try:
        assert second.appearance.theme() == "dark"
        assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 80
        assert second.editor.tints is DARK_TINTS
    finally:
        second.client.shutdown()


def test_find_bar_fits_at_800_by_600(qtbot, window):
    window.resize(800, 600)
    window.find_actions[1].trigger()  # Replace…: the bar's widest form
    bar = window.find_bar
    qtbot.waitUntil(bar.isVisible)
    assert bar.find_field.width() >= 120 and bar.replace_field.width() >= 120
    for widget in (bar.previous_button, bar.next_button, bar.replace_button, bar.replace_all_button,
                   bar.whole_word, bar.match_case):
        place = QRect(widget.mapTo(bar, QPoint(0, 0)), widget.size())
        assert bar.rect().contains(place) and widget.width() >= widget.sizeHint().width()  # nothing clipped


# -- the editor's right-click menu ---------------------------------------------------------------


def _right_click_menu(editor):
    """Right-click in the editor as a writer does; returns the menu that pops up."""
    from PySide6.QtGui import QContextMenuEvent

    position = editor.cursorRect().center()
    QApplication.sendEvent(editor.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, position, editor.viewport().mapToGlobal(position)))
    menu = QApplication.activePopupWidget()
    assert menu is not None
    return menu


def _menu_action(menu, name):
    return next(a for a in menu.actions() if a.objectName() == name)


def test_right_click_undo_and_redo_use_the_story_undo_stack(qtbot, window):
    """Issue 27: the editor's right-click Undo/Redo were QTextEdit's own (off, so greyed out)
    while Edit → Undo worked; they follow the story's undo stack now."""
    window.set_story(Story(), None)
    editor = window.editor
    editor.setFocus()
    menu = _right_click_menu(editor)
    assert not _menu_action(menu, "edit-undo").isEnabled()  # nothing to undo yet
    assert not _menu_action(menu, "edit-redo").isEnabled()
    menu.close()

    type_text(editor, "철수가 왔다")
    assert window.undo_stack.canUndo()
    menu = _right_click_menu(editor)
    undo = _menu_action(menu, "edit-undo")
    assert undo.isEnabled() and not _menu_action(menu, "edit-redo").isEnabled()
    undo.trigger()
    menu.close()
    assert window.story.text() == editor.toPlainText() == ""

    menu = _right_click_menu(editor)
    redo = _menu_action(menu, "edit-redo")
    assert redo.isEnabled()
    redo.trigger()
    menu.close()
    assert window.story.text() == editor.toPlainText() == "철수가 왔다"
    # The rest of the menu is QTextEdit's own: Select All still works.
    menu = _right_click_menu(editor)
    _menu_action(menu, "select-all").trigger()
    menu.close()
    assert editor.textCursor().selectedText() == "철수가 왔다"


def test_right_click_undo_follows_actions_handed_to_the_editor(qtbot):
    """A window hands its Undo/Redo over with set_undo_actions; the menu mirrors and triggers them."""
    from PySide6.QtGui import QAction

    from storyteller.gui.document.editor import StoryEditor

    editor = StoryEditor()
    qtbot.addWidget(editor)
    editor.set_story(Story())
    editor.show()
    undone = []
    undo, redo = QAction("Undo", editor), QAction("Redo", editor)
    undo.triggered.connect(lambda: undone.append(True))
    redo.setEnabled(False)
    editor.set_undo_actions(undo, redo)
    menu = _right_click_menu(editor)
    assert _menu_action(menu, "edit-undo").isEnabled() and not _menu_action(menu, "edit-redo").isEnabled()
    _menu_action(menu, "edit-undo").trigger()
    menu.close()
    assert undone == [True]


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_context_bar_free_space_follows_the_theme(qtbot, window, restore_theme, theme):
    """Issue 27: in the dark theme the context bar's room-left segment stayed light grey."""
    from storyteller.gui.common.theme import LIGHT_TINTS

    window.set_story(Story(pieces=[Piece.of(Author.WRITER, "짧은 글.")]), None)
    bar = window.context_bar
    qtbot.waitUntil(lambda: bar.context is not None and bar.context.tokens_by_kind()["free"] > 0)
    next(a for a in window.appearance.theme_actions.actions() if a.data() == theme).trigger()
    dark = theme == "dark"
    qtbot.waitUntil(lambda: (bar.palette().color(QPalette.ColorRole.Window).lightness() < 80) == dark)
    image = bar.grab().toImage()
    free = image.pixelColor(image.width() - 4, image.height() // 2)  # the bar ends with the room left
    tints = DARK_TINTS if dark else LIGHT_TINTS
    assert free.name() == QColor(tints.context_free).name()
    window_colour = bar.palette().color(QPalette.ColorRole.Window)
    assert (free.lightness() < 100) == dark  # no light strip across a dark window
    assert abs(free.lightness() - window_colour.lightness()) < 80
    assert contrast(QColor(tints.context_free_text), free) >= 4.5  # its label stays readable
