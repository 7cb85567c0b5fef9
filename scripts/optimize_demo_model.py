"""Build the int8 ONNX export that ships with the embedded demo model (resources/models/demo/optimized/).

    .venv/bin/python scripts/optimize_demo_model.py

The last step of reproducing the demo (after scripts/train_demo_model.py), and to be run again
whenever its weights or the pinned onnxruntime change: tests/test_demo_export.py fails until it is.
It runs exactly what `storyteller models optimize` runs (export, ONNX Runtime's GPT-2 fusion,
int8 quantization, the quality check against fp32 on resources/evaluation), but writes the export
and its manifest into the repository instead of the user's data folder, so a new user's first
launch decodes on int8 ONNX without importing torch.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyteller.engine.models.runtimes.optimize import optimize_model  # noqa: E402
from storyteller.engine.models.runtimes.optimized import MANIFEST_FILE, shipped_dir  # noqa: E402

DEMO_DIR = ROOT / "resources" / "models" / "demo"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    destination = shipped_dir(DEMO_DIR)
    started = time.monotonic()
    result = optimize_model(
        DEMO_DIR, destination=destination,
        progress=lambda update: print(f"[{100 * update.fraction:3.0f}%] {update.step}", file=sys.stderr, flush=True),
    )
    # A clone or an installer gives the weights their own modification time, so the recorded one
    # would only change with every rebuild: the weights' hash decides for the shipped export.
    manifest_file = destination / MANIFEST_FILE
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["weights"].pop("mtime_ns", None)
    manifest_file.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    quality = result.quality
    embedding = manifest.get("embedding", {})
    print(f"{destination.relative_to(ROOT)}: {result.size_bytes:,} bytes in {time.monotonic() - started:.0f} s "
          f"(embedding: {embedding.get('dtype')}, {embedding.get('bytes', 0):,} bytes, shared with the output "
          f"projection: {embedding.get('shared_with_output')}); "
          f"perplexity {quality.perplexity_fp32:.2f} (fp32) -> {quality.perplexity_int8:.2f} (int8), "
          f"{100 * quality.perplexity_change:+.3f} %; greedy tokens matching fp32: {100 * quality.greedy_match:.0f} %")


if __name__ == "__main__":
    main()
