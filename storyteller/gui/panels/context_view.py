"""A bar of what the model reads: memory, world info, story, author's note and room left.
Click it to see the exact text sent, and why each world-info entry is in it or not."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.story.context import BuiltContext
from storyteller.engine.story.world_info import EntryStatus, Reason, key_problems
from storyteller.gui.common.fonts import korean_font
from storyteller.gui.common.messages import error_text
from storyteller.gui.common.theme import LIGHT_TINTS, tints_for

COLORS = {"memory": "#c98c2a", "world_info": "#4f8a3a", "story": "#3b6fb6", "authors_note": "#9b4fb0",
          "free": LIGHT_TINTS.context_free}  # free follows the theme: see free_colours()


class ContextBar(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("contextBar")
        self.context: BuiltContext | None = None
        self.error = ""
        self.setMinimumHeight(34)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def names(self) -> dict[str, str]:
        return {"memory": self.tr("memory"), "world_info": self.tr("world info"), "story": self.tr("story"),
                "authors_note": self.tr("author's note"), "free": self.tr("free")}

    def set_context(self, context: BuiltContext | None, error: str = "") -> None:
        self.context, self.error = context, error
        if context is not None:
            totals = context.tokens_by_kind()
            parts = [f"{self.names()[k]} {v}" for k, v in totals.items()]
            tip = self.tr("Tokens the model reads (of %1): ").replace("%1", str(context.budget)) + ", ".join(parts)
            if context.dropped_story_tokens:
                tip += "\n" + self.tr("Left out: the story's first %1 tokens.").replace(
                    "%1", str(context.dropped_story_tokens))
            if context.world_info:
                used = sum(status.active for status in context.world_info)
                tip += "\n" + self.tr("World info: %1 of %2 entries in.").replace("%1", str(used)).replace(
                    "%2", str(len(context.world_info)))
            self.setToolTip(tip + "\n" + self.tr("Click to see the exact text."))
        else:
            self.setToolTip(error)
        self.update()

    def segments(self) -> list[tuple[str, int]]:
        """(kind, tokens) in the order the model reads them, then the room left: the author's note
        is drawn where it sits in the story, which after a long story may be its very top."""
        if self.context is None:
            return []
        return [(part.kind, part.tokens) for part in self.context.parts if part.tokens] + [
            ("free", self.context.tokens_by_kind()["free"])]

    def free_colours(self) -> tuple[QColor, QColor]:
        """The room-left segment's fill and label colour, for the theme in use (dark: a dark grey)."""
        tints = tints_for(self.palette())
        return QColor(tints.context_free), QColor(tints.context_free_text)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        if self.context is None:
            painter.fillRect(rect, QColor("#f5d5d5" if self.error else "#eeeeee"))
            painter.setPen(QColor("#333333"))  # the fill stays light in a dark theme: the text stays dark
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.error[:120] or self.tr("No model yet"))
            return
        budget = max(1, self.context.budget)
        free_fill, free_text = self.free_colours()
        x = rect.left()
        for kind, count in self.segments():
            width = rect.width() * count / budget
            segment = QRectF(x, rect.top(), width, rect.height())
            painter.fillRect(segment, free_fill if kind == "free" else QColor(COLORS[kind]))
            if width > 60:
                painter.setPen(free_text if kind == "free" else QColor("white"))
                painter.drawText(segment, Qt.AlignmentFlag.AlignCenter, f"{self.names()[kind]} {count}")
            x += width

    def mousePressEvent(self, event) -> None:
        self.show_sent_text()

    def show_sent_text(self) -> None:
        if self.context is not None:
            dialog = QDialog(self)
            dialog.setObjectName("contextDialog")
            dialog.setWindowTitle(self.tr("Text sent to the model"))
            view = QPlainTextEdit(self.context.describe() + "\n\n" + self.context.text)
            view.setReadOnly(True)
            view.setFont(korean_font(11))
            layout = QVBoxLayout(dialog)
            if self.context.world_info:
                splitter = QSplitter(Qt.Orientation.Vertical)
                box = QWidget()
                column = QVBoxLayout(box)
                column.setContentsMargins(0, 0, 0, 0)
                column.addWidget(QLabel(self.tr("World info: why each entry is in the text or not")))
                column.addWidget(self.world_info_table(self.context.world_info))
                splitter.addWidget(box)
                splitter.addWidget(view)
                layout.addWidget(splitter)
            else:
                layout.addWidget(view)
            dialog.resize(760, 560)
            dialog.open()

    def world_info_table(self, statuses: list[EntryStatus]) -> QTreeWidget:
        table = QTreeWidget()
        table.setObjectName("worldInfoReasons")
        table.setRootIsDecorated(False)
        table.setHeaderLabels([self.tr("Entry"), self.tr("In"), self.tr("Why"), self.tr("Tokens")])
        table.setFont(korean_font(10))
        for status in statuses:
            item = QTreeWidgetItem([status.title, "✔" if status.active else "—", self.reason(status),
                                    str(status.tokens)])
            item.setForeground(1, QColor("#2e7d32" if status.active else "#9e9e9e"))
            table.addTopLevelItem(item)
        header = table.header()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def reason(self, status: EntryStatus) -> str:
        """Why `status`'s entry is in or out, in the writer's language."""
        templates = {
            Reason.ALWAYS_ON: self.tr("Always on"),
            Reason.KEY: self.tr("Key %1 is in the story") if not status.depth else
            self.tr("Key %1 is in the text of entries found before (depth %2)"),
            Reason.DISABLED: self.tr("Disabled"),
            Reason.NO_KEY: self.tr("None of its keys is in the scanned text"),
            Reason.NEEDS_SECONDARY: self.tr("Key %1 is there, but none of the keys it also needs"),
            Reason.EXCLUDED: self.tr("Left out: %1 is there"),
            Reason.TOO_DEEP: self.tr("Key %1 is only in entries found at depth %3, the recursion limit"),
            Reason.OVER_BUDGET: self.tr("Left out: over the world info budget"),
            Reason.EMPTY: self.tr("Matched, but it has no text"),
        }
        text = (templates[status.reason].replace("%1", status.key).replace("%2", str(status.depth))
                .replace("%3", str(status.depth - 1)))
        entry = status.entry
        problems = key_problems(entry.keys + entry.secondary_keys + entry.exclude_keys)
        return "; ".join([text] + [error_text(problem) for problem in problems])
