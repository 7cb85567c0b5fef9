"""PySide6 6.12.0 on Python 3.11 aborts the interpreter after a few hundred Signal.emit() calls
(a refcount bug on True). The pinned version must survive many emits; a crash kills the
process, so the emits run in a subprocess."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    class Emitter(QObject):
        changed = Signal(bool)
        text = Signal(str, int)

    class Receiver(QObject):
        def __init__(self):
            super().__init__()
            self.count = 0

        @Slot(bool)
        def on_changed(self, value):
            self.count += value is True

        @Slot(str, int)
        def on_text(self, text, number):
            self.count += 1

    app = QCoreApplication([])
    emitter, receiver = Emitter(), Receiver()
    emitter.changed.connect(receiver.on_changed)
    emitter.text.connect(receiver.on_text)
    for i in range(2000):
        emitter.changed.emit(True)
        emitter.text.emit("이야기", i)
    print(receiver.count)
    """
)


def test_two_thousand_emits_do_not_abort_the_interpreter():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "4000"
