"""Where the window's docks go and how wide they are: the default arrangement, View > Reset layout,
and the layout saved in the settings.

Docks never get narrower than their controls need (DockScrollArea), so a small window cannot clip
them: when the window gets too narrow for the left docks beside the others, they fold into the
right dock's tabs, and unfold when there is room again. When the window grows, docks squeezed below
their natural width get it back, so a layout saved from a tiny window does not leave them narrow."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QTabBar, QWidget

from storyteller.gui.common.settings_keys import WINDOW_GEOMETRY, WINDOW_STATE

# Bumped when the set or arrangement of docks changes: an older saved state is then ignored.
LAYOUT_VERSION = 2  # 2: the version tree dock
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
    beside the sampling and steering docks on the right. The bottom dock spans the window
    from side to side."""

    def __init__(self, host: QMainWindow, left: QDockWidget, right: list[QDockWidget], bottom: QDockWidget):
        """`host`: the main window holding the docks, of which only its QMainWindow methods are used."""
        super().__init__(host)
        self.host = host
        self.left, self.right, self.bottom = left, right, bottom
        self.docks = [left, *right, bottom]
        self.before_fold = None  # the saved state from before the left docks folded into the right tabs
        # The window may be as narrow as the story beside the right docks; the left ones fold away.
        host.setMinimumWidth(self.compact_width())
        host.installEventFilter(self)

    # -- the default arrangement --------------------------------------------------------------------

    def side_by_side_width(self) -> int:
        """How wide the window must be for the notes, the story and the right docks side by side."""
        right = max(dock.minimumSizeHint().width() for dock in self.right)
        central = self.host.centralWidget().minimumSizeHint().width()
        return self.left.minimumSizeHint().width() + central + right + 2 * SEPARATOR

    def compact_width(self) -> int:
        """How wide the window must be for the story beside all the docks as tabs on the right."""
        right = max(dock.minimumSizeHint().width() for dock in [self.left, *self.right])
        return self.host.centralWidget().minimumSizeHint().width() + right + SEPARATOR

    def available_width(self) -> int:
        """The window's width, as far as the screen shows it (a first window may ask for more)."""
        return min(self.host.width(), self.host.screen().availableGeometry().width())

    def capture_defaults(self) -> None:
        """The two default arrangements as saved states, made once from the docks as the window built them
        (notes left, the others tabbed on the right, the bottom one below)."""
        host = self.host
        for dock in self.right[1:]:
            host.tabifyDockWidget(self.right[0], dock)
        self.right[0].raise_()
        self.defaults = {True: host.saveState(LAYOUT_VERSION)}
        host.tabifyDockWidget(self.right[0], self.left)
        self.right[0].raise_()
        self.defaults[False] = host.saveState(LAYOUT_VERSION)
        host.restoreState(self.defaults[True], LAYOUT_VERSION)

    def arrange(self) -> None:
        """The default arrangement for the window's width: every dock open, docked, at its natural width."""
        size = self.host.size()
        self.host.restoreState(self.defaults[self.available_width() >= self.side_by_side_width()], LAYOUT_VERSION)
        self.host.resize(size)  # a state holds the docks' places, not the window's size
        self.before_fold = None
        self.widen()

    def reset(self, settings: QSettings) -> None:
        """View > Reset layout: the default arrangement and widths; the saved layout is forgotten."""
        WINDOW_STATE.remove(settings)
        self.arrange()
        QTimer.singleShot(0, self.widen)  # once the docks have moved into their areas

    # -- widths ------------------------------------------------------------------------------------

    def shown_docks(self) -> list[QDockWidget]:
        """The docks a writer sees: not closed, and in front of their tab group."""
        return [dock for dock in self.docks if dock.isVisible() and not dock.visibleRegion().isEmpty()]

    def hide_stale_tab_bars(self) -> None:
        """Qt (6.11) leaves the tab bar of a tab group that was rearranged on screen, beside or over the
        new one. The bars in use sit right below the front dock of their group and name its docks;
        any other is hidden (Qt shows a bar again when it puts it back to use)."""
        in_use = []
        for front in self.shown_docks():
            group = [front, *self.host.tabifiedDockWidgets(front)]
            if len(group) > 1:
                in_use.append((front.geometry(), {dock.windowTitle() for dock in group}))
        for bar in self.host.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            titles = {bar.tabText(index) for index in range(bar.count())}
            used = any(titles == names and abs(bar.x() - place.x()) <= 2 and bar.y() >= place.bottom() - 2
                       and bar.width() <= place.width() + 2 for place, names in in_use)
            if bar.isVisible() and not used:
                bar.hide()

    def widen(self) -> None:
        """Docks narrower than their natural width get it back, as far as the window has room."""
        squeezed = [dock for dock in self.shown_docks()
                    if dock is not self.bottom and not dock.isFloating()
                    and dock.width() < dock.sizeHint().width()]
        if squeezed:
            self.host.resizeDocks(squeezed, [dock.sizeHint().width() for dock in squeezed],
                                    Qt.Orientation.Horizontal)
        QTimer.singleShot(0, self.hide_stale_tab_bars)  # once the tab bars have moved into place

    def eventFilter(self, watched, event) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            if event.size().width() < self.host.layout().minimumSize().width():
                self.fold()
            elif event.size().width() > event.oldSize().width():
                QTimer.singleShot(0, self.regrow)  # after the window's layout has given out the new room
        return False

    def left_docks(self) -> list[QDockWidget]:
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        return [dock for dock in self.docks if not dock.isFloating() and self.host.dockWidgetArea(dock) == left]

    def front_right_dock(self) -> QDockWidget:
        shown = self.shown_docks()
        return next((dock for dock in self.right if dock in shown), self.right[0])

    def fold(self) -> None:
        """Too narrow for the left docks beside the rest: they become tabs of the first right dock."""
        left = self.left_docks()
        if not left:
            return
        if self.before_fold is None:
            self.before_fold = self.host.saveState(LAYOUT_VERSION)
        front = self.front_right_dock()
        for dock in left:
            self.host.tabifyDockWidget(self.right[0], dock)
        front.raise_()  # the tab the writer was using stays in front
        QTimer.singleShot(0, self.hide_stale_tab_bars)

    def regrow(self) -> None:
        """Folded docks go back to the left once there is room for them; squeezed docks widen."""
        if self.before_fold is not None and self.available_width() >= self.side_by_side_width():
            size = self.host.size()
            self.host.restoreState(self.before_fold, LAYOUT_VERSION)  # as the writer had them
            self.host.resize(size)
            self.before_fold = None
        self.widen()

    # -- the saved layout ---------------------------------------------------------------------------

    def restore(self, settings: QSettings) -> None:
        """The window's size and docks as they were; the default arrangement when nothing usable was
        saved (an older layout, or one that no longer fits the screen)."""
        geometry = WINDOW_GEOMETRY.read(settings)
        if geometry is not None:
            self.host.restoreGeometry(geometry)
        state = WINDOW_STATE.read(settings)
        restored = state is not None and self.host.restoreState(state, LAYOUT_VERSION)
        screen = self.host.screen().availableGeometry()
        if not restored or self.host.minimumSizeHint().width() > screen.width():
            self.arrange()
        QTimer.singleShot(0, self.widen)

    def save(self, settings: QSettings) -> None:
        WINDOW_GEOMETRY.write(settings, self.host.saveGeometry())
        WINDOW_STATE.write(settings, self.host.saveState(LAYOUT_VERSION))
