"""What runs the model under the one decode loop (engine/decode/generator.py).

A runtime does the model-specific part of decoding: a forward pass over new token ids that
extends a cache of keys/values and returns the last position's logits, and the cache itself
(its length, rolling it back, copying it for several candidates). Two exist:

- `torch_runtime.TorchRuntime`: transformers' model in PyTorch. Training, PPLM, the mood vector
  and anything else needing gradients or block hooks run here.
- `onnx_runtime.OnnxRuntime`: the int8 ONNX export made by `storyteller models optimize`
  (`optimize.py`), 3-5x faster on a CPU, and importing neither torch nor transformers.

This module is plain Python: the GUI and the CLI read the choices before anything heavy loads.
"""

from __future__ import annotations

from typing import Protocol

from storyteller.engine.core.errors import tr

# The runtime setting, declared once: the CLI's --runtime, the model manager's list and open_model.
RUNTIME_CHOICES = ("auto", "torch", "onnx")
RUNTIME_LABELS = {
    "auto": tr("Automatic (fast int8 ONNX when the model is optimized, else PyTorch)"),
    "torch": tr("PyTorch"),
    "onnx": tr("ONNX Runtime (optimized int8)"),
}


class Cache(Protocol):
    """The keys/values a runtime computed for the ids fed so far (batch × length)."""

    def length(self) -> int: ...

    def crop(self, length: int) -> None:
        """Keep the first `length` tokens (roll back)."""

    def repeated(self, count: int) -> Cache:
        """A copy with each row repeated `count` times (several candidates), leaving this one as it is."""


class Runtime(Protocol):
    name: str  # "torch" or "onnx"
    description: str  # for the status line, e.g. "ONNX Runtime int8"

    def new_cache(self) -> Cache: ...

    def forward(self, ids, cache: Cache, want_hidden: bool = False):
        """Feed `ids` (batch × new, ints) after what `cache` holds, extending it; return the
        logits of the last position (batch × vocab) and, when asked and supported, the last
        layer's state there (else None)."""

    def hidden_states(self, ids: list[int]):
        """The last layer's state (after the final layer norm, transformers' hidden_states[-1]) at
        each position of `ids` fed alone: a float32 numpy array, length x width (the mood meter)."""


def needs_torch(hooks) -> bool:
    """Whether a request's hooks reach inside the model (block hooks, a latent step hook), which
    only the PyTorch runtime allows."""
    return bool(hooks.block_hooks) or hooks.step_hook is not None or hooks.needs_hidden
