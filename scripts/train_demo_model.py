"""Reproduce the embedded demo model (resources/models/demo) from the shared corpora.

    .venv/bin/python scripts/train_demo_model.py [--corpora ../shared/data/corpora] [--epochs 12]

Trains a small GPT-2 from scratch with the real KoGPT2 tokenizer on the KoCoNovel short stories
through `storyteller train`, holding out three whole stories; then measures perplexity on them
next to a unigram baseline and writes the model, its card and licenses to resources/models/demo.
Last step, once the weights are in place: `.venv/bin/python scripts/optimize_demo_model.py` builds
the int8 ONNX export that ships beside them (tests/test_demo_export.py fails until it is rebuilt).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Three whole stories the model never sees, by three authors (현진건, 이효석, 윤백남).
HELD_OUT_IDS = ("1", "12", "33")
DEMO_DIR = ROOT / "resources" / "models" / "demo"
TOKENIZER_DIR = ROOT / "resources" / "tokenizer" / "kogpt2"
LICENSE = "CC BY-NC-SA 4.0 (tokenizer: CC-BY-NC-SA 4.0 © SK Telecom; training text: KoCoNovel, CC BY-SA 4.0)"


def read_stories(koconovel: Path) -> list[dict]:
    text = (koconovel / "koconovel_all.txt").read_text(encoding="utf-8")
    stories = []
    for match in re.finditer(r"^### (\S+)\t([^\t\n]*)\t([^\n]*)\n(.*?)(?=^### |\Z)", text, re.M | re.S):
        story_id, title, author, body = match.groups()
        stories.append({"id": story_id, "title": title, "author": author.strip(), "text": body.strip()})
    return stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "data" / "corpora")
    parser.add_argument("--epochs", type=float, default=5, help="stage 1: from scratch")
    parser.add_argument("--epochs2", type=float, default=5, help="stage 2: smaller batches, lower rate")
    parser.add_argument("--from-stage", type=int, default=1, help="skip stages already done in --work")
    parser.add_argument("--work", type=Path, help="keep checkpoints here (default: a temporary folder)")
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()

    stories = read_stories(args.corpora / "koconovel")
    assert len(stories) == 50, f"expected 50 KoCoNovel stories, found {len(stories)}"
    held_out = [s for s in stories if s["id"] in HELD_OUT_IDS]
    training = [s for s in stories if s["id"] not in HELD_OUT_IDS]

    work = args.work or Path(tempfile.mkdtemp(prefix="storyteller-demo-"))
    data_dir = work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    for story in training:
        (data_dir / f"{int(story['id']):02d}.txt").write_text(story["text"] + "\n", encoding="utf-8")

    commands = stage_commands(args.epochs, args.epochs2)
    outputs = [work / "out", work / "out2"]
    for index, command in enumerate(commands):
        if index + 1 < args.from_stage:
            continue
        run = [a.replace("DATA", str(data_dir)).replace("OUT1", str(outputs[0])).replace("OUT", str(outputs[index]))
               for a in command]
        if args.resume:
            run.append("--resume")
        runner = [sys.executable, "-m", "storyteller"] + run[1:]
        print("$", " ".join(runner), file=sys.stderr)
        subprocess.run(runner, check=True, cwd=ROOT)

    final = outputs[-1] / "model"
    table = evaluate(final, training, held_out)
    publish(final, commands, table, held_out, args)
    print(table)


def stage_commands(epochs: float, epochs2: float) -> list[list[str]]:
    """Stage 1 trains from scratch with large batches; stage 2 continues from it with smaller
    batches (more updates per token, which this small dataset needs) and a fresh, lower rate."""
    common = [
        "--dataset_path", "DATA", "--output_dir", "OUT", "--block_size", "512", "--weight_decay", "0.01",
        "--eval_fraction", "0.05", "--seed", "42", "--logging_steps", "20", "--save_steps", "100",
        "--half_precision_output", "--name", "demo", "--no_register", "--license", LICENSE,
        "--data_description", "KoCoNovel: 47 of its 50 public-domain Korean short stories (CC BY-SA 4.0)",
    ]
    first = [
        "storyteller", "train", "--model", "scratch", "--tokenizer", "resources/tokenizer/kogpt2",
        "--n_layer", "6", "--n_embd", "128", "--n_head", "4", "--n_positions", "512",
        "--per_device_train_batch_size", "8", "--num_train_epochs", f"{epochs:g}", "--learning_rate", "2e-3",
        "--warmup_steps", "60", *common,
    ]
    second = [
        "storyteller", "train", "--model", "OUT1/model", "--per_device_train_batch_size", "4",
        "--num_train_epochs", f"{epochs2:g}", "--learning_rate", "1e-3", "--warmup_steps", "20", *common,
    ]
    return [first, second]


def evaluate(final: Path, training: list[dict], held_out: list[dict]) -> str:
    import torch
    from transformers import AutoModelForCausalLM

    from storyteller.engine.tokenizer import load_tokenizer
    from storyteller.engine.training import perplexity, unigram_perplexity

    tokenizer = load_tokenizer(final)
    model = AutoModelForCausalLM.from_pretrained(final, dtype=torch.float32)
    train_ids = [i for story in training for i in tokenizer.encode(story["text"])]
    rows = ["| held-out story | tokens | demo model | unigram baseline |", "|---|---:|---:|---:|"]
    for story in held_out:
        ids = tokenizer.encode(story["text"])
        model_ppl = perplexity(model, tokenizer, story["text"], block_size=512)
        unigram_ppl = unigram_perplexity(train_ids, ids, len(tokenizer))
        rows.append(f"| {story['title']} ({story['author']}) | {len(ids)} | {model_ppl:.1f} | {unigram_ppl:.1f} |")
    return "\n".join(rows)


def publish(final: Path, commands: list[list[str]], table: str, held_out: list[dict], args) -> None:
    if DEMO_DIR.exists():
        shutil.rmtree(DEMO_DIR)
    shutil.copytree(final, DEMO_DIR, ignore=shutil.ignore_patterns("training.json"))
    shutil.copy(ROOT / "resources/licenses/KoCoNovel-CC-BY-SA-4.0.txt", DEMO_DIR / "LICENSE.KoCoNovel-CC-BY-SA-4.0.txt")
    shown = "\n".join(" ".join(a if " " not in a else f'"{a}"' for a in command) for command in commands)
    card = (DEMO_DIR / "README.md").read_text(encoding="utf-8")
    card = re.sub(r"A GPT-2-family model .*, made with `storyteller train`\.",
                  "A small GPT-2 trained from scratch on the KoGPT2 tokenizer in two stages of `storyteller train` "
                  "(see Reproduce).", card)
    card = card.replace(
        "## Parameters",
        "## What it is\n\nA small demo (about 8M parameters, fp16) that ships inside Storyteller so that the app "
        "works out of the box and offline. It writes rough, old-fashioned Korean prose; for real stories "
        "download KoGPT2 (`storyteller models download skt/kogpt2-base-v2`).\n\n"
        "## Held-out perplexity (lower is better)\n\nThree whole stories were held out from training: "
        + ", ".join(s["title"] for s in held_out) + ".\n\n" + table + "\n\n"
        "## Reproduce\n\nFrom the repository root, with the shared corpora beside it:\n\n"
        f"```\n.venv/bin/python scripts/train_demo_model.py --epochs {args.epochs:g} "
        f"--epochs2 {args.epochs2:g}\n```\n\n"
        "which runs these two commands (DATA = the 47 training stories, one .txt file each; OUT1, OUT = "
        "scratch folders; about 2 hours on two CPU cores):\n\n"
        f"```\n{shown}\n```\n\n"
        "Last step: `.venv/bin/python scripts/optimize_demo_model.py` writes "
        "the int8 ONNX export that ships beside the weights (`optimized/`, with a manifest of its quality "
        "against fp32), so the app writes with it from the first launch without loading PyTorch.\n\n"
        "## Credits and licenses\n\n"
        "- Tokenizer: KoGPT2 v2 (`skt/kogpt2-base-v2`) © SK Telecom, CC-BY-NC-SA 4.0 "
        "(`LICENSE.CC-BY-NC-SA-4.0.txt`).\n"
        "- Training text: KoCoNovel (Kim, Lee and Lee, 2024, https://github.com/storidient/KoCoNovel), "
        "CC BY-SA 4.0 (`LICENSE.KoCoNovel-CC-BY-SA-4.0.txt`); the underlying stories by 현진건, 김유정, 이효석, "
        "김동인, 나도향 and others are in the public domain.\n"
        "- The weights are therefore offered under CC BY-NC-SA 4.0: non-commercial, share-alike, with both "
        "credits above.\n\n## Parameters",
    )
    (DEMO_DIR / "README.md").write_text(card, encoding="utf-8")
    manifest = {"name": "demo", "source": "embedded", "license": LICENSE,
                "description": "Small embedded Korean demo model (KoCoNovel stories); download KoGPT2 for real use."}
    (DEMO_DIR / "storyteller-model.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                                     encoding="utf-8")


if __name__ == "__main__":
    main()
