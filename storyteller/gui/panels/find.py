"""Find and replace in the story editor, aware of how Korean words take particles.

Korean attaches particles to the word (철수가, 철수는, 철수에게서): a plain search for 철수 finds it
inside them, and "whole word" counts particles and endings after it as part of the word, so 철수
matches 철수가 but not 철수세미 (the rule world info keys follow). Replacing goes through the story's
undo stack like typing, and Replace all is one undo step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from storyteller.engine.korean.analysis import word_spans
from storyteller.engine.story.document import Story
from storyteller.engine.story.history import Command, span_edit
from storyteller.gui.document.document import StoryChange

HIGHLIGHT = QColor(255, 213, 79, 110)  # translucent amber: readable over every theme and author tint


def find_matches(text: str, query: str, *, whole_word: bool = False, match_case: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each match of `query` in `text`; Latin letters ignore case unless `match_case`.
    A whole word is one as world info matches its keys (korean.word_spans: Kiwi reads what follows)."""
    if not query:
        return []
    core = query.strip()
    if whole_word and core:
        # word_spans finds the word itself: the spaces typed around it must be beside it in the text.
        before, after = query[: len(query) - len(query.lstrip())], query[len(query.rstrip()) :]
        return [(start - len(before), end + len(after)) for start, end in word_spans(text, core)
                if text[max(0, start - len(before)) : start] == before and text[end : end + len(after)] == after
                and (not match_case or text[start:end] == core)]
    return [found.span() for found in re.finditer(re.escape(query), text, 0 if match_case else re.IGNORECASE)]


@dataclass
class EditGroup(Command):
    """Several edits as one undo step (Replace all)."""

    commands: list[Command]
    label: str = "replace all"

    def apply(self, story):
        for command in self.commands:
            command.apply(story)

    def revert(self, story):
        for command in reversed(self.commands):
            command.revert(story)


def replacement_edits(story: Story, spans: list[tuple[int, int]], text: str) -> EditGroup | None:
    """One command replacing each (start, end) span of the story's text with `text`.

    Each span edit is computed on the story as the earlier ones leave it (last span first, so
    offsets stay valid); the story is restored before the group is pushed onto the undo stack."""
    commands = []
    try:
        for start, end in sorted(spans, reverse=True):
            command = span_edit(story, start, end, text)
            if command is not None:
                command.apply(story)
                commands.append(command)
    finally:
        for command in reversed(commands):
            command.revert(story)
    return EditGroup(commands) if commands else None


def _button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    return button


def _row(widgets) -> QHBoxLayout:
    line = QHBoxLayout()
    for widget in widgets:
        if widget is None:
            line.addStretch(1)
        else:
            line.addWidget(widget)
    return line


