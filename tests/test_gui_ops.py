"""BackgroundOp: work on a real QThread, every outcome reported in the GUI thread."""

from __future__ import annotations

import threading

import pytest

from storyteller.engine.core.errors import ModelError, tr

pytestmark = pytest.mark.timeout(60)


class Stopped(Exception):
    pass


class Recorder:
    """The callbacks, recording what they were given and on which thread they ran."""

    def __init__(self):
        self.events: list[tuple] = []
        self.threads: set[str] = set()

    def __getattr__(self, outcome):
        def record(*args):
            self.threads.add(threading.current_thread().name)
            self.events.append((outcome, *args))
        return record


def run(qtbot, work, **kwargs):
    from storyteller.gui.background.ops import BackgroundOp

    seen = Recorder()
    op = BackgroundOp(None, work, what="The test job", **kwargs)
    op.on_progress(seen.progress).on_success(seen.success).on_failure(seen.failure).on_cancel(seen.cancel)
    with qtbot.waitSignal(op.finished, timeout=30_000):
        op.run()
    assert not op.running and seen.threads == {threading.current_thread().name}  # the GUI thread
    return op, seen


def test_progress_then_success_with_the_result(qtbot):
    ran_on = []

    def work(progress, cancel):
        ran_on.append(threading.current_thread())
        for step in (1, 2, 3):
            progress(step)
        return "done"

    _, seen = run(qtbot, work)
    assert ran_on[0] is not threading.main_thread()
    assert seen.events == [("progress", 1), ("progress", 2), ("progress", 3), ("success", "done")]


def test_an_engine_error_is_its_own_message(qtbot):
    def work(progress, cancel):
        raise ModelError(tr("The model folder {folder} does not exist."), folder="/x")

    _, seen = run(qtbot, work)
    assert seen.events == [("failure", "The model folder /x does not exist.")]


def test_any_other_error_names_the_job_and_keeps_the_traceback(qtbot):
    def work(progress, cancel):
        raise RuntimeError("boom")

    _, seen = run(qtbot, work)
    [(outcome, message)] = seen.events
    assert outcome == "failure" and message.startswith("The test job failed: boom") and "Traceback" in message


def test_cancel_stops_the_work_and_reports_only_the_cancel(qtbot):
    from storyteller.gui.background.ops import BackgroundOp

    def work(progress, cancel):
        progress("waiting")
        if cancel.wait(20):
            raise Stopped()
        return "not cancelled"

    seen = Recorder()
    op = BackgroundOp(None, work, what="The test job", cancelled_by=Stopped)
    op.on_progress(lambda value: op.cancel()).on_success(seen.success).on_cancel(seen.cancel)
    with qtbot.waitSignal(op.finished, timeout=30_000):
        op.run()
    assert seen.events == [("cancel",)]
    # An earlier cancel does not stop the next run of the same event.
    _, seen = run(qtbot, lambda progress, cancel: cancel.is_set(), cancel_event=op.cancel_event)
    assert seen.events == [("success", False)]


def test_the_failure_sentence_is_translated(qtbot, qapp):
    from storyteller.gui.app import install_translator, remove_translators
    from storyteller.gui.common.messages import failure_text

    install_translator(qapp, "ko")
    try:
        message = failure_text(RuntimeError("boom"), "내려받기")
    finally:
        remove_translators(qapp)
    assert message.startswith("내려받기에 실패했습니다: boom")
