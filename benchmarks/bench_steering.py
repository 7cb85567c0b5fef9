"""Steering, measured: paired runs with and without each steerer, and what each costs.

    .venv/bin/python benchmarks/bench_steering.py [--model demo] [--prompts 6] [--seeds 2] [--tokens 40]
                                                  [--speed-model kogpt2-shape]

Every condition continues the same prompts with the same seeds. Columns: topic hit rate (share of
continuations mentioning a sea word, alone or with a particle), mentions per 100 tokens, share
judged bright by an independent sentiment judge (a character n-gram naive Bayes trained on other
NSMC reviews, not the steering head), perplexity of the output under the unsteered model,
distinct-2, share of repeated 4-grams, and ms/token. A reference-style PPLM (the original
algorithm: the whole prefix recomputed every step, all blocks' keys/values perturbed) runs in
the same process for the speed comparison. The speed section repeats plain / ours / reference on
a KoGPT2-shaped model (random weights: speed does not depend on them) unless KoGPT2 is installed.
"""

from __future__ import annotations

import argparse
import collections
import math
import statistics
import sys
import time
from pathlib import Path

import torch
from transformers import DynamicCache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_generate import open_kogpt2_or_its_shape  # noqa: E402
from storyteller.engine.decode.generator import Generator  # noqa: E402
from storyteller.engine.decode.processors import build_processors  # noqa: E402
from storyteller.engine.decode.requests import GenerationRequest, StepContext  # noqa: E402
from storyteller.engine.korean.words import count_mentions, token_table  # noqa: E402
from storyteller.engine.models.loading import open_model  # noqa: E402
from storyteller.engine.models.tokenizer import decode  # noqa: E402
from storyteller.engine.settings.generation import GenerationSettings  # noqa: E402
from storyteller.engine.settings.steering import LatentOptions, SteeringSettings  # noqa: E402
from storyteller.engine.steering import steering_hooks  # noqa: E402
from storyteller.engine.steering.steerers import BagOfWords  # noqa: E402
from storyteller.engine.steering.topics import topic_words  # noqa: E402

PROMPTS = [
    "그날 밤 우리는 마을을 떠났다. 길은 멀고 어두웠다.",
    "할머니는 부엌에서 나를 불렀다. 나는 책을 덮고 일어섰다.",
    "기차가 역에 멈추자 사람들이 우르르 내렸다.",
    "편지는 오래된 서랍 깊은 곳에 있었다.",
    "그는 문 앞에서 한참을 망설였다.",
    "아침 햇살이 골목을 비추기 시작했다.",
    "형은 말없이 담배에 불을 붙였다.",
    "시험이 끝난 날, 우리는 운동장에 모였다.",
]
TOPIC = "sea"
STRENGTHS = (0.0, 0.25, 0.5, 0.75, 1.0)
MOODS = (-1.0, -0.5, 0.0, 0.5, 1.0)


# -- the independent sentiment judge ----------------------------------------------------------------


class NaiveBayesJudge:
    """Character 1-3-gram multinomial naive Bayes: simple, and nothing like the steering head."""

    def __init__(self, path: Path):
        counts = [collections.Counter(), collections.Counter()]
        documents = [0, 0]
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            _, text, label = line.split("\t")
            counts[int(label)].update(self._grams(text))
            documents[int(label)] += 1
        vocabulary = set(counts[0]) | set(counts[1])
        totals = [sum(c.values()) + len(vocabulary) for c in counts]
        self.log_prior = [math.log(d / sum(documents)) for d in documents]
        self.log_p = [{g: math.log((c[g] + 1) / t) for g in vocabulary} for c, t in zip(counts, totals)]
        self.unseen = [math.log(1 / t) for t in totals]

    @staticmethod
    def _grams(text: str):
        text = " ".join(text.split())
        return [text[i : i + n] for n in (1, 2, 3) for i in range(len(text) - n + 1)]

    def bright(self, text: str) -> bool:
        scores = [
            self.log_prior[label] + sum(self.log_p[label].get(g, self.unseen[label]) for g in self._grams(text))
            for label in (0, 1)
        ]
        return scores[1] > scores[0]

    def accuracy(self, path: Path) -> float:
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
        return sum(self.bright(text) == (label == "1") for _, text, label in rows) / len(rows)


