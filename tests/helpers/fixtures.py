"""The fixtures every test module may ask for (registered as a plugin by tests/conftest.py).

Heavy imports (torch, Qt) stay inside the fixtures: collecting the tests does not pay for them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.hubserver import TINY_BIN_REPO, TINY_REPO, FakeHub, add_repo_extras
from tests.helpers.keyrings import memory_keyring, no_keyring  # noqa: F401 (fixtures)
from tests.helpers.llama_server import demo_gguf, llama_server  # noqa: F401 (fixtures)
from tests.helpers.paths import KOGPT2_TOKENIZER_DIR, ROOT
from tests.helpers.tiny_models import save_tiny_gpt2

# --- the whole session -------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The Korean UI's .qm, built from the committed .ts when missing or stale."""
    ts = ROOT / "resources" / "translations" / "storyteller_ko.ts"
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        lrelease = Path(sys.executable).parent / "pyside6-lrelease"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """The tests' usual small model: two layers, 32 wide, 128 positions."""
    return save_tiny_gpt2(tmp_path_factory.mktemp("models") / "tiny", n_positions=128, width=32, layers=2)


@pytest.fixture(scope="session")
def tiny_loaded(tiny_model_dir):
    from storyteller.engine.models.loading import load_model

    return load_model(tiny_model_dir, device="cpu")


@pytest.fixture(scope="session")
def tiny_onnx_dir(tmp_path_factory, tiny_model_dir) -> Path:
    """A copy of the tiny model, optimized (int8 ONNX) once per session: a copy, so that the tests
    opening `tiny_model_dir` in automatic mode keep running on PyTorch."""
    import shutil

    from storyteller.engine.models.runtimes.optimize import optimize_model

    folder = tmp_path_factory.mktemp("models") / "tiny-onnx"
    shutil.copytree(tiny_model_dir, folder)
    optimize_model(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_onnx_loaded(tiny_onnx_dir):
    from storyteller.engine.models.loading import load_model

    return load_model(tiny_onnx_dir, device="cpu", runtime="onnx")


@pytest.fixture(params=["torch", "onnx"])
def runtime_loaded(request):
    """The tiny model on each runtime: decode-loop tests run once on PyTorch and once on int8 ONNX."""
    return request.getfixturevalue("tiny_loaded" if request.param == "torch" else "tiny_onnx_loaded")


@pytest.fixture(scope="session")
def kogpt2_tokenizer():
    from storyteller.engine.models.tokenizer import load_tokenizer

    return load_tokenizer(KOGPT2_TOKENIZER_DIR)


# --- the desktop app ---------------------------------------------------------------------------


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYTELLER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("STORYTELLER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STORYTELLER_MODELS_DIR", str(tmp_path / "models"))
    return tmp_path


@pytest.fixture
def questions(monkeypatch):
    """Modal questions answered without a person: the answer given is recorded."""
    from PySide6.QtWidgets import QMessageBox

    asked = []

    def answer(parent, title, text, *args, **kwargs):
        asked.append(title)
        return QMessageBox.StandardButton.Discard if "Unsaved" in title else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


@pytest.fixture
def window(qtbot, isolated, tiny_model_dir, questions):
    from storyteller.gui.app import build_window, make_settings
    from tests.helpers.gui import release_modifiers

    win = build_window(make_settings())
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.client.model_loaded, timeout=60_000):
        win.client.load_model(str(tiny_model_dir), "cpu")
    win.story.generation = win.story.generation.replace(max_new_tokens=24, seed=11)
    win.sampling.set_settings(win.story.generation)
    yield win
    release_modifiers(win)
    win.client.shutdown()
    win.undo_stack.setClean()
    win.document.mark_saved()


# --- the local stand-in for the Hugging Face Hub (tests/helpers/hubserver.py) -------------------


@pytest.fixture(scope="module")
def tiny_repo_dirs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("hub-repos")
    return {
        TINY_REPO: add_repo_extras(save_tiny_gpt2(base / "safetensors")),
        TINY_BIN_REPO: add_repo_extras(save_tiny_gpt2(base / "bin", pickle=True)),
    }


@pytest.fixture(scope="module")
def fake_hub(tiny_repo_dirs) -> FakeHub:
    hub = FakeHub()
    for repo_id, folder in tiny_repo_dirs.items():
        hub.add_repo(repo_id, folder)
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture
def hub(fake_hub) -> FakeHub:
    """The module's fake hub with its knobs and request log reset for this test."""
    fake_hub.reset()
    return fake_hub
