"""Errors the engine raises for people, not programmers.

Every message says what is wrong and what to do; the CLI prints it and exits 2, the GUI shows it
in a dialog. Anything else escaping the engine is a bug.
"""


class StorytellerError(Exception):
    """Base class: str(error) is a complete sentence meant for the user."""


class SettingError(StorytellerError, ValueError):
    """A generation setting is out of range or of the wrong type."""


class ModelError(StorytellerError):
    """A model is missing, incomplete, corrupt or does not fit its tokenizer."""


class OfflineError(ModelError):
    """The model hub cannot be reached."""


class DownloadCancelled(StorytellerError):
    """The user cancelled a download; the partial file is kept for resuming."""


class DeviceError(StorytellerError):
    """The chosen device cannot run the model (unavailable, out of memory)."""