# -- text quality -------------------------------------------------------------------------------------


@torch.inference_mode()
def perplexity(loaded, prompt: str, continuation_ids: list[int]) -> float:
    prompt_ids = loaded.tokenizer.encode(prompt)
    ids = torch.tensor([prompt_ids + continuation_ids], device=loaded.device.name)
    log_probs = torch.log_softmax(loaded.model(ids).logits[0, :-1].float(), dim=-1)
    targets = ids[0, 1:]
    picked = log_probs[torch.arange(len(targets)), targets][len(prompt_ids) - 1 :]
    return math.exp(-picked.mean().item())


def distinct_2(texts: list[str]) -> float:
    pairs = [tuple(words[i : i + 2]) for text in texts for words in [text.split()] for i in range(len(words) - 1)]
    return len(set(pairs)) / max(1, len(pairs))


def repeated_4grams(token_lists: list[list[int]]) -> float:
    repeated = total = 0
    for ids in token_lists:
        grams = [tuple(ids[i : i + 4]) for i in range(len(ids) - 3)]
        repeated += len(grams) - len(set(grams))
        total += len(grams)
    return repeated / max(1, total)


# -- a reference-style PPLM, for the comparison ------------------------------------------------------


def reference_pplm(loaded, prompt: str, settings: GenerationSettings, bag: BagOfWords, options: LatentOptions,
                   strength: float) -> tuple[list[int], float]:
    """The original algorithm's shape on transformers 5: each step recomputes the unperturbed
    pass over the whole text, perturbs every block's keys/values over all positions with
    `iterations` full forward/backward passes, and carries the perturbed past forward."""
    model, device = loaded.model, loaded.device.name
    ids = torch.tensor([loaded.tokenizer.encode(prompt)], device=device)
    processors = build_processors(settings, prompt_length=ids.shape[1], stop_ids=loaded.stop_ids,
                                  banned_ids=loaded.banned_ids)
    sampler = torch.Generator(device=device).manual_seed(settings.seed)
    with torch.no_grad():
        past = model(ids[:, :-1], use_cache=True).past_key_values
    past = [(layer.keys.clone(), layer.values.clone()) for layer in past.layers]
    step_size = options.step_size * strength
    started = time.perf_counter()
    new: list[int] = []
    for step in range(settings.max_new_tokens):
        with torch.no_grad():
            unperturbed = torch.log_softmax(model(ids).logits[:, -1].float(), dim=-1)  # full recompute
        deltas = [torch.zeros(2, *k.shape) for k, _ in past]
        if step < options.grad_length:
            bag.begin_step(StepContext(loaded, ids, None, unperturbed, None, step))
            for _ in range(options.iterations):
                for delta in deltas:
                    delta.requires_grad_(True)
                cache = _cache(past, deltas)
                log_probs = torch.log_softmax(model(ids[:, -1:], past_key_values=cache).logits[:, -1].float(), -1)
                probs = log_probs.exp()
                context = StepContext(loaded, ids, cache, unperturbed, None, step)
                loss = (
                    bag.latent_loss(probs, None, context) + options.kl_scale * (probs * (log_probs - unperturbed)).sum()
                )
                grads = torch.autograd.grad(loss, deltas)
                deltas = [(d - step_size * _scale(k, v) * g / (g.norm() + 1e-10)).detach()
                          for d, g, (k, v) in zip(deltas, grads, past)]
        with torch.no_grad():
            cache = _cache(past, deltas)
            output = model(ids[:, -1:], past_key_values=cache, use_cache=True)
            steered = torch.log_softmax(output.logits[:, -1].float(), -1)
            fused = options.gm_scale * steered + (1 - options.gm_scale) * unperturbed
            scores = torch.from_numpy(processors(ids.cpu().numpy(), fused.cpu().numpy().copy()))
            token = torch.multinomial(torch.softmax(scores, -1), 1, generator=sampler).to(device)
        past = [(layer.keys, layer.values) for layer in output.past_key_values.layers]  # perturbation carried
        if int(token) in loaded.stop_ids:
            break
        new.append(int(token))
        ids = torch.cat([ids, token], dim=1)
    return new, (time.perf_counter() - started) / max(1, len(new))


