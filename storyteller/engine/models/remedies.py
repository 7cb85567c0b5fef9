"""The ways out of an error that need the user to act: each is named for both front ends.

An error message leaves such a way out as a parameter ("import a model folder you already have
with {import_folder}"). Formatted by the engine (the CLI's str(error)) it is the command to type;
the GUI shows `action` instead, the menu path to click, translated (storyteller/gui/common/messages.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from storyteller.engine.core.errors import tr
from storyteller.engine.models.catalogue import KOGPT2_REPO


@dataclass(frozen=True)
class Remedy:
    command: str  # what to type in a terminal
    action: str | None = None  # where to click in the app, tr()-marked English; None: the app has no button for it

    def __format__(self, spec: str) -> str:
        return format(f"`{self.command}`", spec)

    def __str__(self) -> str:
        return format(self)


_IMPORT_ACTION = tr("“Models → Model manager… → Import folder…”")
USE_DEMO = Remedy("--model demo", tr("“Models → Model manager… → demo → Use selected model”"))
IMPORT_A_FOLDER = Remedy("storyteller models import PATH", _IMPORT_ACTION)


def download(repo_id: str) -> Remedy:
    return Remedy(f"storyteller models download {repo_id}",
                  tr("“Models → Model manager… → Download KoGPT2…”") if repo_id == KOGPT2_REPO else None)


def import_folder(folder) -> Remedy:
    return Remedy(f"storyteller models import {folder}", _IMPORT_ACTION)


def remove(name: str) -> Remedy:
    return Remedy(f"storyteller models remove {name}", tr("“Models → Model manager… → Remove”"))


def optimize(name) -> Remedy:
    return Remedy(f"storyteller models optimize {name}", tr("“Models → Model manager… → Optimize”"))
