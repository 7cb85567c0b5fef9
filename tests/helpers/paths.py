"""Folders of the checkout the tests read from and write to."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KOGPT2_TOKENIZER_DIR = ROOT / "resources" / "tokenizer" / "kogpt2"
ARTIFACTS = ROOT / "test-artifacts"  # screenshots and figures the tests leave for people to look at


def load_script(name: str):
    """A script of scripts/ as a module (they are run as files, not imported as a package)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
