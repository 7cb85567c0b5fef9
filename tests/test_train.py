"""`storyteller train`: fine-tuning, checkpoints and resume, the output model, data errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyteller.engine.decode.generator import Generator
from storyteller.engine.decode.requests import GenerationRequest
from storyteller.engine.models.loading import load_model
from storyteller.engine.models.store import DEMO_MODEL_NAME, ModelStore
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.training.trainer import TrainConfig, TrainingError, read_documents, train

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "models" / "demo"
TEXT = "\n".join(
    ["바닷가 마을에 늙은 어부가 살았다. 그는 매일 새벽 배를 띄웠다.",
     "파도가 높은 날에도 그는 그물을 던졌다. 마을 사람들은 그를 걱정했다."] * 40
)


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "my_texts.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def store_env(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYTELLER_MODELS_DIR", str(tmp_path / "models"))
    return tmp_path / "models"


def config(dataset, output, **changes):
    values = dict(dataset_path=str(dataset), output_dir=str(output), model=DEMO_MODEL_NAME, block_size=64,
                  per_device_train_batch_size=4, max_steps=8, logging_steps=1, learning_rate=3e-3,
                  eval_fraction=0.1, save_steps=4, warmup_steps=0, name="my-style")
    values.update(changes)
    return TrainConfig(**values)


def test_fine_tuning_the_demo_model_lowers_the_loss_and_yields_a_loadable_model(dataset, tmp_path, store_env):
    progress = []
    final = train(config(dataset, tmp_path / "out"), progress=progress.append)
    losses = [p.loss for p in progress if p.loss is not None]
    assert len(losses) >= 6 and losses[-1] < losses[0]
    assert progress[-1].step == 8 and progress[-1].eval_perplexity is not None
    assert {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json", "README.md"} <= {
        p.name for p in final.iterdir()}
    card = (final / "README.md").read_text(encoding="utf-8")
    assert "fine-tuned from demo" in card and "Held-out perplexity" in card and "License: CC BY-NC-SA" in card
    loaded = load_model(final, "cpu")
    result = Generator(loaded).generate(
        GenerationRequest("바닷가 마을에", GenerationSettings(max_new_tokens=8, seed=1))
    )
    assert result.new_tokens > 0


def test_checkpoints_resume_after_an_interruption(dataset, tmp_path, store_env):
    import threading

    output = tmp_path / "out"
    cancel = threading.Event()
    seen = []

    def stop_after_five(progress):
        seen.append(progress.step)
        if progress.step >= 5:
            cancel.set()

    from storyteller.engine.training.trainer import TrainingCancelled

    with pytest.raises(TrainingCancelled, match="--resume"):
        train(config(dataset, output), progress=stop_after_five, cancel=cancel)
    assert (output / "checkpoints").is_dir()
    resumed = []
    train(config(dataset, output, resume=True), progress=resumed.append)
    assert min(p.step for p in resumed) > 4 and resumed[-1].step == 8


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "The dataset is empty"),
        ("짧은 글.", "The dataset is too small"),
        ("가나다".encode("cp949"), "is not UTF-8 text"),
    ],
)
def test_bad_datasets_are_clear_errors(tmp_path, store_env, content, message):
    path = tmp_path / "data.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(TrainingError, match=message):
        train(config(path, tmp_path / "out"))


def test_an_existing_output_folder_is_not_overwritten_by_accident(dataset, tmp_path, store_env):
    output = tmp_path / "out"
    output.mkdir()
    (output / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(TrainingError, match="--overwrite_output_dir"):
        train(config(dataset, output))
    assert (output / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_folder_and_a_story_file_are_datasets(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("첫째 글.\n\n둘째 줄.", encoding="utf-8")
    (folder / "b.txt").write_text("셋째 글.", encoding="utf-8")
    assert read_documents(folder) == ["첫째 글.\n둘째 줄.", "셋째 글."]
    example = ROOT / "resources" / "examples" / "안개_낀_고개.story.json"
    assert read_documents(example)[0].startswith("해가 서쪽 능선에")


def test_train_command_registers_the_model(dataset, tmp_path, store_env):
    env = dict(os.environ, STORYTELLER_MODELS_DIR=str(store_env), STORYTELLER_THREADS="1", PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "storyteller", "train", "--dataset_path", str(dataset), "--output_dir",
         str(tmp_path / "out"), "--model", "demo", "--block_size", "64", "--max_steps", "3", "--logging_steps", "1",
         "--per_device_train_batch_size", "2", "--name", "my-style"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "step 3/3" in done.stderr and "Added to the model store as 'my-style'" in done.stderr
    entry = ModelStore(store_env).get("my-style")
    manifest = json.loads((entry.path / "storyteller-model.json").read_text(encoding="utf-8"))
    assert manifest["name"] == "my-style"


def test_generate_uses_the_embedded_demo_model_on_a_fresh_machine(tmp_path):
    env = dict(os.environ, STORYTELLER_MODELS_DIR=str(tmp_path / "empty"), STORYTELLER_THREADS="1",
               PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "storyteller", "generate", "--prompt", "옛날 옛적에", "--length", "20", "--seed", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (
        "small embedded demo model" in done.stderr and "storyteller models download skt/kogpt2-base-v2" in done.stderr
    )
    assert done.stdout.startswith("옛날 옛적에") and len(done.stdout.strip()) > len("옛날 옛적에")


def test_a_finished_run_keeps_its_model_and_drops_its_checkpoints_when_asked(dataset, tmp_path, store_env):
    progress = []
    final = train(config(dataset, tmp_path / "out", logging_steps=50, drop_checkpoints=True),
                  progress=progress.append)
    assert not (tmp_path / "out" / "checkpoints").exists() and final.is_dir()
    # A short run logs every step whatever --logging_steps says, so its loss curve has a shape.
    assert len({p.step for p in progress if p.loss is not None}) == 8
    entry = ModelStore(store_env).import_folder(final, name="my-style")
    assert entry.license == ModelStore(store_env).get(DEMO_MODEL_NAME).license  # inherited from the base


def test_the_leftovers_of_a_stopped_run_are_listed_and_removed(dataset, tmp_path, store_env):
    import threading

    from storyteller.engine.training.trainer import TrainingCancelled, remove_training_leftovers, training_leftovers

    root, cancel = tmp_path / "runs", threading.Event()
    with pytest.raises(TrainingCancelled):
        train(config(dataset, root / "stopped"), progress=lambda p: p.step >= 2 and cancel.set(), cancel=cancel)
    [leftover] = training_leftovers(root)
    assert leftover.folder == root / "stopped" and leftover.size_bytes > 1_000_000
    assert remove_training_leftovers(root) == leftover.size_bytes and training_leftovers(root) == []


def test_a_finished_run_keeps_its_checkpoints_by_default_so_resume_can_train_on(dataset, tmp_path, store_env):
    train(config(dataset, tmp_path / "out", max_steps=4))
    assert list((tmp_path / "out" / "checkpoints").glob("checkpoint-*"))
    train(config(dataset, tmp_path / "out", max_steps=8, resume=True))  # more steps, from the last checkpoint
    with pytest.raises(TrainingError, match="was started for 8 steps, but these options make 6"):
        train(config(dataset, tmp_path / "out", max_steps=6, resume=True))  # fewer than done: it would train none


@pytest.mark.parametrize("field", ["per_device_train_batch_size", "gradient_accumulation_steps"])
def test_a_zero_batch_is_refused_with_a_message_not_a_division_by_zero(dataset, tmp_path, field):
    from storyteller.engine.core.errors import SettingError

    with pytest.raises(SettingError, match=f"{field} must be between 1 and 4096"):
        config(dataset, tmp_path / "out", **{field: 0})
