"""The `storyteller` command: the desktop app when run bare, and subcommands for scripts."""

from __future__ import annotations

import argparse
import json
import sys
import threading

from storyteller import __version__
from storyteller.engine.errors import StorytellerError

COMMANDS = ("generate", "models", "train", "topics", "mood", "train-head", "-h", "--help", "--version")
# The seed project's generate script defaults; every other rule starts neutral (off).
CLI_DEFAULTS = {"top_k": 50, "top_p": 0.95, "temperature": 0.7, "repetition_penalty": 1.2, "length": 100}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storyteller",
        description="이야기꾼 — continue Korean stories with KoGPT2. Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"storyteller {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_generate_parser(commands)
    from storyteller.cli_models import add_models_parser
    from storyteller.cli_steer import add_steering_commands
    from storyteller.cli_train import add_train_parser

    add_models_parser(commands)
    add_train_parser(commands)
    add_steering_commands(commands)
    return parser


def _add_generate_parser(commands) -> None:
    gen = commands.add_parser("generate", help="continue a prompt and print the result")
    gen.add_argument("--model", help="installed model name or model folder (default: the default installed model)")
    gen.add_argument("--prompt", help="text to continue (default: read standard input)")
    gen.add_argument("--story", metavar="FILE", help="continue a saved .story.json and append the result to it")
    gen.add_argument("--dry-run", action="store_true", help="with --story: print the assembled context, generate nothing")
    gen.add_argument("--retry", action="store_true", help="with --story: rewrite the last continuation as a new version")
    gen.add_argument("--action", metavar="TEXT", help="with --story: add this player input first (adventure, chat)")
    gen.add_argument("--kind", choices=["do", "say", "story"], default="do", help="with --action: do, say or story")
    # Sampling flags: None means "not given", so a story's own settings can apply.
    for flag, kind, note in _SAMPLING_FLAGS:
        default = CLI_DEFAULTS.get(flag)
        gen.add_argument(f"--{flag}", type=kind, help=f"{note} (default {default if default is not None else 'off'})")
    gen.add_argument("--seed", type=int, help="fixed seed for a reproducible result")
    gen.add_argument("--greedy", action="store_true", default=None, help="always take the likeliest token")
    gen.add_argument("--stop", action="append", metavar="TEXT", help="stop at this text (repeatable)")
    gen.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"])
    from storyteller.cli_steer import add_steering_flags

    add_steering_flags(gen)
    output = gen.add_mutually_exclusive_group()
    output.add_argument("--stream", action="store_true", help="print the text as it is written")
    output.add_argument("--json", action="store_true", help="print text, token ids and timings as JSON")


# (flag, type, help); flag names are the seed script's where it had one.
_SAMPLING_FLAGS = [
    ("length", int, "new tokens at most"),
    ("min_length", int, "new tokens at least before the end of text"),
    ("temperature", float, "higher is more surprising"),
    ("top_k", int, "choose among the k likeliest tokens; 0 switches it off"),
    ("top_p", float, "choose within this probability mass; 1 switches it off"),
    ("typical_p", float, "typical sampling; 1 switches it off"),
    ("repetition_penalty", float, "1 switches it off"),
    ("repetition_penalty_range", int, "penalise the last N tokens only; 0: all"),
    ("repetition_penalty_slope", float, "penalise recent tokens more; 0: flat"),
    ("no_repeat_ngram_size", int, "never repeat n-grams of this size; 0: off"),
    ("num_return_sequences", int, "continuations to write"),
]
# Flag name -> GenerationSettings field.
_SETTING_OF = {"length": "max_new_tokens", "min_length": "min_new_tokens", "num_return_sequences": "num_candidates"}


def settings_from_args(args, base=None):
    """The settings the flags ask for, on top of `base` (a story's settings, or the CLI defaults)."""
    from storyteller.engine.settings import GenerationSettings

    if base is None:
        base = GenerationSettings(**{_SETTING_OF.get(k, k): v for k, v in CLI_DEFAULTS.items()})
    changes = {_SETTING_OF.get(flag, flag): getattr(args, flag) for flag, _, _ in _SAMPLING_FLAGS}
    changes.update(seed=args.seed, greedy=args.greedy, stop_strings=tuple(args.stop) if args.stop else None)
    return base.replace(**{k: v for k, v in changes.items() if v is not None})


def open_model(name_or_path: str | None, device: str, *, announce=print):
    """Resolve and load a model, saying on stderr when the small demo model stands in."""
    from storyteller.engine.model import load_model
    from storyteller.engine.store import DEMO_MODEL_NAME, ModelStore

    entry = ModelStore().resolve(name_or_path)
    if entry.name == DEMO_MODEL_NAME:
        announce(
            "Using the small embedded demo model: it writes rough Korean. For real stories get KoGPT2 with "
            "`storyteller models download skt/kogpt2-base-v2` (or import a folder with `storyteller models import PATH`)."
        )
    return entry, load_model(entry.path, device)


def _run_request(generator, request, stream: bool):
    """Run one request, echoing text as it comes with `stream`; None if interrupted (Ctrl+C)."""
    from storyteller.engine.requests import Finished, TextDelta

    try:
        for event in generator.stream(request, threading.Event()):
            if isinstance(event, TextDelta) and stream:
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, Finished):
                return event.result
    except KeyboardInterrupt:
        print("\nInterrupted: nothing was changed.", file=sys.stderr)
        return None


