"""Memory, author's note and world info editors, saved into the story as the writer types."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.settings.schema import setting_of
from storyteller.engine.story.document import Story, WorldInfoEntry
from storyteller.engine.story.world_info import Matching, key_problems
from storyteller.gui.common.fonts import korean_font
from storyteller.gui.common.messages import error_text
from storyteller.gui.common.setting_widgets import label, spin_box

# Keys are comma separated (a full-width comma counts); a /regular expression/ may hold commas.
_KEY = re.compile(r"\s*(/(?:\\.|[^/])+/[a-z]*(?=\s*(?:[,，]|$))|[^,，]*)\s*(?:[,，]|$)")


def _keys(text: str) -> list[str]:
    return [key.strip() for key in _KEY.findall(text) if key.strip()]


class ProblemLabel(QLabel):
    """An error line that always holds its room (two lines, shown or not), so that no field below
    it moves when it appears: a click aimed at a field lands there. Longer text ends in "…", the
    whole of it in the tooltip."""

    LINES = 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self._full = ""
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        self._fix_height()

    def _fix_height(self) -> None:
        margins = self.contentsMargins()
        self.setFixedHeight(self.fontMetrics().lineSpacing() * self.LINES + margins.top() + margins.bottom())

    def hasHeightForWidth(self) -> bool:
        # Its height is fixed: a wrapping label that asked for height-for-width made the dock's scroll
        # area size the whole panel by it, growing every field when the error appeared.
        return False

    def full_text(self) -> str:
        return self._full

    def set_problem(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._fit()

    def _fits(self, text: str, width: int) -> bool:
        flags = int(Qt.TextFlag.TextWordWrap)
        needed = self.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), flags, text).height()
        return needed <= self.fontMetrics().lineSpacing() * self.LINES

    def _fit(self) -> None:
        width = self.contentsRect().width()
        text = self._full
        if width > 0 and text and not self._fits(text, width):
            low, high = 0, len(text)
            while low < high:  # the longest start that fits with "…"
                middle = (low + high + 1) // 2
                if self._fits(text[:middle].rstrip() + "…", width):
                    low = middle
                else:
                    high = middle - 1
            text = text[:low].rstrip() + "…"
        self.setText(text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fix_height()
            self._fit()


class NotesPanel(QWidget):
    changed = Signal()  # the story's notes or world info changed

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.story: Story | None = None
        self._loading = False
        layout = QVBoxLayout(self)

        self.memory = QPlainTextEdit()
        self.memory.setObjectName("memory")
        self.memory.setPlaceholderText(self.tr("Always sent first: the setting, the characters, the style…"))
        self.memory.setToolTip(self.tr("Memory is put before the story every time the model writes."))
        self.note = QPlainTextEdit()
        self.note.setObjectName("authorsNote")
        self.note.setPlaceholderText(self.tr("A hint for what comes next, e.g. 긴장감을 높일 것."))
        self.note_depth = spin_box(setting_of(Story, "authors_note_depth"))
        self.note_template = QLineEdit()
        self.note_template.setToolTip(self.tr("How the note is written into the text; {note} stands for it."))
        for editor in (self.memory, self.note):
            editor.setFont(korean_font(11))
            editor.setMaximumHeight(110)

        memory_box = QGroupBox(self.tr("Memory"))
        QVBoxLayout(memory_box).addWidget(self.memory)
        note_box = QGroupBox(self.tr("Author's note"))
        note_form = QFormLayout(note_box)
        note_form.addRow(self.note)
        depth_label = label(setting_of(Story, "authors_note_depth"))  # "Depth (paragraphs)"
        depth_label.setObjectName("authorsNoteDepthLabel")
        note_form.addRow(depth_label, self.note_depth)
        note_form.addRow(self.tr("Template"), self.note_template)

        world_box = QGroupBox(self.tr("World info"))
        world = QVBoxLayout(world_box)
        self.entries = QListWidget()
        self.entries.setObjectName("worldInfoList")
        buttons = QHBoxLayout()
        self.add_entry = QPushButton(self.tr("Add"))
        self.remove_entry = QPushButton(self.tr("Remove"))
        buttons.addWidget(self.add_entry)
        buttons.addWidget(self.remove_entry)
        self.keys = QLineEdit()
        self.keys.setObjectName("worldInfoKeys")
        self.keys.setPlaceholderText(self.tr("Keys, comma separated: 철수, 영수"))
        self.keys.setToolTip(self.tr("A key written /like this/ is a regular expression (add i after the last "
                                     "slash to ignore case)."))
        self.secondary = QLineEdit()
        self.secondary.setObjectName("worldInfoSecondary")
        self.secondary.setPlaceholderText(self.tr("Optional: one of these must appear too"))
        self.exclude = QLineEdit()
        self.exclude.setObjectName("worldInfoExclude")
        self.exclude.setPlaceholderText(self.tr("Optional: left out when one of these appears"))
        self.key_problem = ProblemLabel()  # its room is kept: the fields below do not move
        self.key_problem.setObjectName("worldInfoKeyProblem")
        self.key_problem.setStyleSheet("color: #c62828;")
        self.key_problem.hide()
        self.order = spin_box(setting_of(WorldInfoEntry, "order"))
        self.order.setObjectName("worldInfoOrder")
        self.content = QPlainTextEdit()
        self.content.setObjectName("worldInfoContent")
        self.content.setFont(korean_font(11))
        self.content.setMaximumHeight(90)
        self.always_on = QCheckBox(self.tr("Always on"))
        self.enabled = QCheckBox(self.tr("Enabled"))
        self.match_words = QCheckBox(self.tr("Match keys as words (철수 finds 철수가, not 철수세미)"))
        self.match_words.setObjectName("worldInfoMatchWords")
        self.match_words.setToolTip(self.tr("Off: a key matches anywhere in the text, even inside longer words."))
        self.dynamic_scan = QCheckBox(self.tr("Add entries the model mentions while it writes"))
        self.dynamic_scan.setObjectName("worldInfoDynamicScan")
        self.scan_depth = spin_box(setting_of(Story, "world_info_scan_depth"))
        self.recursion = spin_box(setting_of(Story, "world_info_recursion"))
        self.recursion.setObjectName("worldInfoRecursion")
        self.budget = spin_box(setting_of(Story, "world_info_budget"))
        self.budget.setObjectName("worldInfoBudget")
        self.recursion.setSpecialValueText(self.tr("off"))
        self.budget.setSpecialValueText(self.tr("no limit"))
        entry_form = QFormLayout()
        entry_form.addRow(self.tr("Keys"), self.keys)
        entry_form.addRow(self.tr("Also needs"), self.secondary)
        entry_form.addRow(self.tr("Not if"), self.exclude)
        # A form drops a hidden row's room whatever the size policy says: the room is a box that stays.
        problem_room = QWidget()
        problem_room.setObjectName("worldInfoKeyProblemRoom")
        room = QVBoxLayout(problem_room)
        room.setContentsMargins(0, 0, 0, 0)
        room.addWidget(self.key_problem)
        problem_room.setFixedHeight(self.key_problem.height())
        entry_form.addRow(problem_room)
        entry_form.addRow(self.tr("Content"), self.content)
        entry_form.addRow(label(setting_of(WorldInfoEntry, "order")), self.order)
        flags = QHBoxLayout()
        flags.addWidget(self.always_on)
        flags.addWidget(self.enabled)
        entry_form.addRow(flags)
        world.addWidget(self.entries)
        world.addLayout(buttons)
        world.addLayout(entry_form)
        world.addWidget(self.match_words)
        world.addWidget(self.dynamic_scan)
        depth_row = QFormLayout()
        for name, box in (("world_info_scan_depth", self.scan_depth), ("world_info_recursion", self.recursion),
                          ("world_info_budget", self.budget)):
            depth_row.addRow(label(setting_of(Story, name)), box)
        world.addLayout(depth_row)

        layout.addWidget(memory_box)
        layout.addWidget(note_box)
        layout.addWidget(world_box, 1)

        self.memory.textChanged.connect(self._save_notes)
        self.note.textChanged.connect(self._save_notes)
        self.note_depth.valueChanged.connect(self._save_notes)
        self.note_template.textChanged.connect(self._save_notes)
        for box in (self.match_words, self.dynamic_scan):
            box.toggled.connect(self._save_notes)
        for box in (self.scan_depth, self.recursion, self.budget):
            box.valueChanged.connect(self._save_notes)
        self.entries.currentRowChanged.connect(self._show_entry)
        self.add_entry.clicked.connect(self._add_entry)
        self.remove_entry.clicked.connect(self._remove_entry)
        for widget in (self.keys, self.secondary, self.exclude):
            widget.textChanged.connect(self._save_entry)
        self.order.valueChanged.connect(self._save_entry)
        self.content.textChanged.connect(self._save_entry)
        self.always_on.toggled.connect(self._save_entry)
        self.enabled.toggled.connect(self._save_entry)

    def set_story(self, story: Story) -> None:
        self.story = story
        # Kiwi (keys match as words) is preloaded when the model is ready (ContextBuilder): loading it
        # here, at start-up, held the GIL for seconds while the model thread loaded the model.
        self._loading = True
        try:
            self.memory.setPlainText(story.memory)
            self.note.setPlainText(story.authors_note)
            self.note_depth.setValue(story.authors_note_depth)
            self.note_template.setText(story.authors_note_template)
            self.match_words.setChecked(story.world_info_matching is Matching.WORDS)
            self.dynamic_scan.setChecked(story.world_info_dynamic_scan)
            self.scan_depth.setValue(story.world_info_scan_depth)
            self.recursion.setValue(story.world_info_recursion)
            self.budget.setValue(story.world_info_budget)
            self.entries.clear()
            for entry in story.world_info:
                self.entries.addItem(self._title(entry))
        finally:
            self._loading = False
        self.entries.setCurrentRow(0 if story.world_info else -1)
        self._show_entry(self.entries.currentRow())

    def _title(self, entry: WorldInfoEntry) -> str:
        return entry.comment or ", ".join(entry.keys) or self.tr("(new entry)")

    def _save_notes(self, *_) -> None:
        if self._loading or self.story is None:
            return
        self.story.memory = self.memory.toPlainText()
        self.story.authors_note = self.note.toPlainText()
        self.story.authors_note_depth = self.note_depth.value()
        self.story.authors_note_template = self.note_template.text()
        self.story.world_info_matching = Matching.WORDS if self.match_words.isChecked() else Matching.TEXT
        self.story.world_info_dynamic_scan = self.dynamic_scan.isChecked()
        self.story.world_info_scan_depth = self.scan_depth.value()
        self.story.world_info_recursion = self.recursion.value()
        self.story.world_info_budget = self.budget.value()
        self.changed.emit()

    def _show_entry(self, row: int) -> None:
        has = self.story is not None and 0 <= row < len(self.story.world_info)
        for widget in (self.keys, self.secondary, self.exclude, self.content, self.always_on, self.enabled,
                       self.order, self.remove_entry):
            widget.setEnabled(has)
        self._loading = True
        try:
            entry = self.story.world_info[row] if has else WorldInfoEntry(keys=[], content="")
            self.keys.setText(", ".join(entry.keys))
            self.secondary.setText(", ".join(entry.secondary_keys))
            self.exclude.setText(", ".join(entry.exclude_keys))
            self.order.setValue(entry.order)
            self.content.setPlainText(entry.content)
            self.always_on.setChecked(entry.always_on)
            self.enabled.setChecked(entry.enabled)
        finally:
            self._loading = False
        self._show_key_problems(entry)

    def _show_key_problems(self, entry: WorldInfoEntry) -> None:
        """A broken /regular expression/ key is kept as typed and matches nothing: say what is wrong."""
        problems = key_problems(entry.keys + entry.secondary_keys + entry.exclude_keys)
        self.key_problem.set_problem("\n".join(error_text(problem) for problem in problems))
        self.key_problem.setVisible(bool(problems))

    def _save_entry(self, *_) -> None:
        row = self.entries.currentRow()
        if self._loading or self.story is None or not 0 <= row < len(self.story.world_info):
            return
        entry = self.story.world_info[row]
        entry.keys = _keys(self.keys.text())
        entry.secondary_keys = _keys(self.secondary.text())
        entry.exclude_keys = _keys(self.exclude.text())
        entry.order = self.order.value()
        entry.content = self.content.toPlainText()
        entry.always_on = self.always_on.isChecked()
        entry.enabled = self.enabled.isChecked()
        self.entries.item(row).setText(self._title(entry))
        self._show_key_problems(entry)
        self.changed.emit()

    def _add_entry(self) -> None:
        self.story.world_info.append(WorldInfoEntry(keys=[], content=""))
        self.entries.addItem(self.tr("(new entry)"))
        self.entries.setCurrentRow(len(self.story.world_info) - 1)
        self.keys.setFocus()
        self.changed.emit()

    def _remove_entry(self) -> None:
        row = self.entries.currentRow()
        if 0 <= row < len(self.story.world_info):
            del self.story.world_info[row]
            self.entries.takeItem(row)
            self.changed.emit()
