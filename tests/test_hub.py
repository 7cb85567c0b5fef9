"""Downloading models from a local stand-in for the Hugging Face Hub: progress, resuming across
processes, cancelling, corruption, servers that ignore Range, offline, pickle conversion."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from storyteller.engine.core.errors import DownloadCancelled, ModelError, OfflineError
from storyteller.engine.models import hub as hub_download
from storyteller.engine.models.catalogue import KNOWN_MODELS, KOGPT2_REPO, KnownModel
from storyteller.engine.models.folder import select_model_files
from storyteller.engine.models.store import MANIFEST_NAME, ModelStore
from tests.helpers.hubserver import TINY_BIN_REPO, TINY_REPO
from tests.helpers.paths import ROOT

WEIGHTS = "model.safetensors"


@pytest.fixture(autouse=True)
def fast_network(monkeypatch):
    """Small chunks so a few-MB model takes many steps; no waiting between retries."""
    monkeypatch.setattr(hub_download, "CHUNK_SIZE", 64 * 1024)
    monkeypatch.setattr(hub_download, "RETRY_DELAYS", (0.0, 0.0, 0.0))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)


@pytest.fixture
def store(tmp_path) -> ModelStore:
    return ModelStore(tmp_path / "models", demo_path=tmp_path / "no-demo")


def staging_dir(store: ModelStore, hub, repo_id: str = TINY_REPO) -> Path:
    return store.root / ".downloads" / f"{repo_id.rsplit('/', 1)[-1]}@{hub.repos[repo_id].commit}"


def weights_size(hub, repo_id: str = TINY_REPO) -> int:
    return len(hub.repos[repo_id].files[WEIGHTS])


def visible_entries(root: Path) -> list[str]:
    return sorted(child.name for child in root.iterdir() if not child.name.startswith(".")) if root.exists() else []


def cancel_during_weights(cancel: threading.Event, after_bytes: int):
    def progress(update):
        if update.file == WEIGHTS and update.file_bytes_done >= after_bytes:
            cancel.set()

    return progress


def load_installed(path: Path):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(path, use_safetensors=True, local_files_only=True)


# --- a good download ---------------------------------------------------------------------


def test_download_reports_progress_and_installs_a_loadable_model(hub, store):
    updates = []
    entry = store.download(TINY_REPO, endpoint=hub.url, progress=updates.append)

    totals = [update.total_bytes_done for update in updates]
    assert totals == sorted(totals), "progress went backwards"
    repo = hub.repos[TINY_REPO]
    expected_total = sum(len(repo.files[name]) for name in select_model_files(repo.files))
    assert updates[-1].total_bytes_done == updates[-1].total_bytes == expected_total
    last_of_weights = [update for update in updates if update.file == WEIGHTS][-1]
    assert last_of_weights.file_bytes_done == last_of_weights.file_bytes_total == weights_size(hub)
    assert len([update for update in updates if update.file == WEIGHTS]) > 10  # per chunk, not per file

    commit = hub.repos[TINY_REPO].commit
    assert entry.name == "tiny-gpt2"
    assert entry.source == f"hub:{TINY_REPO}@{commit}"
    assert entry.license.startswith("unknown")
    installed = sorted(child.name for child in entry.path.iterdir())
    assert installed == sorted(
        ["LICENSE", "README.md", "config.json", "generation_config.json", MANIFEST_NAME, WEIGHTS, "tokenizer.json"]
    )
    manifest = json.loads((entry.path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["source"] == entry.source and manifest["name"] == "tiny-gpt2" and manifest["added"]
    assert not (store.root / ".downloads").exists(), "the staging folder is removed after install"
    # Every file came from the resolved commit, never from a moving branch.
    assert all(f"/resolve/{commit}/" in r.path for r in hub.requests if r.file)

    from storyteller.engine.models.tokenizer import load_tokenizer

    model = load_installed(entry.path)
    tokenizer = load_tokenizer(entry.path)
    assert model.config.n_positions == 64
    assert tokenizer.decode(tokenizer.encode("옛날 옛적에")) == "옛날 옛적에"


def test_downloading_an_installed_model_again_returns_it_without_the_network(hub, store):
    first = store.download(TINY_REPO, endpoint=hub.url)
    hub.reset()
    assert store.download(TINY_REPO, endpoint=hub.url) == first
    assert hub.requests == []


def test_endpoint_comes_from_HF_ENDPOINT_when_not_given(hub, store, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    assert store.download(TINY_REPO).name == "tiny-gpt2"
    assert hub.gets(WEIGHTS)


def test_known_model_comes_at_its_pinned_commit_converted_from_pickle(hub, store, tiny_repo_dirs):
    known = KNOWN_MODELS[KOGPT2_REPO]
    # The real repo has only pytorch_model.bin, like this stand-in.
    hub.add_repo(KOGPT2_REPO, tiny_repo_dirs[TINY_BIN_REPO], commit=known.revision)
    entry = store.download(KOGPT2_REPO, endpoint=hub.url)

    assert entry.name == known.name == "kogpt2-base-v2"
    assert entry.license == "CC-BY-NC-SA 4.0"
    assert entry.source == f"hub:{KOGPT2_REPO}@{known.revision}"
    assert any(r.path == f"/api/models/{KOGPT2_REPO}/revision/{known.revision}" for r in hub.requests)
    assert not any("/main" in r.path for r in hub.requests)
    assert store.default().name == "kogpt2-base-v2"
    assert store.resolve(KOGPT2_REPO) == entry


def test_known_pickle_only_repo_is_converted_to_safetensors_and_the_bin_not_kept(
    hub, store, tiny_repo_dirs, monkeypatch
):
    import torch

    commit = hub.repos[TINY_BIN_REPO].commit
    known = KnownModel(TINY_BIN_REPO, commit, "tiny-bin", "MIT", "A known test model.", 6_000_000)
    monkeypatch.setitem(KNOWN_MODELS, TINY_BIN_REPO, known)
    entry = store.download(TINY_BIN_REPO, endpoint=hub.url)
    assert (entry.name, entry.license) == ("tiny-bin", "MIT")
    assert not (entry.path / "pytorch_model.bin").exists()
    assert (entry.path / WEIGHTS).is_file()
    assert hub.gets("pytorch_model.bin") and not hub.gets("training_args.bin")

    original = torch.load(tiny_repo_dirs[TINY_BIN_REPO] / "pytorch_model.bin", weights_only=True)
    model = load_installed(entry.path)
    assert torch.equal(model.transformer.wte.weight, original["transformer.wte.weight"])
    assert torch.equal(model.transformer.h[0].mlp.c_fc.weight, original["transformer.h.0.mlp.c_fc.weight"])


def test_unknown_pickle_only_repo_is_refused_before_downloading(hub, store):
    with pytest.raises(ModelError, match="only pickled weights.*storyteller models import DIR"):
        store.download(TINY_BIN_REPO, endpoint=hub.url)
    assert not any(r.file for r in hub.requests)
    assert visible_entries(store.root) == []


# --- interrupted downloads ---------------------------------------------------------------

CRASHING_DOWNLOAD = """
import os, sys
from pathlib import Path
from storyteller.engine.models import hub
from storyteller.engine.models.store import ModelStore

