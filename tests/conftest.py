"""Shared fixtures: a tiny real GPT-2 with the real KoGPT2 tokenizer, made once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STORYTELLER_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
KOGPT2_TOKENIZER_DIR = ROOT / "resources" / "tokenizer" / "kogpt2"


def make_tiny_model(folder: Path, *, n_positions: int = 128, seed: int = 0) -> Path:
    """The tests' usual small model: two layers, 32 wide, 128 positions."""
    from tests.tiny_models import save_tiny_gpt2

    return save_tiny_gpt2(folder, n_positions=n_positions, width=32, layers=2, seed=seed)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The Korean UI's .qm, built from the committed .ts when missing or stale."""
    import subprocess
    import sys

    ts = ROOT / "resources" / "translations" / "storyteller_ko.ts"
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        lrelease = Path(sys.executable).parent / "pyside6-lrelease"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("models") / "tiny")


@pytest.fixture(scope="session")
def tiny_loaded(tiny_model_dir):
    from storyteller.engine.model import load_model

    return load_model(tiny_model_dir, device="cpu")


@pytest.fixture(scope="session")
def kogpt2_tokenizer():
    from storyteller.engine.tokenizer import load_tokenizer

    return load_tokenizer(KOGPT2_TOKENIZER_DIR)