def _cache(past, deltas) -> DynamicCache:
    cache = DynamicCache()
    for index, ((keys, values), delta) in enumerate(zip(past, deltas)):
        cache.update(keys + delta[0], values + delta[1], index)
    return cache


def _scale(keys, values) -> torch.Tensor:
    return torch.stack([keys, values]).norm()


# -- the runs ---------------------------------------------------------------------------------------------


def run_condition(loaded, prompts, seeds, tokens, write, judge, words):
    """Every prompt with every seed through `write(prompt, settings) -> (text, ids, decoding seconds)`."""
    texts, token_lists, ppls, seconds, hits = [], [], [], 0.0, []
    for prompt in prompts:
        for seed in seeds:
            settings = GenerationSettings(max_new_tokens=tokens, seed=seed, top_k=50, top_p=0.95,
                                          repetition_penalty=1.2)
            text, ids, spent = write(prompt, settings)
            texts.append(text)
            token_lists.append(ids)
            ppls.append(perplexity(loaded, prompt, ids) if ids else float("nan"))
            seconds += spent
            hits.append(count_mentions(text, words))
    return summarise(texts, token_lists, ppls, seconds, hits, judge)


def summarise(texts, token_lists, ppls, seconds, hits, judge):
    tokens = sum(len(ids) for ids in token_lists)
    return {
        "hit rate": sum(h > 0 for h in hits) / len(hits),
        "mentions/100 tok": 100 * sum(hits) / max(1, tokens),
        "judged bright": sum(judge.bright(t) for t in texts) / len(texts),
        "ppl (unsteered)": math.exp(sum(math.log(p) for p in ppls if p == p) / max(1, sum(p == p for p in ppls))),
        "distinct-2": distinct_2(texts),
        "rep. 4-grams": repeated_4grams(token_lists),
        "ms/token": 1000 * seconds / max(1, tokens),
    }