hub.CHUNK_SIZE = 64 * 1024
root, endpoint, repo, crash_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def crash_midway(progress):
    if progress.file == "model.safetensors" and progress.file_bytes_done >= crash_at:
        os._exit(3)  # die like a killed process: no cleanup, no exception handlers

ModelStore(Path(root), demo_path=Path(root) / "no-demo").download(repo, endpoint=endpoint, progress=crash_midway)
"""


def test_download_killed_mid_file_resumes_in_a_new_process(hub, store):
    crash_at = 1_000_000
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run(
        [sys.executable, "-c", CRASHING_DOWNLOAD, str(store.root), hub.url, TINY_REPO, str(crash_at)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert first.returncode == 3, first.stderr

    staging = staging_dir(store, hub)
    part = staging / f"{WEIGHTS}.part"
    partial = part.stat().st_size
    assert crash_at <= partial < weights_size(hub)
    assert (staging / "tokenizer.json").is_file(), "finished files are kept as they are"
    assert store.list() == [] and visible_entries(store.root) == []

    requests_before = len(hub.requests)
    entry = store.download(TINY_REPO, endpoint=hub.url)

    second_attempt = hub.requests[requests_before:]
    weights_gets = [r for r in second_attempt if r.file == WEIGHTS]
    assert [r.range for r in weights_gets] == [f"bytes={partial}-"]
    assert weights_gets[0].status == 206
    assert weights_gets[0].bytes_sent == weights_size(hub) - partial
    assert not any(r.file == "tokenizer.json" for r in second_attempt), "finished files are not fetched again"
    load_installed(entry.path)


SECOND_DOWNLOAD = """
import sys
from pathlib import Path
from storyteller.engine.core.errors import ModelError
from storyteller.engine.models.store import ModelStore

