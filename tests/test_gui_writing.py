"""Issue 16 in the real window: new stories' settings and presets, autosave within seconds,
candidates kept as versions, next words after undo and redo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.helpers.gui import type_text
from tests.helpers.paths import ROOT

pytestmark = pytest.mark.timeout(180)


# -- autosave (point 4) ----------------------------------------------------------------------------


def recovered_text(autosaver) -> str | None:
    pending = autosaver.pending()
    return pending[0][1].text() if pending else None


def test_typing_reaches_the_recovery_copy_two_seconds_after_the_last_keystroke(qtbot, window):
    saver = window.files.autosaver
    window.editor.setFocus()
    type_text(window.editor, "사라지면 안 되는 문장.")
    qtbot.wait(1000)
    assert recovered_text(saver) is None  # not on every keystroke: once the writer pauses
    qtbot.waitUntil(lambda: recovered_text(saver) == "사라지면 안 되는 문장.", timeout=2500)


def test_nonstop_typing_is_still_saved_every_few_seconds(qtbot, window):
    saver = window.files.autosaver
    window.editor.setFocus()
    seen = []
    started = time.monotonic()
    while time.monotonic() - started < 5.5:  # a key every 0.3 s: never a 2 s pause
        type_text(window.editor, "가")
        qtbot.wait(300)
        seen.append(recovered_text(saver))
    assert any(seen), "nothing was saved during 5.5 s of typing"
    first = next(i for i, text in enumerate(seen) if text)
    assert first * 0.3 <= 4.6  # at the latest two pauses' worth after the first key


KILLED_WRITER = textwrap.dedent(
    """
    from PySide6.QtWidgets import QApplication
    from storyteller.gui.app import build_window, make_settings
    from tests.helpers.gui import type_text

    app = QApplication([])
    window = build_window(make_settings())
    window.show()
    window.editor.setFocus()
    type_text(window.editor, "죽기 직전에 쓴 글.")
    print("typed", flush=True)
    app.exec()
    """
)


def test_killing_the_app_after_a_pause_loses_nothing_typed(isolated):
    from storyteller.engine.storyfile import Autosaver

    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        assert process.stdout.readline().strip() == b"typed"
        time.sleep(3.0)  # the writer paused; then the power went
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert recovered_text(Autosaver(isolated / "data" / "recovery")) == "죽기 직전에 쓴 글."
