"""The model store and the `storyteller models` command: listing, naming, importing (with pickle
conversion), validation errors that name the file, atomic installs, removal."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import threading
from datetime import datetime
from pathlib import Path

import pytest

from storyteller.cli.models import add_parser as add_models_parser
from storyteller.cli.models import run_models
from storyteller.engine.core.errors import ModelError
from storyteller.engine.models import hub as hub_download
from storyteller.engine.models import store as store_module
from storyteller.engine.models.catalogue import KOGPT2_REPO
from storyteller.engine.models.folder import check_model_folder
from storyteller.engine.models.store import DEMO_MODEL_NAME, MANIFEST_NAME, ModelEntry, ModelStore
from tests.helpers.hubserver import TINY_REPO, add_repo_extras
from tests.helpers.tiny_models import save_tiny_gpt2
from tests.helpers.waiting import wait_for

WEIGHTS = "model.safetensors"


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    return add_repo_extras(save_tiny_gpt2(tmp_path_factory.mktemp("src") / "tiny"))


@pytest.fixture(scope="module")
def tiny_bin_folder(tmp_path_factory) -> Path:
    return save_tiny_gpt2(tmp_path_factory.mktemp("src") / "tiny-bin", pickle=True)


@pytest.fixture(scope="module")
def long_context_bin_folder(tmp_path_factory) -> Path:
    """Like ksjae's larger KoGPT2 checkpoints: n_ctx = n_positions = 2048, pickled by an old
    torch and transformers that also saved each layer's causal-mask buffers."""
    import torch

    folder = save_tiny_gpt2(tmp_path_factory.mktemp("src") / "kogpt2-2048", n_positions=2048, pickle=True)
    weights = torch.load(folder / "pytorch_model.bin", weights_only=True)
    weights["transformer.h.0.attn.bias"] = torch.tril(torch.ones(2048, 2048, dtype=torch.uint8)).view(1, 1, 2048, 2048)
    weights["transformer.h.0.attn.masked_bias"] = torch.tensor(-1e4)
    # The pre-zip pickle format of the torch versions of that time.
    torch.save(weights, folder / "pytorch_model.bin", _use_new_zipfile_serialization=False)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config.update(n_ctx=2048, license="CC-BY-NC-SA 4.0")
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path) -> ModelStore:
    return ModelStore(tmp_path / "models", demo_path=tmp_path / "no-demo")


@pytest.fixture
def demo_store(tmp_path, tiny_folder) -> ModelStore:
    return ModelStore(tmp_path / "models", demo_path=tiny_folder)


