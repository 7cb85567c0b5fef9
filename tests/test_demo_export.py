"""The demo model's int8 ONNX export ships with the app (resources/models/demo/optimized/), so a new
user's first launch decodes without torch; a stale shipped export is never used silently."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from storyteller.engine.core import paths
from storyteller.engine.models.folder import SAFETENSORS_WEIGHTS
from storyteller.engine.models.runtimes.optimized import (
    INT8_FILE,
    MANIFEST_FILE,
    OPTIMIZED_DIR,
    export_status,
    optimized_dir,
    package_versions,
    shipped_dir,
)
from tests.helpers.paths import ROOT

DEMO_DIR = ROOT / "resources" / "models" / "demo"
REBUILD = f"{sys.executable} scripts/optimize_demo_model.py"


def test_the_shipped_export_is_valid_for_the_shipped_weights(isolated):
    """Fails after the demo is retrained (or onnxruntime upgraded) until its export is rebuilt."""
    shipped = shipped_dir(DEMO_DIR)
    manifest_file = shipped / MANIFEST_FILE
    assert manifest_file.is_file(), f"the demo model ships without its int8 export: run {REBUILD}"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    weights = hashlib.sha256((DEMO_DIR / SAFETENSORS_WEIGHTS).read_bytes()).hexdigest()
    assert manifest["weights"]["sha256"] == weights, (
        f"the demo's weights changed since {shipped.relative_to(ROOT)} was built: run {REBUILD} and commit it")
    assert "mtime_ns" not in manifest["weights"], "a checkout's file times are its own: the hash must decide"
    status = export_status(DEMO_DIR)
    assert status.usable and status.folder == shipped, (
        f"the demo's shipped export cannot be used ({status.reason}): run {REBUILD} and commit it")
    assert status.manifest["versions"]["onnxruntime"] == package_versions()["onnxruntime"]
    assert status.manifest["quality"]["passed"]


def test_a_new_user_opens_the_demo_on_int8_onnx(isolated):
    from storyteller.engine.models.loading import open_model

    notices = []
    entry, loaded = open_model(None, runtime="auto", announce=notices.append)
    assert entry.builtin and loaded.runtime.name == "onnx" and loaded.notice is None
    assert loaded.runtime.file == shipped_dir(DEMO_DIR) / INT8_FILE
    assert not optimized_dir(DEMO_DIR).exists()  # nothing was written to the user's data folder


# What `storyteller generate` imports, run as a new user would (fresh folders), in a fresh interpreter.
CLI_MODULES = """
import json, sys
from storyteller.cli import main
code = main(["generate", "--runtime", "auto", "--prompt", "옛날 옛적에", "--length", "6", "--seed", "1", "--json"])
heavy = sorted(name for name in sys.modules if name == "torch" or name.startswith(("torch.", "transformers.models")))
print("MODULES " + json.dumps({"code": code, "heavy": heavy}))
"""


def test_a_plain_continuation_through_the_cli_needs_neither_torch_nor_transformers_models(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", STORYTELLER_THREADS="1")
    for name in ("CONFIG", "DATA", "MODELS"):
        env[f"STORYTELLER_{name}_DIR"] = str(tmp_path / name.lower())
    done = subprocess.run([sys.executable, "-c", CLI_MODULES], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    reported = json.loads(done.stdout.split("MODULES ")[-1])
    result = json.loads(done.stdout.split("MODULES ")[0])
    assert reported["code"] == 0 and result["model"] == "demo" and result["runtime"] == "onnx"
    assert len(result["token_ids"][0]) == 6
    assert reported["heavy"] == [], "a plain continuation on the shipped export imported torch or transformers' models"


@pytest.fixture
def shipped_tiny(isolated, monkeypatch, tmp_path, tiny_onnx_dir):
    """A stand-in for the app's resources/: a tiny model with its export shipped beside it."""
    resources = tmp_path / "resources"
    folder = shutil.copytree(tiny_onnx_dir, resources / "models" / "tiny", copy_function=shutil.copy2)
    manifest_file = folder / OPTIMIZED_DIR / MANIFEST_FILE
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["weights"].pop("mtime_ns")  # as scripts/optimize_demo_model.py ships it
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(paths, "RESOURCES", resources)
    return folder