def print_table(title: str, rows: list[tuple[str, dict]]) -> None:
    columns = list(rows[0][1])
    print(f"\n### {title}\n")
    print("| condition | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name, values in rows:
        cells = [f"{values[c]:.1%}" if c in ("hit rate", "judged bright", "rep. 4-grams") else f"{values[c]:.2f}"
                 if c in ("mentions/100 tok", "distinct-2") else f"{values[c]:.0f}" if c == "ppl (unsteered)"
                 else f"{values[c]:.1f}" for c in columns]
        print(f"| {name} | " + " | ".join(cells) + " |")


def effect_tables(args, judge) -> None:
    entry, loaded = open_model(args.model)
    generator = Generator(loaded, steer=steering_hooks)
    prompts, seeds = PROMPTS[: args.prompts], list(range(args.seeds))
    words = topic_words([TOPIC])
    bag = BagOfWords(token_table(loaded.tokenizer, words), 1.0)
    print(f"model: {entry.name} ({loaded.device.description}); {len(prompts)} prompts x {len(seeds)} seeds x "
          f"{args.tokens} tokens per condition; topic '{TOPIC}' ({len(words)} words)")

    def condition(steering):
        def write(prompt, settings):
            result = generator.generate(GenerationRequest(prompt, settings, steering=steering))
            return result.texts[0], result.token_ids[0], result.seconds - result.time_to_first_token

        return run_condition(loaded, prompts, seeds, args.tokens, write, judge, words)

    def reference(prompt, settings):
        ids, per_token = reference_pplm(loaded, prompt, settings, bag, LatentOptions(), 1.0)
        return decode(loaded.tokenizer, ids), ids, per_token * len(ids)

    plain = condition(None)
    topic_rows = [("none", plain)]
    for method in ("bias", "pplm"):
        for strength in STRENGTHS[1:]:
            steering = SteeringSettings(topics=(TOPIC,), topic_strength=strength, topic_method=method)
            topic_rows.append((f"{method} {strength:.2f}", condition(steering)))
    topic_rows.append(
        ("reference PPLM 1.00", run_condition(loaded, prompts, seeds, args.tokens, reference, judge, words))
    )
    print_table(f"Topic '{TOPIC}': strength -> effect", topic_rows)

    mood_rows = []
    for method in ("vector", "pplm"):
        try:
            for mood in MOODS:
                steering = SteeringSettings(mood=mood, mood_method=method)
                mood_rows.append((f"{method} {mood:+.1f}" if mood else "none", condition(steering) if mood else plain))
        except Exception as error:  # e.g. no mood head for this model
            print(f"(mood by {method} skipped: {error})")
    print_table("Mood: strength -> effect", mood_rows)


def speed_table(args) -> None:
    loaded, label = open_kogpt2_or_its_shape()
    generator = Generator(loaded, steer=steering_hooks)
    prompt = " ".join(PROMPTS * 6)  # a few hundred tokens, like a story in progress
    tokens = args.speed_tokens
    settings = GenerationSettings(max_new_tokens=tokens, min_new_tokens=tokens, seed=0, top_k=50,
                                  repetition_penalty=1.2)
    bag = BagOfWords(token_table(loaded.tokenizer, topic_words([TOPIC])), 1.0)

    def ms(steering):
        """Median over the repeats of decoding time per token after the first (prefill excluded)."""
        times = []
        for _ in range(args.repeats):
            generator.forget_cache()
            result = generator.generate(GenerationRequest(prompt, settings, steering=steering))
            times.append(1000 * (result.seconds - result.time_to_first_token) / max(1, result.new_tokens - 1))
        return statistics.median(times)

    ms(None)  # warm up
    plain = ms(None)
    rows = [("plain decoding", plain)]
    for name, steering in (
        ("word bias", SteeringSettings(topics=(TOPIC,), topic_strength=1.0)),
        ("mood vector", SteeringSettings(mood=1.0)),
        ("PPLM bag of words (ours)", SteeringSettings(topics=(TOPIC,), topic_strength=1.0, topic_method="pplm")),
        ("PPLM mood head (ours)", SteeringSettings(mood=1.0, mood_method="pplm")),
    ):
        try:
            rows.append((name, ms(steering)))
        except Exception as error:  # no mood head for this model
            print(f"({name} skipped: {error})")
    short = settings.replace(max_new_tokens=max(4, tokens // 4), min_new_tokens=max(4, tokens // 4))
    _, per_token = reference_pplm(loaded, prompt, short, bag, LatentOptions(), 1.0)
    rows.append(("PPLM reference-style (full recompute, all blocks)", 1000 * per_token))
    print(
        f"\n### Speed on {label} ({loaded.device.description}), {len(loaded.tokenizer.encode(prompt))}-token prompt\n"
    )
    print("| method | ms/token | vs plain |")
    print("|---|---:|---:|")
    for name, value in rows:
        print(f"| {name} | {value:.0f} | {value / plain:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="demo", help="model for the effect tables (default: demo)")
    parser.add_argument("--prompts", type=int, default=6)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=40)
    parser.add_argument("--speed-tokens", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3, help="speed runs per method (median)")
    parser.add_argument("--skip-effects", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    judge = NaiveBayesJudge(ROOT / "benchmarks" / "data" / "nsmc_judge.tsv")
    test = ROOT / "resources" / "steering" / "sentiment" / "nsmc_test.tsv"
    print(f"sentiment judge: naive Bayes, held-out accuracy {judge.accuracy(test):.1%} on {test.name}")
    if not args.skip_effects:
        effect_tables(args, judge)
    if not args.skip_speed:
        speed_table(args)


if __name__ == "__main__":
    main()
