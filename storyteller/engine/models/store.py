"""The model store: the models Storyteller can run, each a self-contained transformers folder.

Layout: `root/<name>/` holds config.json, model.safetensors, the tokenizer files, optional
generation_config.json and license/readme files, and the manifest `storyteller-model.json`
({name, source, license, description, added}). A folder counts as installed only once its
manifest is there, and every install is built in a hidden `root/.tmp-<name>-<random>/` and
renamed into place, so a crash never leaves a half model that `list()` shows. Dot-entries
(builds in progress, `.downloads`, the `.download-<name>.lock` files) are never listed.

Installed models only ever hold safetensors weights: a pickled `pytorch_model.bin` is converted
once, when the user imports a folder or downloads a pinned known repo, and never kept.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from storyteller.engine.core import paths
from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.models import remedies
from storyteller.engine.models.catalogue import KNOWN_MODELS, KOGPT2_REPO
from storyteller.engine.models.folder import (
    CONFIG_FILE,
    PICKLE_WEIGHTS,
    SAFETENSORS_WEIGHTS,
    WEIGHT_FILES,
    check_model_folder,
    check_tokenizer_builds,
    select_model_files,
    weights_file,
)
from storyteller.engine.models.weights import convert_to_safetensors

DEMO_MODEL_NAME = "demo"
DEMO_LICENSE = "CC-BY-NC-SA 4.0 (KoGPT2 tokenizer)"
DEMO_DESCRIPTION = "A small model built into Storyteller, for trying it out without a download."
MANIFEST_NAME = "storyteller-model.json"
TRAINING_RECORD = "training.json"  # a fine-tune's parameters, license and perplexity (engine/training/trainer.py)
UNKNOWN_LICENSE = "unknown — check the model page"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_NOT_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
# Builds older than this were left by a crash, not by a concurrent import.
_STALE_BUILD_SECONDS = 24 * 3600

HOW_TO_GET_A_MODEL = (  # the CLI's: an error's ways out are Remedy parameters instead
    f"Download KoGPT2 with {remedies.download(KOGPT2_REPO)}, import a model folder you already have with "
    f"{remedies.IMPORT_A_FOLDER}, or use the embedded demo model ({remedies.USE_DEMO})."
)


@dataclass(frozen=True)
class ModelEntry:
    name: str
    path: Path
    source: str  # "embedded" | "hub:<repo>@<rev>" | "imported:<original path>" | "trained" | "folder:<path>"
    license: str
    description: str
    builtin: bool  # the embedded demo model: read-only

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "path": str(self.path),
            "source": self.source,
            "license": self.license,
            "description": self.description,
            "builtin": self.builtin,
        }


def validate_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ModelError(
            tr(
                "{name} is not a valid model name: use letters, digits, '-', '_' and '.', starting with a "
                "letter or digit (at most 100 characters)."
            ),
            name=repr(name),
        )
    return name


def name_from(text: str) -> str:
    """A valid store name made from a folder name or repo id ("skt/kogpt2-base-v2" -> "kogpt2-base-v2")."""
    base = text.rstrip("/").rsplit("/", 1)[-1]
    name = _NOT_NAME_CHARS.sub("-", base).lstrip("._-")[:100]
    return name or "model"


class ModelStore:
    def __init__(self, root: Path | None = None, demo_path: Path | None = None):
        self.root = Path(root).expanduser() if root is not None else paths.models_dir()
        self.demo_path = Path(demo_path) if demo_path is not None else paths.resource("models", DEMO_MODEL_NAME)

    # --- reading ---

    def list(self) -> list[ModelEntry]:
        """Installed models: the demo first (when it is there), then the store's, by name."""
        return ([self._demo] if self._demo else []) + self._installed()

    def get(self, name: str) -> ModelEntry:
        entries = self.list()
        for entry in entries:
            if entry.name == name:
                return entry
        installed = ", ".join(entry.name for entry in entries)
        known = next((model for model in KNOWN_MODELS.values() if model.name == name), None)
        # Whole sentences, one template per case, so that each translates as a whole.
        if known and installed:
            template = tr(
                "No model named {name} is installed. Installed models: {installed}. Download it with {download}."
            )
        elif known:
            template = tr(
                "No model named {name} is installed. No models are installed yet. Download it with {download}."
            )
        elif installed:
            template = tr(
                "No model named {name} is installed. Installed models: {installed}. Download KoGPT2 with {download}, "
                "import a model folder you already have with {import_folder}, or use the embedded demo model ({demo})."
            )
        else:
            template = tr(
                "No model named {name} is installed. No models are installed yet. Download KoGPT2 with {download}, "
                "import a model folder you already have with {import_folder}, or use the embedded demo model ({demo})."
            )
        repo = known.repo_id if known else KOGPT2_REPO
        raise ModelError(template, name=repr(name), installed=installed, download=remedies.download(repo),
                         import_folder=remedies.IMPORT_A_FOLDER, demo=remedies.USE_DEMO)

    def resolve(self, name_or_path: str | os.PathLike | None) -> ModelEntry:
        """None -> the default model; else an installed name, a model folder (used in place, not
        copied), or a known repo id."""
        if name_or_path is None:
            return self.default()
        text = str(name_or_path)
        installed = {entry.name: entry for entry in self.list()}
        if text in installed:
            return installed[text]
        folder = Path(text).expanduser()
        if folder.is_dir():
            return self._folder_entry(folder)
        if text in KNOWN_MODELS:
            return self.get(KNOWN_MODELS[text].name)
        return self.get(text)

    def default(self) -> ModelEntry:
        """KoGPT2 when installed, else the demo, else whatever else is installed."""
        entries = self.list()
        by_name = {entry.name: entry for entry in entries}
        for preferred in (KNOWN_MODELS[KOGPT2_REPO].name, DEMO_MODEL_NAME):
            if preferred in by_name:
                return by_name[preferred]
        if entries:
            return entries[0]
        raise ModelError(
            tr(
                "No model is installed in {folder}. Download KoGPT2 with {download}, import a model folder you "
                "already have with {import_folder}, or use the embedded demo model ({demo})."
            ),
            folder=self.root, download=remedies.download(KOGPT2_REPO), import_folder=remedies.IMPORT_A_FOLDER,
            demo=remedies.USE_DEMO,
        )

    def _installed(self) -> list[ModelEntry]:
        if not self.root.is_dir():
            return []
        return [
            self._manifest_entry(child)
            for child in sorted(self.root.iterdir(), key=lambda child: child.name)
            if not child.name.startswith(".") and (child / MANIFEST_NAME).is_file()
        ]

    def _manifest_entry(self, folder: Path) -> ModelEntry:
        try:
            manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            manifest = {}  # still listed, so the user can see it and remove it
        if not isinstance(manifest, dict):
            manifest = {}
        return ModelEntry(
            name=folder.name,
            path=folder,
            source=str(manifest.get("source", "unknown")),
            license=str(manifest.get("license", UNKNOWN_LICENSE)),
            description=str(manifest.get("description", "")),
            builtin=False,
        )

    @cached_property
    def _demo(self) -> ModelEntry | None:
        """Checked once per store: the demo ships read-only with the app."""
        try:
            check_model_folder(self.demo_path)
        except ModelError:
            return None  # not trained and committed yet, or not shipped in this build
        manifest = {}
        if (self.demo_path / MANIFEST_NAME).is_file():
            try:
                manifest = json.loads((self.demo_path / MANIFEST_NAME).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                manifest = {}
        return ModelEntry(
            name=DEMO_MODEL_NAME,
            path=self.demo_path,
            source="embedded",
            license=str(manifest.get("license", DEMO_LICENSE)),
            description=str(manifest.get("description", DEMO_DESCRIPTION)),
            builtin=True,
        )

    def _folder_entry(self, folder: Path) -> ModelEntry:
        folder = folder.resolve()
        check_model_folder(folder)
        return ModelEntry(
            name=folder.name,
            path=folder,
            source=f"folder:{folder}",
            license=_license_of(folder),
            description=f"Model folder {folder} (not in the store).",
            builtin=False,
        )

    # --- writing ---

    def import_folder(self, src: Path, name: str | None = None) -> ModelEntry:
        """Copy a model folder into the store; pickled or sharded weights are converted to one
        model.safetensors (the user named this folder, the only case where we unpickle)."""
        src = Path(src).expanduser().resolve()
        if not src.is_dir():
            raise ModelError(
                tr("{folder} is not a folder. Give the folder that holds config.json and the weights."), folder=src
            )
        name = validate_name(name) if name is not None else name_from(src.name)
        self._check_free_name(name)
        check_model_folder(src, allow_pickle=True)
        self._install_copy(
            src, name, source=f"imported:{src}", license=_license_of(src), description=f"Imported from {src}."
        )
        return self.get(name)

    def register(self, folder: Path, name: str, source: str, license: str, description: str) -> ModelEntry:
        """Add a model already written into `root/<name>` (a fine-tune) by writing its manifest;
        a folder elsewhere is copied in."""
        validate_name(name)
        folder = Path(folder).expanduser().resolve()
        target = self.root / name
        check_model_folder(folder)
        if target.exists() and folder == target.resolve():
            if (target / MANIFEST_NAME).exists() or name == DEMO_MODEL_NAME:
                raise ModelError(tr("A model named {name} is already installed. Choose another name."), name=repr(name))
            check_tokenizer_builds(folder)
            _write_manifest(folder, name, source=source, license=license, description=description)
            return self.get(name)
        self._check_free_name(name)
        self._install_copy(folder, name, source=source, license=license, description=description)
        return self.get(name)

    def remove(self, name: str) -> None:
        if name == DEMO_MODEL_NAME:
            raise ModelError(tr("The demo model is built into Storyteller and cannot be removed."))
        entry = self.get(name)
        # Rename first so the model disappears at once, even if deleting its files takes a while.
        trash = self.root / f".trash-{name}-{secrets.token_hex(4)}"
        try:
            os.rename(entry.path, trash)
        except OSError as error:
            raise ModelError(
                tr("Cannot remove {folder} ({reason}); close programs using it and try again."),
                folder=entry.path, reason=str(error),
            ) from error
        shutil.rmtree(trash, ignore_errors=True)

    def download(
        self,
        repo_id: str,
        *,
        name: str | None = None,
        progress: Callable | None = None,
        cancel: threading.Event | None = None,
        endpoint: str | None = None,
    ) -> ModelEntry:
        """Download a hub model into the store, resuming any earlier partial download of it.

        Known repos come at their pinned commit with their license; any other repo at `main`.
        Raises OfflineError when the hub cannot be reached, DownloadCancelled (keeping the
        partial files) when `cancel` is set, and ModelError while another process (or thread)
        downloads the same model.
        """
        from storyteller.engine.models import (
            hub,  # huggingface_hub costs half a second to import; listing does not need it
        )

        known = KNOWN_MODELS.get(repo_id)
        name = validate_name(name) if name is not None else (known.name if known else name_from(repo_id))
        already = self._installed_entry(name)
        if already is not None and already.source.startswith(f"hub:{repo_id}@"):
            return already  # no lock needed (the store may be read-only)
        with self._download_lock(name):  # look again: another download may have just installed it
            already = self._installed_entry(name)
            if already is not None and already.source.startswith(f"hub:{repo_id}@"):
                return already
            self._check_free_name(name)
            snapshot = hub.fetch_snapshot(repo_id, known.revision if known else "main", endpoint=endpoint)
            if snapshot.weights == PICKLE_WEIGHTS and known is None:
                raise ModelError(
                    tr(
                        "{repo} has only pickled weights ({pickle}). Storyteller unpickles only the models "
                        "it knows at a pinned revision, or a folder you import yourself: if you trust {repo}, run "
                        "`hf download {repo} --local-dir DIR`, then import DIR with {import_folder}."
                    ),
                    repo=repo_id, pickle=PICKLE_WEIGHTS, import_folder=remedies.import_folder("DIR"),
                )
            downloads = self.root / ".downloads"
            staging = downloads / f"{name}@{snapshot.commit}"
            _remove_other_partial_downloads(downloads, name, keep=staging)
            _check_disk_space(self.root, hub.bytes_still_needed(snapshot, staging))
            hub.download_snapshot(snapshot, staging, endpoint=endpoint, progress=progress, cancel=cancel)
            with self._building(name) as build:
                for file in snapshot.file_names:
                    if file not in WEIGHT_FILES:
                        _link_or_copy(staging / file, build / file)
                if snapshot.weights == SAFETENSORS_WEIGHTS:
                    _link_or_copy(staging / SAFETENSORS_WEIGHTS, build / SAFETENSORS_WEIGHTS)
                else:  # pickle from a known repo's pinned, checksum-verified revision: converted once, not kept
                    convert_to_safetensors(staging, build / SAFETENSORS_WEIGHTS)
                self._finish_build(
                    build,
                    name,
                    source=f"hub:{repo_id}@{snapshot.commit}",
                    license=known.license if known else UNKNOWN_LICENSE,
                    description=known.description if known else f"Downloaded from the Hugging Face Hub ({repo_id}).",
                )
            shutil.rmtree(staging, ignore_errors=True)
            _remove_if_empty(downloads)
        return self.get(name)

    # --- helpers ---

    def _installed_entry(self, name: str) -> ModelEntry | None:
        folder = self.root / name
        return self._manifest_entry(folder) if (folder / MANIFEST_NAME).is_file() else None

    def _check_free_name(self, name: str) -> None:
        validate_name(name)
        if name == DEMO_MODEL_NAME:
            raise ModelError(
                tr("{name} is the name of the built-in demo model. Choose another name."), name=repr(name)
            )
        if (self.root / name / MANIFEST_NAME).exists():
            raise ModelError(
                tr(
                    "A model named {name} is already installed. Choose another name, or remove it first with "
                    "{remove}."
                ),
                name=repr(name), remove=remedies.remove(name),
            )
        if (self.root / name).exists():
            raise ModelError(
                tr(
                    "{folder} already exists but is not an installed model. Move it away or choose "
                    "another name."
                ),
                folder=self.root / name,
            )

    def _install_copy(self, src: Path, name: str, *, source: str, license: str, description: str) -> None:
        """Copy the model files of `src` into the store; weights that are not one
        model.safetensors are converted to it."""
        files = select_model_files(child.name for child in src.iterdir() if child.is_file())
        with self._building(name) as build:
            for file in files:
                if file not in WEIGHT_FILES:
                    shutil.copy2(src / file, build / file)
            if weights_file(files) == SAFETENSORS_WEIGHTS:
                shutil.copy2(src / SAFETENSORS_WEIGHTS, build / SAFETENSORS_WEIGHTS)
            else:
                convert_to_safetensors(src, build / SAFETENSORS_WEIGHTS)
            self._finish_build(build, name, source=source, license=license, description=description)

    @contextmanager
    def _download_lock(self, name: str) -> Iterator[None]:
        """One download of a model at a time, across processes: the app and the CLI downloading
        it at once would write the same partial files. The kernel drops the lock of a process
        that dies, so a crash never leaves the model locked."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.root / f".download-{name}.lock")  # a dot-file: never listed
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            lock.acquire(timeout=0)
        except Timeout:  # before OSError: filelock's Timeout is a TimeoutError
            raise ModelError(
                tr(
                    "{name} is already being downloaded by another Storyteller window or command. Wait until "
                    "that download finishes (the model then appears in the list), or stop it and try again."
                ),
                name=repr(name),
            ) from None
        except OSError as error:
            raise self._unwritable(error) from error
        try:
            yield
        finally:
            # Released, not deleted: deleting a lock file lets a process that opened it just before
            # lock the deleted file while another locks a new one.
            lock.release()

    @contextmanager
    def _building(self, name: str) -> Iterator[Path]:
        """A hidden build folder that becomes `root/<name>` in one rename, or vanishes on failure."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            _remove_stale_builds(self.root)
            build = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=self.root))
        except OSError as error:
            raise self._unwritable(error) from error
        try:
            build.chmod(0o755)
            yield build
            os.rename(build, self.root / name)
        except OSError as error:  # a full disk, a read-only folder, a file that vanished
            raise ModelError(
                tr(
                    "Installing {name} into {folder} failed ({reason}). Check the free disk space and the "
                    "folder's permissions, then try again."
                ),
                name=repr(name), folder=self.root, reason=str(error),
            ) from error
        finally:
            shutil.rmtree(build, ignore_errors=True)  # a no-op once renamed

    def _unwritable(self, error: OSError) -> ModelError:
        return ModelError(
            tr("Cannot write into the model store {folder} ({reason}); check its permissions."),
            folder=self.root, reason=str(error),
        )

    @staticmethod
    def _finish_build(build: Path, name: str, *, source: str, license: str, description: str) -> None:
        check_model_folder(build)
        check_tokenizer_builds(build)
        _write_manifest(build, name, source=source, license=license, description=description)


