"""Korean text analysis through Kiwi (kiwipiepy): one analyzer for the whole process.

Loading Kiwi's model takes seconds and about 100 MB, so it is loaded on first use, once, and
shared; every caller goes through `analyzer()` rather than building its own `Kiwi()`.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_lock = threading.Lock()
_kiwi: Kiwi | None = None


def analyzer() -> Kiwi:
    """The process's Kiwi, loaded on first use (thread-safe: the model thread and the GUI may both ask)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi
