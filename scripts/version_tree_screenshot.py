"""Retake the README's version tree screenshot (docs/version-tree-ko.png): the real window in Korean,
offscreen, with the embedded demo model continuing the example story, retrying, continuing a retry,
and the writer editing the opening, so the tree has branches at three places.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/version_tree_screenshot.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLE = ROOT / "resources" / "examples" / "안개_낀_고개.story.json"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = tempfile.mkdtemp(prefix="storyteller-shots-")
    for kind in ("CONFIG", "DATA", "MODELS"):
        os.environ[f"STORYTELLER_{kind}_DIR"] = os.path.join(scratch, kind.lower())
    sys.path.insert(0, str(ROOT))

    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from scripts.readme_screenshots import settle
    from storyteller.gui.app import build_window, install_translator, make_settings

    app = QApplication([])
    install_translator(app, "ko")
    window = build_window(make_settings())
    window.resize(1280, 820)
    window.show()
    loaded = []
    window.client.model_loaded.connect(loaded.append)
    window.client.load_model("demo", "cpu")
    while not loaded:
        settle(app, window, 5)
    window.files.open_path(EXAMPLE)

    def write(action, seed: int) -> None:
        window.story.generation = window.story.generation.replace(seed=seed, max_new_tokens=40)
        done = []

        def finished(*_):
            done.append(True)

        window.writing.generation_done.connect(finished)
        action.trigger()
        while not done:
            settle(app, window, 5)
        window.writing.generation_done.disconnect(finished)

    write(window.continue_action, 7)
    write(window.retry_action, 8)
    write(window.continue_action, 9)
    write(window.retry_action, 10)
    # The writer changes the opening's first words: a new version of it, the old text kept.
    window.editor.setFocus()
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor, 2)
    window.editor.setTextCursor(cursor)
    window.editor.insertPlainText("그해 가을")
    window.version_tree.show_in()
    settle(app, window, 40)
    DOCS.mkdir(exist_ok=True)
    window.grab().save(str(DOCS / "version-tree-ko.png"))
    window.document.mark_saved()
    window.client.shutdown()
    print(f"wrote {DOCS / 'version-tree-ko.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
