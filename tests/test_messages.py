"""Engine error messages reach the user in the UI's language.

The engine marks each message with `tr()` and raises it with its parameters; the GUI translates
the template and fills it (storyteller/gui/common/messages.py). These tests check both halves: every
StorytellerError the engine builds carries a marked template whose placeholders match its
parameters, and the GUI shows a real engine error in Korean.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from storyteller.engine.core.errors import ModelError, StorytellerError, tr

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "storyteller" / "engine"


def engine_sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(ENGINE.rglob("*.py"))}


def storyteller_error_classes(trees) -> set[str]:
    """Names of StorytellerError and every class in the engine derived from it, at any depth."""
    names = {"StorytellerError"}
    classes = [node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {base.id if isinstance(base, ast.Name) else getattr(base, "attr", None) for base in node.bases}
            if node.name not in names and bases & names:
                names.add(node.name)
                grew = True
    return names


def error_constructions(tree: ast.Module, classes: set[str]):
    """Every call that builds one of `classes` (raised, returned or stored)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name in classes:
                yield node


def is_tr_call(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"


def placeholders(template: str) -> set[str]:
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template) if field}


def test_engine_errors_are_built_from_templates_marked_for_translation():
    trees = engine_sources()
    classes = storyteller_error_classes(trees.values())
    assert {"ModelError", "OfflineError", "StoryFileError", "ContextError", "TrainingError"} <= classes
    bare = []
    for path, tree in trees.items():
        for call in error_constructions(tree, classes):
            first = call.args[0] if call.args else None
            # A template is tr("...") or a variable holding one (chosen among several tr() texts);
            # a string, an f-string, a concatenation or a helper's return value is not.
            if not (is_tr_call(first) or isinstance(first, (ast.Name, ast.Subscript))):
                bare.append(f"{path.name}:{call.lineno}: {ast.unparse(call)[:100]}")
    assert bare == [], "wrap the message in tr(\"...\") and pass its values as keyword arguments"


def test_tr_marks_one_literal_template_that_lupdate_can_extract():
    """pyside6-lupdate extracts only tr("literal") calls without keyword arguments."""
    wrong = []
    for path, tree in engine_sources().items():
        for node in ast.walk(tree):
            if is_tr_call(node):
                literal = (len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Constant)
                           and isinstance(node.args[0].value, str))
                if not literal:
                    wrong.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert wrong == []


def test_the_parameters_given_fill_exactly_the_placeholders_of_the_template():
    trees = engine_sources()
    classes = storyteller_error_classes(trees.values())
    mismatched = []
    for path, tree in trees.items():
        for call in error_constructions(tree, classes):
            first = call.args[0] if call.args else None
            if not is_tr_call(first) or any(keyword.arg is None for keyword in call.keywords):
                continue  # a variable template or **params: checked when raised, by the tests of that code
            wanted = placeholders(first.args[0].value)
            given = {keyword.arg for keyword in call.keywords}
            if wanted != given:
                mismatched.append(f"{path.name}:{call.lineno}: template wants {sorted(wanted)}, gets {sorted(given)}")
    assert mismatched == []


def test_str_of_an_engine_error_is_the_complete_english_sentence():
    error = ModelError(tr("The model folder {folder} does not exist."), folder=Path("/x/y"))
    assert str(error) == "The model folder /x/y does not exist."
    assert error.template == "The model folder {folder} does not exist."
    assert error.params == {"folder": Path("/x/y")}
    # Without parameters the template is the message as it is: braces are not special then.
    assert str(StorytellerError(tr("Use {braces} freely."))) == "Use {braces} freely."
    # Errors built the old way, from a finished sentence, still work.
    plain = ModelError("simulated failure")
    assert str(plain) == plain.template == "simulated failure" and plain.params == {}


def test_an_engine_error_survives_pickling_with_its_template():
    import pickle

    error = pickle.loads(pickle.dumps(ModelError(tr("{name} is missing."), name="tiny")))
    assert type(error) is ModelError and str(error) == "tiny is missing."
    assert error.template == "{name} is missing." and error.params == {"name": "tiny"}


# -- the GUI side ---------------------------------------------------------------------------------