def _write_manifest(folder: Path, name: str, *, source: str, license: str, description: str) -> None:
    manifest = {
        "name": name,
        "source": source,
        "license": license,
        "description": description,
        "added": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    partial = folder / f".{MANIFEST_NAME}.tmp"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, folder / MANIFEST_NAME)  # the manifest appears whole or not at all


def _license_of(folder: Path) -> str:
    """The license a fine-tune recorded (its base model's), else the one a config.json declares
    (KoGPT2's does), else unknown."""
    for record in (TRAINING_RECORD, CONFIG_FILE):
        try:
            data = json.loads((folder / record).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        value = data.get("license") if isinstance(data, dict) else None
        if isinstance(value, str) and value.strip():  # from outside: text, or no license named
            return value.strip()
    return UNKNOWN_LICENSE


def _link_or_copy(src: Path, dest: Path) -> None:
    """Hard-link when possible: the staged download stays intact until the install succeeds,
    without a second copy of a 500 MB file."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def _remove_stale_builds(root: Path) -> None:
    now = time.time()
    for child in root.glob(".tmp-*"):
        try:
            if now - child.stat().st_mtime > _STALE_BUILD_SECONDS:
                shutil.rmtree(child, ignore_errors=True)
        except OSError:
            pass
    for child in root.glob(".trash-*"):
        shutil.rmtree(child, ignore_errors=True)


def _remove_other_partial_downloads(downloads: Path, name: str, *, keep: Path) -> None:
    """Partial files of an older commit of the same model can never be resumed: free the space."""
    if downloads.is_dir():
        for child in downloads.glob(f"{name}@*"):
            if child != keep:
                shutil.rmtree(child, ignore_errors=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # still holds another model's partial download


def _check_disk_space(root: Path, needed_bytes: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    margin = 64 * 1024 * 1024
    if free < needed_bytes + margin:
        raise ModelError(
            tr(
                "Not enough disk space in {folder}: the download needs about {needed} free but only {free} is. "
                "Free some space, or choose another models folder (`storyteller models --models-dir DIR`)."
            ),
            folder=root, needed=_megabytes(needed_bytes + margin), free=_megabytes(free),
        )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"
