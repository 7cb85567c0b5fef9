"""Downloading a model snapshot from the Hugging Face Hub, resumable across restarts.

huggingface_hub tells us what to download (`model_info`: the files with their sizes and LFS
sha256, and the commit a revision points to), builds the URLs and provides the HTTP client.
The byte transfer is ours, because huggingface_hub 2.4 cannot resume after a restart: it
streams each file into a uuid-named temp file that it deletes on any failure, so a 500 MB
download interrupted at 99% (a closed laptop, a killed app) starts again from zero. Here each
file goes to `<folder>/<file>.part`, continued with an HTTP Range request by whichever process
tries next, and is renamed to `<file>` only once its size and checksum are verified.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
from huggingface_hub import HfApi, constants, get_session, hf_hub_url
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import build_hf_headers, hf_raise_for_status

from storyteller.engine.core.errors import DownloadCancelled, ModelError, OfflineError, tr
from storyteller.engine.models.folder import (
    CONFIG_FILE,
    PICKLE_WEIGHTS,
    SAFETENSORS_WEIGHTS,
    has_tokenizer,
    select_model_files,
    weights_file,
)
from storyteller.engine.models.remedies import IMPORT_A_FOLDER, USE_DEMO, import_folder

CHUNK_SIZE = 1024 * 1024  # progress is reported at least this often
# Waits before retrying a transfer that received nothing; one that made progress retries at once.
RETRY_DELAYS = (1.0, 2.0, 4.0)
_OFFLINE_VALUES = {"1", "ON", "YES", "TRUE"}
_CONTENT_RANGE_START = re.compile(r"bytes (\d+)-")


@dataclass(frozen=True)
class DownloadProgress:
    """Where a download stands. The totals count what a resumed download already had; they go
    back only when a server ignores Range and a file has to start over."""

    file: str
    file_bytes_done: int
    file_bytes_total: int
    total_bytes_done: int
    total_bytes: int


@dataclass(frozen=True)
class RemoteFile:
    name: str
    size: int
    sha256: str | None = None  # LFS files (the weights)
    git_sha1: str | None = None  # regular git files: the blob id the hub reports


@dataclass(frozen=True)
class Snapshot:
    repo_id: str
    commit: str
    files: tuple[RemoteFile, ...]

    @property
    def file_names(self) -> list[str]:
        return [file.name for file in self.files]

    @property
    def weights(self) -> str:
        return weights_file(self.file_names) or SAFETENSORS_WEIGHTS

    @property
    def total_bytes(self) -> int:
        return sum(file.size for file in self.files)


def hub_endpoint(endpoint: str | None = None) -> str:
    """The parameter, else HF_ENDPOINT as the environment says now, else huggingface.co."""
    return (endpoint or os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def _offline_mode(endpoint: str) -> OfflineError:
    return OfflineError(
        tr(
            "The model hub ({endpoint}) cannot be reached (HF_HUB_OFFLINE is set). To go on without it, import "
            "a model folder you already have with {import_folder}, or use the embedded demo model ({demo})."
        ),
        endpoint=endpoint, import_folder=IMPORT_A_FOLDER, demo=USE_DEMO,
    )


def _unreachable(endpoint: str, error: Exception) -> OfflineError:
    return OfflineError(
        tr(
            "The model hub ({endpoint}) cannot be reached ({reason}). To go on without it, import a model "
            "folder you already have with {import_folder}, or use the embedded demo model ({demo})."
        ),
        endpoint=endpoint, reason=f"{type(error).__name__}: {error}", import_folder=IMPORT_A_FOLDER, demo=USE_DEMO,
    )


def fetch_snapshot(repo_id: str, revision: str, *, endpoint: str | None = None) -> Snapshot:
    """What to download from `repo_id` at `revision`: the model's files, at the resolved commit."""
    endpoint = hub_endpoint(endpoint)
    _refuse_in_offline_mode(endpoint)
    with hub_errors(repo_id, revision, endpoint):
        info = HfApi(endpoint=endpoint).model_info(
            repo_id, revision=revision, files_metadata=True, timeout=constants.HF_HUB_ETAG_TIMEOUT
        )
    if not info.sha:
        raise ModelError(
            tr("The hub at {endpoint} did not say which commit {repo}@{revision} is; try again later."),
            endpoint=endpoint, repo=repo_id, revision=revision,
        )
    siblings = {sibling.rfilename: sibling for sibling in info.siblings or []}
    names = select_model_files(siblings)
    _check_repo_is_a_model(repo_id, names)
    files = tuple(_remote_file(siblings[name]) for name in names)
    return Snapshot(repo_id=repo_id, commit=info.sha, files=files)


