"""The first launch (issue 16 point 18): a one-screen introduction, once, in the UI's language, with the
example story one click away; not when a story is opened from the command line, nor in the self-test."""

from __future__ import annotations

from PySide6.QtCore import QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel

from storyteller.engine.core import paths
from storyteller.gui.app import build_window, make_settings, open_first, settings_path
from storyteller.gui.common.settings_keys import INTRO_SHOWN
from storyteller.gui.dialogs.intro import EXAMPLE, IntroDialog


def shown_intros(window) -> list[IntroDialog]:
    return [dialog for dialog in window.findChildren(IntroDialog) if dialog.isVisible()]


def test_first_launch_shows_the_intro_once_and_opens_the_example(qtbot, window):
    QApplication.instance().setProperty("storytellerLanguage", "en")  # what install_translator chose
    open_first(window, window.qsettings, None)
    [intro] = shown_intros(window)
    text = intro.findChild(QLabel, "introText").text()
    assert "Model in use: <b>tiny</b>" in text and "Models → Model manager… → Download KoGPT2…" in text
    assert "English because your system does" in text and "Settings → Language" in text
    assert "Ctrl+Return" in text and "안개 낀 고개" in text

    intro.example_button.click()
    assert not shown_intros(window)
    assert window.story.title == "안개 낀 고개" and window.story.memory and window.document.path is None
    assert window.editor.toPlainText() == window.story.text() != ""

    open_first(window, window.qsettings, None)  # the second launch
    assert not shown_intros(window)
    again = build_window(make_settings())
    qtbot.addWidget(again)
    try:
        open_first(again, again.qsettings, None)
        assert not shown_intros(again)
    finally:
        again.client.shutdown()

    window.findChild(QAction, "introduction").trigger()  # Help > Introduction, any time
    [intro] = shown_intros(window)
    intro.close_button.click()
    assert not shown_intros(window) and window.story.title == "안개 낀 고개"


def test_no_intro_when_a_story_is_opened_from_the_command_line(window):
    open_first(window, window.qsettings, str(EXAMPLE))
    assert not shown_intros(window) and not window.qsettings.contains(INTRO_SHOWN.name)
    assert window.document.path == EXAMPLE


def test_the_intro_speaks_korean_in_the_korean_ui(qtbot, window):
    app = QApplication.instance()
    translator = QTranslator()
    assert translator.load(str(paths.resource("translations", "storyteller_ko.qm")))
    app.installTranslator(translator)
    app.setProperty("storytellerLanguage", "ko")
    try:
        intro = window.show_intro()
        text = intro.findChild(QLabel, "introText").text()
    finally:
        app.removeTranslator(translator)
        app.setProperty("storytellerLanguage", None)
    assert "한국어" in text and "설정 → 언어" in text and "모델 관리" in text
    assert intro.windowTitle() != "Welcome to Storyteller" and intro.example_button.text() == "예제 이야기 열기"


def test_the_self_test_shows_no_intro(tmp_path):
    from tests.test_self_test import run_self_test

    done, result = run_self_test(tmp_path)
    assert done.returncode == 0 and result["ok"], done.stderr[-2000:]
    config = tmp_path / "config" / settings_path().name
    assert "intro" not in (config.read_text(encoding="utf-8") if config.exists() else "")
