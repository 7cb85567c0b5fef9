"""Converting a model's pickled or sharded weights into the one model.safetensors the store keeps."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.models.folder import (
    PICKLE_INDEX,
    PICKLE_WEIGHTS,
    SAFETENSORS_INDEX,
    SAFETENSORS_WEIGHTS,
    weight_shards,
    weights_file,
)


def convert_to_safetensors(src: Path, dest_file: Path) -> None:
    """Load the pickled (or sharded) weights in `src` once and write them as one safetensors file.

    transformers 5 reads pytorch_model.bin with torch's weights_only unpickler, and drops buffers
    old checkpoints carry (e.g. `attn.bias` masks sized n_ctx=2048) that current GPT-2 does not use.
    """
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as transformers_logging

    bars_were_on = transformers_logging.is_progress_bar_enabled()
    verbosity = transformers_logging.get_verbosity()
    # Its progress bars would garble the CLI's progress line, and its load report lists the old
    # buffers it drops as "UNEXPECTED", which would only alarm the user.
    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    weights = weights_file(child.name for child in src.iterdir())
    if weights in (PICKLE_WEIGHTS, PICKLE_INDEX):
        for shard in weight_shards(src, weights):
            check_pickled_tensors(shard)
    scratch = Path(tempfile.mkdtemp(prefix=".convert-", dir=dest_file.parent))
    try:
        model, loading = AutoModelForCausalLM.from_pretrained(
            src, use_safetensors=weights == SAFETENSORS_INDEX, dtype="auto", local_files_only=True,
            output_loading_info=True,
        )
        if loading["missing_keys"]:
            missing = sorted(loading["missing_keys"])
            raise ModelError(
                tr("The weights in {folder} lack {count} of the model's tensors (such as {example}): they are "
                   "not this model's weights, or not all of them. Copy the model's weights into the folder again."),
                folder=src, count=len(missing), example=missing[0],
            )
        model.save_pretrained(scratch)  # safetensors is the only format transformers 5 writes
        del model
        if not (scratch / SAFETENSORS_WEIGHTS).is_file():
            raise ModelError(
                tr(
                    "Converting the weights in {folder} produced no single {safetensors}; "
                    "the model is too large to convert."
                ),
                folder=src, safetensors=SAFETENSORS_WEIGHTS,
            )
        os.replace(scratch / SAFETENSORS_WEIGHTS, dest_file)
    except ModelError:
        raise
    except Exception as error:  # torch and transformers raise many types for a bad checkpoint
        raise ModelError(
            tr(
                "The weights in {folder} cannot be loaded for conversion ({reason}); the files may be corrupt "
                "or belong to another kind of model."
            ),
            folder=src, reason=str(error),
        ) from error
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        transformers_logging.set_verbosity(verbosity)
        if bars_were_on:
            transformers_logging.enable_progress_bar()


def check_pickled_tensors(file: Path) -> None:
    """`file` (a pytorch_model.bin) holds a model's tensors by name and nothing else.

    torch's weights-only unpickler reads it onto the meta device (no tensor data is read): it refuses any
    Python object but tensors and plain containers, since unpickling one could run code, so this never
    runs what the file holds. A checkpoint (weights nested under "model", an optimizer's state) is refused too.
    """
    import pickle

    import torch

    try:
        with warnings.catch_warnings():  # "pickle protocol 4 …": the refusal below says what matters
            warnings.simplefilter("ignore")
            state = torch.load(file, map_location="meta", weights_only=True)
    except pickle.UnpicklingError as error:
        found = _REFUSED_GLOBAL.search(str(error))
        if found:
            raise ModelError(
                tr("{file} holds more than tensors: it holds Python objects ({found}), and unpickling those could "
                   "run code, so the safe loader refuses it. Storyteller does not load it: use the model's "
                   "model.safetensors, or weights saved as tensors only."),
                file=file, found=found.group(1),
            ) from None
        raise _not_weights(file, error) from None
    except Exception as error:  # torch raises RuntimeError, EOFError, ValueError… for a file that is not one
        raise _not_weights(file, error) from None
    if not isinstance(state, dict) or not state:
        raise ModelError(tr("{file} holds no tensors by name ({type}); it is not a model's weights."),
                         file=file, type=type(state).__name__)
    for key, value in state.items():
        if not isinstance(key, str) or not isinstance(value, torch.Tensor):
            raise ModelError(
                tr("{file} is not a model's weights: its entry {key} holds {type}, not a tensor (a training "
                   "checkpoint keeps the weights inside, with other state). Save the model's weights alone."),
                file=file, key=repr(key)[:60], type=type(value).__name__,
            )


_REFUSED_GLOBAL = re.compile(r"Unsupported global: GLOBAL ([\w.]+)")


def _not_weights(file: Path, error: Exception) -> ModelError:
    reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
    return ModelError(tr("{file} is not a PyTorch weights file ({reason}); download or copy the model again."),
                      file=file, reason=reason)
