"""Measure a demo model against issue 13's quality targets and print the model card's section.

    .venv/bin/python scripts/evaluate_demo_model.py [--model resources/models/demo] [--baseline OLD]
        [--work W | --corpora ../shared/data/corpora] [--samples 60] [--seed 0]
        [--tokens-per-source 10000] [--json OUT] [--markdown OUT]

W is a folder made by scripts/demo_corpus.py (mixture.json, train/, held_out/, held_out_stories/);
without --work the corpora are prepared into a temporary one. Measures, on one CPU thread:

1. perplexity on each of the three held-out stories (whole, in blocks of the model's context) next
   to a unigram fitted on the mixture's training text, each source counted `weight` times;
2. the same on every source's held-out file (its first --tokens-per-source tokens, documents
   packed with </s> as training packs them), by genre;
3. fluency: Kiwi's log-score per non-space character (storyteller/engine/training/evaluation.py) of
   --samples continuations written with the settings a new story starts from, each after three
   sentences of a held-out story, next to the real text that follows those sentences (as many
   tokens as the app writes) and that text with its syllables shuffled. With --baseline (the model
   being replaced) both are measured in one run and "gap closed" = (new - old) / (real - old).

Prints a markdown section for the model card (every figure, the targets, pass or miss) and writes
--json / --markdown.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

STORY_TARGET = 0.25  # model perplexity / unigram perplexity on every held-out story, at most
SOURCE_TARGET = 0.5  # on every source's held-out slice, below
GAP_TARGET = 0.5  # share of the fluency gap between the old model and real text closed, at least
STORY_SOURCE = "koconovel"  # the mixture's source the held-out stories were taken from
RATIOS = {"unigram": "ratio", "stories_unigram": "stories_ratio"}  # each baseline's name: the model's ratio to it
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> dict:
    import demo_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "resources" / "models" / "demo")
    parser.add_argument("--baseline", type=Path, help="the model being replaced, measured alongside")
    parser.add_argument("--work", type=Path, help="a folder made by scripts/demo_corpus.py")
    parser.add_argument("--corpora", type=Path, default=demo_corpus.DEFAULT_CORPORA,
                        help="prepared into a temporary work folder when --work is not given")
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tokens-per-source", type=int, default=10_000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    if args.samples < 1 or args.tokens_per_source < 2:
        parser.error("--samples must be at least 1 and --tokens-per-source at least 2")

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # one thread, beside a training run
    import torch

    from storyteller.engine.core.errors import StorytellerError

    torch.set_num_threads(1)
    started = time.perf_counter()
    try:
        with _work_folder(args.work, args.corpora, demo_corpus) as work:
            report = evaluate(args.model, args.baseline, work, args.samples, args.seed, args.tokens_per_source)
    except StorytellerError as error:  # a model folder or a mixture that cannot be used: say which
        sys.exit(str(error))
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["command"] = " ".join(["scripts/evaluate_demo_model.py", *(argv if argv is not None else sys.argv[1:])])
    markdown = render_markdown(report)
    print(markdown)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(markdown + "\n", encoding="utf-8")
    return report


@contextlib.contextmanager
def _work_folder(work: Path | None, corpora: Path, demo_corpus):
    if work is not None:
        if not (work / "mixture.json").is_file():
            sys.exit(f"{work} holds no mixture.json: make it with scripts/demo_corpus.py --work {work}")
        yield work
        return
    if not corpora.is_dir():
        sys.exit(f"The corpora folder {corpora} does not exist: give --corpora PATH, "
                 "or --work W prepared by scripts/demo_corpus.py.")
    with tempfile.TemporaryDirectory(prefix="storyteller-eval-") as temp:
        log(f"preparing the data from {corpora} in {temp}")
        demo_corpus.prepare(Path(temp), corpora)
        yield Path(temp)


def read_held_out_stories(work: Path) -> list[dict]:
    folder = work / "held_out_stories"
    listing = folder / "stories.json"
    if not listing.is_file():
        sys.exit(f"{listing} is missing: make the work folder with scripts/demo_corpus.py")
    stories = json.loads(listing.read_text(encoding="utf-8"))
    for story in stories:
        story["text"] = (folder / f"{story['id']}.txt").read_text(encoding="utf-8").strip()
    return stories


def evaluate(model: Path, baseline: Path | None, work: Path, samples: int, seed: int, tokens_per_source: int) -> dict:
    from storyteller.engine.models.loading import load_model
    from storyteller.engine.training.data import documents, load_mixture
    from storyteller.engine.training.evaluation import mixture_unigram, weighted_unigram

    mixture = load_mixture(work / "mixture.json")
    stories = read_held_out_stories(work)
    folders = {"model": model, "baseline": baseline}
    loaded = {role: load_model(folder, "cpu", runtime="torch") for role, folder in folders.items() if folder}
    log("fitting the unigram baseline on the weighted training text")
    unigrams = {"unigram": _unigrams(loaded, lambda tokenizer: mixture_unigram(mixture, tokenizer, len(tokenizer)))}
    story_source = next((source for source in mixture.sources if source.name == STORY_SOURCE), None)
    # The first demo's card (and the "today about 0.42x") fitted the unigram on the stories alone.
    story_unigrams = dict(unigrams)
    if story_source is not None:
        story_unigrams["stories_unigram"] = _unigrams(loaded, lambda tokenizer: weighted_unigram(
            ((document, 1.0) for document in documents(story_source.train)), tokenizer, len(tokenizer),
            end_of_text=False))
    report = {
        "models": {role: _describe(folders[role], each) for role, each in loaded.items()},
        "data": {"work": str(work), "sources": mixture.describe(), "tokens_per_source": tokens_per_source},
        "stories": [],
        "sources": [],
    }
    for story in stories:
        log(f"perplexity: story {story['title']}")
        row = {key: story[key] for key in ("id", "title", "author")}
        row.update(_perplexities(loaded, story_unigrams, [story["text"]], limit=None))
        report["stories"].append(row)
    report["stories_pooled"] = _pooled(report["stories"], loaded)
    for source in mixture.sources:
        if source.held_out is None:
            continue
        log(f"perplexity: source {source.name}")
        row = {"name": source.name, "genre": source.genre, "weight": source.weight}
        row.update(_perplexities(loaded, unigrams, list(documents(source.held_out)), limit=tokens_per_source))
        report["sources"].append(row)
    report["sources"].sort(key=lambda row: (row["genre"], row["name"]))
    report["fluency"] = _fluency(loaded, stories, samples, seed)
    report["targets"] = _targets(report)
    return report


def _describe(folder: Path, loaded) -> dict:
    return {"path": str(folder), "parameters": sum(p.numel() for p in loaded.model.parameters()),
            "context": loaded.n_positions, "layers": loaded.n_layers, "width": int(loaded.config.get("n_embd", 0))}


def _unigrams(loaded: dict, fit) -> dict:
    """`fit(tokenizer)` for each model, once per distinct tokenizer (another vocabulary gets its own)."""
    fitted, found = {}, {}
    for role, each in loaded.items():
        key = each.tokenizer.backend_tokenizer.to_str() if hasattr(each.tokenizer, "backend_tokenizer") else role
        if key not in fitted:
            fitted[key] = fit(each.tokenizer)
        found[role] = fitted[key]
    return found


def _perplexities(loaded: dict, unigrams: dict, texts: list[str], limit: int | None) -> dict:
    """Per model: tokens measured, the model's perplexity, and each unigram's (by name) on the same
    tokens with the model's ratio to it."""
    from storyteller.engine.training.evaluation import blocks_of, model_perplexity, packed_ids, predicted_ids

    found = {}
    for role, each in loaded.items():
        blocks = blocks_of(packed_ids(texts, each.tokenizer, limit), each.n_positions)
        scored = predicted_ids(blocks)
        figures = found[role] = {"tokens": len(scored), "perplexity": model_perplexity(each.model, blocks)}
        for name, fitted in unigrams.items():
            figures[name] = fitted[role].perplexity(scored)
            figures[RATIOS[name]] = figures["perplexity"] / figures[name]
    return found


