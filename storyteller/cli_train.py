"""`storyteller train`: fine-tune a model on your texts (the seed project's flags, same names)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields

from storyteller.engine.training import SCRATCH, TrainConfig

_HELP = {
    "dataset_path": "a .txt file (one paragraph per line), a folder of .txt files, or a .story.json file",
    "output_dir": "where checkpoints and the finished model go",
    "model": f"base model: an installed name or a folder, or '{SCRATCH}' to train a new small model",
    "name": "name of the result in the model store (default: the output folder's name)",
    "block_size": "tokens per training example",
    "eval_fraction": "share of the data held out to measure perplexity",
    "resume": "continue from the last checkpoint in --output_dir",
    "tokenizer": f"with --model {SCRATCH}: folder holding tokenizer.json",
    "half_precision_output": "save the weights in fp16 (half the size)",
    "license": "license of the result, for its model card (default: the base model's)",
    "data_description": "what the data is and where it comes from, for the model card",
}
_SKIP = {"extra_card"}


def add_train_parser(commands) -> None:
    parser = commands.add_parser("train", help="fine-tune a model on your texts")
    for spec in fields(TrainConfig):
        if spec.name in _SKIP:
            continue
        flag = f"--{spec.name}"
        if spec.type in ("bool", bool):
            parser.add_argument(flag, action="store_true", help=_HELP.get(spec.name))
            continue
        kind = {"int": int, "float": float}.get(str(spec.type), str)
        required = spec.name in ("dataset_path", "output_dir")
        default = None if required else spec.default
        parser.add_argument(flag, type=kind, default=default, required=required,
                            help=(_HELP.get(spec.name, "") + (f" ({default})" if default not in (None, "") else "")).strip())
    parser.add_argument("--no_register", action="store_true", help="do not add the result to the model store")


def run_train(args: argparse.Namespace) -> int:
    from storyteller.engine.store import ModelStore
    from storyteller.engine.training import train

    config = TrainConfig(**{f.name: getattr(args, f.name) for f in fields(TrainConfig) if f.name not in _SKIP})
    print(f"Training on {config.dataset_path} (base: {config.model}) …", file=sys.stderr)
    final = train(config, progress=lambda p: print(p.describe(), file=sys.stderr, flush=True))
    print(f"Model written to {final}", file=sys.stderr)
    if not args.no_register:
        entry = ModelStore().import_folder(final, name=config.name or final.parent.name)
        print(f"Added to the model store as '{entry.name}': use it with --model {entry.name}", file=sys.stderr)
    return 0
