"""Where a model's optimized (int8 ONNX) files live, what their manifest records, and whether
they may be used: plain Python (json, importlib.metadata), no torch.

An export is used only when its manifest says it was built from exactly these weights by this
export format with the installed onnxruntime, and that it passed the quality check when it was
made. Anything else is stale (rebuild it: `storyteller models optimize NAME`) or broken, and
is never used silently: `open_model` says so, and falls back to PyTorch in automatic mode.

A model that ships with the app (the demo, read-only under resources/) may have its export beside
it (`optimized/`, built by scripts/optimize_demo_model.py), so a new user's first launch needs no
torch; the user's own export of it (`storyteller models optimize demo`) lives in the data folder.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from storyteller.engine.core import paths
from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.models.folder import CONFIG_FILE, SAFETENSORS_WEIGHTS

# Bump when the exported graph's inputs, outputs or the quantization change. 2: the last layer's
# state as an output (the mood meter), the embedding read from the int8 output projection.
EXPORT_FORMAT = 2
OPTIMIZED_DIR = "optimized"  # inside a model folder of the store
INT8_FILE = "model-int8.onnx"
FP16_FILE = "model-fp16.onnx"  # for GPU execution providers, made only where onnxruntime has one
MANIFEST_FILE = "optimized.json"
# The libraries that made an export: all recorded; onnxruntime, which also runs it, must match.
RECORDED_PACKAGES = ("onnxruntime", "onnx", "torch", "transformers")
MUST_MATCH = ("onnxruntime",)
# The quality an int8 export must keep against the fp32 model (issue 11).
MAX_PERPLEXITY_CHANGE = 0.01
MIN_GREEDY_MATCH = 0.5


def package_versions() -> dict[str, str | None]:
    found = {}
    for name in RECORDED_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _ships_with_the_app(model_folder: Path) -> bool:
    return Path(model_folder).resolve().is_relative_to(paths.RESOURCES.resolve())


def optimized_dir(model_folder: Path) -> Path:
    """Where `storyteller models optimize` puts the export: beside the weights for a model of the
    store; in the data folder for the demo that ships (read-only) with the app."""
    model_folder = Path(model_folder).resolve()
    if _ships_with_the_app(model_folder):
        digest = hashlib.sha256(str(model_folder).encode()).hexdigest()[:12]
        return paths.data_dir() / OPTIMIZED_DIR / f"{model_folder.name}-{digest}"
    return model_folder / OPTIMIZED_DIR


def shipped_dir(model_folder: Path) -> Path | None:
    """The export that ships beside a model of the app's resources; None for a model of the store."""
    return Path(model_folder) / OPTIMIZED_DIR if _ships_with_the_app(model_folder) else None


def weights_fingerprint(model_folder: Path, *, with_hash: bool = True) -> dict:
    weights = Path(model_folder) / SAFETENSORS_WEIGHTS
    stat = weights.stat()
    found = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    if with_hash:
        digest = hashlib.sha256()
        with weights.open("rb") as stream:
            while chunk := stream.read(1 << 22):
                digest.update(chunk)
        found["sha256"] = digest.hexdigest()
    return found


@dataclass(frozen=True)
class Quality:
    """The int8 export against the fp32 model on resources/evaluation (see quality.py)."""

    perplexity_fp32: float
    perplexity_int8: float
    greedy_match: float  # share of greedy tokens equal to fp32's over the fixed prompts
    tokens: int  # evaluation tokens

    @property
    def perplexity_change(self) -> float:
        return self.perplexity_int8 / self.perplexity_fp32 - 1

    @property
    def passed(self) -> bool:
        return abs(self.perplexity_change) <= MAX_PERPLEXITY_CHANGE and self.greedy_match >= MIN_GREEDY_MATCH

    def to_json(self) -> dict:
        return {
            "perplexity_fp32": self.perplexity_fp32, "perplexity_int8": self.perplexity_int8,
            "perplexity_change": self.perplexity_change, "greedy_match": self.greedy_match,
            "tokens": self.tokens, "passed": self.passed,
        }


