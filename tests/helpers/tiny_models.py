"""Tiny random-weight GPT-2 models with KoGPT2's real vocabulary and tokenizer, saved like real
checkpoints: what the tests load, import, serve and train."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers.paths import KOGPT2_TOKENIZER_DIR


def save_tiny_gpt2(folder: Path, *, n_positions: int = 64, width: int = 16, layers: int = 1, pickle: bool = False,
                   seed: int = 0) -> Path:
    """config.json, weights (model.safetensors, or pytorch_model.bin with `pickle`) and tokenizer.json.

    The defaults give the smallest model that loads (a few MB: what the fake hub serves and the store copies);
    the session's `tiny_model_dir` asks for more positions and layers so that it can continue a story."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=51200, n_positions=n_positions, n_embd=width, n_layer=layers, n_head=2,
        bos_token_id=0, eos_token_id=1, pad_token_id=3,
    )
    model = GPT2LMHeadModel(config)
    folder.mkdir(parents=True, exist_ok=True)
    if pickle:
        config.save_pretrained(folder)
        torch.save(model.state_dict(), folder / "pytorch_model.bin")
    else:
        model.save_pretrained(folder)
    shutil.copy(KOGPT2_TOKENIZER_DIR / "tokenizer.json", folder / "tokenizer.json")
    return folder
