"""Background operations with progress, success, failure and cancel (the idea of Anki's QueryOp).

    op = BackgroundOp(dialog, work, what=self.tr("The download"), cancelled_by=DownloadCancelled)
    op.on_progress(self._show_progress).on_success(self._installed).on_failure(self._failed)
    op.on_cancel(self._paused).run()

`work(progress, cancel)` runs on a thread of its own: it may call `progress(value)` as often as it
likes and should stop soon after the threading.Event `cancel` is set, by raising `cancelled_by`.
Every callback runs in the GUI thread, after the values have crossed the thread boundary as
queued signals to this GUI-thread object, so lambdas are safe as callbacks (see worker.py for why
that matters). An error becomes a translated message (messages.failure_text).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal

from storyteller.gui.common.messages import failure_text


class _WorkThread(QThread):
    """Runs the work once; its signals are connected only to the BackgroundOp's bound methods."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work, cancel: threading.Event, what: str, cancelled_by, parent: QObject):
        super().__init__(parent)
        self.work, self.cancel, self.what, self.cancelled_by = work, cancel, what, cancelled_by

    def run(self) -> None:
        try:
            result = self.work(self.progressed.emit, self.cancel)
        except self.cancelled_by:
            self.cancelled.emit()
        except Exception as error:  # a bug or a broken install: say so rather than fail silently
            self.failed.emit(failure_text(error, self.what))
        else:
            self.succeeded.emit(result)


class BackgroundOp(QObject):
    finished = Signal()  # GUI thread, after the outcome's callback (whatever the outcome)

    def __init__(self, parent: QObject, work, *, what: str, cancel_event: threading.Event | None = None,
                 cancelled_by: type[BaseException] | tuple = ()):
        super().__init__(parent)
        self.cancel_event = cancel_event or threading.Event()
        self._callbacks = {"progress": None, "success": None, "failure": None, "cancel": None}
        self._thread = _WorkThread(work, self.cancel_event, what, cancelled_by, self)
        self._thread.progressed.connect(self._progressed)
        self._thread.succeeded.connect(self._succeeded)
        self._thread.failed.connect(self._failed)
        self._thread.cancelled.connect(self._cancelled)

    def on_progress(self, callback) -> BackgroundOp:
        self._callbacks["progress"] = callback
        return self

    def on_success(self, callback) -> BackgroundOp:
        """`callback(result)` with what `work` returned."""
        self._callbacks["success"] = callback
        return self

    def on_failure(self, callback) -> BackgroundOp:
        """`callback(message)`, the error already in the user's language."""
        self._callbacks["failure"] = callback
        return self

    def on_cancel(self, callback) -> BackgroundOp:
        self._callbacks["cancel"] = callback
        return self

    def run(self) -> BackgroundOp:
        self.cancel_event.clear()  # a cancel meant for an earlier run must not stop this one
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the work to stop: an Event set directly, since the work thread runs no event loop."""
        self.cancel_event.set()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, milliseconds: int) -> bool:
        return self._thread.wait(milliseconds)

    # -- the outcome, in the GUI thread ----------------------------------------------------------

    def _progressed(self, value) -> None:
        self._call("progress", value)

    def _succeeded(self, result) -> None:
        self._end("success", result)

    def _failed(self, message: str) -> None:
        self._end("failure", message)

    def _cancelled(self) -> None:
        self._end("cancel")

    def _end(self, outcome: str, *args) -> None:
        self._thread.wait()  # its run() has returned or is returning: the thread is free again
        self._call(outcome, *args)
        self.finished.emit()

    def _call(self, outcome: str, *args) -> None:
        callback = self._callbacks[outcome]
        if callback is not None:
            callback(*args)