def _check_stream(args, settings) -> None:
    if args.stream and settings.num_candidates > 1:
        raise StorytellerError("--stream shows one continuation at a time; use --num_return_sequences 1 with it.")


def _announce(text: str) -> None:
    print(text, file=sys.stderr)


def run_generate(args) -> int:
    from storyteller.engine.generator import Generator
    from storyteller.engine.requests import GenerationRequest

    if args.story:
        return run_story(args)
    if args.dry_run or args.retry or args.action:
        raise StorytellerError("--dry-run, --retry and --action work on a story: add --story FILE.story.json.")
    settings = settings_from_args(args)
    _check_stream(args, settings)
    prompt = args.prompt if args.prompt is not None else sys.stdin.read()
    entry, loaded = open_model(args.model, args.device, announce=_announce)
    if args.stream:
        sys.stdout.write(prompt)
    from storyteller.cli_steer import steering_from_args

    steering = steering_from_args(args)
    request = GenerationRequest(prompt, settings, steering=steering if steering.active else None)
    result = _run_request(Generator(loaded), request, args.stream)
    if result is None:
        return 130
    if result.dropped_tokens:
        print(f"(The prompt was too long: its first {result.dropped_tokens} tokens were left out.)", file=sys.stderr)
    if args.json:
        json.dump({"model": entry.name, "prompt": prompt, **result.to_json()}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.stream:
        sys.stdout.write("\n")
    else:
        for index, text in enumerate(result.texts):
            if len(result.texts) > 1:
                print(f"=== {index + 1} ===")
            print(prompt + text)
    return 0


def run_story(args) -> int:
    """Continue a saved story through the context builder and append the result to its file."""
    from pathlib import Path

    from storyteller.engine.context import ContextBuilder
    from storyteller.engine.continuation import accept_continuation, plan_continuation
    from storyteller.engine.generator import Generator
    from storyteller.engine.history import History, InsertPiece
    from storyteller.engine.modes import InputKind, player_piece
    from storyteller.engine.storyfile import load_story, save_story

    if args.prompt is not None:
        raise StorytellerError("--prompt and --story do not go together: the story is the prompt.")
    path = Path(args.story)
    story = load_story(path)
    settings = settings_from_args(args, base=story.generation)
    _check_stream(args, settings)
    entry, loaded = open_model(args.model, args.device, announce=_announce)
    history = History(story)
    if args.action:
        history.do(InsertPiece(len(story.pieces), player_piece(story, args.action, InputKind(args.kind))))
    from storyteller.cli_steer import steering_from_args
    from storyteller.engine.steering import SteeringSettings

    steering = steering_from_args(args, base=SteeringSettings.from_json(story.steering))
    plan = plan_continuation(story, ContextBuilder(loaded.tokenizer, loaded.n_positions), retry=args.retry,
                             settings=settings, steering=steering)
    if args.dry_run:
        print(plan.context.describe())
        print("\n--- context sent to the model ---")
        print(plan.context.text)
        return 0
    result = _run_request(Generator(loaded), plan.request, args.stream)
    if result is None:
        return 130
    if args.stream:
        sys.stdout.write("\n")
    text = accept_continuation(story, history.do, plan, result)
    if not text:
        print("The model wrote nothing usable this time; the story is unchanged. Try again.", file=sys.stderr)
        return 1
    save_story(story, path)
    if args.json:
        json.dump({"model": entry.name, "story": str(path), "appended": text, **result.to_json()}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif not args.stream:
        print(text)
    print(f"Appended {len(text)} characters to {path}.", file=sys.stderr)
    return 0


def run_app(argv: list[str]) -> int:
    from storyteller.gui.app import run

    return run(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Anything but a command opens the app (`storyteller story.story.json`, `storyteller --self-test`);
    # decided before building the parser, which imports the training code and with it torch.
    if not argv or argv[0] not in COMMANDS:
        return run_app(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            return run_generate(args)
        if args.command == "train":
            from storyteller.cli_train import run_train

            return run_train(args)
        if args.command in ("topics", "mood", "train-head"):
            from storyteller import cli_steer

            return {"topics": cli_steer.run_topics, "mood": cli_steer.run_mood,
                    "train-head": cli_steer.run_train_head}[args.command](args)
        if args.command == "models":
            from storyteller.cli_models import run_models

            return run_models(args)
    except StorytellerError as error:
        print(f"storyteller: {error}", file=sys.stderr)
        return 2
    parser.print_help()
    return 0