def _pooled(rows: list[dict], loaded: dict) -> dict:
    """The rows' perplexities over all their tokens together (a token-weighted mean of the logs)."""
    found = {}
    for role in loaded:
        tokens = sum(row[role]["tokens"] for row in rows)
        names = ["perplexity", *(name for name in RATIOS if name in rows[0][role])]
        figures = found[role] = {"tokens": tokens}
        for name in names:
            figures[name] = math.exp(sum(row[role]["tokens"] * math.log(row[role][name]) for row in rows) / tokens)
        for name in names[1:]:
            figures[RATIOS[name]] = figures["perplexity"] / figures[name]
    return found


def _fluency(loaded: dict, stories: list[dict], samples: int, seed: int) -> dict:
    from storyteller.engine.decode.generator import Generator
    from storyteller.engine.decode.requests import GenerationRequest
    from storyteller.engine.settings.presets import new_story_settings
    from storyteller.engine.training.evaluation import fluency, prompts_with_sequels, shuffle_syllables

    settings = new_story_settings()  # what a new story starts from: the Default preset
    pairs = prompts_with_sequels([story["text"] for story in stories], samples)
    tokenizer = loaded["model"].tokenizer
    # The real text after each prompt, as many tokens as the app writes (the same cut mid-word as a sample's).
    real = [tokenizer.decode(tokenizer.encode(sequel)[: settings.max_new_tokens]).strip() for _, sequel in pairs]
    rng = random.Random(seed)
    texts = {"real": real, "shuffled": [shuffle_syllables(text, rng) for text in real]}
    for role, each in loaded.items():
        log(f"fluency: {samples} continuations by the {role}")
        generator = Generator(each)
        texts[role] = [
            generator.generate(GenerationRequest(prompt, settings.replace(seed=seed + index))).texts[0].strip()
            for index, (prompt, _) in enumerate(pairs)
        ]
    scores = {}
    for kind, written in texts.items():
        values = [fluency(text) for text in written]
        kept = [value for value in values if value is not None]
        scores[kind] = {"mean": statistics.fmean(kept) if kept else None,
                        "standard_error": statistics.stdev(kept) / math.sqrt(len(kept)) if len(kept) > 1 else None,
                        "samples": len(kept), "empty": len(values) - len(kept)}
    found = {"settings": settings.to_json(), "kiwipiepy": importlib.metadata.version("kiwipiepy"),
             "scores": scores, "gap_closed": None,
             "samples": [{"prompt": prompt, **{kind: texts[kind][index] for kind in texts}}
                         for index, (prompt, _) in enumerate(pairs)]}
    if "baseline" in scores:
        new, old, best = (scores[kind]["mean"] for kind in ("model", "baseline", "real"))
        if None not in (new, old, best) and best != old:
            found["gap_closed"] = (new - old) / (best - old)
    return found