def _check_repo_is_a_model(repo_id: str, names: list[str]) -> None:
    weights = weights_file(names)
    if CONFIG_FILE not in names:
        raise ModelError(
            tr("{repo} has no config.json on the hub; it is not a transformers model Storyteller can run."),
            repo=repo_id,
        )
    if weights is None:
        raise ModelError(
            tr("{repo} has no {safetensors} or {pickle} on the hub; Storyteller cannot run it."),
            repo=repo_id, safetensors=SAFETENSORS_WEIGHTS, pickle=PICKLE_WEIGHTS,
        )
    if weights not in (SAFETENSORS_WEIGHTS, PICKLE_WEIGHTS):
        raise ModelError(
            tr(
                "{repo} keeps its weights in several files ({weights}), which Storyteller cannot download yet. "
                "Download it with `hf download {repo} --local-dir DIR` and import DIR with {import_folder}."
            ),
            repo=repo_id, weights=weights, import_folder=import_folder("DIR"),
        )
    if not has_tokenizer(names):
        raise ModelError(
            tr(
                "{repo} has no tokenizer on the hub (tokenizer.json, or vocab.json and merges.txt); "
                "Storyteller cannot run it."
            ),
            repo=repo_id,
        )


def _remote_file(sibling) -> RemoteFile:
    size = sibling.lfs.size if sibling.lfs is not None else sibling.size
    if size is None:
        raise ModelError(tr("The hub did not report the size of {file}; try again later."), file=sibling.rfilename)
    if sibling.lfs is not None:
        return RemoteFile(name=sibling.rfilename, size=int(size), sha256=sibling.lfs.sha256)
    return RemoteFile(name=sibling.rfilename, size=int(size), git_sha1=sibling.blob_id)


def bytes_still_needed(snapshot: Snapshot, folder: Path) -> int:
    """Disk space the rest of the download takes, plus the safetensors copy of pickled weights."""
    needed = 0
    for file in snapshot.files:
        if not (folder / file.name).is_file():
            needed += file.size - _size_or_zero(folder / f"{file.name}.part")
    if snapshot.weights == PICKLE_WEIGHTS:
        needed += next(file.size for file in snapshot.files if file.name == PICKLE_WEIGHTS)
    return max(needed, 0)


