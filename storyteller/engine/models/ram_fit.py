"""Will a model fit in this computer's memory? Checked BEFORE loading, from the folder's files alone
(the safetensors header and config.json), so a 1.5B model on an 8 GB laptop gets a clear message
instead of the system swapping for minutes or the process being killed.

It counts what loading the model adds to the process: the weights as the runtime holds them, the
keys/values of a whole context, the logits of a whole-context prefill, and the app's own parts that
are not loaded yet: the runtime's libraries and Kiwi (the Korean analyzer every story uses). What
is loaded already (Python, Qt, the tokenizer, a library loaded before) is out of the available
memory already. The figures are benchmarks/bench_memory.py's (issue 28; RSS, one thread): the demo's
window holds 113 MB before a model, Kiwi adds 235, onnxruntime 20, torch with transformers' GPT-2
350; KoGPT2's int8 session 169 MB, and 175 more once a 900-token story is warmed up.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.korean import analysis
from storyteller.engine.models import remedies
from storyteller.engine.models.folder import SAFETENSORS_WEIGHTS

KIWI_BYTES = 240 * 2**20  # engine/korean/analysis.py's analyzer, loaded once per process
# The libraries each runtime imports (their top-level package: imported already, they cost nothing more).
LIBRARY_BYTES = {"onnxruntime": 20 * 2**20, "torch": 350 * 2**20}  # torch with transformers' model code
# The loop keeps two prompt caches (the story's, and one for suggestions inside the story); on int8
# ONNX the second's room also covers the session's arena, which keeps what a prefill needed (measured
# 175 MB for one 900-token KoGPT2 cache of 66 MB).
CACHES = 2
SCORE_BYTES = 4  # logits are float32 whatever the weights are


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes loading a model adds: its weights, its keys/values over the whole context, the logits
    of a whole-context prefill, and the app's parts still to load (`app`)."""

    parameters: int
    weights: int
    cache: int
    working: int
    app: int = 0

    @property
    def total(self) -> int:
        return self.weights + self.cache + self.working + self.app


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
    """What loading `folder` with weights of `bytes_per_weight` bytes (4 fp32, 2 fp16/bf16, 1: the
    int8 ONNX export) adds, keys/values and scores at their largest (a full context)."""
    parameters = parameter_count(folder)
    shape = model_shape(folder)
    int8 = bytes_per_weight < 2
    weights = int(parameters * bytes_per_weight)
    if int8:  # the tied embedding's int8 matrix is held twice: as stored (the embedding reads it) and packed
        weights += shape["vocab"] * shape["width"]
    cache_bytes = 4 if int8 else bytes_per_weight  # int8 runtimes keep fp32 keys/values
    cache = int(CACHES * 2 * shape["layers"] * shape["positions"] * shape["width"] * cache_bytes)
    working = shape["positions"] * shape["vocab"] * SCORE_BYTES
    return MemoryEstimate(parameters, weights, cache, working, app_still_to_load("onnxruntime" if int8 else "torch"))


def app_still_to_load(library: str) -> int:
    """Bytes of the app's own parts a model on `library` ("onnxruntime" or "torch") will bring in
    that this process has not loaded yet: the library, and Kiwi."""
    missing = 0 if library in sys.modules else LIBRARY_BYTES[library]
    return missing + (0 if analysis.loaded() else KIWI_BYTES)


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