def _targets(report: dict) -> list[dict]:
    worst_story = max(report["stories"], key=lambda row: judged_ratio(row["model"]))
    worst_source = max(report["sources"], key=lambda row: row["model"]["ratio"])
    gap = report["fluency"]["gap_closed"]
    story_ratio = judged_ratio(worst_story["model"])
    return [
        {"target": f"every held-out story: perplexity at most {STORY_TARGET:g} × the unigram's"
                   + (" (stories only)" if "stories_ratio" in worst_story["model"] else ""),
         "value": story_ratio, "where": worst_story["title"], "pass": story_ratio <= STORY_TARGET},
        {"target": f"every held-out source: perplexity below {SOURCE_TARGET:g} × the unigram's",
         "value": worst_source["model"]["ratio"], "where": worst_source["name"],
         "pass": worst_source["model"]["ratio"] < SOURCE_TARGET},
        {"target": f"fluency: at least {GAP_TARGET:.0%} of the gap from the old model to real text closed",
         "value": gap, "where": "needs --baseline" if gap is None else "",
         "pass": None if gap is None else gap >= GAP_TARGET},
    ]


# -- the model card's section ------------------------------------------------------------------


def judged_ratio(figures: dict) -> float:
    """The ratio a target is judged by: on the held-out stories the stories-only unigram's, the
    baseline of the issue's starting figure (0.42x) and the harder one to beat; elsewhere the mixture's."""
    return figures.get("stories_ratio", figures["ratio"])


def _mark(passed: bool | None) -> str:
    return "–" if passed is None else ("pass" if passed else "**miss**")


def _perplexity_table(first: str, rows: list[tuple[str, dict]], roles: list[str], target, strict: bool) -> list[str]:
    """One row per text: tokens, the unigram's and the model's perplexity, their ratio, the stories-only
    unigram's where measured, and the old model's where given; judged against `target` by judged_ratio."""
    columns = [("tokens", "model", "tokens", "{}"), ("unigram", "model", "unigram", "{:.1f}"),
               ("model", "model", "perplexity", "{:.1f}"), ("ratio", "model", "ratio", "{:.3f}")]
    stories = "stories_unigram" in rows[0][1]["model"]
    if stories:
        columns += [("unigram (stories only)", "model", "stories_unigram", "{:.1f}"),
                    ("ratio to it", "model", "stories_ratio", "{:.3f}")]
    if "baseline" in roles:  # its ratio is the one the target is judged by
        columns += [("old model", "baseline", "perplexity", "{:.1f}"),
                    ("old ratio", "baseline", "stories_ratio" if stories else "ratio", "{:.3f}")]
    lines = ["| " + " | ".join([first, *(title for title, *_ in columns), "target"]) + " |",
             "|---|" + "---:|" * len(columns) + "---|"]
    for label, row in rows:
        ratio = judged_ratio(row["model"])
        passed = ratio < target if strict else ratio <= target
        cells = [form.format(row[role][key]) for _, role, key, form in columns]
        lines.append("| " + " | ".join([label, *cells, _mark(passed)]) + " |")
    return lines