def download_snapshot(
    snapshot: Snapshot,
    folder: Path,
    *,
    endpoint: str | None = None,
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Fetch every file of `snapshot` into `folder`, resuming `.part` files left by any earlier
    attempt; small files first so an interruption costs little. Returns `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    _SnapshotDownload(snapshot, folder, hub_endpoint(endpoint), progress, cancel).run()
    return folder


class _Tracker:
    """Bytes on disk per file, reported every CHUNK_SIZE bytes and whenever a file starts,
    restarts or ends."""

    def __init__(self, snapshot: Snapshot, callback: Callable[[DownloadProgress], None] | None):
        self.total = snapshot.total_bytes
        self.done: dict[str, int] = {}
        self.callback = callback
        self.unreported = 0

    def set(self, file: RemoteFile, done: int) -> None:
        self.done[file.name] = done
        self.unreported = 0
        if self.callback is not None:
            self.callback(DownloadProgress(file.name, done, file.size, sum(self.done.values()), self.total))

    def add(self, file: RemoteFile, count: int) -> None:
        done = self.done.get(file.name, 0) + count
        self.unreported += count
        if self.unreported >= CHUNK_SIZE or done >= file.size:
            self.set(file, done)
        else:
            self.done[file.name] = done

    @property
    def total_done(self) -> int:
        return sum(self.done.values())


class _SnapshotDownload:
    def __init__(self, snapshot, folder: Path, endpoint: str, progress, cancel: threading.Event | None):
        self.snapshot = snapshot
        self.folder = folder
        self.endpoint = endpoint
        self.cancel = cancel
        self.tracker = _Tracker(snapshot, progress)
        for file in snapshot.files:  # a resumed download starts where the last one stopped
            self.tracker.done[file.name] = self._bytes_on_disk(file)

    def run(self) -> None:
        try:
            for file in sorted(self.snapshot.files, key=lambda file: file.size):
                self._check_cancel()
                self._download(file)
        except OfflineModeIsEnabled as error:
            raise _offline_mode(self.endpoint) from error
        except OSError as error:  # what is left is local: a full disk, a read-only folder
            raise ModelError(
                tr(
                    "Cannot write the download into {folder} ({reason}). Free some disk space or fix the "
                    "folder's permissions, then download again: what is already downloaded is kept."
                ),
                folder=self.folder, reason=str(error),
            ) from error

    def _download(self, file: RemoteFile) -> None:
        final = self.folder / file.name
        if final.is_file() and final.stat().st_size == file.size:
            self.tracker.set(file, file.size)  # verified before it was renamed
            return
        part = self.folder / f"{file.name}.part"
        self._fetch(file, part)
        self._verify(file, part)
        os.replace(part, final)

    def _fetch(self, file: RemoteFile, part: Path) -> None:
        """Transfer until `part` holds `file.size` bytes, retrying broken connections."""
        failures = 0
        while True:
            offset = self._resume_offset(file, part)
            if offset == file.size:
                return
            try:
                self._transfer(file, part, offset)
                if _size_or_zero(part) == file.size:
                    return
            except (httpx2.TransportError, _IncompleteBody) as error:
                progressed = _size_or_zero(part) > offset
                failures = 0 if progressed else failures + 1
                if failures > len(RETRY_DELAYS):
                    raise self._connection_lost(file, error) from error
                if failures:
                    time.sleep(RETRY_DELAYS[failures - 1])

    def _resume_offset(self, file: RemoteFile, part: Path) -> int:
        size = _size_or_zero(part)
        if size > file.size:  # not from this file: start over
            part.unlink()
            size = 0
        self.tracker.set(file, size)
        return size

    def _transfer(self, file: RemoteFile, part: Path, offset: int) -> None:
        url = hf_hub_url(self.snapshot.repo_id, file.name, revision=self.snapshot.commit, endpoint=self.endpoint)
        headers = build_hf_headers()
        headers["Accept-Encoding"] = "identity"  # a compressed body cannot be resumed by byte offset
        if offset:
            headers["Range"] = f"bytes={offset}-"
        # Transport errors propagate to _fetch, which retries; HTTP errors are final.
        with get_session().stream(
            "GET", url, headers=headers, follow_redirects=True, timeout=constants.HF_HUB_DOWNLOAD_TIMEOUT
        ) as response:
            if response.status_code == 416 and offset:  # our .part does not match the remote file
                part.unlink(missing_ok=True)
                return
            with hub_errors(self.snapshot.repo_id, self.snapshot.commit, self.endpoint):
                hf_raise_for_status(response)
            if response.status_code == 206 and not _starts_at(response, offset):
                part.unlink(missing_ok=True)  # a range we did not ask for: start over
                return
            if response.status_code != 206:
                offset = 0  # the server ignored Range and sends the whole file: start over
            self._write_body(file, part, offset, response)
        if _size_or_zero(part) < file.size:
            raise _IncompleteBody(f"the server sent {_size_or_zero(part) - offset} bytes and closed")

    def _write_body(self, file: RemoteFile, part: Path, offset: int, response: httpx2.Response) -> None:
        with open(part, "ab" if offset else "wb") as out:
            self.tracker.set(file, offset)
            # Written as it arrives (no re-chunking): a broken connection loses no received byte.
            for chunk in response.iter_bytes():
                out.write(chunk)
                self.tracker.add(file, len(chunk))
                if self.cancel is not None and self.cancel.is_set():
                    out.flush()
                    raise self._cancelled()

    def _verify(self, file: RemoteFile, part: Path) -> None:
        size = _size_or_zero(part)
        if size == file.size and _checksum_matches(file, part):
            return
        part.unlink(missing_ok=True)
        self.tracker.set(file, 0)
        if size == file.size:
            raise ModelError(
                tr(
                    "{file} from {repo} is corrupt (checksum mismatch); run the download again. "
                    "If it fails the same way, the copy on the hub or a proxy in between is damaged."
                ),
                file=file.name, repo=self.snapshot.repo_id,
            )
        raise ModelError(
            tr(
                "{file} from {repo} is corrupt ({size} bytes instead of {expected}); run the download again. "
                "If it fails the same way, the copy on the hub or a proxy in between is damaged."
            ),
            file=file.name, repo=self.snapshot.repo_id, size=size, expected=file.size,
        )

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise self._cancelled()

    def _cancelled(self) -> DownloadCancelled:
        return DownloadCancelled(
            tr(
                "The download of {repo} was cancelled. The {done} of {total} already downloaded are kept in "
                "{folder}; downloading it again resumes from there."
            ),
            repo=self.snapshot.repo_id, done=_mb(self.tracker.total_done), total=_mb(self.tracker.total),
            folder=self.folder,
        )

    def _connection_lost(self, file: RemoteFile, error: Exception) -> OfflineError:
        return OfflineError(
            tr(
                "The model hub ({endpoint}) cannot be reached (the connection broke while downloading {file}: "
                "{reason}). To go on without it, import a model folder you already have with {import_folder}, or "
                "use the embedded demo model ({demo}). The {done} already downloaded are kept: downloading it "
                "again resumes from there."
            ),
            endpoint=self.endpoint, file=file.name, reason=str(error), done=_mb(self.tracker.total_done),
            import_folder=IMPORT_A_FOLDER, demo=USE_DEMO,
        )

    def _bytes_on_disk(self, file: RemoteFile) -> int:
        if (self.folder / file.name).is_file():
            return file.size
        return min(_size_or_zero(self.folder / f"{file.name}.part"), file.size)


class _IncompleteBody(Exception):
    """The response ended before the file did (a proxy or server cut it short)."""


def _starts_at(response: httpx2.Response, offset: int) -> bool:
    """Whether a 206 answer to `Range: bytes=offset-` really starts at `offset`."""
    match = _CONTENT_RANGE_START.match(response.headers.get("Content-Range", ""))
    return bool(match) and int(match.group(1)) == offset


def _checksum_matches(file: RemoteFile, path: Path) -> bool:
    if file.sha256:
        with open(path, "rb") as data:
            return hashlib.file_digest(data, "sha256").hexdigest() == file.sha256.lower()
    if file.git_sha1:
        return _git_blob_sha1(path) == file.git_sha1.lower()
    return True


def _git_blob_sha1(path: Path) -> str:
    """The id git (and the hub) gives a regular file: sha1 of "blob <size>\\0" + content."""
    digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    with open(path, "rb") as data:
        while block := data.read(CHUNK_SIZE):
            digest.update(block)
    return digest.hexdigest()


def _size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _refuse_in_offline_mode(endpoint: str) -> None:
    # Read the environment now: huggingface_hub reads HF_HUB_OFFLINE once, at import.
    if constants.is_offline_mode() or os.environ.get("HF_HUB_OFFLINE", "").upper() in _OFFLINE_VALUES:
        raise _offline_mode(endpoint)


@contextmanager
def hub_errors(repo_id: str, revision: str, endpoint: str):
    """Turn huggingface_hub and httpx2 failures into errors that say what to do."""
    try:
        yield
    except OfflineModeIsEnabled as error:
        raise _offline_mode(endpoint) from error
    except (httpx2.ConnectError, httpx2.TimeoutException, httpx2.ProxyError) as error:
        raise _unreachable(endpoint, error) from error
    except GatedRepoError as error:
        raise ModelError(
            tr(
                "{repo} is gated: accept its conditions on {endpoint}/{repo} and log in with "
                "`hf auth login`, then download it again."
            ),
            repo=repo_id, endpoint=endpoint,
        ) from error
    except RepositoryNotFoundError as error:
        raise ModelError(
            tr(
                "The model {repo} does not exist on {endpoint}, or it is private and needs a login. Check the "
                "id at {endpoint}/{repo}; for a private model log in with `hf auth login` first."
            ),
            repo=repo_id, endpoint=endpoint,
        ) from error
    except RevisionNotFoundError as error:
        raise ModelError(
            tr("{repo} has no revision {revision} on {endpoint}. Check the revision."),
            repo=repo_id, revision=repr(revision), endpoint=endpoint,
        ) from error
    except RemoteEntryNotFoundError as error:
        raise ModelError(
            tr("A file of {repo} is missing on {endpoint} ({url}); the repo changed. Download it again later."),
            repo=repo_id, endpoint=endpoint, url=str(error.response.url),
        ) from error
    except HfHubHTTPError as error:
        status = error.response.status_code if error.response is not None else None
        if status == 401:
            raise ModelError(
                tr("{endpoint} refused access to {repo} (401). Log in with `hf auth login` and try again."),
                endpoint=endpoint, repo=repo_id,
            ) from error
        if status is not None and status >= 500:
            raise OfflineError(
                tr(
                    "The model hub ({endpoint}) cannot be reached (the hub answered {status}). To go on without "
                    "it, import a model folder you already have with {import_folder}, or use the embedded demo "
                    "model ({demo})."
                ),
                endpoint=endpoint, status=status, import_folder=IMPORT_A_FOLDER, demo=USE_DEMO,
            ) from error
        raise ModelError(
            tr("The hub refused the download of {repo} ({reason}). Try again later."), repo=repo_id, reason=str(error)
        ) from error
    except httpx2.HTTPError as error:
        raise _unreachable(endpoint, error) from error
