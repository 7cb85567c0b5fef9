"""Errors in the user's language, and the one way the GUI shows them.

The engine raises StorytellerErrors whose `template` is an English message marked with `tr()`
(extracted by pyside6-lupdate into the context with the empty name) and whose `params` fill it;
see storyteller/engine/core/errors.py. Here the template is translated and then filled.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.models.remedies import Remedy
from storyteller.engine.settings.schema import SettingName


def translated(text: str) -> str:
    """An engine text marked with its tr() (a message template, a setting's label or help, a menu
    path) in the UI's language: lupdate files them all in the context with the empty name."""
    return QCoreApplication.translate("", text) if text else text


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
        text = translated(template)
        if not params:
            return text
        values = {name: shown_value(value) for name, value in params.items()}
        return text.format(**values)
    except Exception:  # a broken translation must not hide the error it was meant to show
        return str(error)


def shown_value(value: object) -> object:
    """A message parameter as the GUI shows it: an error or a way out translated, a setting by the
    label on its control (the CLI names it by its flag, the engine by its story-file field)."""
    if isinstance(value, BaseException):
        return error_text(value)
    if isinstance(value, Remedy):
        return remedy_text(value)
    if isinstance(value, SettingName) and value.label:
        return translated(value.label)
    return value


def remedy_text(remedy: Remedy) -> str:
    """A way out of an error as the app offers it: the menu path, translated (else the command)."""
    return translated(remedy.action) if remedy.action else str(remedy)


def failure_text(error: BaseException, what: str) -> str:
    """What to say when `what` (a translated name of the job, e.g. "The download") failed with
    `error`: an engine error's own message; anything else is a bug or a broken install, so the
    job is named and the last frames of the traceback are added for a bug report. Thread-safe."""
    if isinstance(error, StorytellerError):
        return error_text(error)
    failed = QCoreApplication.translate("messages", "%1 failed: %2").replace("%1", what).replace("%2", str(error))
    return failed + "\n\n" + "".join(traceback.format_exception(error, limit=3))


# How the window's helpers report an error: show_error(title, error), the error as show_error takes it.
ErrorReporter = Callable[[str, BaseException | str], None]


def show_error(parent: QWidget, title: str, error: BaseException | str) -> QMessageBox:
    """Show `error` (an exception, or a message already made) in a warning box over `parent`.
    The box does not block: a worker may still be reporting while it is open."""
    text = error if isinstance(error, str) else error_text(error)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.open()
    return box
