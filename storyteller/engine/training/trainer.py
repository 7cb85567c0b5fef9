"""Fine-tuning a GPT-2-family model on a writer's texts, or training a small one from scratch.

Built on transformers' Trainer (optimizer, schedule, accumulation, checkpoints and resume come
from it); this module adds what a writer needs around it: readable data errors, progress for the
terminal and the GUI, and an output folder that is a complete, registered model with a card.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from storyteller.engine.core import paths
from storyteller.engine.core.errors import TrainingCancelled, TrainingError, tr
from storyteller.engine.models.store import TRAINING_RECORD
from storyteller.engine.models.tokenizer import load_tokenizer
from storyteller.engine.settings.generation import SEED_DEFAULTS
from storyteller.engine.settings.training import SCRATCH, TrainConfig
from storyteller.engine.training.data import MixtureStream, held_out_blocks, is_mixture, load_mixture, pack

CHECKPOINTS = "checkpoints"
MIN_BLOCKS = 2  # a dataset must fill at least this many training blocks
MIN_LOGGED_POINTS = 25  # a short run logs more often, so that its loss curve still has a shape


@dataclass(frozen=True)
class TrainProgress:
    step: int
    max_steps: int
    epoch: float | None  # None for a streamed mixture: it has no epochs
    loss: float | None
    eval_perplexity: float | None
    seconds_elapsed: float
    seconds_left: float | None

    def describe(self) -> str:
        parts = [f"step {self.step}/{self.max_steps}"] + ([f"epoch {self.epoch:.2f}"] if self.epoch is not None else [])
        if self.loss is not None:
            parts.append(f"loss {self.loss:.3f}")
        if self.eval_perplexity is not None:
            parts.append(f"eval perplexity {self.eval_perplexity:.1f}")
        if self.seconds_left is not None:
            parts.append(f"about {_duration(self.seconds_left)} left")
        return ", ".join(parts)


# -- data -----------------------------------------------------------------------------------------


def read_documents(path: Path) -> list[str]:
    """The texts to train on: a .txt file (one paragraph per line), a folder of .txt files, or a
    saved story. Each file is one document."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.txt") if p.is_file())
        if not files:
            raise TrainingError(tr("The folder {folder} has no .txt files to train on."), folder=path)
        return [_read_text(f) for f in files]
    if not path.is_file():
        raise TrainingError(tr("The dataset {path} does not exist."), path=path)
    if path.name.endswith(".story.json"):
        from storyteller.engine.story.file import load_story

        return [load_story(path).plain_text()]
    return [_read_text(path)]


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TrainingError(
            tr(
                "{path} is not UTF-8 text (invalid byte at position {position}). "
                "Save it as UTF-8 (e.g. in a text editor's 'Save as' dialog) and try again."
            ),
            path=path, position=error.start,
        ) from None
    paragraphs = [line.strip() for line in text.splitlines()]
    return "\n".join(p for p in paragraphs if p)


def tokenize_blocks(documents: list[str], tokenizer, block_size: int) -> list[list[int]]:
    """Documents packed into equal blocks as a mixture is (training_data.pack), read whole so that
    a dataset too small to train on is said so before training starts."""
    texts = [document for document in documents if document.strip()]
    if not texts:
        raise TrainingError(tr("The dataset is empty: it has no text to train on."))
    blocks = list(pack(texts, tokenizer, block_size))
    if len(blocks) < MIN_BLOCKS:
        tokens = sum(len(tokenizer.encode(text)) + 1 for text in texts)  # small: counted only to say so
        raise TrainingError(
            tr(
                "The dataset is too small: {tokens} tokens, but training needs at least {needed} "
                "(two blocks of --block_size {block_size}). Add text or lower --block_size."
            ),
            tokens=tokens, needed=MIN_BLOCKS * block_size, block_size=block_size,
        )
    return blocks


