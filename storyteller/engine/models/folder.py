"""What a model folder is: which files make a model, and the checks that name the exact file
that is missing or corrupt. The store, the hub download and model loading all go by these rules.

Plain Python (json, and safetensors for the weights' header): no torch, no transformers.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.core.strict_json import JsonReader, parse_json, read_file
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
    Storyteller can load: config.json, weights and a tokenizer. Nothing in the folder is trusted: the
    JSON files are read strictly, a link out of the folder is refused, the weights' header is checked."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(tr("The model folder {folder} does not exist; check the path."), folder=folder)
    try:
        names = [child.name for child in folder.iterdir()]
        for name in select_model_files(names):
            _check_inside(folder, folder / name)
        config = _check_config(folder / CONFIG_FILE)
        _check_weights(folder, config, allow_pickle=allow_pickle)
        _check_tokenizer_files(folder)
        for name in _OTHER_JSON_FILES:
            if (folder / name).is_file() and not isinstance(_read_json(folder / name), dict):
                raise ModelError(tr("{file} is corrupt (it is not a JSON object); copy it into {folder} again."),
                                 file=folder / name, folder=folder)
    except OSError as error:  # a folder or file that cannot be read (permissions, a vanished drive)
        raise ModelError(tr("{folder} cannot be read ({reason}); check the folder and its permissions."),
                         folder=folder, reason=error.strerror or str(error)) from None


# Read by transformers or the tokenizer loader when the model loads: each must be a JSON object.
_OTHER_JSON_FILES = ("generation_config.json", "tokenizer_config.json", "special_tokens_map.json",
                     "added_tokens.json")


def _check_inside(folder: Path, file: Path) -> None:
    """A model file may be a link to another file of the folder (or, in a Hugging Face cache snapshot,
    to the cache's blobs), never to a file elsewhere: an import would copy whatever it points to."""
    if not file.is_symlink():
        return
    root, target = Path(os.path.realpath(folder)), Path(os.path.realpath(file))  # a loop: where it stops
    in_hub_cache = root.parent.name == "snapshots" and target.is_relative_to(root.parent.parent / "blobs")
    if not (target.is_relative_to(root) or in_hub_cache):
        raise ModelError(
            tr("{file} is a link to {target}, outside the model folder. Storyteller reads only the files inside a "
               "model folder: put the real file in the folder in place of the link."),
            file=file, target=target,
        )


# The sizes a GPT-2-family config gives (by its model_type's names): whole numbers in these ranges, or
# loading the model would fail, or allocate without end.
_CONFIG_SIZES = {
    "vocab_size": 4_000_000, "n_positions": 1_048_576, "n_ctx": 1_048_576, "max_position_embeddings": 1_048_576,
    "n_embd": 65_536, "hidden_size": 65_536, "n_layer": 1024, "num_layers": 1024, "n_head": 1024, "num_heads": 1024,
}
_CONFIG_OPTIONAL_SIZES = {"n_inner": 262_144, "intermediate_size": 262_144, "rotary_dim": 65_536,
                          "window_size": 1_048_576}


def _check_config(config_file: Path) -> dict:
    if not config_file.is_file():
        raise ModelError(
            tr(
                "{file} is missing: a model folder needs config.json, model.safetensors and "
                "tokenizer.json (or vocab.json and merges.txt). Copy the model's config.json into the folder."
            ),
            file=config_file,
        )
    reader = JsonReader(str(config_file), ModelError)
    config = reader.object(_read_json(config_file), "the file")
    model_type = config.get("model_type")
    if model_type is not None:
        reader.string(model_type, "model_type")
    if model_type not in GPT2_FAMILY:
        raise ModelError(
            tr(
                "{file} describes a model of type {model_type}; Storyteller runs GPT-2-family "
                "models only (model_type {supported}). Choose a KoGPT2-style model."
            ),
            file=config_file, model_type=repr(model_type), supported=", ".join(sorted(GPT2_FAMILY)),
        )
    for key, high in (*_CONFIG_SIZES.items(), *_CONFIG_OPTIONAL_SIZES.items()):
        if key in config and not (key in _CONFIG_OPTIONAL_SIZES and config[key] is None):
            reader.integer(config[key], key, 1, high)
    for width, heads in (("n_embd", "n_head"), ("hidden_size", "num_heads")):
        if config.get(width) and config.get(heads) and config[width] % config[heads]:
            raise ModelError(
                tr("{file}: \"{width}\" ({value}) must be a multiple of \"{heads}\" ({count})."),
                file=config_file, width=width, value=config[width], heads=heads, count=config[heads],
            )
    return config


def _check_weights(folder: Path, config: dict, *, allow_pickle: bool) -> None:
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
    shapes = {}
    for shard in weight_shards(folder, weights):
        _check_inside(folder, shard)
        if shard.name.endswith(".safetensors"):
            shapes.update(_check_safetensors(shard))
        elif not shard.is_file() or shard.stat().st_size == 0:
            raise ModelError(
                tr("{file} is missing or empty; copy the model's weights into {folder} again."),
                file=shard,
                folder=folder,
            )
    _check_config_fits(folder / CONFIG_FILE, config, shapes)


def _check_config_fits(config_file: Path, config: dict, shapes: dict[str, list[int]]) -> None:
    """config.json says the sizes the weights have: the token embedding's shape and the number of blocks.
    A config that says otherwise would fail to load, or build a model of the wrong size."""
    embedding = next((shapes[name] for name in ("transformer.wte.weight", "wte.weight") if name in shapes), None)
    width = config.get("n_embd", config.get("hidden_size"))
    if embedding is not None and (len(embedding) != 2 or embedding[0] != config.get("vocab_size", embedding[0])
                                  or embedding[1] != (width or embedding[1])):
        raise ModelError(
            tr("{file} does not fit the weights: they have a token embedding of {shape}, the config says "
               "{vocab_size} tokens of width {width}. Copy the model's own config.json into the folder."),
            file=config_file, shape=" x ".join(map(str, embedding)), vocab_size=config.get("vocab_size"),
            width=width,
        )
    blocks = {int(match.group(1)) for name in shapes if (match := _BLOCK.match(name))}
    layers = config.get("n_layer", config.get("num_layers"))
    if blocks and layers is not None and len(blocks) != layers:
        raise ModelError(
            tr("{file} does not fit the weights: they have {blocks} blocks, the config says {layers}. Copy the "
               "model's own config.json into the folder."),
            file=config_file, blocks=len(blocks), layers=layers,
        )


_BLOCK = re.compile(r"(?:transformer\.)?h\.(\d+)\.")


def weight_shards(folder: Path, weights: str) -> list[Path]:
    """The files that hold the weights: `weights` itself, or the shards its index names (each a file of
    the folder)."""
    if not weights.endswith(".index.json"):
        return [folder / weights]
    index = _read_json(folder / weights)
    weight_map = index.get("weight_map") if isinstance(index, dict) else None
    if not isinstance(weight_map, dict) or not weight_map:
        raise ModelError(
            tr("{file} is corrupt (it lists no weight files); copy it into {folder} again."),
            file=folder / weights, folder=folder,
        )
    shards = sorted({JsonReader(str(folder / weights), ModelError).string(value, f"weight_map.{key}")
                     for key, value in weight_map.items()})
    for shard in shards:
        if Path(shard).name != shard or shard in (".", ".."):
            raise ModelError(
                tr("{file} names the weight file \"{shard}\", which is not a file of the folder {folder}; "
                   "copy the model's own index into the folder."),
                file=folder / weights, shard=shard, folder=folder,
            )
    return [folder / shard for shard in shards]


def _check_safetensors(file: Path) -> dict[str, list[int]]:
    """The tensors' shapes, from the header; safetensors checks that its offsets fit the file."""
    from safetensors import safe_open

    if not file.is_file():
        raise ModelError(
            tr("{file} is missing; copy the model's weights into {folder} again."), file=file, folder=file.parent
        )
    try:
        # numpy only reads the header here, so this does not need torch.
        with safe_open(str(file), framework="numpy") as weights:
            shapes = {name: list(weights.get_slice(name).get_shape()) for name in weights.keys()}
    except Exception as error:  # safetensors raises its own Rust-side error types
        raise ModelError(
            tr("{file} is corrupt or incomplete ({reason}); download or copy the model again."),
            file=file, reason=str(error),
        ) from error
    if not shapes:
        raise ModelError(tr("{file} holds no tensors; download or copy the model again."), file=file)
    return shapes


def _check_tokenizer_files(folder: Path) -> None:
    tokenizer_file = folder / TOKENIZER_FILE
    if tokenizer_file.is_file():
        tokenizer = _read_json(tokenizer_file)
        model = tokenizer.get("model") if isinstance(tokenizer, dict) else None
        if not isinstance(model, dict):
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


# Far larger than any config or tokenizer file: a larger one is not one.
_MAX_JSON_BYTES = 256 * 2**20


def _read_json(file: Path):
    try:
        return parse_json(read_file(file, ModelError, _MAX_JSON_BYTES), file.name, ModelError)
    except ModelError as error:
        raise ModelError(
            tr("{file} is corrupt ({reason}); copy or download the model again."), file=file, reason=error
        ) from None


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
