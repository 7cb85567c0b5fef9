"""Issue 29, the model folder doors: a folder from outside imported into the store, with its config.json,
tokenizer.json, safetensors header or pytorch_model.bin fuzzed, or its files made links. Each case installs
the model or ends in a clear ModelError; never another exception, and a failed import changes neither the
folder nor the store. tests/helpers/doors.py says what each door is given; benchmarks/bench_fuzz.py is the
long mode."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings

from storyteller.engine.core.errors import ModelError
from storyteller.engine.models.folder import check_model_folder
from storyteller.engine.models.store import ModelStore
from tests.helpers import doors
from tests.helpers.hubserver import add_repo_extras
from tests.helpers.tiny_models import save_tiny_gpt2

FUZZ = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return add_repo_extras(save_tiny_gpt2(tmp_path_factory.mktemp("src") / "tiny"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("doors")


@pytest.mark.parametrize("door", ["model config.json", "model tokenizer.json", "model safetensors header",
                                  "model pytorch_model.bin", "model links"])
def test_a_model_folder_imports_or_ends_in_a_clear_error(model, workdir, door):
    cases, attempt = doors.model_doors(model)[door]
    given(cases)(FUZZ(lambda case: doors.check(attempt(workdir, case))))()


def _copy(model, tmp_path):
    return shutil.copytree(model, tmp_path / "model")


def _config(folder, **changes):
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, **changes}), encoding="utf-8")


@pytest.mark.parametrize("changes, message", [
    ({"model_type": ["gpt2"]}, r'config\.json: "model_type" must be text, not list'),  # was unhashable: TypeError
    ({"n_layer": "1"}, r'"n_layer" must be a whole number from 1 to 1024, not str'),
    ({"n_embd": 10**9}, r'"n_embd" must be a whole number from 1 to 65536'),
    ({"n_head": 3}, r'"n_embd" \(16\) must be a multiple of "n_head" \(3\)'),
    ({"vocab_size": 50000}, r"config\.json does not fit the weights: they have a token embedding of 51200 x 16"),
    ({"n_layer": 2}, r"config\.json does not fit the weights: they have 1 blocks, the config says 2"),
])
def test_a_config_with_wrong_types_or_sizes_names_the_field(model, tmp_path, changes, message):
    folder = _copy(model, tmp_path)
    _config(folder, **changes)
    with pytest.raises(ModelError, match=message):
        check_model_folder(folder)


def test_a_pytorch_model_bin_with_python_objects_is_refused_plainly(model, tmp_path):
    import datetime

    import torch
    from safetensors.torch import load_file

    folder = _copy(model, tmp_path)
    state = {**load_file(folder / "model.safetensors"), "saved_at": datetime.datetime(2024, 1, 1)}
    (folder / "model.safetensors").unlink()
    torch.save(state, folder / "pytorch_model.bin")
    store = ModelStore(tmp_path / "store", demo_path=tmp_path / "no-demo")
    with pytest.raises(ModelError, match=r"holds more than tensors: it holds Python objects \(datetime\.datetime\), "
                                         r"and unpickling those could run code, so the safe loader refuses it"):
        store.import_folder(folder)
    assert store.list() == [] and not any((tmp_path / "store").glob("*"))
    torch.save({"model": load_file(model / "model.safetensors"), "epoch": 3}, folder / "pytorch_model.bin")
    with pytest.raises(ModelError, match=r"its entry 'model' holds dict, not a tensor \(a training checkpoint"):
        store.import_folder(folder)


@pytest.mark.parametrize("target", ["outside", "/dev/zero"])
def test_a_link_out_of_the_folder_is_refused_and_a_link_inside_it_is_fine(model, tmp_path, target):
    folder = _copy(model, tmp_path)
    outside = tmp_path / "elsewhere.json"
    shutil.copy(folder / "config.json", outside)
    (folder / "config.json").unlink()
    (folder / "config.json").symlink_to(outside if target == "outside" else target)
    with pytest.raises(ModelError, match=r"config\.json is a link to .*, outside the model folder"):
        check_model_folder(folder)
    (folder / "config.json").unlink()
    shutil.move(outside, folder / "real-config.json")
    (folder / "config.json").symlink_to("real-config.json")
    check_model_folder(folder)


def test_a_hub_cache_snapshot_of_links_into_its_blobs_is_a_model_folder(model, tmp_path):
    snapshot = tmp_path / "models--x--y" / "snapshots" / "abc"
    blobs = tmp_path / "models--x--y" / "blobs"
    snapshot.mkdir(parents=True)
    blobs.mkdir()
    for file in model.iterdir():
        shutil.copy(file, blobs / file.name)
        (snapshot / file.name).symlink_to(os.path.relpath(blobs / file.name, snapshot))
    check_model_folder(snapshot)


def test_an_index_naming_a_file_outside_the_folder_is_refused(model, tmp_path):
    folder = _copy(model, tmp_path)
    (folder / "model.safetensors").rename(folder / "model-00001.safetensors")
    (folder / "model.safetensors.index.json").write_text(json.dumps(
        {"weight_map": {"transformer.wte.weight": "../../etc/passwd"}}), encoding="utf-8")
    with pytest.raises(ModelError, match=r'names the weight file "\.\./\.\./etc/passwd", which is not a file of'):
        check_model_folder(folder)


def test_a_special_tokens_map_that_is_not_an_object_is_named(model, tmp_path):
    folder = _copy(model, tmp_path)
    (folder / "special_tokens_map.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ModelError, match=r"special_tokens_map\.json is corrupt \(it is not a JSON object\)"):
        check_model_folder(folder)
