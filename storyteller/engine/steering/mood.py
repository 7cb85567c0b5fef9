"""Mood: the discriminator head (PPLM's attribute model and the story's mood meter) and the mood
vector (activation steering), both read off the language model's own hidden states.

The head is a linear layer on the mean last-layer state of a text, trained on labelled movie
reviews (NSMC: positive = bright, negative = dark) with the language model frozen; the features
are cached, so training again (other epochs, more data) takes seconds. It lives beside the model
(`mood_head.safetensors` in its folder) or, for a read-only model such as the embedded demo,
in the data directory.

Importing this module does not import torch, and neither does the meter: the head is a numpy
matrix (safetensors' numpy API) applied to the last-layer states of the runtime that writes (the
int8 export gives them as an output), so a writer on ONNX keeps one copy of the model. Training
the head, the mood vector and PPLM (`MoodHead.linear`) need PyTorch and import it when they run.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import random
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from storyteller.engine.core.atomic import write_atomic
from storyteller.engine.core.errors import StorytellerError, TrainingCancelled, tr
from storyteller.engine.core.numeric import softmax
from storyteller.engine.core.paths import data_dir, resource
from storyteller.engine.models.loading import LoadedModel

if TYPE_CHECKING:
    import torch

HEAD_FILE = "mood_head.safetensors"
HEAD_CARD = "mood_head.json"
FEATURE_TOKENS = 128  # a review or a story's recent text, as the head sees it
LABELS = ("dark", "bright")


class MoodError(StorytellerError):
    """A mood head or its training data is missing or unusable."""


class NoMoodHead(MoodError):
    """The model has no mood head yet. Each interface names its own way to train one: the message
    it is raised with (`str()`, what the CLI prints) names the command; `template`, what the GUI
    translates and shows, names the steering panel's button instead."""

    def __init__(self, template: str, /, **params):
        super().__init__(template, **params)
        self.template = tr(
            "The model {model} has no mood head yet. Train one with the Train mood head button in the steering "
            "panel (a minute or two), or steer the mood with the vector method."
        )


@dataclass
class MoodHead:
    weight: np.ndarray  # [2, width] float32: dark, bright
    bias: np.ndarray  # [2]
    card: dict
    device: str = "cpu"  # where `linear` goes: the PyTorch model's device

    def bright_probability(self, features: np.ndarray) -> np.ndarray:
        """P(bright) of each row of `features` (texts x width)."""
        return softmax(np.asarray(features, dtype=np.float32) @ self.weight.T + self.bias)[:, 1]

    @functools.cached_property
    def linear(self) -> torch.nn.Linear:
        """The head as a PyTorch layer, for PPLM's discriminator (which needs its gradients)."""
        import torch

        linear = torch.nn.Linear(self.weight.shape[1], 2).to(self.device)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(self.weight))
            linear.bias.copy_(torch.from_numpy(self.bias))
        return linear.requires_grad_(False)


def user_heads_dir(loaded_path: Path) -> Path:
    resolved = str(Path(loaded_path).resolve())
    return data_dir() / "heads" / f"{Path(resolved).name}-{hashlib.sha1(resolved.encode()).hexdigest()[:8]}"


def head_path(loaded: LoadedModel) -> Path | None:
    """The head for `loaded`: one trained by the user first, else the one beside the model."""
    for folder in (user_heads_dir(loaded.path), Path(loaded.path)):
        if (folder / HEAD_FILE).is_file():
            return folder / HEAD_FILE
    return None


def load_head(loaded: LoadedModel) -> MoodHead:
    path = head_path(loaded)
    if path is None:
        raise NoMoodHead(
            tr("The model {model} has no mood head yet. Train one with `storyteller train-head --model {model}` "
               "(a minute or two), or steer the mood with the vector method."),
            model=Path(loaded.path).name,
        )
    from safetensors.numpy import load_file

    tensors = load_file(str(path))
    width = loaded.width
    if tensors["weight"].shape != (2, width):
        raise MoodError(
            tr("The mood head {path} belongs to another model (width {found}, not {width}). Train it again."),
            path=str(path), found=tuple(tensors["weight"].shape), width=width)
    card_file = path.with_name(HEAD_CARD)
    card = json.loads(card_file.read_text(encoding="utf-8")) if card_file.is_file() else {}
    return MoodHead(tensors["weight"].astype(np.float32), tensors["bias"].astype(np.float32), card, loaded.device.name)


