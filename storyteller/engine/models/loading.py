"""Loading a GPT-2-family model folder with its tokenizer, checked against each other, and
opening a model by the name the user gives (open_model: resolve in the store, then load).

A model decodes on a runtime (engine/runtimes): its int8 ONNX export when it has a valid one
(`storyteller models optimize`), else PyTorch. Opening it on ONNX imports neither torch nor
transformers' model code; the PyTorch model is loaded on first use by what needs it (latent and
activation steering, training) through `LoadedModel.model`. The mood meter reads the runtime that
writes (`Runtime.hidden_states`), so it loads no second copy.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storyteller.engine.core.device import DEVICE_CHOICES, DeviceInfo, cpu_thread_count, pick_device
from storyteller.engine.core.errors import DeviceError, ModelError, tr
from storyteller.engine.models import remedies
from storyteller.engine.models.catalogue import KOGPT2_REPO
from storyteller.engine.models.folder import CONFIG_FILE, SAFETENSORS_WEIGHTS, check_model_folder
from storyteller.engine.models.ram_fit import check_memory
from storyteller.engine.models.runtimes import RUNTIME_CHOICES, Runtime, needs_torch
from storyteller.engine.models.store import DEMO_MODEL_NAME, ModelEntry, ModelStore
from storyteller.engine.models.tokenizer import control_token_ids, load_tokenizer, stop_token_ids

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerFast

# Embedding matrices are often padded to a multiple of 64 or 128 rows past the tokenizer's size;
# more than that means the tokenizer belongs to another model.
MAX_EMBEDDING_PADDING = 128

DEMO_NOTICE = (
    "Using the small embedded demo model: it writes rough Korean. For real stories get KoGPT2 with "
    f"{remedies.download(KOGPT2_REPO)} (or import a folder with {remedies.IMPORT_A_FOLDER})."
)


@dataclass
class LoadedModel:
    tokenizer: PreTrainedTokenizerFast
    device: DeviceInfo
    path: Path
    stop_ids: list[int]
    banned_ids: list[int]
    config: dict  # the folder's config.json
    runtime: Runtime | None = None  # what plain requests decode on; None: PyTorch, loaded on first use
    device_choice: str = "auto"  # how the PyTorch model picks its device when it loads
    notice: ModelError | None = None  # why a present optimized model was not used, shown by the front ends
    _model: PreTrainedModel | None = field(default=None, repr=False)
    _torch_runtime: Runtime | None = field(default=None, repr=False)

    @property
    def model(self) -> PreTrainedModel:
        """The PyTorch model, loaded now if this is its first use."""
        if self._model is None:
            self._model, device = _load_torch_model(self.path, self.device_choice, self.tokenizer)
            if self.runtime is None:
                self.device = device
        return self._model

    @property
    def torch_runtime(self) -> Runtime:
        if self._torch_runtime is None:
            from storyteller.engine.models.runtimes.torch_runtime import TorchRuntime

            self._torch_runtime = TorchRuntime(self.model)
        return self._torch_runtime

    @property
    def default_runtime(self) -> Runtime:
        return self.runtime or self.torch_runtime

    def runtime_for(self, hooks) -> Runtime:
        """PyTorch when the request's hooks reach inside the model, else the default runtime."""
        return self.torch_runtime if needs_torch(hooks) else self.default_runtime

    @property
    def n_positions(self) -> int:
        return int(self.config.get("n_positions") or self.config["max_position_embeddings"])

    @property
    def n_layers(self) -> int:
        return int(self.config.get("n_layer") or self.config["num_hidden_layers"])

    @property
    def width(self) -> int:
        """The hidden state's size (GPT-2's n_embd)."""
        return int(self.config.get("n_embd") or self.config["hidden_size"])

    @property
    def vocab_size(self) -> int:
        return int(self.config["vocab_size"])

    def blocks(self) -> list[torch.nn.Module]:
        """The transformer blocks, where activation steering attaches its forward hooks."""
        return list(self.model.transformer.h)


def open_model(
    name_or_path: str | os.PathLike | None,
    device: str = "auto",
    *,
    runtime: str = "auto",
    announce: Callable[[str], None] | None = None,
    before_pytorch: Callable[[], None] | None = None,
) -> tuple[ModelEntry, LoadedModel]:
    """Resolve a model (None: the default one; else an installed name, a model folder or a known
    repo id, see ModelStore.resolve) and load it. When the small demo model stands in, or an
    optimized model cannot be used, `announce` (if given) gets an English notice saying what to do.
    `before_pytorch` is called when the model will decode on PyTorch, just before its seconds of
    loading: a front end may start work of its own to overlap them."""
    entry = ModelStore().resolve(name_or_path)
    if entry.name == DEMO_MODEL_NAME and announce is not None:
        announce(DEMO_NOTICE)
    # A folder outside the store is named by its path in the commands a message suggests.
    name = str(entry.path) if entry.source.startswith("folder:") else entry.name
    loaded = load_model(entry.path, device, runtime=runtime, name=name, before_pytorch=before_pytorch)
    if loaded.notice is not None and announce is not None:
        announce(str(loaded.notice))
    return entry, loaded