class FindBar(QWidget):
    """The find (and replace) bar under the editor: Enter finds the next match, Shift+Enter the
    previous one, Esc closes the bar."""

    def __init__(self, editor, document, parent=None):
        super().__init__(parent)
        self.setObjectName("findBar")
        self.editor, self.document = editor, document
        self.find_field = QLineEdit()
        self.find_field.setObjectName("findField")
        self.find_field.setPlaceholderText(self.tr("Find"))
        self.find_field.setClearButtonEnabled(True)
        self.replace_field = QLineEdit()
        self.replace_field.setObjectName("replaceField")
        self.replace_field.setPlaceholderText(self.tr("Replace with"))
        self.whole_word = QCheckBox(self.tr("Whole word"))
        self.whole_word.setToolTip(self.tr("Match the word alone or with particles attached (철수 finds 철수가, "
                                           "not 철수세미)"))
        self.match_case = QCheckBox(self.tr("Match case"))
        # Tool buttons take only their text's width: the bar fits beside the docks at 800×600.
        self.previous_button = _button(self.tr("Previous"), self.tr("Previous match (Shift+Enter, Shift+F3)"))
        self.next_button = _button(self.tr("Next"), self.tr("Next match (Enter, F3)"))
        self.replace_button = _button(self.tr("Replace"), self.tr("Replace this match and find the next (Enter)"))
        self.replace_all_button = _button(self.tr("Replace all"), self.tr("Replace every match: one undo step"))
        self.status = QLabel()
        self.status.setObjectName("findStatus")
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Close (Esc)"))
        close.setAutoRaise(True)
        for field in (self.find_field, self.replace_field):
            field.setMinimumWidth(120)

        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(4)
        rows = [
            (self.find_field, [self.previous_button, self.next_button], [self.status, None, close]),  # None: a stretch
            (self.replace_field, [self.replace_button, self.replace_all_button], []),
        ]
        for row, (field, buttons, extras) in enumerate(rows):
            grid.addWidget(field, row, 0)
            for column, widgets in ((1, buttons), (2, extras)):
                grid.addLayout(_row(widgets), row, column)
        # The options get a row of their own: beside the replace buttons they would not fit at 800×600.
        grid.addLayout(_row([self.whole_word, self.match_case, None]), len(rows), 0, 1, 3)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 1)

        self._count_stale = True
        self._highlight_timer = QTimer(self)  # re-highlighting on every keystroke of a long story would lag
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.setInterval(200)
        self._highlight_timer.timeout.connect(self.highlight_matches)
        self.find_field.textChanged.connect(self._query_changed)
        self.whole_word.toggled.connect(self._query_changed)
        self.match_case.toggled.connect(self._query_changed)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close_bar)
        document.changed.connect(self._story_changed)
        for field in (self.find_field, self.replace_field):
            field.installEventFilter(self)
        editor.installEventFilter(self)
        self.hide()

    # -- opening and closing ----------------------------------------------------------------------

    def open_find(self, replacing: bool = False) -> None:
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:  # a selection within one paragraph is what to find
            self.find_field.setText(selected)
        for widget in (self.replace_field, self.replace_button, self.replace_all_button):
            widget.setVisible(replacing)  # the options stay, on their own row
        self.show()
        field = self.replace_field if replacing and self.find_field.text() else self.find_field
        field.setFocus()
        field.selectAll()
        self._count_stale = True
        self.highlight_matches()

    def close_bar(self) -> None:
        self.hide()
        self.editor.setExtraSelections([])
        self.editor.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.editor:
            # Esc reaches the editor only when Stop did not take it (nothing is being written).
            if kind == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape and self.isVisible():
                self.close_bar()
                return True
            return False
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and event.key() == Qt.Key.Key_Escape:
            event.accept()  # Esc closes the bar here; it stops a generation only from the editor
            if kind == QEvent.Type.KeyPress:
                self.close_bar()
            return True
        if kind == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if watched is self.replace_field:
                self.replace()
            elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.find_previous()
            else:
                self.find_next()
            return True
        return super().eventFilter(watched, event)

    # -- finding ----------------------------------------------------------------------------------

    def matches(self) -> list[tuple[int, int]]:
        return find_matches(self.editor.toPlainText(), self.find_field.text(),
                            whole_word=self.whole_word.isChecked(), match_case=self.match_case.isChecked())

    def find_next(self) -> bool:
        return self._go(forward=True)

    def find_previous(self) -> bool:
        return self._go(forward=False)

    def _go(self, forward: bool) -> bool:
        if not self.find_field.text():  # Find next with nothing to find: ask what to find
            self.open_find(replacing=self.replace_field.isVisible())
            return False
        matches = self.matches()
        if not matches:
            self._show_count(matches, None)
            return False
        cursor = self.editor.textCursor()
        if forward:
            after = cursor.selectionEnd() if cursor.hasSelection() else cursor.position()
            chosen = next((m for m in matches if m[0] >= after), matches[0])  # wraps round to the start
        else:
            before = cursor.selectionStart()
            chosen = next((m for m in reversed(matches) if m[1] <= before), matches[-1])
        self._select(*chosen)
        self._show_count(matches, chosen)
        return True

    def _select(self, start: int, end: int) -> None:
        cursor = self.editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()

    def _selected_match(self) -> tuple[int, int] | None:
        cursor = self.editor.textCursor()
        span = (cursor.selectionStart(), cursor.selectionEnd())
        return span if cursor.hasSelection() and span in self.matches() else None

    def _query_changed(self) -> None:
        self._count_stale = True
        self._highlight_timer.start()

    def highlight_matches(self) -> None:
        """Tint every match; the count follows when the query changed (not after a Replace all,
        whose own message stays)."""
        if not self.isVisible():
            return
        matches = self.matches()
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT)
        selections = []
        for start, end in matches:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(self.editor.document())
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.format = fmt
            selections.append(selection)
        self.editor.setExtraSelections(selections)
        if self._count_stale:
            self._count_stale = False
            self._show_count(matches, self._selected_match())

    def _show_count(self, matches, current) -> None:
        if not self.find_field.text():
            self.status.clear()
        elif not matches:
            self.status.setText(self.tr("Not found"))
        elif current in matches:
            self.status.setText(self.tr("%1 of %2").replace("%1", str(matches.index(current) + 1))
                                .replace("%2", str(len(matches))))
        else:
            self.status.setText(self.tr("Matches: %1").replace("%1", str(len(matches))))

    def _story_changed(self, change: StoryChange) -> None:
        if change & (StoryChange.TEXT | StoryChange.NEW):
            self._highlight_timer.start()

    # -- replacing --------------------------------------------------------------------------------

    def _can_replace(self) -> bool:
        if self.editor.isReadOnly():  # a continuation is streaming in: the text is not the writer's yet
            self.status.setText(self.tr("Wait until the model has finished writing"))
            return False
        return True

    def replace(self) -> None:
        """Replace the selected match, then go to the next one (the first press only finds one)."""
        if not self._can_replace():
            return
        match = self._selected_match()
        if match is None:
            self.find_next()
            return
        group = replacement_edits(self.document.story, [match], self.replace_field.text())
        if group is not None:
            group.label = self.tr("replace")
            self.document.undo_stack.apply(group)
        cursor = self.editor.textCursor()
        cursor.setPosition(match[0] + len(self.replace_field.text()))
        self.editor.setTextCursor(cursor)
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        if not self._can_replace():
            return 0
        matches = self.matches()
        group = replacement_edits(self.document.story, matches, self.replace_field.text())
        if group is not None:
            group.label = self.tr("replace all")
            self.document.undo_stack.apply(group)
        self.status.setText(self.tr("Replaced: %1").replace("%1", str(len(matches))))
        return len(matches)
