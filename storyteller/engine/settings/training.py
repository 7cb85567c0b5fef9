"""What a training run is asked to do: the declared, validated options of `storyteller train` and
the fine-tune dialog (plain data, no torch; training.py does the work)."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyteller.engine.core.device import DEVICE_CHOICES
from storyteller.engine.core.errors import tr
from storyteller.engine.settings.schema import check_fields, setting

SCRATCH = "scratch"
LR_SCHEDULES = ("linear", "cosine", "constant_with_warmup")  # names transformers' Trainer takes
PRECISIONS = ("auto", "fp32", "bf16")


@dataclass
class TrainConfig:
    dataset_path: str = setting(
        kind=str,
        help="a .txt file (one paragraph per line), a folder of .txt files, a .story.json file, or a data "
        "mixture .json (sources streamed by weight, with held-out files; see engine/training/data.py)",
    )
    output_dir: str = setting(kind=str, help="where checkpoints and the finished model go")
    model: str = setting(
        "kogpt2-base-v2",
        str,
        help=f"base model: an installed name or a folder, or '{SCRATCH}' to train a new small model",
    )
    name: str | None = setting(
        None, str, help="name of the result in the model store (default: the output folder's name)"
    )
    overwrite_output_dir: bool = setting(False, bool)
    drop_checkpoints: bool = setting(
        False, bool, help="delete the checkpoints once the run has finished (it cannot be continued with --resume then)"
    )
    per_device_train_batch_size: int = setting(4, int, 1, 4096)
    gradient_accumulation_steps: int = setting(1, int, 1, 4096)
    num_train_epochs: float = setting(
        3.0, float, 0.01, 1000.0, label=tr("Epochs"), help=tr("How many times to read through all the texts.")
    )
    max_steps: int = setting(-1, int)
    max_tokens: int = setting(
        0, int, 0, 10**13,
        help="token budget: train on this many tokens instead of by epochs (0: by epochs or --max_steps)",
    )
    save_steps: int = setting(500, int)
    save_total_limit: int = setting(2, int)
    logging_steps: int = setting(50, int)
    learning_rate: float = setting(
        5e-5, float, 1e-6, 1.0, label=tr("Learning rate"),
        help=tr("How far each step moves the model: higher learns faster and forgets more of what it knew."),
    )
    warmup_steps: int = setting(0, int)
    lr_scheduler_type: str = setting(
        "linear", str, choices=LR_SCHEDULES,
        help="how the learning rate falls after warm-up (cosine suits one long pass)",
    )
    weight_decay: float = setting(0.0, float)
    adam_epsilon: float = setting(1e-8, float)
    max_grad_norm: float = setting(1.0, float)
    block_size: int = setting(512, int, help="tokens per training example")
    eval_fraction: float = setting(0.05, float, help="share of the data held out to measure perplexity")
    seed: int = setting(42, int)
    resume: bool = setting(False, bool, help="continue from the last checkpoint in --output_dir")
    device: str = setting("auto", str, choices=DEVICE_CHOICES)
    precision: str = setting(
        "auto", str, choices=PRECISIONS,
        help="bf16 autocast: auto uses it on GPUs that have it; bf16 also on the CPU (about 1.3x faster there)",
    )
    early_stopping_patience: int = setting(
        0, int, 0, 1000,
        help="stop after this many evaluations without a lower held-out loss, keeping the best (0: off)",
    )
    # From scratch only: the tokenizer folder and the network's size.
    tokenizer: str | None = setting(None, str, help=f"with --model {SCRATCH}: folder holding tokenizer.json")
    n_layer: int = setting(4, int)
    n_embd: int = setting(128, int)
    n_head: int = setting(4, int)
    n_positions: int = setting(512, int)
    half_precision_output: bool = setting(False, bool, help="save the weights in fp16 (half the size)")
    license: str | None = setting(
        None, str, help="license of the result, for its model card (default: the base model's)"
    )
    data_description: str | None = setting(
        None, str, help="what the data is and where it comes from, for the model card"
    )
    extra_card: dict = field(default_factory=dict)  # more model-card fields, from code only

    def __post_init__(self):
        check_fields(self)