# -- features -------------------------------------------------------------------------------------


def text_features(loaded: LoadedModel, texts: list[str], batch_size: int = 32, progress=None,
                  cancel=None) -> torch.Tensor:
    """Mean last-layer state of each text's first FEATURE_TOKENS tokens (padding masked out)."""
    tokenizer = loaded.tokenizer
    rows = []
    for start in range(0, len(texts), batch_size):
        if cancel is not None and cancel.is_set():
            raise TrainingCancelled(tr("Training the mood head was cancelled."))
        batch = [tokenizer.encode(text)[:FEATURE_TOKENS] or [tokenizer.bos_token_id or 0]
                 for text in texts[start : start + batch_size]]
        rows.append(_mean_states(loaded, batch))
        if progress is not None:
            progress(min(start + batch_size, len(texts)), len(texts))
    import torch

    return torch.cat(rows) if rows else torch.zeros(0, loaded.width)


def _mean_states(loaded: LoadedModel, batch: list[list[int]]) -> torch.Tensor:
    """Training's features: a padded batch through the PyTorch model."""
    import torch

    width = max(len(ids) for ids in batch)
    pad = loaded.tokenizer.pad_token_id or 0
    ids = torch.tensor([row + [pad] * (width - len(row)) for row in batch], device=loaded.device.name)
    mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in batch], device=loaded.device.name)
    with torch.inference_mode():
        output = loaded.model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        states = output.hidden_states[-1].float() * mask[..., None]
        return (states.sum(dim=1) / mask.sum(dim=1, keepdim=True)).cpu()


def story_mood(loaded: LoadedModel, head: MoodHead, text: str) -> float:
    """How bright the end of `text` reads, 0 (dark) to 1 (bright): the mood meter, read on the
    runtime that writes (the int8 export on ONNX: no PyTorch, no second copy of the model)."""
    ids = loaded.tokenizer.encode(text)[-FEATURE_TOKENS:] or [loaded.tokenizer.bos_token_id or 0]
    features = loaded.default_runtime.hidden_states(ids).mean(axis=0, keepdims=True)
    return float(head.bright_probability(features)[0])


# -- training the head ----------------------------------------------------------------------------


def default_reviews() -> Path:
    return resource("steering", "sentiment", "nsmc_train.tsv")