def copy_model(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def visible_entries(root: Path) -> list[str]:
    return sorted(child.name for child in root.iterdir() if not child.name.startswith(".")) if root.exists() else []


def load_weights(folder: Path):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(folder, use_safetensors=True, local_files_only=True)


# --- listing, default, resolve ------------------------------------------------------------


def test_empty_store_lists_nothing_and_says_how_to_get_a_model(store):
    assert store.list() == []
    with pytest.raises(ModelError, match=f"storyteller models download {KOGPT2_REPO}.*storyteller models import PATH"):
        store.default()
    with pytest.raises(ModelError, match="No model named 'nothing' is installed. No models are installed yet"):
        store.get("nothing")


def test_store_root_defaults_to_the_models_dir_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYTELLER_MODELS_DIR", str(tmp_path / "elsewhere"))
    assert ModelStore().root == tmp_path / "elsewhere"


def test_demo_is_listed_first_only_when_it_is_a_valid_model(tmp_path, tiny_folder, store):
    demo = ModelStore(tmp_path / "models", demo_path=tiny_folder).list()
    assert [entry.name for entry in demo] == [DEMO_MODEL_NAME]
    assert demo[0].builtin and demo[0].source == "embedded" and demo[0].path == tiny_folder

    broken = copy_model(tiny_folder, tmp_path / "broken-demo")
    (broken / WEIGHTS).unlink()
    assert ModelStore(tmp_path / "models", demo_path=broken).list() == []
    assert store.list() == []  # demo folder missing altogether


def test_import_copies_the_model_files_only(store, tiny_folder):
    entry = store.import_folder(tiny_folder)

    assert entry == store.get("tiny") == store.list()[0]
    assert entry.path == store.root / "tiny" and entry.source == f"imported:{tiny_folder}"
    assert not entry.builtin
    assert sorted(child.name for child in entry.path.iterdir()) == sorted(
        ["LICENSE", "README.md", "config.json", "generation_config.json", MANIFEST_NAME, WEIGHTS, "tokenizer.json"]
    )
    assert (entry.path / WEIGHTS).read_bytes() == (tiny_folder / WEIGHTS).read_bytes()
    manifest = json.loads((entry.path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["name"] == "tiny" and manifest["source"] == entry.source
    assert datetime.fromisoformat(manifest["added"]).tzinfo is not None
    assert entry.to_json() == {
        "name": "tiny", "path": str(entry.path), "source": entry.source, "license": entry.license,
        "description": entry.description, "builtin": False,
    }


def test_default_prefers_kogpt2_then_demo_then_any_other(tmp_path, tiny_folder):
    store = ModelStore(tmp_path / "models", demo_path=tmp_path / "no-demo")
    store.import_folder(tiny_folder, name="zzz")
    store.import_folder(tiny_folder, name="aaa")
    assert store.default().name == "aaa"

    with_demo = ModelStore(store.root, demo_path=tiny_folder)
    assert with_demo.default().name == DEMO_MODEL_NAME
    assert [entry.name for entry in with_demo.list()] == [DEMO_MODEL_NAME, "aaa", "zzz"]

    with_demo.import_folder(tiny_folder, name="kogpt2-base-v2")
    assert with_demo.default().name == "kogpt2-base-v2"


def test_resolve_names_folders_and_known_repo_ids(demo_store, tiny_folder, tmp_path):
    assert demo_store.resolve(None).name == DEMO_MODEL_NAME
    assert demo_store.resolve("demo").builtin

    folder_entry = demo_store.resolve(str(tiny_folder))
    assert folder_entry.path == tiny_folder.resolve() and folder_entry.source == f"folder:{tiny_folder.resolve()}"
    assert "tiny" not in [entry.name for entry in demo_store.list()], "a folder is used in place, not registered"

    with pytest.raises(ModelError, match=f"storyteller models download {KOGPT2_REPO}"):
        demo_store.resolve(KOGPT2_REPO)
    demo_store.import_folder(tiny_folder, name="kogpt2-base-v2")
    assert demo_store.resolve(KOGPT2_REPO).name == "kogpt2-base-v2"

    with pytest.raises(ModelError, match="No model named 'nope' is installed. Installed models: demo, kogpt2-base-v2"):
        demo_store.resolve("nope")


def test_resolve_refuses_a_pickle_folder_and_says_to_import_it(store, tiny_bin_folder):
    with pytest.raises(ModelError, match=f"Import it once with `storyteller models import {tiny_bin_folder}"):
        store.resolve(str(tiny_bin_folder))


def test_open_model_loads_what_resolve_names_and_announces_only_the_demo(tmp_path, tiny_folder, monkeypatch):
    from storyteller.engine.models.loading import open_model

    monkeypatch.setenv("STORYTELLER_MODELS_DIR", str(tmp_path / "models"))
    said = []
    entry, loaded = open_model(str(tiny_folder), "cpu", announce=said.append)
    assert entry.path == tiny_folder.resolve() and loaded.path == entry.path and said == []
    entry, loaded = open_model(DEMO_MODEL_NAME, "cpu", announce=said.append)
    assert entry.builtin and loaded.path == entry.path and len(said) == 1
    assert "small embedded demo model" in said[0] and f"storyteller models download {KOGPT2_REPO}" in said[0]
    with pytest.raises(ModelError, match="No model named 'nothing' is installed"):
        open_model("nothing", "cpu")


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "../escape", "a/b", ".hidden", "-dash", "has space", "x" * 101, "모델"])
def test_bad_names_are_refused(store, tiny_folder, name):
    with pytest.raises(ModelError, match="is not a valid model name: use letters, digits"):
        store.import_folder(tiny_folder, name=name)
    assert visible_entries(store.root) == []


def test_taken_and_reserved_names_are_refused(store, tiny_folder):
    store.import_folder(tiny_folder, name="mine")
    with pytest.raises(ModelError, match="'mine' is already installed.*another name.*`storyteller models remove mine`"):
        store.import_folder(tiny_folder, name="mine")
    with pytest.raises(ModelError, match="built-in demo model"):
        store.import_folder(tiny_folder, name=DEMO_MODEL_NAME)
    (store.root / "stray").mkdir()
    with pytest.raises(ModelError, match="already exists but is not an installed model"):
        store.import_folder(tiny_folder, name="stray")


def test_folder_names_are_made_valid(store, tiny_folder, tmp_path):
    odd = copy_model(tiny_folder, tmp_path / "My Model (v2)")
    assert store.import_folder(odd).name == "My-Model-v2-"


# --- importing pickled weights ------------------------------------------------------------


def test_pickle_folder_is_converted_once_and_the_bin_not_kept(store, tiny_bin_folder):
    import torch

    entry = store.import_folder(tiny_bin_folder)
    assert not (entry.path / "pytorch_model.bin").exists()
    assert (tiny_bin_folder / "pytorch_model.bin").exists(), "the user's folder is left alone"
    original = torch.load(tiny_bin_folder / "pytorch_model.bin", weights_only=True)
    model = load_weights(entry.path)
    assert torch.equal(model.transformer.wte.weight, original["transformer.wte.weight"])
    assert torch.equal(model.lm_head.weight, original["transformer.wte.weight"])


def test_long_context_pickle_checkpoint_imports(store, long_context_bin_folder):
    from safetensors import safe_open

    entry = store.import_folder(long_context_bin_folder)
    assert entry.license == "CC-BY-NC-SA 4.0"  # from its config.json
    with safe_open(entry.path / WEIGHTS, framework="pt") as weights:
        keys = set(weights.keys())
        assert weights.get_tensor("transformer.wpe.weight").shape[0] == 2048
    assert not any(key.endswith((".attn.bias", ".attn.masked_bias")) for key in keys), "old mask buffers are dropped"
    model = load_weights(entry.path)
    assert model.config.n_positions == 2048
    assert json.loads((entry.path / "config.json").read_text(encoding="utf-8"))["n_ctx"] == 2048


def test_sharded_safetensors_are_joined_into_one_file(store, tiny_folder, tmp_path):
    from transformers import AutoModelForCausalLM

    sharded = tmp_path / "sharded"
    model = AutoModelForCausalLM.from_pretrained(tiny_folder, use_safetensors=True)
    model.save_pretrained(sharded, max_shard_size="1MB")
    shutil.copy(tiny_folder / "tokenizer.json", sharded / "tokenizer.json")
    assert (sharded / "model.safetensors.index.json").is_file()
    check_model_folder(sharded)

    entry = store.import_folder(sharded)
    assert sorted(path.name for path in entry.path.glob("*.safetensors*")) == [WEIGHTS]
    assert load_weights(entry.path).transformer.wte.weight.shape == (51200, 16)


# --- validation names the file ------------------------------------------------------------


def _delete(folder: Path, name: str) -> None:
    (folder / name).unlink()


def _write(name: str, content: str):
    return lambda folder: (folder / name).write_text(content, encoding="utf-8")


def _truncate_weights(folder: Path) -> None:
    data = (folder / WEIGHTS).read_bytes()
    (folder / WEIGHTS).write_bytes(data[: len(data) // 2])


def _vocab_without_merges(folder: Path) -> None:
    _delete(folder, "tokenizer.json")
    (folder / "vocab.json").write_text('{"a": 0}', encoding="utf-8")


BREAKAGES = {
    "config missing": (lambda f: _delete(f, "config.json"), r"config\.json is missing"),
    "config corrupt": (_write("config.json", "{not json"), r"config\.json is corrupt"),
    "config not gpt2": (_write("config.json", '{"model_type": "bert"}'), r"config\.json describes .* type 'bert'"),
    "weights missing": (lambda f: _delete(f, WEIGHTS), r"model\.safetensors is missing"),
    "weights truncated": (_truncate_weights, r"model\.safetensors is corrupt or incomplete"),
    "weights garbage": (_write(WEIGHTS, "garbage"), r"model\.safetensors is corrupt or incomplete"),
    "tokenizer missing": (lambda f: _delete(f, "tokenizer.json"), r"tokenizer\.json is missing"),
    "tokenizer corrupt": (_write("tokenizer.json", "[1, 2"), r"tokenizer\.json is corrupt"),
    "merges missing": (_vocab_without_merges, r"merges\.txt is missing"),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_broken_folder_errors_name_the_file_and_install_nothing(store, tiny_folder, tmp_path, breakage):
    folder = copy_model(tiny_folder, tmp_path / "broken")
    damage, message = BREAKAGES[breakage]
    damage(folder)
    with pytest.raises(ModelError, match=message):
        check_model_folder(folder)
    with pytest.raises(ModelError, match=message):
        store.import_folder(folder)
    assert store.list() == [] and visible_entries(store.root) == []


def test_missing_folder_and_pickle_without_permission(tmp_path, tiny_bin_folder):
    with pytest.raises(ModelError, match="does not exist"):
        check_model_folder(tmp_path / "nowhere")
    with pytest.raises(ModelError, match="has only pytorch_model.bin"):
        check_model_folder(tiny_bin_folder)
    check_model_folder(tiny_bin_folder, allow_pickle=True)


def test_loading_a_folder_names_its_faults_as_validation_does(tmp_path, tiny_bin_folder):
    from storyteller.engine.models.loading import load_model

    with pytest.raises(ModelError, match="does not exist; check the path"):
        load_model(tmp_path / "nowhere", "cpu")
    with pytest.raises(ModelError, match="has only pytorch_model.bin"):
        load_model(tiny_bin_folder, "cpu")


# --- atomic installs ----------------------------------------------------------------------


def test_failed_install_leaves_nothing_visible(store, tiny_folder, monkeypatch):
    def crash(*args, **kwargs):
        raise ModelError("simulated failure while writing the manifest")

    monkeypatch.setattr(store_module, "_write_manifest", crash)
    with pytest.raises(ModelError, match="simulated failure"):
        store.import_folder(tiny_folder)
    assert store.list() == []
    assert [child.name for child in store.root.iterdir()] == [], "the build folder is cleaned up"


def test_leftovers_of_a_crash_are_never_listed(store, tiny_folder):
    store.root.mkdir(parents=True)
    copy_model(tiny_folder, store.root / ".tmp-half-a1b2c3")  # a build that never got renamed
    copy_model(tiny_folder, store.root / "no-manifest")  # written, never registered
    assert store.list() == []


# --- register and remove ------------------------------------------------------------------


def test_register_a_model_written_into_the_store(store, tiny_folder, tmp_path):
    target = copy_model(tiny_folder, store.root / "my-finetune")
    assert store.list() == []
    entry = store.register(target, "my-finetune", "trained", "CC-BY-NC-SA 4.0", "Fine-tuned on my stories.")
    assert entry == store.get("my-finetune")
    assert (entry.source, entry.license) == ("trained", "CC-BY-NC-SA 4.0")
    assert entry.description == "Fine-tuned on my stories."
    with pytest.raises(ModelError, match="already installed"):
        store.register(target, "my-finetune", "trained", "x", "y")

    elsewhere = copy_model(tiny_folder, tmp_path / "outside")
    copied = store.register(elsewhere, "copied", "trained", "x", "y")
    assert copied.path == store.root / "copied" and elsewhere.exists()


def test_remove_deletes_the_model_but_never_the_demo(demo_store, tiny_folder):
    demo_store.import_folder(tiny_folder, name="gone")
    demo_store.remove("gone")
    assert [entry.name for entry in demo_store.list()] == [DEMO_MODEL_NAME]
    assert list(demo_store.root.iterdir()) == []
    with pytest.raises(ModelError, match="demo model is built into Storyteller and cannot be removed"):
        demo_store.remove(DEMO_MODEL_NAME)
    assert (tiny_folder / WEIGHTS).exists()
    with pytest.raises(ModelError, match="No model named 'gone'"):
        demo_store.remove("gone")


# --- the `storyteller models` command -----------------------------------------------------


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="storyteller")
    commands = parser.add_subparsers(dest="command", required=True)
    add_models_parser(commands)
    args = parser.parse_args(["models", *argv])
    assert args.command == "models"
    return run_models(args)


@pytest.fixture
def models_dir(tmp_path, monkeypatch) -> Path:
    """The CLI's store, kept away from the user's folders; no demo unless a test adds one."""
    monkeypatch.setenv("STORYTELLER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(store_module.paths, "RESOURCES", tmp_path / "no-resources")
    return tmp_path / "cli-models"


def test_cli_list_on_an_empty_store(models_dir, capsys):
    assert run_cli("--models-dir", str(models_dir), "list") == 0
    out = capsys.readouterr().out
    assert f"Model store: {models_dir}" in out
    assert "No models are installed" in out and "storyteller models download skt/kogpt2-base-v2" in out


def test_cli_import_list_remove(models_dir, tiny_folder, capsys):
    assert run_cli("--models-dir", str(models_dir), "import", str(tiny_folder), "--name", "story") == 0
    assert f"Imported story from {tiny_folder}" in capsys.readouterr().out

    assert run_cli("--models-dir", str(models_dir), "import", str(tiny_folder), "--name", "other") == 0
    capsys.readouterr()
    assert run_cli("--models-dir", str(models_dir), "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Model store: {models_dir}"
    assert lines[1].split() == ["NAME", "SOURCE", "LICENSE", "SIZE", "PATH"]
    other, story = lines[2], lines[3]
    assert other.startswith("*") and " other " in other, "the first model is the default when there is no KoGPT2"
    assert story.startswith(" ") and f"imported:{tiny_folder}" in story
    assert " MB " in story and story.endswith(str(models_dir / "story"))
    assert "* = the default model" in lines[-1]

    assert run_cli("--models-dir", str(models_dir), "remove", "story") == 0
    assert "Removed story" in capsys.readouterr().out
    assert not (models_dir / "story").exists()


def test_cli_errors_go_to_stderr_with_exit_code_2(models_dir, tmp_path, capsys):
    assert run_cli("--models-dir", str(models_dir), "remove", "nothing") == 2
    err = capsys.readouterr().err
    assert err.startswith("storyteller: No model named 'nothing' is installed")

    assert run_cli("--models-dir", str(models_dir), "import", str(tmp_path / "missing")) == 2
    assert "is not a folder" in capsys.readouterr().err

    assert run_cli("--models-dir", str(models_dir), "remove", DEMO_MODEL_NAME) == 2
    assert "cannot be removed" in capsys.readouterr().err


def test_cli_download_shows_progress_and_installs(models_dir, hub, monkeypatch, capsys):
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    assert run_cli("--models-dir", str(models_dir), "download", TINY_REPO) == 0
    captured = capsys.readouterr()
    assert f"Downloading {TINY_REPO}" in captured.err and "(100%)" in captured.err and " MB " in captured.err
    assert f"Installed tiny-gpt2 in {models_dir / 'tiny-gpt2'}" in captured.out

    assert run_cli("--models-dir", str(models_dir), "download", TINY_REPO) == 0
    assert "already installed" in capsys.readouterr().out


def test_cli_download_offline_names_the_ways_out(models_dir, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert run_cli("--models-dir", str(models_dir), "download", KOGPT2_REPO) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "storyteller models import PATH" in err and "--model demo" in err


def test_cli_ctrl_c_cancels_cleanly_and_the_same_command_resumes(models_dir, hub, monkeypatch, capsys):
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setattr(hub_download, "CHUNK_SIZE", 64 * 1024)
    hub.slow_files[WEIGHTS] = 0.02  # about 4 s for the whole file: time to press Ctrl+C

    handler_before = signal.getsignal(signal.SIGINT)

    def press_ctrl_c_once_the_weights_flow():
        if wait_for(lambda: hub.bytes_sent(WEIGHTS) >= 200_000, timeout=30):  # the CLI's handler is in place by then
            os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c_once_the_weights_flow)
    presser.start()
    code = run_cli("--models-dir", str(models_dir), "download", TINY_REPO)
    presser.join()
    err = capsys.readouterr().err
    assert code == 130
    assert f"run `storyteller models --models-dir {models_dir} download {TINY_REPO}` again to resume" in err
    parts = list((models_dir / ".downloads").glob(f"*/{WEIGHTS}.part"))
    assert len(parts) == 1 and parts[0].stat().st_size > 0
    assert signal.getsignal(signal.SIGINT) is handler_before, "Ctrl+C handling is restored"

    hub.slow_files.clear()
    assert run_cli("--models-dir", str(models_dir), "download", TINY_REPO) == 0
    assert hub.gets(WEIGHTS)[-1].range is not None
    assert isinstance(ModelStore(models_dir).get("tiny-gpt2"), ModelEntry)
