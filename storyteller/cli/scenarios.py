"""Scenarios from the command line: `scenario list | new | save | import`."""

from __future__ import annotations

import sys
from pathlib import Path

from storyteller.cli.story import refuse_to_replace
from storyteller.engine.core.errors import StorytellerError


def add_parser(commands) -> None:
    scenario = commands.add_parser("scenario", help="story templates: list them, start a story from one, make one")
    actions = scenario.add_subparsers(dest="scenario_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the shipped scenarios and yours, with their placeholders")
    listing.set_defaults(run=run_list)
    new = actions.add_parser("new", help="start a story from a scenario")
    new.add_argument("scenario", help="a scenario's name (see `scenario list`) or a file: .scenario.json, a NovelAI "
                                      ".scenario, a KoboldAI Lite .json")
    new.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                     help="a placeholder's value, e.g. --set 주인공=민수 (repeatable)")
    new.add_argument("-o", "--output", required=True, help="the new story file (.story.json)")
    new.add_argument("--force", action="store_true", help="replace the output file if it exists")
    new.set_defaults(run=run_new)
    save = actions.add_parser("save", help="save a story as a scenario (its text becomes the opening)")
    save.add_argument("story", help="a .story.json file")
    save.add_argument("--title", default="", help="the scenario's title (default: the story's)")
    save.add_argument("--description", default="")
    save.add_argument("-o", "--output", help="the scenario file (default: your scenarios folder)")
    save.set_defaults(run=run_save)
    imported = actions.add_parser("import", help="convert a NovelAI .scenario or a KoboldAI Lite scenario/save")
    imported.add_argument("file")
    imported.add_argument("-o", "--output", help="the scenario file (default: a new file in your scenarios folder)")
    imported.add_argument("--force", action="store_true", help="replace the output file if it exists")
    imported.set_defaults(run=run_import)


def run_list(args) -> int:
    from storyteller.engine.story.scenarios import library

    found = library()
    for scenario in found.scenarios:
        where = "" if scenario.shipped else "  (yours)"
        print(f"{scenario.key:20} {scenario.title} [{scenario.story.mode.value}]{where}")
        for placeholder in scenario.placeholders:
            default = f" (default {placeholder.default})" if placeholder.default else ""
            print(f"{'':20}   --set {placeholder.key}=…  {placeholder.description}{default}")
    for problem in found.problems:
        print(f"storyteller: skipped: {problem}", file=sys.stderr)
    return 0


def run_new(args) -> int:
    from storyteller.engine.story.file import save_story

    scenario, output = _scenario(args.scenario), Path(args.output)
    story = scenario.start(_values(args.set, scenario))
    refuse_to_replace(output, args.force)
    save_story(story, output)
    print(f"{args.output}: a new story from \"{scenario.title}\"")
    return 0


def run_save(args) -> int:
    from storyteller.engine.story.file import load_story
    from storyteller.engine.story.scenarios import save_scenario, scenario_from_story, user_path_for

    scenario = scenario_from_story(load_story(Path(args.story)), args.title, args.description)
    path = save_scenario(scenario, Path(args.output) if args.output else user_path_for(scenario.title))
    print(f"{path}: scenario \"{scenario.title}\" ({len(scenario.placeholders)} placeholders)")
    return 0


def run_import(args) -> int:
    from storyteller.engine.story.formats import import_scenario
    from storyteller.engine.story.scenarios import save_scenario, user_path_for

    scenario = import_scenario(Path(args.file))
    output = Path(args.output) if args.output else user_path_for(scenario.title, unique=True)  # never another's
    refuse_to_replace(output, args.force)
    path = save_scenario(scenario, output)
    print(f"{path}: scenario \"{scenario.title}\" ({len(scenario.placeholders)} placeholders)")
    return 0


def _scenario(name: str):
    from storyteller.engine.story.formats import import_scenario
    from storyteller.engine.story.scenarios import library

    return import_scenario(Path(name)) if Path(name).is_file() else library().find(name)


def _values(pairs: list[str], scenario) -> dict[str, str]:
    values = {}
    known = {p.key for p in scenario.placeholders}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or key.strip() not in known:
            raise StorytellerError(
                "--set {pair}: give KEY=VALUE with one of this scenario's placeholders: {keys}.",
                pair=pair, keys=", ".join(sorted(known)) or "(it has none)",
            )
        values[key.strip()] = value
    return values
