"""Running the `storyteller` command in a subprocess, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys


def storyteller(*args, stdin=None, env_extra=None, tmp_path=None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", STORYTELLER_THREADS="1")
    if tmp_path is not None:
        env["STORYTELLER_MODELS_DIR"] = str(tmp_path / "models")
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "storyteller", *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=180,
    )
