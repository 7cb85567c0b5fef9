"""What a model folder is: which files make a model, and the checks that name the exact file
that is missing or corrupt. The store, the hub download and model loading all go by these rules.

Plain Python (json, and safetensors for the weights' header): no torch, no transformers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.models.remedies import import_folder

# Architectures whose blocks live at model.transformer.h, where generation and activation
# steering expect them.
GPT2_FAMILY = frozenset({"gpt2", "gpt_neo", "gptj"})

CONFIG_FILE = "config.json"
CONFIG_FILES = (CONFIG_FILE, "generation_config.json")
TOKENIZER_FILE = "tokenizer.json"
VOCAB_FILE = "vocab.json"
MERGES_FILE = "merges.txt"
TOKENIZER_FILES = (
    TOKENIZER_FILE,
    VOCAB_FILE,
    MERGES_FILE,
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
)
SAFETENSORS_WEIGHTS = "model.safetensors"
SAFETENSORS_INDEX = "model.safetensors.index.json"
PICKLE_WEIGHTS = "pytorch_model.bin"
PICKLE_INDEX = "pytorch_model.bin.index.json"
# In order of preference; the index files mean the weights are split into shards.
WEIGHT_FILES = (SAFETENSORS_WEIGHTS, SAFETENSORS_INDEX, PICKLE_WEIGHTS, PICKLE_INDEX)
_NOTICE_PREFIXES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "README")


# --- which files make a model -------------------------------------------------------------


def is_notice_file(name: str) -> bool:
    """LICENSE, README.md, NOTICE… : the terms a model comes with travel with it."""
    return "/" not in name and name.upper().startswith(_NOTICE_PREFIXES)


def weights_file(names: Iterable[str]) -> str | None:
    """The weights to use among `names`: safetensors before pickle, one file before shards."""
    present = set(names)
    return next((name for name in WEIGHT_FILES if name in present), None)


def has_tokenizer(names: Iterable[str]) -> bool:
    """tokenizer.json, or the vocab.json and merges.txt pair it is built from."""
    names = set(names)
    return TOKENIZER_FILE in names or {VOCAB_FILE, MERGES_FILE} <= names


def select_model_files(names: Iterable[str]) -> list[str]:
    """The files of a folder or hub repo that an installed model keeps: config, tokenizer, one
    kind of weights, license and readme. Other frameworks' weights, optimizer and training state
    stay behind."""
    names = set(names)
    chosen = {name for name in names if name in CONFIG_FILES or name in TOKENIZER_FILES or is_notice_file(name)}
    weights = weights_file(names)
    if weights is not None:
        chosen.add(weights)
    return sorted(chosen)


# --- checking a folder --------------------------------------------------------------------


def check_model_folder(folder: Path, *, allow_pickle: bool = False) -> None:
    """Raise ModelError naming the exact missing or corrupt file if `folder` is not a model
    Storyteller can load: config.json, weights and a tokenizer."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(tr("The model folder {folder} does not exist; check the path."), folder=folder)
    _check_config(folder / CONFIG_FILE)
    _check_weights(folder, allow_pickle=allow_pickle)
    _check_tokenizer_files(folder)


def _check_config(config_file: Path) -> None:
    if not config_file.is_file():
        raise ModelError(
            tr(
                "{file} is missing: a model folder needs config.json, model.safetensors and "
                "tokenizer.json (or vocab.json and merges.txt). Copy the model's config.json into the folder."
            ),
            file=config_file,
        )
    config = _read_json(config_file)
    model_type = config.get("model_type") if isinstance(config, dict) else None
    if model_type not in GPT2_FAMILY:
        raise ModelError(
            tr(
                "{file} describes a model of type {model_type}; Storyteller runs GPT-2-family "
                "models only (model_type {supported}). Choose a KoGPT2-style model."
            ),
            file=config_file, model_type=repr(model_type), supported=", ".join(sorted(GPT2_FAMILY)),
        )


