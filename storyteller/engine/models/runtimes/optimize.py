"""`storyteller models optimize NAME` and the model manager's Optimize button: export a model to
ONNX, run ONNX Runtime's GPT-2 optimizer, quantize it to int8, check its quality against the
fp32 model, and store it with a manifest beside the model (optimized.py says where and when it
may be used). Done once per model; needs torch and transformers, like training.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storyteller.engine.core.errors import ModelError, StorytellerError, tr
from storyteller.engine.models.folder import CONFIG_FILE, check_model_folder
from storyteller.engine.models.runtimes.optimized import (
    EXPORT_FORMAT,
    FP16_FILE,
    INT8_FILE,
    MANIFEST_FILE,
    Quality,
    optimized_dir,
    package_versions,
    weights_fingerprint,
)


class OptimizeCancelled(StorytellerError):
    """The user stopped an optimization; nothing was kept."""


@dataclass(frozen=True)
class OptimizeProgress:
    step: str  # "export", "optimize", "quantize", "check", "save", "done"
    fraction: float  # 0..1 of the whole job


@dataclass(frozen=True)
class OptimizeResult:
    folder: Path
    quality: Quality
    fused: dict[str, int]  # fused operator counts from ONNX Runtime's optimizer
    size_bytes: int


def _gpu_provider_available() -> bool:
    import onnxruntime

    from storyteller.engine.models.runtimes.onnx_runtime import CUDA_PROVIDER

    return CUDA_PROVIDER in onnxruntime.get_available_providers()


def optimize_model(
    model_folder: Path,
    progress: Callable[[OptimizeProgress], None] | None = None,
    cancel: threading.Event | None = None,
    destination: Path | None = None,
) -> OptimizeResult:
    """Build, check and install the int8 export of `model_folder` (in `destination`, default
    `optimized_dir`). An export that fails the quality check is not installed: ModelError says by
    how much it missed."""
    model_folder = Path(model_folder)
    check_model_folder(model_folder)
    config = json.loads((model_folder / CONFIG_FILE).read_text(encoding="utf-8"))
    if config.get("model_type") != "gpt2":
        raise ModelError(
            tr("Only GPT-2 models can be optimized; {folder} holds a {model_type} model. It runs on PyTorch."),
            folder=model_folder, model_type=config.get("model_type"),
        )

    def step(name: str, fraction: float) -> None:
        if cancel is not None and cancel.is_set():
            raise OptimizeCancelled(tr("Optimizing was cancelled; nothing was kept."))
        if progress is not None:
            progress(OptimizeProgress(name, fraction))

    destination = Path(destination) if destination is not None else optimized_dir(model_folder)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with _quiet():
        return _build(model_folder, destination, step, progress)


@contextmanager
def _quiet() -> Iterator[None]:
    """What the libraries say while they work is for their developers: the user sees the progress
    steps and the result. (ONNX Runtime's shape inference and quantizer are lowered at their source,
    onnx_export.py, for every caller: the benchmarks call it too.)"""
    loggers = [logging.getLogger(), logging.getLogger("onnxruntime")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _build(model_folder: Path, destination: Path, step, progress) -> OptimizeResult:
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as transformers_logging

    from storyteller.engine.models.runtimes.fidelity import measure_quality
    from storyteller.engine.models.runtimes.onnx_export import export_gpt2, optimize_graph, quantize_int8
    from storyteller.engine.models.runtimes.onnx_runtime import OnnxRuntime
    from storyteller.engine.models.runtimes.torch_runtime import TorchRuntime
    from storyteller.engine.models.tokenizer import control_token_ids, load_tokenizer

    transformers_logging.disable_progress_bar()  # its loading bar would garble the progress lines
    scratch = destination.parent / f".tmp-{destination.name}-{secrets.token_hex(4)}"
    scratch.mkdir()
    try:
        step("export", 0.0)
        fingerprint = weights_fingerprint(model_folder)  # before loading: what the export is made of
        model = AutoModelForCausalLM.from_pretrained(model_folder, dtype=torch.float32, local_files_only=True).eval()
        heads, width, layers = model.config.n_head, model.config.n_embd, model.config.n_layer
        work = scratch / "work"  # graphs over 2 GB come with a file per tensor beside them
        work.mkdir()
        export_gpt2(model, work / "raw.onnx")
        step("optimize", 0.3)
        fused = optimize_graph(work / "raw.onnx", work / "fused.onnx", heads, width)
        if _gpu_provider_available():
            optimize_graph(work / "raw.onnx", scratch / FP16_FILE, heads, width, float16=True)
        step("quantize", 0.5)
        embedding = quantize_int8(work / "fused.onnx", scratch / INT8_FILE)
        shutil.rmtree(work)
        step("check", 0.7)
        tokenizer = load_tokenizer(model_folder)
        banned = control_token_ids(tokenizer)
        candidate = OnnxRuntime(scratch / INT8_FILE, layers, heads, width // heads)
        quality = measure_quality(TorchRuntime(model), candidate, tokenizer, model.config.n_positions, banned)
        del candidate
        if not quality.passed:
            raise ModelError(
                tr(
                    "The optimized model of {folder} is not close enough to the original (perplexity change "
                    "{change}, greedy tokens matching {match}), so it was not kept. Keep using PyTorch for this model."
                ),
                folder=model_folder, change=f"{100 * quality.perplexity_change:+.2f} %",
                match=f"{100 * quality.greedy_match:.0f} %",
            )
        step("save", 0.95)
        files = {child.name: child.stat().st_size for child in scratch.iterdir()}
        manifest = {
            "format": EXPORT_FORMAT,
            "made": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": package_versions(),
            "weights": fingerprint,
            "config_sha256": hashlib.sha256((model_folder / CONFIG_FILE).read_bytes()).hexdigest(),
            "fused_operators": {name: count for name, count in fused.items() if count},
            "embedding": embedding,
            "quality": quality.to_json(),
            "files": files,
        }
        (scratch / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _replace_dir(scratch, destination)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    if progress is not None:
        progress(OptimizeProgress("done", 1.0))
    return OptimizeResult(destination, quality, manifest["fused_operators"], sum(files.values()))


def _replace_dir(new: Path, old: Path) -> None:
    """Put `new` where `old` is, so a reader sees either the old export or the whole new one."""
    retired = old.parent / f".old-{old.name}-{secrets.token_hex(4)}"
    if old.exists():
        os.replace(old, retired)
    os.replace(new, old)
    shutil.rmtree(retired, ignore_errors=True)
