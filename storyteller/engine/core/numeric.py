"""Softmax and log-softmax on numpy, written once for the engine: the logits stage and sampling, token
alternatives, the int8 export's quality check and the mood head all turn scores into probabilities."""

from __future__ import annotations

import numpy as np


def softmax(scores: np.ndarray) -> np.ndarray:
    """Probabilities from scores along the last axis, in the scores' own float type (-inf: 0)."""
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def log_softmax(scores: np.ndarray) -> np.ndarray:
    """Log-probabilities from scores along the last axis (log-sum-exp, stable for large scores)."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