root, endpoint, repo = sys.argv[1:4]
try:
    ModelStore(Path(root), demo_path=Path(root) / "no-demo").download(repo, endpoint=endpoint)
except ModelError as error:
    sys.exit(str(error))
"""


def test_a_second_process_downloading_the_same_model_is_told_so_and_then_finds_it(hub, store):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    second = []

    def start_the_app_meanwhile(progress):
        if progress.file == WEIGHTS and not second:
            second.append(subprocess.run(
                [sys.executable, "-c", SECOND_DOWNLOAD, str(store.root), hub.url, TINY_REPO],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
            ))

    entry = store.download(TINY_REPO, endpoint=hub.url, progress=start_the_app_meanwhile)
    assert second[0].returncode == 1, second[0].stderr
    assert "'tiny-gpt2' is already being downloaded by another Storyteller window or command" in second[0].stderr
    assert len(hub.gets(WEIGHTS)) == 1, "the refused download fetched nothing"
    load_installed(entry.path)

    again = subprocess.run(
        [sys.executable, "-c", SECOND_DOWNLOAD, str(store.root), hub.url, TINY_REPO],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert again.returncode == 0, again.stderr  # the lock went with the first download


def test_downloading_an_installed_model_needs_no_lock_so_a_read_only_store_still_answers(hub, store,
                                                                                        monkeypatch):
    entry = store.download(TINY_REPO, endpoint=hub.url)

    def no_lock_here(name):
        raise AssertionError("took the download lock for a model already installed")

    monkeypatch.setattr(store, "_download_lock", no_lock_here)
    assert store.download(TINY_REPO, endpoint=hub.url).path == entry.path


def test_dropped_connection_is_retried_from_where_it_broke(hub, store):
    hub.drop_connection(WEIGHTS, at_byte=1_000_000)
    entry = store.download(TINY_REPO, endpoint=hub.url)

    gets = hub.gets(WEIGHTS)
    assert [r.range for r in gets] == [None, "bytes=1000000-"]
    assert hub.bytes_sent(WEIGHTS) == weights_size(hub)
    load_installed(entry.path)


def test_connection_that_keeps_breaking_raises_offline_error_and_keeps_the_part(hub, store):
    hub.drop_connection(WEIGHTS, at_byte=500_000, times=100)
    with pytest.raises(OfflineError, match="resume"):
        store.download(TINY_REPO, endpoint=hub.url)
    assert (staging_dir(store, hub) / f"{WEIGHTS}.part").stat().st_size == 500_000
    assert store.list() == []

    hub.reset()
    store.download(TINY_REPO, endpoint=hub.url)
    assert [r.range for r in hub.gets(WEIGHTS)] == ["bytes=500000-"]


def test_cancel_keeps_the_part_and_a_later_download_finishes_it(hub, store):
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled, match="resumes") as raised:
        store.download(TINY_REPO, endpoint=hub.url, cancel=cancel, progress=cancel_during_weights(cancel, 300_000))
    assert "MB" in str(raised.value)
    part = staging_dir(store, hub) / f"{WEIGHTS}.part"
    partial = part.stat().st_size
    assert 300_000 <= partial < weights_size(hub)
    assert store.list() == [] and visible_entries(store.root) == []

    updates = []
    entry = store.download(TINY_REPO, endpoint=hub.url, progress=updates.append)
    assert hub.gets(WEIGHTS)[-1].range == f"bytes={partial}-"
    assert updates[0].total_bytes_done >= partial, "a resumed download reports what it already has"
    load_installed(entry.path)


def test_cancel_before_the_first_byte_raises_cancelled(hub, store):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DownloadCancelled):
        store.download(TINY_REPO, endpoint=hub.url, cancel=cancel)
    assert not hub.gets(WEIGHTS)


@pytest.mark.parametrize("corrupt", [WEIGHTS, "tokenizer.json"])  # LFS sha256, git blob sha1
def test_corrupt_file_is_deleted_and_named_and_nothing_is_installed(hub, store, corrupt):
    hub.corrupt_files.add(corrupt)
    with pytest.raises(ModelError, match=rf"{corrupt} .*is corrupt \(checksum mismatch\); run the download again"):
        store.download(TINY_REPO, endpoint=hub.url)
    staging = staging_dir(store, hub)
    assert not (staging / f"{corrupt}.part").exists() and not (staging / corrupt).exists()
    assert store.list() == [] and visible_entries(store.root) == []

    hub.reset()
    entry = store.download(TINY_REPO, endpoint=hub.url)
    assert (entry.path / corrupt).is_file()


def test_server_that_ignores_range_restarts_the_file(hub, store):
    cancel = threading.Event()
    with pytest.raises(DownloadCancelled):
        store.download(TINY_REPO, endpoint=hub.url, cancel=cancel, progress=cancel_during_weights(cancel, 300_000))
    hub.ignore_range = True
    entry = store.download(TINY_REPO, endpoint=hub.url)

    retry = hub.gets(WEIGHTS)[-1]
    assert retry.range is not None and retry.status == 200
    assert retry.bytes_sent == weights_size(hub)
    assert (entry.path / WEIGHTS).read_bytes() == hub.repos[TINY_REPO].files[WEIGHTS]


# --- errors before any byte ----------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_hub_raises_offline_error_naming_the_ways_out(store):
    with pytest.raises(OfflineError) as raised:
        store.download(TINY_REPO, endpoint=f"http://127.0.0.1:{closed_port()}")
    message = str(raised.value)
    assert "cannot be reached" in message
    assert "storyteller models import PATH" in message and "--model demo" in message
    assert visible_entries(store.root) == []


def test_hf_hub_offline_raises_offline_error_without_a_request(hub, store, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(OfflineError, match="HF_HUB_OFFLINE.*storyteller models import"):
        store.download(TINY_REPO, endpoint=hub.url)
    assert hub.requests == []


def test_unknown_repo_is_a_clear_model_error(hub, store):
    with pytest.raises(ModelError, match="nobody/nothing does not exist") as raised:
        store.download("nobody/nothing", endpoint=hub.url)
    assert not isinstance(raised.value, OfflineError)


def test_repo_without_weights_is_refused_before_downloading(hub, store, tmp_path):
    folder = tmp_path / "no-weights"
    folder.mkdir()
    for name in ("config.json", "tokenizer.json"):
        (folder / name).write_bytes(hub.repos[TINY_REPO].files[name])
    hub.add_repo("storyteller-test/no-weights", folder)
    with pytest.raises(ModelError, match="no model.safetensors or pytorch_model.bin"):
        store.download("storyteller-test/no-weights", endpoint=hub.url)
    assert not any(r.file for r in hub.requests)


def test_not_enough_disk_space_is_refused_before_downloading(hub, store, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(ModelError, match="Not enough disk space"):
        store.download(TINY_REPO, endpoint=hub.url)
    assert not hub.gets(WEIGHTS)


# --- the stand-in itself --------------------------------------------------------------------


def test_stand_in_serves_huggingface_hub_snapshot_download(hub, tmp_path):
    from huggingface_hub import snapshot_download

    folder = Path(snapshot_download(TINY_REPO, revision="main", endpoint=hub.url, cache_dir=tmp_path / "cache"))
    repo = hub.repos[TINY_REPO]
    assert folder.name == repo.commit
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == repo.files
    assert any(r.method == "HEAD" for r in hub.requests)
