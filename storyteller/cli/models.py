"""`storyteller models`: list, download, import and remove the models in the model store."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storyteller.engine.core.errors import DownloadCancelled, StorytellerError
from storyteller.engine.models.catalogue import KOGPT2_REPO
from storyteller.engine.models.remedies import optimize as optimize_remedy
from storyteller.engine.models.store import HOW_TO_GET_A_MODEL, ModelEntry, ModelStore

EXIT_ERROR = 2
EXIT_CANCELLED = 130  # the shell's code for "stopped by Ctrl+C"
TABLE_HEADER = ("", "NAME", "SOURCE", "LICENSE", "SIZE", "PATH")
SIZE_COLUMN = TABLE_HEADER.index("SIZE")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "models",
        help="list, download, import or remove models",
        description="Manage the models Storyteller can run.",
    )
    parser.set_defaults(run=run_models)
    parser.add_argument(
        "--models-dir", type=Path, metavar="DIR", help="the model store folder (default: the app's data folder)"
    )
    actions = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="show the installed models", description="Show the installed models.")
    download = actions.add_parser(
        "download",
        help="download a model from the Hugging Face Hub",
        description="Download a model from the Hugging Face Hub. An interrupted download resumes where it "
        "stopped when the same command is run again.",
    )
    download.add_argument("repo_id", metavar="ID", help=f"the model's hub id, e.g. {KOGPT2_REPO}")
    download.add_argument("--name", help="the name to install it under (default: from the id)")
    import_ = actions.add_parser(
        "import",
        help="copy a model folder into the store",
        description="Copy a model folder (config.json, weights, tokenizer) into the store. Pickled "
        "pytorch_model.bin weights are converted to model.safetensors once.",
    )
    import_.add_argument("path", type=Path, metavar="PATH", help="the model folder")
    import_.add_argument("--name", help="the name to install it under (default: the folder's name)")
    remove = actions.add_parser("remove", help="delete an installed model", description="Delete an installed model.")
    remove.add_argument("name", metavar="NAME")
    export = actions.add_parser(
        "export-gguf", help="write a model as one GGUF file for llama.cpp's server",
        description="Write an installed model (or a model folder) as a GGUF file that llama.cpp's server "
        "loads: llama-server -m FILE. Storyteller then connects to it with `storyteller servers add`.",
    )
    export.add_argument("name", metavar="NAME", help="installed model name or model folder")
    export.add_argument("file", type=Path, metavar="FILE", help="the .gguf file to write")
    optimize = actions.add_parser(
        "optimize",
        help="make the fast int8 ONNX version of a model",
        description="Export a GPT-2 model to ONNX, optimize and quantize it to int8 (3-5x faster on a CPU), check "
        "it against the original and keep it beside the model. Generation then uses it automatically.",
    )
    optimize.add_argument("name", metavar="NAME", help="installed model name or model folder")


def run_models(args: argparse.Namespace) -> int:
    store = ModelStore(root=getattr(args, "models_dir", None))
    actions = {"list": _list, "download": _download, "import": _import, "remove": _remove,
               "export-gguf": _export_gguf, "optimize": _optimize}
    try:
        return actions[args.models_command](store, args)
    except StorytellerError as error:
        print(f"storyteller: {error}", file=sys.stderr)
        return EXIT_ERROR


# --- list ---------------------------------------------------------------------------------


def _list(store: ModelStore, args: argparse.Namespace) -> int:
    entries = store.list()
    print(f"Model store: {store.root}")
    if not entries:
        print(f"No models are installed. {HOW_TO_GET_A_MODEL}")
        return 0
    default = store.default().name
    rows = [TABLE_HEADER]
    rows += [
        ("*" if entry.name == default else "", entry.name, _short_source(entry.source), entry.license,
         _human_size(_size_on_disk(entry.path)), str(entry.path))
        for entry in entries
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [
            cell.rjust(width) if column == SIZE_COLUMN else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths))
        ]
        print("  ".join(cells + [row[-1]]).rstrip())
    print("* = the default model, used when no model is chosen")
    return 0


def _short_source(source: str) -> str:
    """hub:skt/kogpt2-base-v2@d0c0df48bf… : the full commit is in the manifest."""
    if source.startswith("hub:") and "@" in source:
        repo, commit = source.rsplit("@", 1)
        return f"{repo}@{commit[:10]}"
    return source


def _size_on_disk(folder: Path) -> int:
    return sum(file.stat().st_size for file in folder.rglob("*") if file.is_file())


def _human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


# --- download -----------------------------------------------------------------------------


def _download(store: ModelStore, args: argparse.Namespace) -> int:
    installed_before = {entry.name for entry in store.list()}
    cancel = threading.Event()
    line = _ProgressLine(args.repo_id)
    try:
        with _ctrl_c_sets(cancel):
            entry = store.download(args.repo_id, name=args.name, progress=line, cancel=cancel)
    except (DownloadCancelled, KeyboardInterrupt):
        line.finish()
        print(
            "Download cancelled. The files downloaded so far are kept: run "
            f"`{_download_command(args)}` again to resume.",
            file=sys.stderr,
        )
        return EXIT_CANCELLED
    finally:
        line.finish()
    if entry.name in installed_before:
        print(f"{entry.name} is already installed in {entry.path}.")
    else:
        print(f"Installed {entry.name} in {entry.path}")
        print(f"License: {entry.license}")
    print(f"To make it 3-5x faster on a CPU, run {optimize_remedy(entry.name)}")
    return 0


def _download_command(args: argparse.Namespace) -> str:
    words = ["storyteller", "models"]
    if getattr(args, "models_dir", None) is not None:
        words += ["--models-dir", str(args.models_dir)]
    words += ["download", args.repo_id]
    if args.name:
        words += ["--name", args.name]
    return shlex.join(words)


class _ProgressLine:
    """One self-rewriting line on stderr: file, MB done / total, percent."""

    INTERVAL = 0.2  # seconds between redraws: per-chunk redraws would flood a slow terminal

    def __init__(self, repo_id: str):
        self.repo_id = repo_id
        self.last_draw = 0.0
        self.drawn = False
        self.width = 0
        self.announced_install = False

    def __call__(self, progress) -> None:
        if self.announced_install:
            return
        complete = progress.total_bytes_done >= progress.total_bytes
        now = time.monotonic()
        if not complete and now - self.last_draw < self.INTERVAL:
            return
        self.last_draw = now
        percent = 100 * progress.total_bytes_done / progress.total_bytes if progress.total_bytes else 100
        text = (
            f"Downloading {self.repo_id}: {progress.file} - "
            f"{progress.total_bytes_done / 1e6:.1f} / {progress.total_bytes / 1e6:.1f} MB ({percent:.0f}%)"
        )
        self.width = max(self.width, len(text))  # spaces wipe the rest of a longer previous line
        print(f"\r{text.ljust(self.width)}", end="", file=sys.stderr, flush=True)
        self.drawn = True
        if complete and not self.announced_install:
            self.announced_install = True
            print("\nChecking and installing...", end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.drawn:
            print(file=sys.stderr, flush=True)
            self.drawn = False


@contextmanager
def _ctrl_c_sets(cancel: threading.Event) -> Iterator[None]:
    """The first Ctrl+C asks the download to stop after the current chunk, keeping what it has;
    a second one stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_interrupt(signum, frame) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("\nCancelling... (press Ctrl+C again to stop at once)", file=sys.stderr, flush=True)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# --- import and remove --------------------------------------------------------------------