def read_reviews(path: Path) -> tuple[list[str], list[int]]:
    """NSMC's format: a header, then `id<TAB>document<TAB>label` (1 positive, 0 negative)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError) as error:
        raise MoodError(tr("Cannot read the reviews file {path}: {reason}"),
                        path=str(path), reason=str(error)) from error
    texts, labels = [], []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 3 or row[2] not in ("0", "1"):
            raise MoodError(tr("Line {line} of {path} is not `id<TAB>text<TAB>label` with label 0 or 1."),
                            line=number, path=str(path))
        if row[1].strip():
            texts.append(row[1].strip())
            labels.append(int(row[2]))
    if len(set(labels)) < 2 or len(texts) < 20:
        raise MoodError(tr("{path} needs at least 20 reviews of both labels (0 and 1)."), path=str(path))
    return texts, labels


def cached_features(loaded: LoadedModel, texts: list[str], cache_dir: Path, progress=None, cancel=None) -> torch.Tensor:
    """Features of `texts`, computed once per model and data (the language model is frozen)."""
    from safetensors.torch import load_file, save_file

    weights = sorted(Path(loaded.path).glob("*.safetensors"))
    key = hashlib.sha256()
    for file in weights:
        key.update(f"{file.name}:{file.stat().st_size}:{file.stat().st_mtime_ns}".encode())
    key.update("\n".join(texts).encode())
    cache_file = Path(cache_dir) / f"features-{key.hexdigest()[:20]}.safetensors"
    if cache_file.is_file():
        return load_file(str(cache_file))["features"]
    features = text_features(loaded, texts, progress=progress, cancel=cancel)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    save_file({"features": features.contiguous()}, str(cache_file))
    return features


def train_head(
    loaded: LoadedModel,
    reviews: Path,
    output: Path,
    *,
    cache_dir: Path,
    epochs: int = 300,
    held_out: float = 0.1,
    seed: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> dict:
    """Train and save a mood head; returns its card (accuracies included)."""
    import torch
    from safetensors.torch import save_file

    texts, labels = read_reviews(reviews)
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    split = max(1, int(len(order) * held_out))
    features = cached_features(
        loaded, texts, cache_dir,
        progress=(lambda done, total: progress("features", done, total)) if progress else None, cancel=cancel,
    )
    targets = torch.tensor(labels)
    test, train = torch.tensor(order[:split]), torch.tensor(order[split:])
    mean, std = features[train].mean(0), features[train].std(0) + 1e-6
    torch.manual_seed(seed)
    linear = torch.nn.Linear(features.shape[1], 2)
    optimiser = torch.optim.Adam(linear.parameters(), lr=0.01, weight_decay=1e-4)
    normalised = (features - mean) / std
    for epoch in range(epochs):
        if cancel is not None and cancel.is_set():
            raise TrainingCancelled(tr("Training the mood head was cancelled."))
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(linear(normalised[train]), targets[train])
        loss.backward()
        optimiser.step()
        if progress is not None:
            progress("head", epoch + 1, epochs)
    with torch.no_grad():  # fold the normalisation into the layer: the head takes raw states
        weight = linear.weight / std
        bias = linear.bias - (weight * mean).sum(dim=1)
        predictions = (features @ weight.T + bias).argmax(dim=1)
    accuracy = {
        "train": round(float((predictions[train] == targets[train]).float().mean()), 4),
        "held_out": round(float((predictions[test] == targets[test]).float().mean()), 4),
    }
    card = {
        "labels": list(LABELS),
        "feature": f"mean last-layer state of the first {FEATURE_TOKENS} tokens",
        "model": Path(loaded.path).name,
        "trained_on": f"{Path(reviews).name}: {len(train)} reviews, {split} held out",
        "epochs": epochs,
        "accuracy": accuracy,
        "final_loss": round(loss.item(), 4),
    }
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    save_file({"weight": weight.contiguous(), "bias": bias.contiguous()}, str(output / HEAD_FILE))
    write_atomic(output / HEAD_CARD, (json.dumps(card, ensure_ascii=False, indent=2) + "\n").encode())
    return card


# -- the mood vector ------------------------------------------------------------------------------

# Mood vector strength 1 adds this many times the bright-dark difference: large enough to move a
# small model's mood, small enough to keep its grammar (measured by bench_steering.py).
MOOD_VECTOR_SCALE = 6.0
_vectors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def mood_pairs(path: Path | None = None) -> list[tuple[str, str]]:
    path = path or resource("steering", "mood_pairs.tsv")
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t")[:2]) for line in lines if line.count("\t") >= 1]


def vector_layer(loaded: LoadedModel) -> int:
    """Early-middle blocks carry style more than content; the vector goes in after a third."""
    return max(0, math.ceil(loaded.n_layers / 3) - 1)


def mood_vector(loaded: LoadedModel, layer: int | None = None) -> tuple[int, torch.Tensor]:
    """(block, bright-minus-dark mean output of that block over the shipped sentence pairs)."""
    layer = vector_layer(loaded) if layer is None else layer
    cached = _vectors.setdefault(loaded.model, {})
    if layer not in cached:
        pairs = mood_pairs()
        bright = _block_means(loaded, [b for b, _ in pairs], layer)
        dark = _block_means(loaded, [d for _, d in pairs], layer)
        cached[layer] = (bright - dark).mean(dim=0).to(loaded.device.name, loaded.model.dtype)
    return layer, cached[layer]


def _block_means(loaded: LoadedModel, texts: list[str], layer: int) -> torch.Tensor:
    import torch

    means = []
    with torch.inference_mode():
        for text in texts:
            ids = torch.tensor([loaded.tokenizer.encode(text)], device=loaded.device.name)
            output = loaded.model(input_ids=ids, output_hidden_states=True)
            means.append(output.hidden_states[layer + 1][0].float().mean(dim=0))
    return torch.stack(means)
