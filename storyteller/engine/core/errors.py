"""Errors the engine raises for people, not programmers.

Every message says what is wrong and what to do; the CLI prints it and exits 2, the GUI shows it
in a dialog, in the user's language. Anything else escaping the engine is a bug.

A message is an English template marked with `tr()` plus its parameters:

    raise ModelError(tr("The model folder {folder} does not exist."), folder=path)

pyside6-lupdate extracts the `tr("...")` text into the translation file (keyword arguments inside
the call would stop it, so the parameters go outside); `str(error)` is the English sentence with
the parameters filled in, and the GUI shows `error.template` translated, filled with
`error.params` (storyteller/gui/common/messages.py). Parameters are values (paths, numbers, names, the
text of an OS error), never English sentences; one that is itself a StorytellerError is
translated too. Braces meant literally are doubled (`{{`) only in templates that take parameters.
"""

from __future__ import annotations


def tr(template: str) -> str:
    """Mark an engine message for Qt Linguist; the GUI translates it when shown. Returns
    `template` unchanged: the engine itself speaks English and never imports Qt."""
    return template


class StorytellerError(Exception):
    """Base class: str(error) is a complete sentence meant for the user.

    `template` is the untranslated message (with `{name}` placeholders when `params` are given)
    and `params` the values that fill it.
    """

    def __init__(self, template: str = "", /, **params):
        self.template = template
        self.params = params
        super().__init__(template.format(**params) if params else template)


class SettingError(StorytellerError, ValueError):
    """A generation setting is out of range or of the wrong type."""


class ModelError(StorytellerError):
    """A model is missing, incomplete, corrupt or does not fit its tokenizer."""


class OfflineError(ModelError):
    """The model hub cannot be reached."""


class DownloadCancelled(StorytellerError):
    """The user cancelled a download; the partial file is kept for resuming."""


class TrainingError(StorytellerError):
    """The dataset or the options cannot be used for training."""


class TrainingCancelled(StorytellerError):
    """The user stopped a training run (a model's, which can resume from its last checkpoint, or a
    mood head's)."""


class DeviceError(StorytellerError):
    """The chosen device cannot run the model (unavailable, out of memory)."""