@dataclass(frozen=True)
class ExportStatus:
    """`state`: "valid", "missing", "stale" or "broken"; `reason` says why (a message part, translated
    by the GUI like any error parameter)."""

    state: str
    folder: Path
    reason: ModelError | None = None
    manifest: dict | None = None

    @property
    def usable(self) -> bool:
        return self.state == "valid"

    @property
    def int8_file(self) -> Path:
        return self.folder / INT8_FILE

    @property
    def fp16_file(self) -> Path | None:
        listed = (self.manifest or {}).get("files", {})
        return self.folder / FP16_FILE if FP16_FILE in listed else None


def export_status(model_folder: Path) -> ExportStatus:
    """Whether `model_folder` has a usable int8 export: the user's own (`optimized_dir`), else the
    one shipped beside a model of the app; when neither is usable, why (the user's own reason first:
    it is the one they made). Cheap (no hashing) unless the weights' size or time changed, as
    copying a folder does: then their hash decides (always, for a shipped export: a checkout or
    installer sets its own times; 15.6 MB of demo weights hash in about 0.02 s)."""
    own = _folder_status(model_folder, optimized_dir(model_folder))
    shipped = shipped_dir(model_folder)
    if own.usable or shipped is None:
        return own
    beside = _folder_status(model_folder, shipped)
    return beside if beside.usable or (own.state == "missing" and beside.state != "missing") else own


Problem = tuple[str, ModelError] | None  # (state, why) of an export found stale or broken, checked in order


def _folder_status(model_folder: Path, folder: Path) -> ExportStatus:
    manifest_file = folder / MANIFEST_FILE
    if not manifest_file.is_file():
        return ExportStatus("missing", folder, ModelError(tr("the model has not been optimized")))
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        checked = (manifest["weights"], manifest["quality"], manifest["files"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        return ExportStatus(
            "broken", folder,
            ModelError(tr("its manifest {file} cannot be read ({error})"), file=manifest_file, error=error),
        )
    recorded, quality, files = checked
    problem = (_made_here(manifest) or _made_of(model_folder, recorded, manifest) or _complete(folder, files)
               or _passed(quality))
    if problem is not None:
        state, reason = problem
        return ExportStatus(state, folder, reason, manifest)
    return ExportStatus("valid", folder, None, manifest)


def _made_here(manifest: dict) -> Problem:
    """Made by this export format, with the onnxruntime installed?"""
    if manifest.get("format") != EXPORT_FORMAT:
        return "stale", ModelError(tr("it was made by another version of Storyteller"))
    current = package_versions()
    made_with = manifest.get("versions", {})
    for name in MUST_MATCH:
        if made_with.get(name) != current[name]:
            return "stale", ModelError(tr("it was made with {package} {made_with}, and {installed} is installed"),
                                       package=name, made_with=made_with.get(name), installed=current[name])
    return None


def _made_of(model_folder: Path, recorded: dict, manifest: dict) -> Problem:
    """Made of these weights and this config.json?"""
    weights_file = Path(model_folder) / SAFETENSORS_WEIGHTS
    if not weights_file.is_file():
        return "broken", ModelError(tr("{file} is missing"), file=weights_file)
    quick = weights_fingerprint(model_folder, with_hash=False)
    if (quick["size"], quick["mtime_ns"]) != (recorded.get("size"), recorded.get("mtime_ns")):
        same_size = quick["size"] == recorded.get("size")
        if not same_size or weights_fingerprint(model_folder)["sha256"] != recorded.get("sha256"):
            return "stale", ModelError(tr("the model's weights changed since it was optimized"))
    config = Path(model_folder) / CONFIG_FILE
    if hashlib.sha256(config.read_bytes()).hexdigest() != manifest.get("config_sha256"):
        return "stale", ModelError(tr("the model's config.json changed since it was optimized"))
    return None


def _complete(folder: Path, files: dict) -> Problem:
    for name, size in files.items():
        file = folder / name
        if not file.is_file() or file.stat().st_size != size:
            return "broken", ModelError(tr("{file} is missing or incomplete"), file=file)
    return None


def _passed(quality: dict) -> Problem:
    if quality.get("passed"):
        return None
    return "broken", ModelError(tr("it failed the quality check (perplexity change {change}, greedy match {match})"),
                                change=f"{100 * quality.get('perplexity_change', 0):+.2f} %",
                                match=f"{100 * quality.get('greedy_match', 0):.0f} %")
