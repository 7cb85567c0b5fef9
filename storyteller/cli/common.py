"""What several commands share: loading a model, and flags made from setting declarations."""

from __future__ import annotations

import argparse
import sys
from dataclasses import MISSING

from storyteller.engine.settings.schema import Setting


def message(error: BaseException) -> str:
    """How the CLI says `error`: a setting named in it by the flag that sets it (--length, where the engine's
    English has the story file's max_new_tokens, and the app the label Length). A message wrapped in
    another (a story file's invalid settings) keeps the file's words."""
    from storyteller.engine.core.errors import StorytellerError
    from storyteller.engine.settings.schema import SettingName

    if not isinstance(error, StorytellerError) or not error.params:
        return str(error)
    values = {name: value.flag or value.field if isinstance(value, SettingName) else value
              for name, value in error.params.items()}
    try:
        return error.template.format(**values)
    except (KeyError, IndexError, ValueError):  # a template that does not take its parameters: the engine's own
        return str(error)


def open_model(name_or_path: str | None, device: str, runtime: str = "auto"):
    """The engine's open_model, saying on stderr (stdout is the result) when the small demo model
    stands in or its optimized version cannot be used."""
    from storyteller.engine.models.loading import open_model as open_engine_model

    return open_engine_model(name_or_path, device, runtime=runtime,
                             announce=lambda notice: print(notice, file=sys.stderr))


def add_setting_flags(parser, declared: list[Setting], shown_defaults=None) -> None:
    """One flag per declared setting, its help the declaration's. A flag not given leaves its
    setting None (see `given_settings`), so a story's own value or the declared default applies;
    `shown_defaults` (an instance) is what the help names as the default."""
    for item in declared:
        flag, about = f"--{item.cli_flag}", {"dest": item.name}
        help_text = item.help
        if item.kind is bool:
            about.update(action="store_true", default=None)
        elif item.kind is tuple and item.comma_list:
            about.update(metavar="W,W")
            help_text += " (comma-separated)"
        elif item.kind is tuple:
            about.update(action="append", metavar="TEXT")
            help_text += " (repeatable)"
        else:
            about.update(type=item.kind, choices=item.choices or None,
                         metavar=None if item.choices else item.cli_flag.upper().replace("-", "_"))
            about.update(required=item.default is MISSING)
            default = getattr(shown_defaults, item.name) if shown_defaults is not None else item.default
            if item.low is not None:
                help_text += f" ({item.low} to {item.high}"
                help_text += ", off)" if default == item.neutral else f", default {default})"
            elif default not in (None, "", MISSING):
                help_text += f" (default {default})"
        parser.add_argument(flag, help=help_text.replace("%", "%%") or None, **about)


def given_settings(args: argparse.Namespace, declared: list[Setting]) -> dict:
    """The settings whose flags were given, as values for the declaring class."""
    from storyteller.engine.korean.words import parse_word_list

    values = {}
    for item in declared:
        value = getattr(args, item.name)
        if value is None:
            continue
        if item.kind is tuple:
            value = parse_word_list(value) if item.comma_list else tuple(value)
        values[item.name] = value
    return values
