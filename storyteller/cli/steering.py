"""Steering from the command line: `generate --steer-…` flags, `topics`, `mood` and `train-head`."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from storyteller.cli.common import add_setting_flags, given_settings, open_model
from storyteller.engine.core.device import DEVICE_CHOICES
from storyteller.engine.settings.schema import settings_of
from storyteller.engine.settings.steering import SteeringSettings


def add_steering_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("steering (see `storyteller topics`)")
    add_setting_flags(group, settings_of(SteeringSettings))


def steering_from_args(args, base: SteeringSettings | None = None) -> SteeringSettings:
    """The story's steering (or none) with the flags' changes on top; a topic given without a
    strength gets 0.5."""
    base = base or SteeringSettings()
    steering = base.replace(**given_settings(args, settings_of(SteeringSettings)))
    if args.topic_strength is None and (args.topics or args.words) and not base.topic_strength:
        steering = steering.replace(topic_strength=0.5)
    return steering


def add_parsers(commands) -> None:
    topics = commands.add_parser("topics", help="list the topic word lists steering can use")
    topics.set_defaults(run=run_topics)
    mood = commands.add_parser("mood", help="how bright or dark a text reads (the mood meter)")
    mood.set_defaults(run=run_mood)
    mood.add_argument("text", nargs="?", help="text, or a .story.json / .txt file (default: standard input)")
    mood.add_argument("--model", help="installed model name or folder")
    mood.add_argument("--device", default="auto", choices=DEVICE_CHOICES)
    head = commands.add_parser("train-head", help="train the mood head (PPLM mood steering, mood meter) for a model")
    head.set_defaults(run=run_train_head)
    head.add_argument("--model", help="installed model name or folder")
    head.add_argument(
        "--reviews", help="labelled reviews, NSMC format id<TAB>text<TAB>label (default: the shipped sample)"
    )
    head.add_argument(
        "--output", help="folder for mood_head.safetensors (default: beside the model, or the data folder)"
    )
    head.add_argument("--epochs", type=int, default=300)
    head.add_argument("--device", default="auto", choices=DEVICE_CHOICES)


def run_topics(args) -> int:
    from storyteller.engine.steering.topics import read_topic_lists, user_topics_dir

    lists, problems = read_topic_lists()
    for topic in lists.values():
        where = "" if topic.builtin else "  (yours)"
        print(f"{topic.id:14} {topic.name} / {topic.name_en}: {len(topic.words)} words{where}")
    for error in problems.values():
        print(f"storyteller: {error}", file=sys.stderr)
    print(f"\nAdd your own lists as .txt files (one word per line) in {user_topics_dir()}", file=sys.stderr)
    return 0


def run_mood(args) -> int:
    from storyteller.engine.steering.mood import load_head, story_mood

    text = args.text if args.text is not None else sys.stdin.read()
    path = Path(text) if len(text) < 4096 and "\n" not in text else None
    if path is not None and path.is_file():
        if path.name.endswith(".story.json"):
            from storyteller.engine.story.file import load_story

            text = load_story(path).text()
        else:
            text = path.read_text(encoding="utf-8")
    _, loaded = open_model(args.model, args.device)
    bright = story_mood(loaded, load_head(loaded), text)
    print(f"{bright:.3f}  ({'bright' if bright >= 0.5 else 'dark'}; 0 = dark, 1 = bright)")
    return 0


def run_train_head(args) -> int:
    from storyteller.engine.core.paths import cache_dir
    from storyteller.engine.steering.mood import default_reviews, train_head, user_heads_dir

    entry, loaded = open_model(args.model, args.device)
    output = Path(args.output) if args.output else (user_heads_dir(loaded.path) if entry.builtin else Path(entry.path))
    reviews = Path(args.reviews) if args.reviews else default_reviews()

    def progress(stage: str, done: int, total: int) -> None:
        if done == total or done % max(1, total // 10) == 0:
            print(f"{stage}: {done}/{total}", file=sys.stderr, flush=True)

    card = train_head(
        loaded,
        reviews,
        output,
        epochs=args.epochs,
        cache_dir=cache_dir() / "features",
        progress=progress,
        cancel=threading.Event(),
    )
    accuracy = card["accuracy"]
    print(
        f"Mood head written to {output} "
        f"(accuracy: {accuracy['held_out']:.1%} held out, {accuracy['train']:.1%} train).",
        file=sys.stderr,
    )
    return 0
