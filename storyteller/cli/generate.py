"""`storyteller generate`: continue a prompt, or a saved story, and print the result."""

from __future__ import annotations

import json
import sys
import threading

from storyteller.cli.common import add_setting_flags, given_settings, message, open_model
from storyteller.cli.steering import add_steering_flags, steering_from_args
from storyteller.engine.core.device import DEVICE_CHOICES
from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.models.runtimes import RUNTIME_CHOICES
from storyteller.engine.settings.generation import SEED_DEFAULTS, GenerationSettings


def add_parser(commands) -> None:
    gen = commands.add_parser("generate", help="continue a prompt and print the result")
    gen.set_defaults(run=run_generate)
    gen.add_argument("--model", help="installed model name or model folder (default: the default installed model)")
    gen.add_argument("--prompt", help="text to continue (default: read standard input)")
    gen.add_argument("--story", metavar="FILE", help="continue a saved .story.json and append the result to it")
    gen.add_argument(
        "--dry-run", action="store_true", help="with --story: print the assembled context, generate nothing"
    )
    gen.add_argument(
        "--retry", action="store_true", help="with --story: rewrite the last continuation as a new version"
    )
    gen.add_argument("--action", metavar="TEXT", help="with --story: add this player input first (adventure, chat)")
    gen.add_argument("--kind", choices=["do", "say", "story"], default="do", help="with --action: do, say or story")
    add_setting_flags(gen.add_argument_group("sampling"), GenerationSettings.describe(), SEED_DEFAULTS)
    gen.add_argument("--device", default="auto", choices=DEVICE_CHOICES)
    gen.add_argument("--server", metavar="NAME", help="write on a server added with `storyteller servers add`")
    gen.add_argument(
        "--runtime", default="auto", choices=RUNTIME_CHOICES,
        help="auto: the int8 ONNX model on a CPU when `storyteller models optimize` made one, else PyTorch",
    )
    add_steering_flags(gen)
    output = gen.add_mutually_exclusive_group()
    output.add_argument("--stream", action="store_true", help="print the text as it is written")
    output.add_argument("--json", action="store_true", help="print text, token ids and timings as JSON")


def settings_from_args(args, base: GenerationSettings = SEED_DEFAULTS) -> GenerationSettings:
    """The settings the flags ask for, on top of `base` (a story's settings, or the seed defaults)."""
    return base.replace(**given_settings(args, GenerationSettings.describe()))


def _run_request(runner, request, stream: bool):
    """Run one request, echoing text as it comes with `stream`: (its result, None), or, when a server died
    mid-stream, (the result of what it wrote, the error), for the caller to keep as after a Stop and then
    report; (None, None) if interrupted (Ctrl+C)."""
    from storyteller.engine.decode.requests import Finished, TextDelta
    from storyteller.engine.servers.errors import ServerDied
    from storyteller.engine.story.continuation import stream_job

    try:
        for event in stream_job(runner, request, threading.Event()):  # a request or a continuation plan
            if isinstance(event, TextDelta) and stream:
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, Finished):
                return event.result, None
    except KeyboardInterrupt:
        print("\nInterrupted: nothing was changed.", file=sys.stderr)
        return None, None
    except ServerDied as died:  # what the server wrote before it broke off is the result, as after a Stop
        if died.result is None:
            raise
        return died.result, died
    raise AssertionError("the request ended without a result")


def _warn_ignored(args, runner, settings) -> None:
    """On a server: each setting of the request that it ignores (its declaration says so), on stderr."""
    if not args.server:
        return
    from storyteller.engine.servers.probing import ignored_in

    for item in ignored_in(runner.info, settings):
        value = getattr(settings, item.name)
        if item.name == "min_new_tokens" and not value:
            value = f"0 (at least {settings.least_new_tokens} tokens, half the length)"
        print(f"storyteller: warning: {runner.description} ignores --{item.cli_flag} {value}; the text is written "
              "without it.", file=sys.stderr)


def _tell_steering(result) -> None:
    """What steering did that the writer should know (PPLM's text fell apart, its time limit), on stderr."""
    from storyteller.engine.steering.report import steering_notes

    for note in steering_notes(result.steering):
        print(f"storyteller: {message(note)}", file=sys.stderr)


