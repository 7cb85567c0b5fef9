"""Will a model fit in this computer's memory? Checked BEFORE loading, from the folder's files alone
(the safetensors header and config.json), so a 1.5B model on an 8 GB laptop gets a clear message
instead of the system swapping for minutes or the process being killed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.models import remedies
from storyteller.engine.models.folder import SAFETENSORS_WEIGHTS

# What the process holds besides the model: Python, the runtime's libraries, the tokenizer and, in
# the app, Qt (the demo model's app peaks at ~450 MB RSS here, of which the model is ~70 MB).
PROCESS_OVERHEAD = 384 * 2**20
# The loop keeps two prompt caches (the story's, and one for suggestions inside the story).
CACHES = 2
SCORE_BYTES = 4  # logits are float32 whatever the weights are


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a loaded model needs: its weights, its keys/values over the whole context, the logits
    of a whole-context prefill, and the rest of the process."""

    parameters: int
    weights: int
    cache: int
    working: int

    @property
    def total(self) -> int:
        return self.weights + self.cache + self.working + PROCESS_OVERHEAD


def parameter_count(folder: Path) -> int:
    """Parameters in the folder's safetensors weights (read from the header, nothing is loaded)."""
    from safetensors import safe_open

    count = 0
    with safe_open(Path(folder) / SAFETENSORS_WEIGHTS, framework="numpy") as weights:
        for name in weights.keys():
            size = 1
            for dimension in weights.get_slice(name).get_shape():
                size *= dimension
            count += size
    return count


def model_shape(folder: Path) -> dict[str, int]:
    """Layers, width, context and vocabulary from config.json (GPT-2's names or the generic ones)."""
    config = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))

    def first(*names: str) -> int:
        return int(next(config[name] for name in names if config.get(name)))

    return {
        "layers": first("n_layer", "num_hidden_layers"),
        "width": first("n_embd", "hidden_size"),
        "positions": first("n_positions", "max_position_embeddings", "n_ctx"),
        "vocab": first("vocab_size"),
    }


def estimate(folder: Path, bytes_per_weight: float = 4) -> MemoryEstimate:
    """What loading `folder` with weights of `bytes_per_weight` bytes (4 fp32, 2 fp16/bf16, ~1 int8)
    needs, keys/values and scores at their largest (a full context)."""
    parameters = parameter_count(folder)
    shape = model_shape(folder)
    cache_bytes = bytes_per_weight if bytes_per_weight >= 2 else 4  # int8 runtimes keep fp32 keys/values
    cache = int(CACHES * 2 * shape["layers"] * shape["positions"] * shape["width"] * cache_bytes)
    working = shape["positions"] * shape["vocab"] * SCORE_BYTES
    return MemoryEstimate(parameters, int(parameters * bytes_per_weight), cache, working)


def available_memory() -> int:
    """Bytes the system can give without swapping (psutil's `available`: free + reclaimable cache)."""
    import psutil

    return int(psutil.virtual_memory().available)


def check_memory(folder: Path, name: str, bytes_per_weight: float = 4) -> MemoryEstimate:
    """Refuse to load a model that would not fit in the memory available now, saying what it
    needs and the ways out: free memory, int8 weights (a quarter of fp32), or a server."""
    needed = estimate(folder, bytes_per_weight)
    available = available_memory()
    if needed.total > available:
        raise ModelError(
            tr(
                "The model {name} needs about {needed} of memory ({weights} for its weights, {cache} for its "
                "context), but only {available} is free. Close other programs, use its int8 version, which "
                "needs a quarter of the memory for its weights ({optimize}), or run it on a server."
            ),
            name=name, needed=_gigabytes(needed.total), weights=_gigabytes(needed.weights),
            cache=_gigabytes(needed.cache + needed.working), available=_gigabytes(available),
            optimize=remedies.optimize(name),
        )
    return needed


def _gigabytes(size: int) -> str:
    return f"{size / 2**30:.1f} GB"
