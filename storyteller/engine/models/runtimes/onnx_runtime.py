"""The ONNX Runtime runtime: the optimized int8 export (see optimize.py), fed numpy arrays.

Imports neither torch nor transformers: a plain continuation on this runtime starts in a fraction
of the time torch takes to import. The caller owns the keys/values (`OnnxCache`), so continuing
a story feeds only its new tokens, and rolling back is a slice.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storyteller.engine.core.device import cpu_thread_count

CUDA_PROVIDER = "CUDAExecutionProvider"


class OnnxCache:
    """Per layer, keys and values stacked as ONNX Runtime's GPT-2 graph wants them:
    [2, batch, heads, length, head size]."""

    def __init__(self, layers: list[np.ndarray]):
        self.layers = layers

    def length(self) -> int:
        return int(self.layers[0].shape[3])

    def crop(self, length: int) -> None:
        if length < self.length():
            self.layers = [np.ascontiguousarray(layer[:, :, :, :length]) for layer in self.layers]

    def repeated(self, count: int) -> OnnxCache:
        return OnnxCache([np.repeat(layer, count, axis=1) for layer in self.layers])


class OnnxRuntime:
    name = "onnx"

    def __init__(self, model_file: Path, layers: int, heads: int, head_size: int, *, gpu: bool = False):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = cpu_thread_count()  # the same cores - 1 rule as torch (device.py)
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # its warnings about unused initializers are noise for the user
        # GPU execution providers exist only in the onnxruntime-gpu builds; the CPU build (this
        # project's pin) has none, so this path runs only where a user installed one.
        providers = [CUDA_PROVIDER, "CPUExecutionProvider"] if gpu else ["CPUExecutionProvider"]
        self.session = onnxruntime.InferenceSession(str(model_file), options, providers=providers)
        self.layers, self.heads, self.head_size = layers, heads, head_size
        presents = [f"present_{i}" for i in range(layers)]
        # The last layer's state is copied out only when asked for (a long prefill's is megabytes).
        self._plain, self._with_hidden = ["logits", *presents], ["logits", "hidden", *presents]
        self.file = Path(model_file)
        self.description = "ONNX Runtime " + ("GPU fp16" if gpu else "int8")

    def new_cache(self) -> OnnxCache:
        empty = np.zeros((2, 1, self.heads, 0, self.head_size), dtype=np.float32)
        return OnnxCache([empty] * self.layers)

    def _feeds(self, ids, cache: OnnxCache) -> dict[str, np.ndarray]:
        ids = np.asarray(ids, dtype=np.int64)
        batch, new = ids.shape
        past = cache.length()
        if cache.layers[0].shape[1] != batch:  # an empty cache fed a batch
            cache.layers = [np.repeat(layer, batch, axis=1) for layer in cache.layers]
        feeds = {
            "input_ids": ids,
            "position_ids": np.tile(np.arange(past, past + new, dtype=np.int64), (batch, 1)),
            "attention_mask": np.ones((batch, past + new), dtype=np.int64),
        }
        feeds.update((f"past_{i}", layer) for i, layer in enumerate(cache.layers))
        return feeds

    def forward(self, ids, cache: OnnxCache, want_hidden: bool = False):
        feeds = self._feeds(ids, cache)
        if want_hidden:
            logits, hidden, *cache.layers = self.session.run(self._with_hidden, feeds)
            return logits[:, -1], hidden[:, -1]
        logits, *cache.layers = self.session.run(self._plain, feeds)
        return logits[:, -1], None

    def hidden_states(self, ids: list[int]) -> np.ndarray:
        """The last layer's state (after the final layer norm) at each position of `ids`, fed alone
        (length x width, float32): what the mood head reads."""
        (hidden,) = self.session.run(["hidden"], self._feeds([ids], self.new_cache()))
        return hidden[0]
