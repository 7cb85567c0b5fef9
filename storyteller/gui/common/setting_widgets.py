"""Controls made from a setting's declaration (storyteller/engine/settings/schema.py): their range, kind,
label and tooltip come from it, the label and help translated as error templates are."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSpinBox

from storyteller.engine.settings.schema import Setting
from storyteller.gui.common.messages import translated


def spin_box(item: Setting, decimals: int = 2) -> QSpinBox | QDoubleSpinBox:
    """A spin box over the setting's whole declared range, showing its default, with its help as tooltip."""
    spin = QDoubleSpinBox() if item.kind is float else QSpinBox()
    if item.kind is float:
        spin.setDecimals(decimals)
    spin.setRange(item.low, item.high)
    spin.setValue(item.default)
    spin.setToolTip(translated(item.help))
    return spin


def label(item: Setting) -> QLabel:
    widget = QLabel(translated(item.label))
    widget.setToolTip(translated(item.help))
    return widget
