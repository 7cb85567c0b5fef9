"""The `storyteller` command: the desktop app when run bare, and subcommands for scripts.

Each command module adds its parser with `set_defaults(run=...)`; the parser is the one list of
commands. Building it imports no torch, so deciding "app or command" costs nothing.
"""

from __future__ import annotations

import argparse
import sys

from storyteller import __version__
from storyteller.cli import export, generate, models, scenarios, servers, steering, story, train
from storyteller.cli.common import message
from storyteller.engine.core.errors import StorytellerError

_TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storyteller",
        description="이야기꾼 — continue Korean stories with KoGPT2. Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"storyteller {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (generate, models, servers, train, scenarios, export, story):
        module.add_parser(commands)
    steering.add_parsers(commands)
    parser.set_defaults(commands=tuple(commands.choices))
    return parser


def run_app(argv: list[str]) -> int:
    from storyteller.gui.app import run

    return run(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    # Anything but a command opens the app (`storyteller story.story.json`, `storyteller --self-test`).
    if not argv or argv[0] not in parser.get_default("commands") + _TOP_LEVEL_OPTIONS:
        return run_app(argv)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except StorytellerError as error:
        print(f"storyteller: {message(error)}", file=sys.stderr)
        return 2
