"""Folders of the checkout the tests read from and write to."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KOGPT2_TOKENIZER_DIR = ROOT / "resources" / "tokenizer" / "kogpt2"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and figures the tests leave for people to look at