def _check_weights(folder: Path, *, allow_pickle: bool) -> None:
    weights = weights_file(child.name for child in folder.iterdir())
    if weights is None:
        raise ModelError(
            tr(
                "{file} is missing: the folder has no model weights ({safetensors} or {pickle}). "
                "Copy the model's weights into the folder."
            ),
            file=folder / SAFETENSORS_WEIGHTS, safetensors=SAFETENSORS_WEIGHTS, pickle=PICKLE_WEIGHTS,
        )
    if weights in (PICKLE_WEIGHTS, PICKLE_INDEX) and not allow_pickle:
        raise ModelError(
            tr(
                "{folder} has only {weights} (pickled weights, which Storyteller does not load from a folder "
                "it has not imported). Import it once with {import_folder} to convert it to {safetensors}."
            ),
            folder=folder, weights=weights, safetensors=SAFETENSORS_WEIGHTS, import_folder=import_folder(folder),
        )
    for shard in _weight_shards(folder, weights):
        if shard.name.endswith(".safetensors"):
            _check_safetensors(shard)
        elif not shard.is_file() or shard.stat().st_size == 0:
            raise ModelError(
                tr("{file} is missing or empty; copy the model's weights into {folder} again."),
                file=shard,
                folder=folder,
            )


def _weight_shards(folder: Path, weights: str) -> list[Path]:
    if not weights.endswith(".index.json"):
        return [folder / weights]
    index = _read_json(folder / weights)
    weight_map = index.get("weight_map") if isinstance(index, dict) else None
    if not isinstance(weight_map, dict) or not weight_map:
        raise ModelError(
            tr("{file} is corrupt (it lists no weight files); copy it into {folder} again."),
            file=folder / weights, folder=folder,
        )
    return [folder / shard for shard in sorted(set(map(str, weight_map.values())))]


def _check_safetensors(file: Path) -> None:
    from safetensors import safe_open

    if not file.is_file():
        raise ModelError(
            tr("{file} is missing; copy the model's weights into {folder} again."), file=file, folder=file.parent
        )
    try:
        # numpy only reads the header here, so this does not need torch.
        with safe_open(str(file), framework="numpy") as weights:
            has_tensors = bool(list(weights.keys()))
    except Exception as error:  # safetensors raises its own Rust-side error types
        raise ModelError(
            tr("{file} is corrupt or incomplete ({reason}); download or copy the model again."),
            file=file, reason=str(error),
        ) from error
    if not has_tensors:
        raise ModelError(tr("{file} holds no tensors; download or copy the model again."), file=file)


def _check_tokenizer_files(folder: Path) -> None:
    tokenizer_file = folder / TOKENIZER_FILE
    if tokenizer_file.is_file():
        tokenizer = _read_json(tokenizer_file)
        if not isinstance(tokenizer, dict) or "model" not in tokenizer:
            raise ModelError(
                tr("{file} is corrupt (it is not a tokenizers file); copy it into {folder} again."),
                file=tokenizer_file, folder=folder,
            )
        return
    vocab, merges = folder / VOCAB_FILE, folder / MERGES_FILE
    if not vocab.is_file() and not merges.is_file():
        raise ModelError(
            tr(
                "{file} is missing: the folder has no tokenizer (tokenizer.json, or vocab.json "
                "and merges.txt). Copy the model's tokenizer files into the folder."
            ),
            file=tokenizer_file,
        )
    for part in (vocab, merges):
        if not part.is_file():
            raise ModelError(tr("{file} is missing; the tokenizer needs both vocab.json and merges.txt."), file=part)
    if not isinstance(_read_json(vocab), dict):
        raise ModelError(
            tr("{file} is corrupt (not a vocabulary); copy it into {folder} again."), file=vocab, folder=folder
        )


def _read_json(file: Path):
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(
            tr("{file} is corrupt ({reason}); copy or download the model again."), file=file, reason=str(error)
        ) from error


# Digests of tokenizer files that load_tokenizer accepted: KoGPT2 fine-tunes all share one
# tokenizer, and building it costs most of a second.
_LOADABLE_TOKENIZERS: set[str] = set()


def check_tokenizer_builds(folder: Path) -> None:
    """The deep check before installing: the tokenizer really builds."""
    from storyteller.engine.models.tokenizer import load_tokenizer

    digest = hashlib.sha256()
    for name in TOKENIZER_FILES:
        if (folder / name).is_file():
            digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    if digest.hexdigest() not in _LOADABLE_TOKENIZERS:
        load_tokenizer(folder)
        _LOADABLE_TOKENIZERS.add(digest.hexdigest())
