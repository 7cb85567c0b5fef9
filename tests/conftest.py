"""Test-session settings; the shared fixtures live in tests/helpers/fixtures.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STORYTELLER_THREADS", "1")

pytest_plugins = ["tests.helpers.fixtures"]