def load_model(folder: Path, device: str = "auto", *, runtime: str = "auto", name: str | None = None,
               before_pytorch: Callable[[], None] | None = None) -> LoadedModel:
    """Load `folder` for inference on `runtime` (auto, torch or onnx). Only safetensors weights
    are ever read here: pickled weights are converted once, when the user imports the folder
    (see weights.py)."""
    folder = Path(folder)
    check_model_folder(folder)
    if runtime not in RUNTIME_CHOICES:
        raise ModelError(tr("Unknown runtime {runtime}: choose one of {choices}."),
                         runtime=repr(runtime), choices=", ".join(RUNTIME_CHOICES))
    if device not in DEVICE_CHOICES:
        pick_device(device)  # raises the message naming the choices
    config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    tokenizer = load_tokenizer(folder)
    _check_vocab(folder, tokenizer, config)
    chosen, notice = _choose_onnx(folder, name or folder, device, runtime)
    loaded = LoadedModel(
        tokenizer=tokenizer,
        device=DeviceInfo("cpu", None, f"CPU ({cpu_thread_count()} threads)"),
        path=folder,
        stop_ids=stop_token_ids(tokenizer),
        banned_ids=control_token_ids(tokenizer) + list(range(len(tokenizer), int(config["vocab_size"]))),
        config=config,
        runtime=chosen,
        device_choice=device,
        notice=notice,
    )
    if chosen is None:
        if before_pytorch is not None:
            before_pytorch()
        loaded.model  # noqa: B018 - PyTorch decodes: load it now, where errors are expected
    else:
        loaded.device = DeviceInfo("cuda" if "GPU" in chosen.description else "cpu", None,
                                   "GPU (ONNX Runtime)" if "GPU" in chosen.description else loaded.device.description)
    return loaded


def _gpu_may_exist() -> bool:
    """Cheaply, without importing torch: whether PyTorch might find a GPU (NVIDIA driver or a Mac)."""
    return sys.platform == "darwin" or Path("/proc/driver/nvidia/version").exists()


def _choose_onnx(folder: Path, name, device: str, runtime: str) -> tuple[Runtime | None, ModelError | None]:
    """The ONNX runtime for `folder`, or None for PyTorch, with a notice when a present export is
    not used. Automatic mode takes ONNX only on a CPU: where PyTorch may have a GPU, choose
    --runtime onnx (or the CPU device) to decode with the int8 model."""
    if runtime == "torch" or (runtime == "auto" and device not in ("auto", "cpu")):
        return None, None
    if json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8")).get("model_type") != "gpt2":
        if runtime == "onnx":
            raise ModelError(
                tr("{name} is not a GPT-2 model, so it has no optimized version: choose the PyTorch runtime."),
                name=name,
            )
        return None, None
    from storyteller.engine.models.runtimes.optimized import export_status

    status = export_status(folder)
    if not status.usable:
        if runtime == "onnx":
            raise ModelError(
                tr("The optimized model of {name} cannot be used: {reason}. Run {command} to build it again, "
                   "or choose the PyTorch runtime."),
                name=name, reason=status.reason, command=remedies.optimize(name),
            )
        if status.state == "missing" or (device == "auto" and _gpu_may_exist()):
            return None, None
        return None, ModelError(
            tr("The optimized model of {name} is not used: {reason}. Writing uses PyTorch; "
               "run {command} to build it again."),
            name=name, reason=status.reason, command=remedies.optimize(name),
        )
    if runtime == "auto" and device == "auto" and _gpu_may_exist():
        return None, None
    return _onnx_runtime(status, folder), None


def _onnx_runtime(status, folder: Path) -> Runtime:
    from storyteller.engine.models.runtimes.onnx_runtime import CUDA_PROVIDER, OnnxRuntime

    check_memory(folder, folder.name, bytes_per_weight=1)  # int8 weights
    config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    heads, width = int(config["n_head"]), int(config["n_embd"])
    gpu = False
    if status.fp16_file is not None:
        import onnxruntime

        gpu = CUDA_PROVIDER in onnxruntime.get_available_providers()
    try:
        return OnnxRuntime(status.fp16_file if gpu else status.int8_file, int(config["n_layer"]), heads, width // heads,
                           gpu=gpu)
    except Exception as error:  # onnxruntime raises its own exception types for a bad file
        raise ModelError(
            tr("The optimized model {file} cannot be loaded ({reason}). Run {command} to build it again."),
            file=status.int8_file, reason=str(error), command=remedies.optimize(folder),
        ) from error


def _load_torch_model(folder: Path, device: str, tokenizer) -> tuple[PreTrainedModel, DeviceInfo]:
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as transformers_logging

    # Loading bars on stderr are noise for a GUI and for scripts reading our output.
    transformers_logging.disable_progress_bar()
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
    try:
        model.to(info.name)
    except torch.OutOfMemoryError as error:
        raise DeviceError(
            tr("The model does not fit in {device} memory. Choose the CPU device."), device=info.description
        ) from error
    model.eval()
    return model, info


def _check_vocab(folder: Path, tokenizer: PreTrainedTokenizerFast, config: dict) -> None:
    rows = int(config.get("vocab_size") or 0)
    if not len(tokenizer) <= rows <= len(tokenizer) + MAX_EMBEDDING_PADDING:
        raise ModelError(
            tr(
                "The tokenizer in {folder} has {tokens} tokens but the model's embedding has {rows} rows: "
                "they do not belong together. Put the model's own tokenizer files in the folder."
            ),
            folder=folder, tokens=len(tokenizer), rows=rows,
        )
