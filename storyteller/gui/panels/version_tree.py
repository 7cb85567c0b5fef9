"""The version tree dock: every continuation, retry and editing burst of the story as a node (see
engine/story/tree.py). The story's pieces are the top rows, each with its other versions below it, and
each of those with the story that followed it. Go to a node, compare two, prune one; all through
the undo stack, so Ctrl+Z takes a jump or a prune back."""

from __future__ import annotations

import difflib
import html
import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.story.document import Author
from storyteller.engine.story.history import Jump, Prune
from storyteller.engine.story.tree import (
    Address,
    Node,
    Row,
    branch,
    count_nodes,
    exists,
    node_text,
    outline,
    story_text_at,
    summary,
)
from storyteller.gui.common.fonts import korean_font
from storyteller.gui.document.document import StoryChange, StoryDocument

ADDRESS = Qt.ItemDataRole.UserRole
REFRESH_PAUSE_MS = 150  # typing changes the tree at every key: rebuild once it pauses
TOOLTIP_CHARACTERS = 800
DIFF_CONTEXT_WORDS = 12  # unchanged words kept around each change in the comparison


class VersionTreePanel(QWidget):
    def __init__(self, document: StoryDocument, parent=None):
        super().__init__(parent)
        self.setObjectName("versionTree")
        self.document = document
        self.busy = False
        # What the writer opened or closed; by default a piece shows its other versions, and a
        # version not chosen hides the story that followed it (built only when opened: a long story
        # edited often has thousands of nodes).
        self.expanded: dict[Address, bool] = {}
        self.items: dict[Address, QTreeWidgetItem] = {}
        self._unbuilt: dict[Address, Node] = {}  # versions whose branch is not built yet
        self._shown_current: Address | None = None
        self._stale = False
        self._authors = {Author.WRITER: self.tr("Writer"), Author.MODEL: self.tr("Model"),
                         Author.PLAYER: self.tr("Player")}

        self.tree = QTreeWidget()
        self.tree.setObjectName("versionTreeView")
        self.tree.setHeaderLabels([self.tr("Text"), self.tr("By"), self.tr("Version")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setFont(korean_font(10))
        self.tree.setMinimumWidth(200)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, header.ResizeMode.ResizeToContents)
        self.go_button = QPushButton(self.tr("Go to"))
        self.compare_button = QPushButton(self.tr("Compare"))
        self.prune_button = QPushButton(self.tr("Prune"))
        self._usage = self.tr("Enter: go to the selected version. Select two (Ctrl+click) to compare them. "
                              "Delete prunes a version and what follows it.")
        self.hint = QLabel(self._usage)
        self.hint.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.go_button, self.compare_button, self.prune_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)

        # The keys work while the tree has the focus (the editor keeps its own Enter and Delete).
        self.go_action = self._action(self.tr("Go to this version"), self.go_to_selected,
                                      [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.compare_action = self._action(self.tr("Compare the two selected versions"), self.compare_selected,
                                           [QKeySequence("Ctrl+D")])
        self.prune_action = self._action(self.tr("Prune this version and what follows it"), self.prune_selected,
                                         [QKeySequence(QKeySequence.StandardKey.Delete)])
        self.tree_actions = [self.go_action, self.compare_action, self.prune_action]  # for the window's menu
        self.go_button.clicked.connect(self.go_action.trigger)
        self.compare_button.clicked.connect(self.compare_action.trigger)
        self.prune_button.clicked.connect(self.prune_action.trigger)
        self.tree.itemActivated.connect(lambda *_: self.go_to_selected())  # double-click
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemCollapsed.connect(lambda item: self.expanded.__setitem__(item.data(0, ADDRESS), False))
        self.tree.itemExpanded.connect(self._opened)

        self._bold = QFont(self.tree.font())
        self._bold.setBold(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_PAUSE_MS)
        self._timer.timeout.connect(self.refresh)
        document.changed.connect(self._story_changed)
        self.refresh()

    def show_in(self) -> None:
        """Bring the tree's dock to the front and the keyboard to the tree."""
        dock = self.parentWidget()
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is not None:
            dock.show()
            dock.raise_()
        self._shown_current = None  # select the story's last node
        self.refresh()
        self.tree.setFocus()

    def _action(self, text: str, slot, keys) -> QAction:
        action = QAction(text, self.tree)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.tree.addAction(action)
        return action

    # -- showing the tree ---------------------------------------------------------------------------

    def _story_changed(self, change: StoryChange) -> None:
        if StoryChange.NEW in change:
            self.expanded.clear()
            self.hint.setText(self._usage)  # "Pruned 3 versions. Undo…" spoke of the story before
        if not change & (StoryChange.NEW | StoryChange.TEXT):
            return
        if not self.isVisible():  # behind another tab, or closed: rebuilt when shown
            self._stale = True
        elif StoryChange.NEW in change:
            self.refresh()
        else:
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        self._stale = False
        selected = [item.data(0, ADDRESS) for item in self.tree.selectedItems()]
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        self.items, self._unbuilt = {}, {}
        self._faint = QBrush(self.palette().placeholderText())  # the theme may have changed
        self._add_rows(self.tree.invisibleRootItem(), outline(self.document.story.pieces))
        for address, item in list(self.items.items()):
            if item.childCount() or address in self._unbuilt:
                item.setExpanded(self.expanded.get(address, address not in self._unbuilt))
        # The selection stays while the story stays where it was; when it moves (a continuation, a
        # retry, a jump), the story's last node is selected, so the tree shows where the writer is.
        current = next((item for item in self.items.values() if item.data(1, ADDRESS)), None)
        moved = self._shown_current != (current.data(0, ADDRESS) if current is not None else None)
        kept = [] if moved else [self.items[address] for address in selected if address in self.items]
        for item in kept:
            item.setSelected(True)
        if kept:
            self.tree.setCurrentItem(kept[-1], 0, self.tree.selectionModel().SelectionFlag.NoUpdate)
        elif current is not None:
            self.tree.setCurrentItem(current)
            self.tree.scrollToItem(current)
        self._shown_current = current.data(0, ADDRESS) if current is not None else None
        self.tree.setUpdatesEnabled(True)
        self._update_buttons()

    def _add_rows(self, parent: QTreeWidgetItem, rows: list[Row]) -> None:
        for row in rows:
            item = self._item(parent, row.chosen)
            for other in row.others:
                version = self._item(item, other)
                if other.rest:
                    version.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
                    self._unbuilt[other.address] = other

    def _opened(self, item: QTreeWidgetItem) -> None:
        address = item.data(0, ADDRESS)
        self.expanded[address] = True
        node = self._unbuilt.pop(address, None)
        if node is not None:
            self._add_rows(item, branch(node))
            for child in (item.child(i) for i in range(item.childCount())):
                child_address = child.data(0, ADDRESS)
                if child.childCount() or child_address in self._unbuilt:
                    child.setExpanded(self.expanded.get(child_address, child_address not in self._unbuilt))

    def _item(self, parent: QTreeWidgetItem, node: Node) -> QTreeWidgetItem:
        version = f"{node.address[-1] + 1}/{node.versions}" if node.versions > 1 else ""
        if node.pinned:
            pinned = self.tr("pinned")
            version = f"{version} {pinned}".strip()
        mark = "▶ " if node.current else ""
        item = QTreeWidgetItem(parent, [mark + summary(node.text), self._authors[node.author], version])
        item.setData(0, ADDRESS, node.address)
        item.setData(1, ADDRESS, node.current)
        shown = node.text if len(node.text) <= TOOLTIP_CHARACTERS else node.text[:TOOLTIP_CHARACTERS] + " …"
        item.setToolTip(0, shown)
        if node.on_path:
            item.setFont(0, self._bold)
        else:
            item.setForeground(0, self._faint)
        self.items[node.address] = item
        return item

    def selected_addresses(self) -> list[Address]:
        return [item.data(0, ADDRESS) for item in self.tree.selectedItems()]

    def set_busy(self, busy: bool) -> None:
        """While the model writes, the story must stay where the continuation is going."""
        self.busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.tree.selectedItems())
        for action, button, enabled in ((self.go_action, self.go_button, count == 1 and not self.busy),
                                        (self.compare_action, self.compare_button, count == 2),
                                        (self.prune_action, self.prune_button, count == 1 and not self.busy)):
            action.setEnabled(enabled)
            button.setEnabled(enabled)

    # -- acting on it -------------------------------------------------------------------------------

    def _one_selected(self) -> Address | None:
        addresses = self.selected_addresses()
        if self.busy or len(addresses) != 1 or not exists(self.document.story.pieces, addresses[0]):
            return None
        return addresses[0]

    def go_to_selected(self) -> None:
        address = self._one_selected()
        if address is not None:
            self.go_to(address)

    def go_to(self, address: Address) -> None:
        """The story becomes the path through the node (one undo step)."""
        self.refresh()  # the pending rebuild first: addresses must name what the tree shows
        if exists(self.document.story.pieces, address):
            self.document.undo_stack.apply(Jump(address))
            self.refresh()
            self.hint.setText(self.tr("The story now goes through this version. Undo (Ctrl+Z) goes back."))

    def prune_selected(self) -> None:
        address = self._one_selected()
        if address is not None:
            self.prune(address)

    def prune(self, address: Address) -> None:
        """Remove the node and what follows it (one undo step: Undo brings it all back)."""
        pieces = self.document.story.pieces
        before = count_nodes(pieces)
        self.document.undo_stack.apply(Prune(address))
        self.refresh()
        self.hint.setText(self.tr("Pruned %1 versions. Undo (Ctrl+Z) brings them back.")
                          .replace("%1", str(before - count_nodes(pieces))))

    def compare_selected(self) -> None:
        addresses = self.selected_addresses()
        if len(addresses) == 2:
            self.compare(*addresses)

    def compare(self, first: Address, second: Address) -> QDialog:
        """A dialog with the story as it reads through each node, the differences marked."""
        pieces = self.document.story.pieces
        names = [summary(node_text(pieces, address)) for address in (first, second)]
        dialog = CompareDialog(story_text_at(pieces, first), story_text_at(pieces, second), names, self)
        dialog.show()
        return dialog


class CompareDialog(QDialog):
    """The story through two versions, as one text: what only the first has struck out in red, what
    only the second has underlined in green, long unchanged stretches shortened to their ends."""

    def __init__(self, first: str, second: str, names: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare versions"))
        self.resize(720, 520)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view = QTextBrowser()
        self.view.setFont(korean_font(11))
        self.view.setHtml(diff_html(first, second))
        legend = QLabel(self.tr("Red, struck out: only with the first version (%1). Green, underlined: only with "
                                "the second (%2).").replace("%1", names[0]).replace("%2", names[1]))
        legend.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(legend)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)


def diff_html(first: str, second: str, context: int = DIFF_CONTEXT_WORDS) -> str:
    """Word-by-word differences as HTML (difflib on words with their following space, so Korean
    어절 are compared whole and line breaks stay)."""
    words_a, words_b = _words(first), _words(second)
    parts = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes():
        if tag == "equal":
            same = words_a[a1:a2]
            if len(same) > 2 * context + 1:  # keep the words next to the changes, drop the middle
                head = same[:context] if parts else []
                tail = same[-context:] if a2 < len(words_a) or b2 < len(words_b) else []
                same = [*head, " … ", *tail]
            parts.append(_escaped("".join(same)))
            continue
        if a2 > a1:
            parts.append(f'<span style="background:#ffd7d5; color:#82071e; text-decoration:line-through">'
                         f'{_escaped("".join(words_a[a1:a2]))}</span>')
        if b2 > b1:
            parts.append(f'<span style="background:#d1f5d3; color:#055d20; text-decoration:underline">'
                         f'{_escaped("".join(words_b[b1:b2]))}</span>')
    return "<div style='white-space:pre-wrap'>" + "".join(parts) + "</div>"


def _words(text: str) -> list[str]:
    # Each word with the space after it: a changed run of words then reads as one change.
    return re.findall(r"\s+|\S+\s*", text)


def _escaped(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")