def split_blocks(blocks: list[list[int]], eval_fraction: float, seed: int):
    if not 0 <= eval_fraction < 1:
        raise TrainingError(tr("--eval_fraction must be at least 0 and below 1, not {value}."), value=eval_fraction)
    order = list(range(len(blocks)))
    random.Random(seed).shuffle(order)
    # A small dataset still holds one block out, so that every run can report its perplexity.
    held = max(1, round(len(blocks) * eval_fraction)) if eval_fraction else 0
    held = min(held, len(blocks) - 1)
    return [blocks[i] for i in order[held:]], [blocks[i] for i in order[:held]]


class _BlockDataset(torch.utils.data.Dataset):
    def __init__(self, blocks):
        self.blocks = blocks

    def __len__(self):
        return len(self.blocks)

    def __getitem__(self, index):
        ids = torch.tensor(self.blocks[index])
        return {"input_ids": ids, "labels": ids.clone()}


# -- model ----------------------------------------------------------------------------------------


def _base_model(config: TrainConfig):
    """(model, tokenizer, base description, base license)."""
    from transformers import GPT2Config, GPT2LMHeadModel

    if config.model == SCRATCH:
        if not config.tokenizer:
            raise TrainingError(tr("Training from scratch needs --tokenizer FOLDER (a folder with tokenizer.json)."))
        tokenizer = load_tokenizer(Path(config.tokenizer))
        if config.block_size > config.n_positions:
            raise TrainingError(
                tr("--block_size {block_size} exceeds --n_positions {n_positions}."),
                block_size=config.block_size, n_positions=config.n_positions,
            )
        gpt2 = GPT2Config(
            vocab_size=len(tokenizer), n_positions=config.n_positions, n_embd=config.n_embd,
            n_layer=config.n_layer, n_head=config.n_head, bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True,
        )
        torch.manual_seed(config.seed)
        return GPT2LMHeadModel(gpt2), tokenizer, "trained from scratch", None, Path(config.tokenizer)
    from storyteller.engine.models.loading import open_model

    # Loaded on the CPU in float32 (the precision training keeps its weights in); the Trainer
    # moves it to the training device.
    entry, loaded = open_model(config.model, "cpu", runtime="torch")  # training needs gradients
    model, tokenizer, positions = loaded.model, loaded.tokenizer, loaded.n_positions
    if config.block_size > positions:
        raise TrainingError(
            tr("--block_size {block_size} exceeds the model's context of {positions} tokens."),
            block_size=config.block_size, positions=positions,
        )
    return model, tokenizer, f"fine-tuned from {entry.name}", entry.license, entry.path


# -- training -------------------------------------------------------------------------------------


