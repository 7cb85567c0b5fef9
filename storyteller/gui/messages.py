"""Engine errors in the user's language.

The engine raises StorytellerErrors whose `template` is an English message marked with `tr()`
(extracted by pyside6-lupdate into the context with the empty name) and whose `params` fill it;
see storyteller/engine/errors.py. Here the template is translated and then filled.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from storyteller.engine.errors import StorytellerError


def error_text(error: BaseException) -> str:
    """What to show for `error`: a StorytellerError translated into the UI's language, with its
    parameters (and any StorytellerError among them) filled in; anything else as str(error).

    Never raises: a translation whose placeholders do not match its source falls back to the
    English message. QCoreApplication.translate is thread-safe, so worker threads may call this.
    """
    template = getattr(error, "template", None)
    params = getattr(error, "params", None)
    if not isinstance(error, StorytellerError) or not isinstance(template, str) or not template:
        return str(error)
    try:
        translated = QCoreApplication.translate("", template)
        if not params:
            return translated
        values = {name: error_text(value) if isinstance(value, BaseException) else value
                  for name, value in params.items()}
        return translated.format(**values)
    except Exception:  # a broken translation must not hide the error it was meant to show
        return str(error)
