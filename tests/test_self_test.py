"""`storyteller --self-test`: the smoke test installed builds run, offscreen and on a real X server
(Xvfb), which loads Qt's xcb platform plugin like a desktop does."""

import json
import os
import shutil
import subprocess
import sys

import pytest


def run_self_test(tmp_path, prefix=(), platform="offscreen"):
    result = tmp_path / "result.json"
    env = dict(os.environ, STORYTELLER_CONFIG_DIR=str(tmp_path / "config"), STORYTELLER_DATA_DIR=str(tmp_path / "data"),
               STORYTELLER_MODELS_DIR=str(tmp_path / "models"), STORYTELLER_THREADS="1", QT_QPA_PLATFORM=platform)
    done = subprocess.run([*prefix, sys.executable, "-m", "storyteller", "--self-test", str(result)],
                          capture_output=True, text=True, env=env, timeout=240)
    return done, (json.loads(result.read_text(encoding="utf-8")) if result.exists() else None)


def test_self_test_offscreen(tmp_path):
    done, result = run_self_test(tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert result["ok"] and result["model"] == "demo" and result["platform"] == "offscreen"
    assert result["runtime"] == "onnx"  # the export shipped beside the demo (resources/models/demo/optimized)
    assert result["text"].startswith("옛날 옛적에") and len(result["text"]) > len("옛날 옛적에")
    assert result["window_shown_s"] < 5


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Debian's xvfb (scripts/setup.sh installs it)")
def test_self_test_on_a_real_x_server(tmp_path):
    done, result = run_self_test(tmp_path, prefix=("xvfb-run", "-a"), platform="xcb")
    assert done.returncode == 0, done.stderr[-2000:]
    assert result["ok"] and result["platform"] == "xcb"