@pytest.fixture
def korean(qapp):
    """The app's Korean translator, installed as the app installs it, removed afterwards."""
    from storyteller.gui.app import install_translator, remove_translators

    install_translator(qapp, "ko")
    assert len(qapp._storyteller_translators) == 2, "the Korean .qm files (ours, Qt's own) did not load"
    yield qapp
    remove_translators(qapp)


def corrupt_story(folder: Path) -> Path:
    path = folder / "망가진 이야기.story.json"
    path.write_text("{broken", encoding="utf-8")
    return path


def test_error_text_is_the_english_message_without_a_translator(qapp, tmp_path):
    from storyteller.engine.story.file import load_story
    from storyteller.gui.common.messages import error_text

    with pytest.raises(StorytellerError) as caught:
        load_story(corrupt_story(tmp_path))
    assert error_text(caught.value) == str(caught.value)
    assert error_text(ValueError("not ours")) == "not ours"


def test_error_text_translates_the_template_and_fills_in_the_values(korean, tmp_path):
    from storyteller.engine.story.file import load_story
    from storyteller.gui.common.messages import error_text

    path = corrupt_story(tmp_path)
    with pytest.raises(StorytellerError) as caught:
        load_story(path)
    shown = error_text(caught.value)
    assert "is not valid JSON" in str(caught.value)  # the CLI's English is unchanged
    assert str(path) in shown and "JSON" in shown and "is not valid" not in shown
    assert any("\uac00" <= char <= "\ud7a3" for char in shown.replace(str(path), "")), shown


def test_an_engine_error_inside_another_is_translated_too(korean, tmp_path):
    from storyteller.engine.story.file import FORMAT, StoryFileError, story_from_json
    from storyteller.gui.common.messages import error_text

    with pytest.raises(StoryFileError) as caught:
        story_from_json({"format": FORMAT, "version": 1, "generation": {"temperature": 99}}, "a.story.json")
    assert isinstance(caught.value.params["error"], StorytellerError)
    shown = error_text(caught.value)
    assert "must be between" not in shown and "invalid" not in shown, shown
    assert "a.story.json" in shown and "99" in shown
    assert "온도" in shown and "temperature" not in shown  # the setting as its slider is labelled (issue 27)


def test_a_translation_that_lost_a_placeholder_falls_back_to_english(korean, monkeypatch):
    from storyteller.gui.common import messages

    error = ModelError(tr("The model folder {folder} does not exist."), folder="/x")
    monkeypatch.setattr(messages.QCoreApplication, "translate", lambda context, text: "{폴더}가 없습니다.")
    assert messages.error_text(error) == "The model folder /x does not exist."


def test_the_window_shows_a_corrupt_story_files_error_in_korean(qtbot, korean, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from storyteller.gui.app import build_window, make_settings

    for name in ("CONFIG", "DATA", "MODELS"):
        monkeypatch.setenv(f"STORYTELLER_{name}_DIR", str(tmp_path / name.lower()))
    # Modal questions would hang offscreen: answer them, and record that one was asked.
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda parent, title, *args, **kwargs: asked.append(title) or QMessageBox.StandardButton.Discard,
    )
    window = build_window(make_settings())  # no model is needed to open a file
    qtbot.addWidget(window)
    window.show()
    try:
        path = corrupt_story(tmp_path)
        assert not window.files.open_path(path)
        box = window.last_error
        assert box.isVisible()
        assert box.windowTitle() == "이야기를 열 수 없습니다"
        shown = box.text()
        assert str(path) in shown, shown
        assert "is not valid JSON" not in shown and "줄" in shown and "칸" in shown, shown
        box.close()
    finally:
        window.client.shutdown()
        window.undo_stack.setClean()
        window.document.mark_saved()


def test_qts_own_menus_speak_korean_too(korean):
    from PySide6.QtCore import QCoreApplication

    # The editor's right-click menu (Undo, Cut, Paste…) comes from Qt: it was English in the Korean UI.
    for source in ("&Undo", "Cu&t", "&Paste", "Select All"):
        translated = QCoreApplication.translate("QWidgetTextControl", source)
        assert translated != source and any("가" <= c <= "힣" for c in translated), source