def _open_runner(args):
    """(name for the output, what runs requests, its tokenizer, its context size): the --server or the model."""
    from storyteller.engine.decode.generator import Generator
    from storyteller.engine.steering import steering_hooks

    if args.server:
        if args.model or args.device != "auto" or args.runtime != "auto":
            raise StorytellerError("--server runs on the server's model: leave out --model, --device and --runtime.")
        from storyteller.cli.servers import open_server

        label, server = open_server(args.server)
        return label, server, server.tokenizer, server.n_positions
    entry, loaded = open_model(args.model, args.device, args.runtime)
    return entry.name, Generator(loaded, steer=steering_hooks), loaded.tokenizer, loaded.n_positions


def _check_stream(args, settings) -> None:
    if args.stream and settings.num_candidates > 1:
        raise StorytellerError("--stream shows one continuation at a time; use --num_return_sequences 1 with it.")


def run_generate(args) -> int:
    from storyteller.engine.decode.requests import GenerationRequest

    if args.story:
        return run_story(args)
    if args.dry_run or args.retry or args.action:
        raise StorytellerError("--dry-run, --retry and --action work on a story: add --story FILE.story.json.")
    settings = settings_from_args(args)
    _check_stream(args, settings)
    prompt = args.prompt if args.prompt is not None else sys.stdin.read()
    name, runner, _, _ = _open_runner(args)
    if args.stream:
        sys.stdout.write(prompt)
    steering = steering_from_args(args)
    request = GenerationRequest(prompt, settings, steering=steering if steering.active else None)
    _warn_ignored(args, runner, settings)
    result, failure = _run_request(runner, request, args.stream)
    if result is None:
        return 130
    if result.dropped_tokens:
        print(f"(The prompt was too long: its first {result.dropped_tokens} tokens were left out.)", file=sys.stderr)
    _tell_steering(result)
    if args.json:
        json.dump({"model": name, "prompt": prompt, **result.to_json(), **_error_json(failure)}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.stream:
        sys.stdout.write("\n")  # the text is out already, as it came
    else:
        for index, text in enumerate(result.texts):
            if len(result.texts) > 1:
                print(f"=== {index + 1} ===")
            print(prompt + text)
    return _failed(failure)


def _error_json(failure) -> dict:
    """--json's report of a server that broke off: the result holds what it wrote, this says why it ended."""
    return {"error": message(failure)} if failure is not None else {}


def _failed(failure) -> int:
    """The exit code, saying on stderr why the text ended early (a server broke off) if it did."""
    if failure is None:
        return 0
    print(f"storyteller: {message(failure)}", file=sys.stderr)
    return 2


def run_story(args) -> int:
    """Continue a saved story through the context builder and append the result to its file."""
    from pathlib import Path

    from storyteller.engine.story.context import ContextBuilder
    from storyteller.engine.story.continuation import accept_continuation, plan_continuation
    from storyteller.engine.story.file import load_story, save_story
    from storyteller.engine.story.history import History, InsertPiece
    from storyteller.engine.story.modes import InputKind, player_piece, turn_settings

    if args.prompt is not None:
        raise StorytellerError("--prompt and --story do not go together: the story is the prompt.")
    path = Path(args.story)
    story = load_story(path)
    settings = settings_from_args(args, base=turn_settings(story))  # a play or chat turn's own length
    _check_stream(args, settings)
    name, runner, tokenizer, n_positions = _open_runner(args)
    history = History(story)
    if args.action:
        history.do(InsertPiece(len(story.pieces), player_piece(story, args.action, InputKind(args.kind))))
    steering = steering_from_args(args, base=story.steering)
    plan = plan_continuation(story, ContextBuilder(tokenizer, n_positions), retry=args.retry,
                             settings=settings, steering=steering)
    if args.dry_run:
        print(plan.context.describe())
        print("\n--- context sent to the model ---")
        print(plan.context.text)
        return 0
    _warn_ignored(args, runner, plan.request.settings)
    result, failure = _run_request(runner, plan, args.stream)
    if result is None:
        return 130
    if args.stream:
        sys.stdout.write("\n")
    _tell_steering(result)
    text = accept_continuation(story, history.do, plan, result)  # a server's text before it broke off too
    if text:
        save_story(story, path)
    if args.json:
        json.dump({"model": name, "story": str(path), "appended": text, **result.to_json(), **_error_json(failure)},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif text and not args.stream:
        print(text)
    if text:
        print(f"Appended {len(text)} characters to {path}.", file=sys.stderr)
    elif failure is None:
        print("The model wrote nothing usable this time; the story is unchanged. Try again.", file=sys.stderr)
        return 1
    else:
        print("Nothing usable was written before that; the story is unchanged.", file=sys.stderr)
    return _failed(failure)
