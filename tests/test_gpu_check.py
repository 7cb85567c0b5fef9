"""benchmarks/gpu_check.py, the one script a session lent a GPU runs (issue 26), checked here in its
CPU mode on a tiny model: every step runs and the results file holds its figures."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.paths import ROOT


def test_the_gpu_check_runs_every_step_on_the_cpu_and_writes_its_figures(tmp_path):
    out = tmp_path / "gpu-check.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gpu_check.py"), "--device", "cpu",
                           "--shape", "tiny", "--tokens", "6", "--repeats", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    steps = report["steps"]
    assert report["ok"] and list(steps) == ["device", "load", "speed", "pplm", "oom"]
    assert steps["device"]["auto"] == "cpu" and steps["load"]["dtype"] == "torch.float32"
    for past in ("past_32", "past_900"):
        figures = steps["speed"][past]
        assert figures["ours_ms_per_token"] > 0 and figures["generate_ms_per_token"] > 0 and figures["prefill_ms"] > 0
    assert steps["pplm"]["tokens"] > 0 and steps["pplm"]["steering"]["method"] == "pplm"
    assert steps["oom"]["skipped"] == "no card to fill on the CPU"
