"""How close a runtime's output stays to the fp32 PyTorch model: perplexity on a fixed Korean
text and greedy agreement on fixed prompts (resources/evaluation, with its provenance).

`models optimize` runs this on every export before it may be used, and the benchmark reports it.
"""

from __future__ import annotations

import numpy as np

from storyteller.engine.core import paths
from storyteller.engine.core.numeric import log_softmax
from storyteller.engine.models.runtimes.optimized import Quality

GREEDY_TOKENS = 32


def evaluation_text() -> str:
    return paths.resource("evaluation", "korean_text.txt").read_text(encoding="utf-8")


def evaluation_prompts() -> list[str]:
    lines = paths.resource("evaluation", "prompts.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def _log_probs(logits: np.ndarray) -> np.ndarray:
    return log_softmax(logits.astype(np.float64))  # float64: perplexities compared to 0.01 %


def _numpy(logits) -> np.ndarray:
    """A runtime's logits as float32 numpy (PyTorch's are tensors)."""
    return logits.float().cpu().numpy() if hasattr(logits, "cpu") else np.asarray(logits, dtype=np.float32)


def perplexity(runtime, ids: list[int]) -> float:
    """Perplexity of `ids` as the decode loop sees them: one token at a time through the cache
    (PyTorch, the exact reference, computes every position in one pass instead)."""
    if hasattr(runtime, "all_logits"):
        log_probabilities = _log_probs(_numpy(runtime.all_logits(ids[:-1])))
        total = -sum(log_probabilities[position, token] for position, token in enumerate(ids[1:]))
        return float(np.exp(total / (len(ids) - 1)))
    cache = runtime.new_cache()
    total = 0.0
    for position in range(len(ids) - 1):
        logits, _ = runtime.forward([[ids[position]]], cache)
        total -= _log_probs(_numpy(logits))[0, ids[position + 1]]
    return float(np.exp(total / (len(ids) - 1)))


def greedy(runtime, ids: list[int], count: int, banned: list[int]) -> list[int]:
    cache = runtime.new_cache()
    logits, _ = runtime.forward([ids], cache)
    out = []
    for _ in range(count):
        scores = np.array(_numpy(logits), dtype=np.float32)
        scores[:, banned] = -np.inf
        token = int(scores[0].argmax())
        out.append(token)
        logits, _ = runtime.forward([[token]], cache)
    return out


def measure_quality(reference, candidate, tokenizer, n_positions: int, banned: list[int]) -> Quality:
    """`candidate` (a runtime) against `reference` (the fp32 one) on the evaluation text and prompts."""
    ids = tokenizer.encode(evaluation_text())[:n_positions]
    matched = total = 0
    for prompt in evaluation_prompts():
        prompt_ids = tokenizer.encode(prompt)
        count = max(1, min(GREEDY_TOKENS, n_positions - len(prompt_ids) - 1))
        expected = greedy(reference, prompt_ids, count, banned)
        got = greedy(candidate, prompt_ids, count, banned)
        matched += sum(a == b for a, b in zip(expected, got))
        total += count
    return Quality(
        perplexity_fp32=perplexity(reference, ids), perplexity_int8=perplexity(candidate, ids),
        greedy_match=matched / total, tokens=len(ids),
    )
