"""Every user-visible string of the GUI, and every engine error message, has a Korean translation
in the committed .ts file, and every translation keeps the placeholders of its source."""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "storyteller_ko.ts"
# The engine's messages are marked with tr() (storyteller/engine/core/errors.py) and land in the
# context with the empty name; the GUI's come from self.tr() in its widgets.
# {name} (str.format, the engine's messages) and %1 (the GUI's); doubled braces are literal.
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})|%\d")


def test_every_gui_string_and_engine_message_is_translated_into_korean(tmp_path):
    """scripts/update_translations.sh, run on a copy of the .ts: nothing new to translate, and
    nothing changes (the committed file is what the script makes: no stale strings, no locations)."""
    ts = tmp_path / "storyteller_ko.ts"
    shutil.copy(TS, ts)
    env = dict(os.environ, STORYTELLER_VENV=str(Path(sys.executable).parent.parent))
    subprocess.run(["bash", str(ROOT / "scripts" / "update_translations.sh"), str(ts)], check=True, env=env)
    tree = ET.parse(ts)
    messages = list(tree.iter("message"))
    untranslated = [
        message.find("source").text
        for message in messages
        if message.find("translation").get("type") == "unfinished"
        or not "".join(message.find("translation").itertext()).strip()  # itertext: plural forms too
    ]
    assert untranslated == [], "run scripts/update_translations.sh and translate these in Qt Linguist"
    engine_messages = [m for context in tree.iter("context") if (context.findtext("name") or "") == ""
                       for m in context.iter("message")]
    assert len(engine_messages) > 50, "lupdate no longer finds the engine's tr() messages"
    assert ts.read_text(encoding="utf-8") == TS.read_text(encoding="utf-8"), "run scripts/update_translations.sh"


def placeholders(text: str) -> set[str]:
    return {match.group(0) if match.group(1) is None else "{" + match.group(1) + "}"
            for match in PLACEHOLDER.finditer(text or "")}


def test_every_translation_keeps_the_placeholders_of_its_source():
    broken = []
    for message in ET.parse(TS).iter("message"):
        source, translation = message.find("source").text, message.find("translation").text
        if translation and placeholders(source) != placeholders(translation):
            broken.append(f"{source!r}: {sorted(placeholders(source))} -> {sorted(placeholders(translation))}")
    assert broken == [], "a translation lost or invented a placeholder"
