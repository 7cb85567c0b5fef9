"""The story editor: the story's pieces as one editable text, styled by author.

The story (engine) is the truth; the document is a view of it. A writer's edit is turned into
an engine command (span_edit) and pushed on the undo stack; undo, redo and generations re-render
the document from the story. While a continuation streams in, the editor is read-only and the
streamed text sits at the end in the model's colour until it is accepted or discarded.
"""

from __future__ import annotations

import difflib

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QGuiApplication, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit

from storyteller.engine.story.document import Author, Story, normalize_text
from storyteller.gui.common.fonts import MAX_POINT_SIZE, MIN_POINT_SIZE, korean_font
from storyteller.gui.common.theme import LIGHT_TINTS, Tints


def piece_format(author: Author, tints: Tints = LIGHT_TINTS) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if author is Author.MODEL:
        fmt.setBackground(QColor(tints.model_background))
    elif author is Author.PLAYER:
        fmt.setForeground(QColor(tints.player_text))
        fmt.setFontWeight(QFont.Weight.DemiBold)
    return fmt


def common_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and (non-overlapping) common suffix of two strings."""
    low, high = 0, min(len(old), len(new))
    while low < high:  # binary search with slice comparisons: fast on long stories
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, min(len(old), len(new)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle :] == new[len(new) - middle :]:
            low = middle
        else:
            high = middle - 1
    return prefix, low


def _is_undo_or_redo(event) -> bool:
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    return event.keyCombination().toCombined() == QKeySequence("Ctrl+Shift+Z")[0].toCombined()


def changed_spans(old: str, new: str, story: Story) -> list[tuple[int, int, str]]:
    """What an edit replaced: (start, end, new text) spans in `old`, last first.

    Usually one span. When the change reaches across pieces (a drag-and-drop moves text as one
    edit), it is split into the minimal replacements, so that the pieces in between, with their
    versions and pins, are left alone instead of being merged into one.
    """
    prefix, suffix = common_ends(old, new)
    start, old_end, new_end = prefix, len(old) - suffix, len(new) - suffix
    boundaries, position = set(), 0
    for piece in story.pieces[:-1]:
        position += len(piece.text)
        boundaries.add(position)
    if not any(start < b < old_end for b in boundaries):
        return [(start, old_end, new[start:new_end])]
    matcher = difflib.SequenceMatcher(None, old[start:old_end], new[start:new_end], autojunk=False)
    spans = [(start + i1, start + i2, new[start + j1 : start + j2])
             for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return list(reversed(spans))


class StoryEditor(QTextEdit):
    user_edit = Signal(object)  # list of (start, end, text) replacements, last first

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setUndoRedoEnabled(False)  # undo goes through the story's undo stack
        self.setTabChangesFocus(True)  # keyboard users can leave the editor; Ctrl+Tab inserts a tab (main window)
        self.setFont(korean_font())
        self.setObjectName("storyEditor")
        self.story: Story | None = None
        self.tints = LIGHT_TINTS
        self._rendering = False
        self._streaming = False  # model text is streaming in: read-only, and no user edits
        self._preedit = ""  # the syllable the input method is composing, not yet in the text
        self._undo_actions: tuple[QAction, QAction] | None = None
        self.document().contentsChanged.connect(self._on_contents_changed)

    def set_undo_actions(self, undo: QAction, redo: QAction) -> None:
        """The window's Undo and Redo (the story's undo stack): the right-click menu offers them
        instead of QTextEdit's own undo, which is off."""
        self._undo_actions = (undo, redo)

    def context_menu(self, position=None) -> QMenu:
        """QTextEdit's right-click menu with its Undo and Redo going through the story's undo stack
        (enabled and triggered as Edit → Undo / Redo are)."""
        menu = self.createStandardContextMenu(position) if position is not None else self.createStandardContextMenu()
        actions = self._undo_actions  # None: an editor on its own keeps QTextEdit's menu
        if actions is None:
            return menu
        standard = [a for a in menu.actions() if a.objectName() in ("edit-undo", "edit-redo")]
        if len(standard) != 2:  # older Qt without names: the first two entries are Undo and Redo
            standard = [a for a in menu.actions() if not a.isSeparator()][:2]
        for old, story_action in zip(standard, actions):
            replacement = QAction(old.text(), menu)  # Qt's wording and shortcut hint, in the writer's language
            replacement.setEnabled(story_action.isEnabled())
            replacement.setObjectName(old.objectName())
            replacement.triggered.connect(story_action.trigger)
            menu.insertAction(old, replacement)
            menu.removeAction(old)
        return menu

    def contextMenuEvent(self, event) -> None:
        menu = self.context_menu(event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())
        event.accept()

    def set_story(self, story: Story) -> None:
        self.story = story
        self.render_story(keep_cursor=False)

    def set_tints(self, tints: Tints) -> None:
        """Author colours for the theme; shown at once (not while text streams in: the stream's
        end re-renders)."""
        self.tints = tints
        if self.story is not None and not self.streaming:
            self.render_story()

    def set_point_size(self, points: int) -> int:
        """The text size, kept within readable bounds; returns the size used."""
        points = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, points))
        self.setFont(korean_font(points))
        return points

    def point_size(self) -> int:
        return self.font().pointSize()

    def render_story(self, keep_cursor: bool = True, upto: int | None = None) -> None:
        """Show the story (only its first `upto` pieces, if given)."""
        # The selection stays too (a found word stays selected while the theme changes).
        anchor, position = (self.textCursor().anchor(), self.textCursor().position()) if keep_cursor else (None, None)
        scroll, old = self.verticalScrollBar().value(), self.toPlainText()
        self._rendering = True
        try:
            self.document().clear()
            cursor = QTextCursor(self.document())
            for piece in self.story.pieces[:upto]:
                cursor.insertText(piece.text, piece_format(piece.author, self.tints))
            # Qt turns \r\n, \u2028 and no-break spaces into plain ones; a story holding them
            # would differ from its editor at the first keystroke. Loading normalises stories;
            # this catches text from anywhere else.
            if upto is None and self.toPlainText() != self.story.text():
                for piece in self.story.pieces:
                    piece.versions = [normalize_text(v) for v in piece.versions]
            self.setCurrentCharFormat(QTextCharFormat())
        finally:
            self._rendering = False
        cursor = self.textCursor()
        new = self.toPlainText()
        end = len(new)
        if keep_cursor and new != old:  # undo, redo, another version: the cursor goes where it changed
            anchor = position = end - common_ends(old, new)[1]
        if position is None:
            cursor.setPosition(end)
        else:
            cursor.setPosition(min(anchor, end))
            cursor.setPosition(min(position, end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        if keep_cursor and new != old:
            self.ensureCursorVisible()
        elif keep_cursor:
            self.verticalScrollBar().setValue(scroll)
        else:
            self.ensureCursorVisible()

    def event(self, event) -> bool:
        # QTextEdit claims Ctrl+Z / Ctrl+Shift+Z for its own (disabled) undo; let them reach the
        # window's actions, which undo through the story's undo stack.
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo_or_redo(event):
            event.ignore()
            return True
        return super().event(event)

    def inputMethodEvent(self, event) -> None:
        super().inputMethodEvent(event)
        self._preedit = event.preeditString()

    def commit_composition(self) -> None:
        """Finish a Hangul syllable the input method is still composing, so it is part of the
        text before a prompt is read (otherwise it is lost or lands after the model's text).
        Input methods that ignore the request get the syllable committed for them."""
        QGuiApplication.inputMethod().commit()
        if self._preedit:
            from PySide6.QtGui import QInputMethodEvent

            commit = QInputMethodEvent()
            commit.setCommitString(self._preedit)
            self.inputMethodEvent(commit)

    def _on_contents_changed(self) -> None:
        if self._rendering or self.story is None or self._streaming:
            return
        old, new = self.story.text(), self.toPlainText()
        if old == new:
            return
        self.user_edit.emit(changed_spans(old, new, self.story))
        # Text typed after model text must not inherit the model's tint.
        self.setCurrentCharFormat(piece_format(Author.WRITER, self.tints))

    # -- streaming ----------------------------------------------------------------------------------

    def begin_stream(self) -> None:
        self.setReadOnly(True)
        self._streaming = True

    def append_stream(self, text: str) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        fmt = piece_format(Author.MODEL, self.tints)
        fmt.setBackground(QColor(self.tints.stream_background))
        self._rendering = True
        try:
            cursor.insertText(text, fmt)
        finally:
            self._rendering = False
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def end_stream(self) -> None:
        """Back to editing; the caller accepts the text into the story and re-renders."""
        self._streaming = False
        self.setReadOnly(False)
        self.render_story()

    @property
    def streaming(self) -> bool:
        return self._streaming
