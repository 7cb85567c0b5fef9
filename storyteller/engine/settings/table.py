"""The README's table of generation and steering settings, made from their declarations.

`python -m storyteller.engine.settings.table` prints it; the README holds it between BEGIN and
END, and tests/test_settings.py fails when that copy is stale.
"""

from __future__ import annotations

from storyteller.engine.settings.generation import SEED_DEFAULTS, GenerationSettings
from storyteller.engine.settings.schema import Setting, settings_of
from storyteller.engine.settings.steering import SteeringSettings

BEGIN = "<!-- settings table: made by `python -m storyteller.engine.settings.table`, do not edit -->"
END = "<!-- end of settings table -->"


def settings_table() -> str:
    rows = [
        "| story file | flag | range | default | off at | what it does |",
        "|---|---|---|---|---|---|",
    ]
    for section, cls, cli_defaults in (("generation", GenerationSettings, SEED_DEFAULTS),
                                       ("steering", SteeringSettings, None)):
        for item in settings_of(cls):
            default = _value(item.default)
            cli_default = _value(getattr(cli_defaults, item.name)) if cli_defaults is not None else default
            if cli_default != default:
                default += f" (CLI {cli_default})"
            off = _value(item.neutral) if item.neutral is not None else ""
            rows.append(f"| `{section}.{item.name}` | `--{item.cli_flag}` | {_range(item)} | {default} | {off} "
                        f"| {item.help} |")
    return "\n".join(rows)


def _range(item: Setting) -> str:
    if item.choices:
        return " / ".join(f"`{choice}`" for choice in item.choices)
    if item.kind is bool:
        return "true / false"
    if item.kind is tuple:
        return "list of texts"
    return f"{_value(item.low)} – {_value(item.high)}"


def _value(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value).lower() if isinstance(value, bool) else str(value)


if __name__ == "__main__":
    print(settings_table())
