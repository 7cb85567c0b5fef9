"""The checkout itself: no tracked text file names a folder of one particular machine (a home or work
folder, a scratch file in the temp folder). Paths are relative to the repository, or placeholders."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT

# An absolute path into a user's, a workplace's or the temp folder, not inside a URL or after `~`.
# Install locations (the .deb's `/opt/storyteller`, `/usr/bin`) belong to every machine and are fine.
MACHINE_PATH = re.compile(r"(?<![\w.:/~-])(?:/(?:work|root|home|Users|tmp|mnt|media)/[\w.-]"
                          r"|[A-Za-z]:\\+(?:Users|Documents and Settings)\\)")
# Data (corpora, tokenizers, weights, stories): not written by hand, and large.
DATA_SUFFIXES = {".json", ".jsonl", ".tsv", ".csv", ".scenario", ".safetensors", ".onnx"}
THIS_FILE = Path(__file__).resolve()  # its examples below are such paths


def machine_paths(text: str) -> list[str]:
    """`line: text` for each line of `text` that holds such a path."""
    return [f"{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), 1)
            if MACHINE_PATH.search(line)]


def tracked_text_files() -> dict[str, str]:
    """The tracked files that are text, by their path in the repository, with their text."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    names = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout
    texts = {}
    for name in names.decode("utf-8").split("\0"):
        path = ROOT / name
        if not name or path.suffix in DATA_SUFFIXES or not path.is_file() or path == THIS_FILE:
            continue
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # binary: icons, screenshots
        if "\0" not in text:
            texts[name] = text
    return texts


def test_no_tracked_file_names_a_folder_of_this_machine():
    found = {name: lines for name, text in tracked_text_files().items() if (lines := machine_paths(text))}
    assert not found, "use a path relative to the repository, or a placeholder (CORPORA, MAIN_CHECKOUT):\n" + "\n".join(
        f"{name}:{line}" for name, lines in found.items() for line in lines)


@pytest.mark.parametrize(("text", "found"), [
    ("python make_sets.py /home/anna/corpora", True),
    ("SHOTS = Path('/work/notes/shots')", True),
    ("storyteller --self-test /tmp/st.json", True),
    (r"copy C:\Users\anna\model", True),
    ("installs under /opt/storyteller and /usr/bin/storyteller", False),
    ("see https://example.org/home/page and ~/.local/share/storyteller", False),
    ("python make_sets.py CORPORA; tmp_path / 'st.json'", False),
])
def test_what_counts_as_a_machine_path(text, found):
    assert bool(machine_paths(text)) == found
