"""Where the window's docks go and how wide they are: the default arrangement, View > Reset layout,
and the layout saved in the settings.

Docks never get narrower than their controls need (DockScrollArea), so a small window cannot clip
them: when the window gets too narrow for the left docks beside the others, they fold into the
right dock's tabs, and unfold when there is room again. When the window grows, docks squeezed below
their natural width get it back, so a layout saved from a tiny window does not leave them narrow."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QWidget

GEOMETRY_KEY, STATE_KEY = "window/geometry", "window/state"
# Bumped when the set or arrangement of docks changes: an older saved state is then ignored.
LAYOUT_VERSION = 1
SCROLLING_MIN_HEIGHT = 150  # a dock that scrolls needs to show a few rows, not all of them
SEPARATOR = 8  # room for the splitter between two dock areas (a few pixels in every style)


class DockScrollArea(QScrollArea):
    """Scrolls its panel up and down, never sideways: it is at least as wide as the panel's controls."""

    def __init__(self, panel: QWidget):
        super().__init__()
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(panel)

    def _around(self, inner: QSize) -> int:
        return inner.width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:
        inner = self.widget().minimumSizeHint()
        return QSize(self._around(inner), min(inner.height(), SCROLLING_MIN_HEIGHT))

    def sizeHint(self) -> QSize:
        inner = self.widget().sizeHint()
        return QSize(self._around(inner), inner.height())


class DockLayout(QObject):
    """The notes dock goes left when the window is wide enough for three columns; otherwise it is a tab
    beside the sampling and steering docks on the right. The bottom dock spans the window."""

    def __init__(self, window: QMainWindow, left: QDockWidget, right: list[QDockWidget], bottom: QDockWidget):
        super().__init__(window)
        self.window = window
        self.left, self.right, self.bottom = left, right, bottom
        self.docks = [left, *right, bottom]
        self.folded: list[QDockWidget] = []  # left docks moved into the right tabs for want of room
        # The window may be as narrow as the story beside the right docks; the left ones fold away.
        window.setMinimumWidth(self.compact_width())
        window.installEventFilter(self)

    # -- the default arrangement --------------------------------------------------------------------

    def side_by_side_width(self) -> int:
        """How wide the window must be for the notes, the story and the right docks side by side."""
        right = max(dock.minimumSizeHint().width() for dock in self.right)
        central = self.window.centralWidget().minimumSizeHint().width()
        return self.left.minimumSizeHint().width() + central + right + 2 * SEPARATOR

    def compact_width(self) -> int:
        """How wide the window must be for the story beside all the docks as tabs on the right."""
        right = max(dock.minimumSizeHint().width() for dock in [self.left, *self.right])
        return self.window.centralWidget().minimumSizeHint().width() + right + SEPARATOR

    def available_width(self) -> int:
        """The window's width, as far as the screen shows it (a first window may ask for more)."""
        return min(self.window.width(), self.window.screen().availableGeometry().width())

    def arrange(self) -> None:
        window = self.window
        size = window.size()  # docks stacked for a moment must not grow the window
        side_by_side = self.available_width() >= self.side_by_side_width()
        tabs = self.right if side_by_side else [*self.right, self.left]
        places = [(dock, Qt.DockWidgetArea.RightDockWidgetArea) for dock in tabs]
        if side_by_side:
            places.append((self.left, Qt.DockWidgetArea.LeftDockWidgetArea))
        places.append((self.bottom, Qt.DockWidgetArea.BottomDockWidgetArea))
        for dock, area in places:
            window.removeDockWidget(dock)  # out of its tab group: re-adding alone leaves a stale tab behind
            window.addDockWidget(area, dock)
            dock.setFloating(False)
            dock.show()
            if dock in tabs[1:]:
                window.tabifyDockWidget(tabs[0], dock)
        tabs[0].raise_()
        self.folded = []
        window.resize(size)
        self.widen()

    def reset(self, settings: QSettings) -> None:
        """View > Reset layout: the default arrangement and widths; the saved layout is forgotten."""
        settings.remove(STATE_KEY)
        self.arrange()
        QTimer.singleShot(0, self.widen)  # once the docks have moved into their areas

    # -- widths ------------------------------------------------------------------------------------

    def shown_docks(self) -> list[QDockWidget]:
        """The docks a writer sees: not closed, and in front of their tab group."""
        return [dock for dock in self.docks if dock.isVisible() and not dock.visibleRegion().isEmpty()]

    def widen(self) -> None:
        """Docks narrower than their natural width get it back, as far as the window has room."""
        squeezed = [dock for dock in self.shown_docks()
                    if dock is not self.bottom and not dock.isFloating()
                    and dock.width() < dock.sizeHint().width()]
        if squeezed:
            self.window.resizeDocks(squeezed, [dock.sizeHint().width() for dock in squeezed],
                                    Qt.Orientation.Horizontal)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize:
            if event.size().width() < self.window.layout().minimumSize().width():
                self.fold()
            elif event.size().width() > event.oldSize().width():
                QTimer.singleShot(0, self.regrow)  # after the window's layout has given out the new room
        return False

    def left_docks(self) -> list[QDockWidget]:
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        return [dock for dock in self.docks if not dock.isFloating() and self.window.dockWidgetArea(dock) == left]

    def front_right_dock(self) -> QDockWidget:
        shown = self.shown_docks()
        return next((dock for dock in self.right if dock in shown), self.right[0])

    def fold(self) -> None:
        """Too narrow for the left docks beside the rest: they become tabs of the first right dock."""
        front = self.front_right_dock()
        for dock in self.left_docks():
            self.window.tabifyDockWidget(self.right[0], dock)
            self.folded.append(dock)
        front.raise_()  # the tab the writer was using stays in front

    def regrow(self) -> None:
        """Folded docks go back to the left once there is room for them; squeezed docks widen."""
        if self.folded and self.available_width() >= self.side_by_side_width():
            front = self.front_right_dock()
            for dock in self.folded:
                self.window.removeDockWidget(dock)
                self.window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
                dock.show()
            self.folded = []
            front.raise_()
        self.widen()

    # -- the saved layout ---------------------------------------------------------------------------

    def restore(self, settings: QSettings) -> None:
        """The window's size and docks as they were; the default arrangement when nothing usable was
        saved (an older layout, or one that no longer fits the screen)."""
        geometry = settings.value(GEOMETRY_KEY)
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        state = settings.value(STATE_KEY)
        restored = state is not None and self.window.restoreState(state, LAYOUT_VERSION)
        screen = self.window.screen().availableGeometry()
        if not restored or self.window.minimumSizeHint().width() > screen.width():
            self.arrange()
        QTimer.singleShot(0, self.widen)

    def save(self, settings: QSettings) -> None:
        settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        settings.setValue(STATE_KEY, self.window.saveState(LAYOUT_VERSION))