def test_a_shipped_export_is_used_and_the_users_own_is_made_in_the_data_folder(shipped_tiny):
    from storyteller.engine.models.loading import load_model

    assert export_status(shipped_tiny).folder == shipped_dir(shipped_tiny)
    assert load_model(shipped_tiny, "cpu").runtime.file == shipped_dir(shipped_tiny) / INT8_FILE
    # `storyteller models optimize` on a model of the app writes to the data folder, never beside it
    assert optimized_dir(shipped_tiny).is_relative_to(paths.data_dir())
    shutil.copytree(shipped_dir(shipped_tiny), optimized_dir(shipped_tiny), copy_function=shutil.copy2)
    own = json.loads((optimized_dir(shipped_tiny) / MANIFEST_FILE).read_text())
    own["weights"]["mtime_ns"] = (shipped_tiny / SAFETENSORS_WEIGHTS).stat().st_mtime_ns
    (optimized_dir(shipped_tiny) / MANIFEST_FILE).write_text(json.dumps(own))
    assert export_status(shipped_tiny).folder == optimized_dir(shipped_tiny)  # the user's own comes first


@pytest.mark.parametrize("spoil, words", [
    ("weights", "weights changed since it was optimized"),
    ("onnxruntime", "it was made with onnxruntime 0.0.1"),
])
def test_a_stale_shipped_export_falls_back_to_pytorch_and_says_why(shipped_tiny, spoil, words):
    from storyteller.engine.core.errors import ModelError
    from storyteller.engine.models.loading import load_model

    if spoil == "weights":
        weights = shipped_tiny / SAFETENSORS_WEIGHTS
        data = bytearray(weights.read_bytes())
        data[-1] ^= 1
        weights.write_bytes(bytes(data))
    else:
        manifest_file = shipped_dir(shipped_tiny) / MANIFEST_FILE
        manifest = json.loads(manifest_file.read_text())
        manifest["versions"]["onnxruntime"] = "0.0.1"
        manifest_file.write_text(json.dumps(manifest))
    status = export_status(shipped_tiny)
    assert status.state == "stale" and words in str(status.reason)
    fallback = load_model(shipped_tiny, "cpu", runtime="auto", name="tiny")
    assert fallback.runtime is None and fallback.default_runtime.name == "torch"
    assert words in str(fallback.notice) and "storyteller models optimize tiny" in str(fallback.notice)
    with pytest.raises(ModelError, match="cannot be used"):
        load_model(shipped_tiny, "cpu", runtime="onnx")


def test_a_new_users_window_writes_on_the_shipped_export_without_loading_pytorch(qtbot, isolated, questions):
    """The first window: the demo opens on int8 ONNX; the mood meter, asked about the empty page at
    once, says nothing, and once there is text it reads it on the int8 export: the PyTorch model
    is never loaded."""
    from storyteller.gui.app import build_window, make_settings
    from tests.helpers.gui import continue_and_wait, release_modifiers, type_text

    win = build_window(make_settings())
    qtbot.addWidget(win)
    win.show()
    readings = []
    win.client.mood.connect(lambda brightness, note: readings.append((brightness, note)))
    try:
        with qtbot.waitSignal(win.client.model_loaded, timeout=60_000):
            win.client.load_model(None)
        qtbot.waitUntil(lambda: bool(readings), timeout=30_000)
        assert readings == [(None, "")]  # nothing to measure yet, and nothing to say about it
        loaded = win.client.loaded
        assert loaded.runtime.name == "onnx" and loaded._model is None
        win.editor.setFocus()
        type_text(win.editor, "옛날 옛적에 깊은 산속에")
        win.story.generation = win.story.generation.replace(max_new_tokens=6, seed=3)
        assert continue_and_wait(qtbot, win)
        assert "int8 ONNX" in win.status_model.text()
        # With text, the meter reads the demo's head on the int8 export: still no PyTorch model.
        win.client.measure_mood(win.story.text())
        qtbot.waitUntil(lambda: len(readings) == 2, timeout=30_000)
        brightness, note = readings[-1]
        assert 0 <= brightness <= 1 and note == ""
        assert loaded._model is None
    finally:
        release_modifiers(win)
        win.client.shutdown()
        win.undo_stack.setClean()
        win.document.mark_saved()


def test_a_front_end_hears_before_pytorch_loads_and_not_on_onnx(tiny_onnx_dir, tiny_model_dir):
    """The window starts Kiwi's load alongside PyTorch's seconds (overlapped), and after a model that
    opens on ONNX in a second (whose load it would hold up)."""
    from storyteller.engine.models.loading import load_model

    heard = []
    assert load_model(tiny_onnx_dir, "cpu", before_pytorch=lambda: heard.append("onnx")).runtime.name == "onnx"
    assert load_model(tiny_model_dir, "cpu", before_pytorch=lambda: heard.append("torch")).runtime is None
    assert heard == ["torch"]
