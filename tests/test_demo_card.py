"""The embedded demo model's card (resources/models/demo/README.md) says what made the shipped
weights: every round in rounds.json with its command and figures, every source with its license,
and the shipped weights' size (scripts/train_demo_model.py writes it at `publish`)."""

import json
from pathlib import Path

import pytest

from tests.helpers.paths import load_script

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "models" / "demo"


@pytest.fixture(scope="module")
def recipe():
    return load_script("train_demo_model")


def test_the_card_is_the_one_the_recipe_writes_for_the_shipped_rounds(recipe):
    rounds = json.loads((DEMO / "rounds.json").read_text(encoding="utf-8"))
    shipped = (DEMO / "README.md").read_text(encoding="utf-8")
    # The card is the recipe's text around the evaluation section: all but that section must match.
    written = recipe.card(rounds, "EVALUATION").split("EVALUATION")
    assert shipped.startswith(written[0]) and shipped.endswith(written[1]), \
        "the card is stale: run scripts/train_demo_model.py publish (or fix rounds.json)"
    assert [r["round"] for r in rounds] == list(range(1, len(rounds) + 1))
    for entry in rounds:
        assert entry["measured"]["stories_ratio"] > entry["measured"]["stories_mixture_ratio"] > 0
        assert f"--max_tokens {entry['tokens']}" in " ".join(entry["command"])
    # GPT-2's parameters from its shape: tied embeddings, positions, 12d^2 + 13d a block, the last norm.
    config = json.loads((DEMO / "config.json").read_text(encoding="utf-8"))
    width, layers = config["n_embd"], config["n_layer"]
    counted = (config["vocab_size"] + config["n_positions"]) * width + layers * (12 * width**2 + 13 * width) + 2 * width
    assert recipe.parameters() == counted and f"{counted / 1e6:.1f}M parameters" in shipped
    for source in recipe.SOURCES:
        assert f"| {source.name} | {source.genre} |" in shipped and source.license in shipped


def test_a_round_starts_training_in_an_empty_folder_and_resumes_with_its_budget(recipe, tmp_path, monkeypatch):
    # Its record went into the round's folder before training, and `storyteller train` refused to
    # start in a folder that holds files.
    calls = []

    def fake_run(command, **_):
        output = Path(command[command.index("--output_dir") + 1])
        calls.append((command, output.exists() and any(output.iterdir())))
        output.mkdir(parents=True, exist_ok=True)

    monkeypatch.setattr(recipe.subprocess, "run", fake_run)
    recipe.run_round(tmp_path, 3, 900_000, resume=False)
    recipe.run_round(tmp_path, 3, None, resume=True)  # the budget comes from the record
    assert [held for _, held in calls] == [False, False]
    assert "--resume" in calls[1][0] and calls[1][0][calls[1][0].index("--max_tokens") + 1] == "900000"
    record = json.loads(recipe.took_record(tmp_path, 3).read_text())
    assert record["max_tokens"] == 900_000 and record["seconds"] >= 0
