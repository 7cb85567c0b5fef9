"""`storyteller train`: fine-tune a model on your texts (the seed project's flags, same names)."""

from __future__ import annotations

import argparse
import sys

from storyteller.cli.common import add_setting_flags, given_settings
from storyteller.engine.settings.schema import settings_of
from storyteller.engine.settings.training import TrainConfig


def add_parser(commands) -> None:
    parser = commands.add_parser("train", help="fine-tune a model on your texts")
    parser.set_defaults(run=run_train)
    add_setting_flags(parser, settings_of(TrainConfig))
    parser.add_argument("--no_register", action="store_true", help="do not add the result to the model store")


def run_train(args: argparse.Namespace) -> int:
    from storyteller.engine.models.store import ModelStore
    from storyteller.engine.training.trainer import train

    config = TrainConfig(**given_settings(args, settings_of(TrainConfig)))
    print(f"Training on {config.dataset_path} (base: {config.model}) …", file=sys.stderr)
    final = train(config, progress=lambda p: print(p.describe(), file=sys.stderr, flush=True))
    print(f"Model written to {final}", file=sys.stderr)
    if not args.no_register:
        entry = ModelStore().import_folder(final, name=config.name or final.parent.name)
        print(f"Added to the model store as '{entry.name}': use it with --model {entry.name}", file=sys.stderr)
    return 0
