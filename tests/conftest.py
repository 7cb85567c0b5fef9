"""Shared fixtures: a tiny real GPT-2 with the real KoGPT2 tokenizer, made once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STORYTELLER_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
KOGPT2_TOKENIZER_DIR = ROOT / "resources" / "tokenizer" / "kogpt2"


def make_tiny_model(folder: Path, *, n_positions: int = 128, seed: int = 0) -> Path:
    """A randomly initialised KoGPT2-shaped GPT-2 (real vocabulary, tiny width) saved like a
    real checkpoint: config.json, model.safetensors, tokenizer.json."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=51200, n_positions=n_positions, n_embd=32, n_layer=2, n_head=2,
        bos_token_id=0, eos_token_id=1, pad_token_id=3,
    )
    model = GPT2LMHeadModel(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    shutil.copy(KOGPT2_TOKENIZER_DIR / "tokenizer.json", folder / "tokenizer.json")
    return folder


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