def render_markdown(report: dict) -> str:
    roles = list(report["models"])
    model = report["models"]["model"]
    fluency = report["fluency"]
    settings = fluency["settings"]
    lines = [
        "## Quality against the targets",
        "",
        f"Measured by `{report['command']}` (one CPU thread, {report['seconds']:.0f} s): the model "
        f"`{model['path']}` ({model['parameters'] / 1e6:.1f}M parameters, {model['layers']} layers × "
        f"{model['width']}, context {model['context']})"
        + (f", beside the old model `{report['models']['baseline']['path']}`" if "baseline" in roles else "")
        + ". The unigram baseline is fitted on the training text of the mixture, each source counted as many "
        "times as its weight (add-one smoothed), and measured on the very tokens the model predicts.",
        "",
        f"### Held-out stories (target: at most {STORY_TARGET:g} × the unigram's perplexity)",
        "",
    ]
    story_rows = [(f"{row['title']} ({row['author']})", row) for row in report["stories"]]
    story_rows.append(("all together", report["stories_pooled"]))
    lines += _perplexity_table("story", story_rows, roles, STORY_TARGET, strict=False)
    if "stories_unigram" in report["stories_pooled"]["model"]:
        lines += ["", ("The stories-only unigram, fitted on the training stories alone, is the first demo model's "
                       "card's baseline (the issue's \"today about 0.42×\"): the target is judged by the ratio to "
                       "it, which is harder to meet than the ratio to the mixture's unigram, a weaker baseline on "
                       "stories.")]
    lines += [
        "",
        f"### Held-out slice of every source (target: below {SOURCE_TARGET:g} × the unigram's perplexity)",
        "",
        (f"Up to the first {report['data']['tokens_per_source']:,} tokens of each source's held-out documents "
         "(never trained on, and sharing no line of 10 characters or more with any training document), packed "
         "with `</s>` as in training; a source with fewer held-out tokens gives what it has (the tokens column)."),
        "",
    ]
    source_rows = [(f"{row['genre']}: {row['name']}", row) for row in report["sources"]]
    lines += _perplexity_table("genre: source", source_rows, roles, SOURCE_TARGET, strict=True)
    scores = fluency["scores"]
    samples = len(fluency["samples"])
    lines += [
        "",
        "### Fluency of samples (higher is better)",
        "",
        (f"Kiwi's log-score of its top analysis per non-space character (`storyteller/engine/training/evaluation.py`), "
         f"averaged over {samples} texts: continuations of three sentences of a held-out story, written with the "
         f"settings a new story starts from (temperature {settings['temperature']:g}, top-k {settings['top_k']}, "
         f"top-p {settings['top_p']:g}, repetition penalty {settings['repetition_penalty']:g} over "
         f"{settings['repetition_penalty_range']} tokens, {settings['max_new_tokens']} tokens), next to the real "
         "text that follows those sentences (as many tokens) and that text with its syllables shuffled "
         f"(kiwipiepy {fluency['kiwipiepy']})."),
        "",
        "| text | mean | ± s.e. | empty |",
        "|---|---:|---:|---:|",
    ]
    names = {"real": "real held-out story text", "model": "this model", "baseline": "old model",
             "shuffled": "real text, syllables shuffled"}
    for kind in ("real", *roles, "shuffled"):
        score = scores[kind]
        error = f"{score['standard_error']:.2f}" if score["standard_error"] is not None else "–"
        mean = f"{score['mean']:.2f}" if score["mean"] is not None else "–"
        lines.append(f"| {names[kind]} | {mean} | {error} | {score['empty']} |")
    lines += ["", "### Targets", "", "| target | figure | result |", "|---|---|---|"]
    for target in report["targets"]:
        value = "–" if target["value"] is None else (
            f"{target['value']:.0%}" if target["target"].startswith("fluency") else f"{target['value']:.3f}")
        where = f" ({target['where']})" if target["where"] else ""
        lines.append(f"| {target['target']} | {value}{where} | {_mark(target['pass'])} |")
    lines += ["", "Samples (the first three):", ""]
    for sample in fluency["samples"][:3]:
        prompt, written = (" ".join(sample[kind].split()) for kind in ("prompt", "model"))
        lines.append(f"- …{prompt[-40:]} → {written[:120]}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
