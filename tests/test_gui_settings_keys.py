"""The app's QSettings keys are declared once (gui/common/settings_keys.py): no key is typed anywhere
else in the GUI, and each declaration reads back what it writes, its default while nothing is stored."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from storyteller.gui.common import settings_keys
from storyteller.gui.common.settings_keys import Key
from tests.helpers.paths import ROOT

GUI = ROOT / "storyteller" / "gui"
DECLARATIONS = Path(settings_keys.__file__).resolve()
SETTINGS_METHODS = {"value", "setValue", "remove", "contains"}
ALL_KEYS = [value for value in vars(settings_keys).values() if isinstance(value, Key)]


def typed_keys(source: str) -> list[tuple[int, str]]:
    """(line, text) of each settings key typed in `source`: a literal first argument of a QSettings
    method, or any string that is the name of a declared key (a constant of its own, say)."""
    names = {key.name for key in ALL_KEYS}
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SETTINGS_METHODS
                and node.args and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
                and not isinstance(getattr(node.args[0], "value", ""), int | float)):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Constant) and node.value in names:
            found.append((node.lineno, repr(node.value)))
    return sorted(set(found))


def test_no_settings_key_is_typed_outside_the_declarations():
    typed = [f"{path.relative_to(ROOT)}:{line}: {text}"
             for path in sorted(GUI.rglob("*.py")) if path.resolve() != DECLARATIONS
             for line, text in typed_keys(path.read_text(encoding="utf-8"))]
    assert not typed, "declare these in storyteller/gui/common/settings_keys.py:\n" + "\n".join(typed)


def test_the_scan_sees_literal_keys_and_copies_of_declared_ones():
    source = ('settings.value("a/b", 1)\nsettings.setValue(f"x/{name}", 2)\nsettings.remove("c")\n'
              'OWN_KEY = "model/device"\nspin.setValue(3)\nMODEL_DEVICE.read(settings)\n')
    assert [line for line, _ in typed_keys(source)] == [1, 2, 3, 4]


def test_each_key_is_declared_once():
    names = [key.name for key in ALL_KEYS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("key", ALL_KEYS, ids=lambda key: key.name)
def test_a_key_reads_its_default_then_what_was_written(tmp_path, key):
    settings = QSettings(str(tmp_path / "storyteller.ini"), QSettings.Format.IniFormat)
    assert key.read(settings) == key.default
    if key.type is not None:
        assert isinstance(key.read(settings), key.type)
    value = {bool: not key.default, int: 21, str: "ko", list: ["/이야기, 첫째.story.json"]}.get(key.type, b"\x00state")
    key.write(settings, value)
    settings.sync()
    again = QSettings(str(tmp_path / "storyteller.ini"), QSettings.Format.IniFormat)
    assert key.read(again) == value
    key.remove(again)
    assert not again.contains(key.name) and key.read(again) == key.default
