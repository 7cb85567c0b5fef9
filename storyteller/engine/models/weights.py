"""Converting a model's pickled or sharded weights into the one model.safetensors the store keeps."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.models.folder import SAFETENSORS_INDEX, SAFETENSORS_WEIGHTS, weights_file


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
    scratch = Path(tempfile.mkdtemp(prefix=".convert-", dir=dest_file.parent))
    try:
        sharded_safetensors = weights_file(child.name for child in src.iterdir()) == SAFETENSORS_INDEX
        model = AutoModelForCausalLM.from_pretrained(
            src, use_safetensors=sharded_safetensors, dtype="auto", local_files_only=True
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