def train(config: TrainConfig, progress: Callable[[TrainProgress], None] | None = None, cancel=None) -> Path:
    """Train and write a complete model folder into `config.output_dir`; returns it.

    `cancel` (a threading.Event) stops at the next step; a checkpoint is written so that
    `resume=True` continues from there.
    """
    from transformers import Trainer, TrainerCallback, TrainingArguments
    from transformers.trainer_callback import PrinterCallback

    output = Path(config.output_dir)
    checkpoints = output / CHECKPOINTS
    _prepare_output(output, config)
    model, tokenizer, base_description, base_license, tokenizer_source = _base_model(config)
    data = _training_data(config, tokenizer)
    max_steps = _max_steps(config, data.streamed)
    eval_blocks = data.eval_blocks

    device = _training_device(config.device)
    logging_steps = _logging_steps(config, max_steps, len(data.train) if not data.streamed else 0)
    eval_steps = logging_steps * 5
    stopping_early = config.early_stopping_patience > 0 and bool(eval_blocks)
    arguments = TrainingArguments(
        output_dir=str(checkpoints),
        per_device_train_batch_size=config.per_device_train_batch_size,
        per_device_eval_batch_size=config.per_device_train_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        num_train_epochs=config.num_train_epochs,
        max_steps=max_steps,
        # Early stopping keeps the best evaluated weights, so it saves at every evaluation.
        save_steps=eval_steps if stopping_early else config.save_steps,
        save_total_limit=config.save_total_limit,
        logging_steps=logging_steps,
        eval_strategy="steps" if eval_blocks else "no",
        eval_steps=eval_steps if eval_blocks else None,
        load_best_model_at_end=stopping_early,
        metric_for_best_model="eval_loss" if stopping_early else None,
        greater_is_better=False if stopping_early else None,
        learning_rate=config.learning_rate,
        lr_scheduler_type=config.lr_scheduler_type,
        warmup_steps=config.warmup_steps,
        weight_decay=config.weight_decay,
        adam_epsilon=config.adam_epsilon,
        max_grad_norm=config.max_grad_norm,
        seed=config.seed,
        data_seed=config.seed,
        use_cpu=device == "cpu",
        bf16=_use_bf16(config.precision, device),
        report_to="none",
        disable_tqdm=True,
        dataloader_num_workers=0,
    )
    started = time.monotonic()
    last = {"loss": None, "eval_perplexity": None}

    class Report(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            logs = logs or {}
            if "loss" in logs:
                last["loss"] = float(logs["loss"])
            if "eval_loss" in logs:
                last["eval_perplexity"] = _perplexity(logs["eval_loss"])
            if progress:
                elapsed = time.monotonic() - started
                done = max(state.global_step - _resumed_from, 0)
                left = (state.max_steps - state.global_step) * elapsed / done if done else None
                epoch = None if data.streamed else state.epoch or 0.0
                progress(TrainProgress(state.global_step, state.max_steps, epoch,
                                       last["loss"], last["eval_perplexity"], elapsed, left))

        def on_step_end(self, args, state, control, **kwargs):
            if cancel is not None and cancel.is_set():
                control.should_save = True
                control.should_training_stop = True

    resume_from = _last_checkpoint(checkpoints) if config.resume else None
    if resume_from:
        _check_same_length(resume_from, max_steps)
    _resumed_from = int(resume_from.name.split("-")[-1]) if resume_from else 0
    callbacks = [Report()]
    if stopping_early:
        from transformers import EarlyStoppingCallback

        callbacks.append(EarlyStoppingCallback(early_stopping_patience=config.early_stopping_patience))
    trainer = Trainer(
        model=model,
        args=arguments,
        train_dataset=data.train,
        eval_dataset=_BlockDataset(eval_blocks) if eval_blocks else None,
        callbacks=callbacks,
    )
    trainer.remove_callback(PrinterCallback)  # progress goes through `progress` instead
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled(
            tr("Training stopped; continue it with --resume (checkpoints in {folder})."), folder=checkpoints
        )
    eval_perplexity = _perplexity(trainer.evaluate()["eval_loss"]) if eval_blocks else None
    final = _write_model(output, trainer.model, tokenizer_source, config)
    _write_card(final, config, base_description, base_license, data, eval_perplexity, trainer.state.global_step)
    if config.drop_checkpoints:  # the model is written: ~100 MB of optimizer state is only for --resume
        shutil.rmtree(checkpoints, ignore_errors=True)
    return final


@dataclass
class _TrainingData:
    train: torch.utils.data.Dataset
    eval_blocks: list[list[int]]
    streamed: bool
    description: str
    train_blocks: int | None = None  # None: streamed, no count in advance
    unmeasured: tuple[str, ...] = ()  # sources whose held-out text is shorter than one block


def _training_data(config: TrainConfig, tokenizer) -> _TrainingData:
    """A file, folder or story read whole and split by block; or a mixture streamed, with its
    sources' held-out files as the evaluation set."""
    path = Path(config.dataset_path)
    if is_mixture(path):
        mixture = load_mixture(path)
        held_out = held_out_blocks(mixture, tokenizer, config.block_size)
        stream = MixtureStream(mixture, tokenizer, config.block_size, config.seed)
        short = tuple(s.name for s in mixture.sources if s.held_out is not None and s.name not in held_out)
        return _TrainingData(stream, [b for blocks in held_out.values() for b in blocks], True, mixture.describe(),
                             unmeasured=short)
    blocks = tokenize_blocks(read_documents(path), tokenizer, config.block_size)
    train_blocks, eval_blocks = split_blocks(blocks, config.eval_fraction, config.seed)
    return _TrainingData(_BlockDataset(train_blocks), eval_blocks, False, str(path), len(train_blocks))


def _max_steps(config: TrainConfig, streamed: bool) -> int:
    """Optimizer steps from --max_steps or the token budget (--max_tokens); -1: by epochs."""
    if config.max_tokens and config.max_steps > 0:
        raise TrainingError(tr("Give --max_tokens or --max_steps, not both."))
    if config.max_tokens:
        per_step = config.per_device_train_batch_size * config.gradient_accumulation_steps * config.block_size
        return max(1, math.ceil(config.max_tokens / per_step))
    if streamed and config.max_steps <= 0:
        raise TrainingError(
            tr("A data mixture is read as a stream, without epochs: give a token budget with --max_tokens "
               "(or --max_steps).")
        )
    return config.max_steps


def _use_bf16(precision: str, device: str) -> bool:
    """bf16 autocast: on a GPU that has it when "auto"; on the CPU only when asked (it trains about
    1.3x faster on a CPU with bf16 instructions, fp32 master weights either way)."""
    if precision == "bf16":
        return True
    return precision == "auto" and device == "cuda" and torch.cuda.is_bf16_supported()


def _logging_steps(config: TrainConfig, max_steps: int, train_blocks: int) -> int:
    """config.logging_steps, lowered on short runs to log at least MIN_LOGGED_POINTS times."""
    if max_steps > 0:
        total = max_steps
    else:
        per_epoch = math.ceil(train_blocks / (config.per_device_train_batch_size * config.gradient_accumulation_steps))
        total = math.ceil(per_epoch * config.num_train_epochs)
    return max(1, min(config.logging_steps, total // MIN_LOGGED_POINTS))


def _training_device(choice: str) -> str:
    from storyteller.engine.core.device import pick_device

    return pick_device(choice).name


def _prepare_output(output: Path, config: TrainConfig) -> None:
    if output.exists() and any(output.iterdir()) and not (config.resume or config.overwrite_output_dir):
        raise TrainingError(
            tr(
                "{folder} already holds files. Use --resume to continue that training, "
                "--overwrite_output_dir to start over, or choose another --output_dir."
            ),
            folder=output,
        )
    if config.overwrite_output_dir and not config.resume and output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True, exist_ok=True)


def _last_checkpoint(checkpoints: Path) -> Path | None:
    from transformers.trainer_utils import get_last_checkpoint

    last = get_last_checkpoint(str(checkpoints)) if checkpoints.is_dir() else None
    if last is None:
        raise TrainingError(tr("There is nothing to resume: {folder} has no checkpoints yet."), folder=checkpoints)
    return Path(last)


def _check_same_length(checkpoint: Path, max_steps: int) -> None:
    """A run stopped part-way resumes with its length: with another budget the Trainer would silently
    bend its learning-rate schedule and the card would record a length it never had. A finished run
    may train on for more steps, not fewer than it has done. (Checked where the length is a number of
    steps, as a token budget gives it; a run by epochs is not.)"""
    path = checkpoint / "trainer_state.json"
    state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    started, done = state.get("max_steps", -1), state.get("global_step", 0)
    stopped_part_way = 0 < done < started and started != max_steps
    if max_steps > 0 and (stopped_part_way or max_steps < done):
        raise TrainingError(
            tr(
                "The training in {folder} was started for {started} steps, but these options make {steps}. "
                "Resume it with the options it was started with (the same --max_tokens or --max_steps, "
                "--per_device_train_batch_size, --gradient_accumulation_steps and --block_size), or start anew "
                "in another --output_dir."
            ),
            folder=checkpoint.parent.parent, started=started, steps=max_steps,
        )


def _write_model(output: Path, model, tokenizer_source: Path, config: TrainConfig) -> Path:
    """The loadable model: weights, config, tokenizer and generation defaults in `output/model`."""
    from transformers import GenerationConfig

    final = output / "model"
    if final.exists():
        shutil.rmtree(final)
    model = model.to("cpu")
    if config.half_precision_output:
        model = model.half()
    seed = SEED_DEFAULTS
    model.generation_config = GenerationConfig(
        do_sample=True, top_k=seed.top_k, top_p=seed.top_p, temperature=seed.temperature,
        repetition_penalty=seed.repetition_penalty, max_new_tokens=seed.max_new_tokens,
        bos_token_id=model.config.bos_token_id, eos_token_id=model.config.eos_token_id,
        pad_token_id=model.config.pad_token_id,
    )
    model.save_pretrained(final)
    for name in ("tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"):
        if (tokenizer_source / name).is_file():
            shutil.copy(tokenizer_source / name, final / name)
    for license_file in tokenizer_source.glob("LICENSE*"):
        shutil.copy(license_file, final / license_file.name)
    return final


def _write_card(final: Path, config: TrainConfig, base: str, base_license: str | None, data: _TrainingData,
                eval_perplexity: float | None, steps: int) -> None:
    license_text = config.license or base_license or "unknown — check the licenses of the base model and the data"
    parameters = {k: v for k, v in asdict(config).items() if k not in ("extra_card",)}
    per_step = config.per_device_train_batch_size * config.gradient_accumulation_steps * config.block_size
    read = (f"{steps * per_step:,} tokens streamed in blocks of {config.block_size}" if data.streamed
            else f"{data.train_blocks} blocks of {config.block_size} tokens")
    lines = [
        f"# {config.name or Path(config.output_dir).name}",
        "",
        f"A GPT-2-family model {base}, made with `storyteller train`.",
        "",
        f"- Data: {config.data_description or data.description}",
        f"- Training: {read}, {steps} optimizer steps",
        f"- Held-out perplexity: {eval_perplexity:.2f} on {len(data.eval_blocks)} blocks"
        + (f" (not of {', '.join(data.unmeasured)}: held-out text shorter than one block)" if data.unmeasured else "")
        if eval_perplexity else
        ("- Held-out perplexity: not measured (the mixture names no held_out files)" if data.streamed
         else "- Held-out perplexity: not measured (--eval_fraction 0)"),
        f"- License: {license_text}",
        "",
    ]
    for heading, body in config.extra_card.items():
        lines += [f"## {heading}", "", body.rstrip(), ""]
    lines += ["## Parameters", "", "```json", json.dumps(parameters, ensure_ascii=False, indent=2), "```", ""]
    (final / "README.md").write_text("\n".join(lines), encoding="utf-8")
    (final / TRAINING_RECORD).write_text(
        json.dumps({"parameters": parameters, "eval_perplexity": eval_perplexity,
                    "license": config.license or base_license,  # None: unknown
                    "base": base, "steps": steps}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )


# -- what runs leave behind -----------------------------------------------------------------------


def app_training_dir() -> Path:
    """Where the app's fine-tune dialog trains; a run's folder is removed once its model is in the store."""
    return paths.data_dir() / "training"


@dataclass(frozen=True)
class Leftover:
    """The folder of a run that did not finish (stopped, failed, or from an older version)."""

    folder: Path
    size_bytes: int


def training_leftovers(root: Path | None = None) -> list[Leftover]:
    """The run folders under `root` (default: the app's), with their sizes on disk."""
    root = Path(root) if root is not None else app_training_dir()
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(child for child in root.iterdir() if child.is_dir()):
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
        found.append(Leftover(folder, size))
    return found


def remove_training_leftovers(root: Path | None = None) -> int:
    """Delete the run folders under `root` (default: the app's); returns the bytes freed."""
    freed = 0
    for leftover in training_leftovers(root):
        shutil.rmtree(leftover.folder, ignore_errors=True)
        if not leftover.folder.exists():
            freed += leftover.size_bytes
    return freed


def _perplexity(loss: float) -> float:
    return math.exp(min(float(loss), 50.0))


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"
