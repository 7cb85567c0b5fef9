"""Loading a GPT-2-family model folder with its tokenizer, checked against each other, and
opening a model by the name the user gives (open_model: resolve in the store, then load)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, PreTrainedModel, PreTrainedTokenizerFast
from transformers.utils import logging as transformers_logging

from . import remedies
from .catalogue import KOGPT2_REPO
from .device import DeviceInfo, pick_device
from .errors import DeviceError, ModelError, tr
from .memory import check_memory
from .modelfiles import SAFETENSORS_WEIGHTS, check_model_folder
from .store import DEMO_MODEL_NAME, ModelEntry, ModelStore
from .tokenizer import control_token_ids, load_tokenizer, stop_token_ids

# Embedding matrices are often padded to a multiple of 64 or 128 rows past the tokenizer's size;
# more than that means the tokenizer belongs to another model.
MAX_EMBEDDING_PADDING = 128

# Loading bars on stderr are noise for a GUI and for scripts reading our output.
transformers_logging.disable_progress_bar()

DEMO_NOTICE = (
    "Using the small embedded demo model: it writes rough Korean. For real stories get KoGPT2 with "
    f"{remedies.download(KOGPT2_REPO)} (or import a folder with {remedies.IMPORT_A_FOLDER})."
)


@dataclass
class LoadedModel:
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerFast
    device: DeviceInfo
    path: Path
    stop_ids: list[int]
    banned_ids: list[int]

    @property
    def n_positions(self) -> int:
        config = self.model.config
        return int(getattr(config, "n_positions", None) or config.max_position_embeddings)

    @property
    def n_layers(self) -> int:
        return int(self.model.config.num_hidden_layers)

    def blocks(self) -> list[torch.nn.Module]:
        """The transformer blocks, where activation steering attaches its forward hooks."""
        return list(self.model.transformer.h)


def open_model(
    name_or_path: str | os.PathLike | None,
    device: str = "auto",
    *,
    announce: Callable[[str], None] | None = None,
) -> tuple[ModelEntry, LoadedModel]:
    """Resolve a model (None: the default one; else an installed name, a model folder or a known
    repo id, see ModelStore.resolve) and load it. When the small demo model stands in, `announce`
    (if given) gets an English notice saying how to get a real one."""
    entry = ModelStore().resolve(name_or_path)
    if entry.name == DEMO_MODEL_NAME and announce is not None:
        announce(DEMO_NOTICE)
    return entry, load_model(entry.path, device)


def load_model(folder: Path, device: str = "auto") -> LoadedModel:
    """Load `folder` for inference. Only safetensors weights are ever read here: pickled weights
    are converted once, when the user imports the folder (see weights.py)."""
    folder = Path(folder)
    check_model_folder(folder)
    tokenizer = load_tokenizer(folder)
    info = pick_device(device)
    check_memory(folder, folder.name, bytes_per_weight=info.dtype.itemsize)
    try:
        model = AutoModelForCausalLM.from_pretrained(
            folder, use_safetensors=True, dtype=info.dtype, local_files_only=True
        )
    except (OSError, ValueError, RuntimeError) as error:
        raise ModelError(
            tr("The weights in {file} cannot be loaded ({reason}); the file may be corrupt."),
            file=folder / SAFETENSORS_WEIGHTS, reason=str(error),
        ) from error
    _check_vocab(folder, tokenizer, model)
    try:
        model.to(info.name)
    except torch.OutOfMemoryError as error:
        raise DeviceError(
            tr("The model does not fit in {device} memory. Choose the CPU device."), device=info.description
        ) from error
    model.eval()
    padding_rows = list(range(len(tokenizer), model.get_input_embeddings().num_embeddings))
    return LoadedModel(
        model=model,
        tokenizer=tokenizer,
        device=info,
        path=folder,
        stop_ids=stop_token_ids(tokenizer),
        banned_ids=control_token_ids(tokenizer) + padding_rows,
    )


def _check_vocab(folder: Path, tokenizer: PreTrainedTokenizerFast, model: PreTrainedModel) -> None:
    rows = model.get_input_embeddings().num_embeddings
    if not len(tokenizer) <= rows <= len(tokenizer) + MAX_EMBEDDING_PADDING:
        raise ModelError(
            tr(
                "The tokenizer in {folder} has {tokens} tokens but the model's embedding has {rows} rows: "
                "they do not belong together. Put the model's own tokenizer files in the folder."
            ),
            folder=folder, tokens=len(tokenizer), rows=rows,
        )