def _import(store: ModelStore, args: argparse.Namespace) -> int:
    entry: ModelEntry = store.import_folder(args.path, name=args.name)
    print(f"Imported {entry.name} from {args.path} into {entry.path}")
    print(f"License: {entry.license}")
    return 0


def _remove(store: ModelStore, args: argparse.Namespace) -> int:
    store.remove(args.name)
    print(f"Removed {args.name} from {store.root}.")
    return 0


def _export_gguf(store: ModelStore, args: argparse.Namespace) -> int:
    from storyteller.engine.models.gguf_export import export_gguf

    entry = store.resolve(args.name)
    path = export_gguf(entry.path, args.file, name=entry.name)
    print(f"Wrote {entry.name} to {path} ({_human_size(path.stat().st_size)}). Serve it with: "
          f"llama-server -m {shlex.quote(str(path))} --port 8080")


# --- optimize -----------------------------------------------------------------------------


def _optimize(store: ModelStore, args: argparse.Namespace) -> int:
    from storyteller.engine.models.runtimes.optimize import OptimizeCancelled, optimize_model

    entry = store.resolve(args.name)
    cancel = threading.Event()
    steps = {"export": "exporting to ONNX", "optimize": "fusing the graph", "quantize": "quantizing to int8",
             "check": "checking it against the original", "save": "saving", "done": "done"}

    def show(progress) -> None:
        print(f"[{100 * progress.fraction:3.0f}%] {entry.name}: {steps[progress.step]}", file=sys.stderr, flush=True)

    started = time.monotonic()
    try:
        with _ctrl_c_sets(cancel):
            result = optimize_model(entry.path, progress=show, cancel=cancel)
    except (OptimizeCancelled, KeyboardInterrupt):
        print("Optimizing cancelled; nothing was kept.", file=sys.stderr)
        return EXIT_CANCELLED
    quality = result.quality
    seconds, size = time.monotonic() - started, _human_size(result.size_bytes)
    print(f"Optimized {entry.name} in {seconds:.0f} s: {result.folder} ({size})")
    print(f"Perplexity on the check text: {quality.perplexity_fp32:.2f} (fp32) -> {quality.perplexity_int8:.2f} "
          f"(int8), {100 * quality.perplexity_change:+.3f} %; greedy tokens matching fp32: "
          f"{100 * quality.greedy_match:.0f} %")
    print("Generation now uses it automatically on a CPU (--runtime torch to use PyTorch).")
    return 0
