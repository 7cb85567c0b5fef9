"""The window's layout (issue 16 point 3): docks keep every control usable at 800×600, get their width
back when the window grows again (also after a restart with a layout saved from a small window), and
View > Reset layout brings back the default arrangement."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from storyteller.gui.common.settings_keys import WINDOW_STATE
from storyteller.gui.controllers.dock_layout import DockLayout

CONTROLS = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QListWidget, QPlainTextEdit,
            QTextEdit)
LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


@pytest.fixture
def wide_screen(monkeypatch):
    """The test screen is 800 px wide (offscreen); let the window be as wide as a desktop's."""
    monkeypatch.setattr(DockLayout, "available_width", lambda self: self.host.width())


def settle(qtbot, window, width, height):
    window.resize(width, height)
    qtbot.wait(50)  # the docks widen on the next turn of the event loop


def clipped_controls(dock) -> list[str]:
    """The dock's controls that are smaller than they need or cut off at the dock's side."""
    bad = []
    for control in dock.widget().findChildren(QWidget):
        if not isinstance(control, CONTROLS) or isinstance(control.parent(), CONTROLS) or not control.isVisible():
            continue
        need = control.minimumSizeHint()
        right = control.mapTo(dock, QPoint(control.width(), 0)).x()
        if control.width() < need.width() or control.height() < need.height() or right > dock.width():
            bad.append(f"{dock.objectName()}: {type(control).__name__} {control.size().toTuple()} "
                       f"needs {need.toTuple()}, right edge {right} of {dock.width()}")
    return bad


def assert_docks_usable(qtbot, window):
    for dock in window.docks:
        if dock.isVisible():
            dock.raise_()  # the one behind a tab too
            qtbot.wait(10)
            assert dock.width() >= dock.minimumSizeHint().width()
            assert not clipped_controls(dock)


def dock_tab_bars(window) -> list[set[str]]:
    """The tab bars of dock groups on screen, as the titles they show."""
    bars = window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return [{bar.tabText(index) for index in range(bar.count())} for bar in bars if bar.isVisible()]


def assert_natural_widths(qtbot, window):
    """Every dock but the bottom one is at least as wide as it wants to be, once the event loop has given
    the docks their room: on a busy machine that may take longer than settle's wait."""
    def natural():
        for dock in window.dock_layout.shown_docks():
            if dock is not window.dock_layout.bottom:
                assert dock.width() >= dock.sizeHint().width(), dock.objectName()

    qtbot.waitUntil(natural, timeout=2000)


def test_every_dock_control_is_usable_at_800x600(qtbot, window):
    settle(qtbot, window, 800, 600)
    assert window.size().toTuple() == (800, 600)
    assert_docks_usable(qtbot, window)
    assert window.editor.width() >= 250 and window.editor.height() >= 100


def test_docks_fold_at_800_and_widen_again_when_maximised(qtbot, window, wide_screen):
    settle(qtbot, window, 1600, 1000)
    window.dock_layout.reset(window.qsettings)
    qtbot.wait(50)
    notes = window.dock_layout.left
    sampling, steering, tree = window.dock_layout.right
    assert window.dockWidgetArea(notes) == LEFT and window.dock_layout.shown_docks()
    assert_natural_widths(qtbot, window)
    assert dock_tab_bars(window) == [{sampling.windowTitle(), steering.windowTitle(), tree.windowTitle()}]

    settle(qtbot, window, 800, 600)  # too narrow for three columns: the notes become a tab on the right
    assert window.size().toTuple() == (800, 600)
    assert window.dockWidgetArea(notes) == RIGHT
    assert_docks_usable(qtbot, window)
    assert dock_tab_bars(window) == [{sampling.windowTitle(), steering.windowTitle(), tree.windowTitle(),
                                      notes.windowTitle()}]

    settle(qtbot, window, 1600, 1000)  # maximised again: back where they were, at their natural width
    assert window.dockWidgetArea(notes) == LEFT
    assert_natural_widths(qtbot, window)
    # no stale one left
    assert dock_tab_bars(window) == [{sampling.windowTitle(), steering.windowTitle(), tree.windowTitle()}]


def test_a_layout_saved_from_a_small_window_does_not_keep_docks_narrow(qtbot, window, wide_screen):
    from storyteller.gui.app import build_window, make_settings

    settle(qtbot, window, 800, 600)
    shown = window.dock_layout.shown_docks()
    window.resizeDocks(shown, [1] * len(shown), Qt.Orientation.Horizontal)
    window.close()  # saves the window's layout
    assert WINDOW_STATE.read(window.qsettings) is not None

    again = build_window(make_settings())
    qtbot.addWidget(again)
    try:
        again.show()
        settle(qtbot, again, 800, 600)
        assert_docks_usable(qtbot, again)
        settle(qtbot, again, 1600, 1000)
        assert_natural_widths(qtbot, again)
    finally:
        again.client.shutdown()


def test_a_layout_saved_by_an_older_version_is_replaced_by_the_default(qtbot, window):
    from storyteller.gui.app import build_window, make_settings

    window.docks[0].setFloating(True)
    WINDOW_STATE.write(window.qsettings, window.saveState())  # version 0: before the docks' minimum widths
    again = build_window(make_settings())
    qtbot.addWidget(again)
    try:
        assert not any(dock.isFloating() for dock in again.docks)
    finally:
        again.client.shutdown()


def test_reset_layout_brings_back_the_docks_and_forgets_the_saved_layout(qtbot, window):
    window.close()
    window.show()
    assert WINDOW_STATE.read(window.qsettings) is not None
    sampling, steering, notes, context, tree = window.docks
    notes.setFloating(True)
    steering.hide()
    window.resizeDocks([sampling], [10], Qt.Orientation.Horizontal)
    settle(qtbot, window, 800, 600)

    window.findChild(QAction, "resetLayout").trigger()
    qtbot.wait(50)
    assert window.size().toTuple() == (800, 600)  # the docks moved, the window did not grow
    assert_docks_usable(qtbot, window)
    assert WINDOW_STATE.read(window.qsettings) is None
    assert [(dock.objectName(), dock.isVisible(), dock.isFloating()) for dock in window.docks] == [
        (dock.objectName(), True, False) for dock in window.docks]
    assert window.dockWidgetArea(context) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert set(window.tabifiedDockWidgets(sampling)) >= {steering}
    assert_natural_widths(qtbot, window)
    assert "resetLayout" in [action.objectName() for action in window.view_menu.actions()]
