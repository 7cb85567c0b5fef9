"""The demo model's quality measures (engine/training/evaluation.py) and the script that reports them for
the model card (scripts/evaluate_demo_model.py, issue 13)."""

import json
import math
import random
from collections import Counter
from pathlib import Path

import pytest

from storyteller.engine.training.data import load_mixture
from storyteller.engine.training.evaluation import (
    blocks_of,
    fluency,
    mixture_unigram,
    model_perplexity,
    packed_ids,
    predicted_ids,
    prompts_with_sequels,
    shuffle_syllables,
)
from tests.helpers.paths import load_script
from tests.helpers.tiny_models import save_tiny_gpt2

ROOT = Path(__file__).resolve().parent.parent
# Public-domain prose (현진건, "B사감과 러브레터", via KoCoNovel, CC BY-SA 4.0): one sentence a line.
STORY = "\n".join((
    "C 여학교에서 교원 겸 기숙사 사감 노릇을 하는 B 여사라면 딱장대요 독신주의자요 찰진 야소군으로 유명하다.",
    ("사십에 가까운 노처녀인 그는 주근깨투성이 얼굴이 처녀다운 맛이란 약에 쓰려도 찾을 수 없을 뿐인가, "
     "시들고 거칠고 마르고 누렇게 뜬 품이 곰팡 슬은 굴비를 생각나게 한다."),
    ("뾰족한 입을 앙다물고 돋보기 너머로 쌀쌀한 눈이 노릴 때엔 "
     "기숙생들이 오싹하고 몸서리를 치리만큼 그는 엄격하고 매서웠다."),
    "이 B 여사가 질겁을 하다시피 싫어하고 미워하는 것은 소위 '러브레터'였다.",
    "기숙생에게 오는 사신을 일일이 검토하는 터이니까 그따위 편지도 물론 B 여사의 손에 떨어진다.",
    ("달짝지근한 사연을 보는 족족 그는 더할 수 없이 흥분되어서 "
     "얼굴이 붉으락푸르락, 편지 든 손이 발발 떨리도록 성을 낸다."),
))
SECOND_STORY = """바닷가 마을에 늙은 어부가 살았다.
그는 매일 새벽 배를 띄웠다.
파도가 높은 날에도 그는 그물을 던졌다.
마을 사람들은 그를 걱정했다.
어느 날 그는 돌아오지 않았다.
아이들은 바다를 오래 바라보았다.
봄이 오자 그의 배가 떠밀려 왔다."""
REVIEWS = ["배우들의 연기가 정말 좋았어요", "스토리가 지루해서 중간에 잤습니다", "음악이 아름다운 영화"]


@pytest.fixture(scope="module")
def tokenizer():
    from storyteller.engine.models.tokenizer import load_tokenizer

    return load_tokenizer(ROOT / "resources" / "tokenizer" / "kogpt2")


def write_documents(path: Path, documents: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(documents) + "\n", encoding="utf-8")


def write_mixture(work: Path, sources: list[dict]) -> Path:
    path = work / "mixture.json"
    path.write_text(json.dumps({"format": "storyteller-mixture", "version": 1, "sources": sources}), encoding="utf-8")
    return path


def test_real_korean_scores_better_than_its_shuffled_syllables():
    rng = random.Random(0)
    shuffled = shuffle_syllables(STORY, rng)
    assert shuffled != STORY
    # Only the Hangul syllables move: spaces, line breaks, letters and punctuation keep their places.
    assert Counter(shuffled) == Counter(STORY)
    assert [c for c in shuffled if not "가" <= c <= "힣"] == [c for c in STORY if not "가" <= c <= "힣"]
    assert [i for i, c in enumerate(shuffled) if not "가" <= c <= "힣"] == \
        [i for i, c in enumerate(STORY) if not "가" <= c <= "힣"]
    real, scrambled = fluency(STORY), fluency(shuffled)
    assert -6 < real < -2  # about -3.6 per character on held-out stories
    assert scrambled < real - 3
    assert fluency(" \n ") is None


def test_a_weight_2_source_counts_twice(tmp_path, tokenizer):
    write_documents(tmp_path / "train/stories.txt", SECOND_STORY.split("\n\n"))
    write_documents(tmp_path / "train/reviews.txt", REVIEWS)
    weighted = mixture_unigram(load_mixture(write_mixture(tmp_path, [
        {"name": "stories", "train": "train/stories.txt", "weight": 2},
        {"name": "reviews", "train": "train/reviews.txt", "weight": 0.5},
    ])), tokenizer, len(tokenizer))

    def ids(documents):
        return [token for document in documents for token in [*tokenizer.encode(document), tokenizer.eos_token_id]]

    story_ids, review_ids = ids([SECOND_STORY]), ids(REVIEWS)
    for token, count in Counter(story_ids).items():
        expected = 2 * count + 0.5 * review_ids.count(token)
        assert weighted.counts[token] == pytest.approx(expected)
    assert weighted.counts.sum() == pytest.approx(2 * len(story_ids) + 0.5 * len(review_ids))
    # Its perplexity: add-one smoothed frequencies over the whole vocabulary, by hand.
    doubled = mixture_unigram(load_mixture(write_mixture(tmp_path, [
        {"name": "stories", "train": "train/stories.txt", "weight": 2},
    ])), tokenizer, len(tokenizer))
    test_ids = tokenizer.encode("늙은 어부는 바다를 바라보았다.")
    counts, total = Counter(story_ids * 2), 2 * len(story_ids) + len(tokenizer)
    by_hand = math.exp(-sum(math.log((counts[token] + 1) / total) for token in test_ids) / len(test_ids))
    assert doubled.perplexity(test_ids) == pytest.approx(by_hand, rel=1e-9)


def test_block_perplexity_scores_each_next_token_and_the_baseline_reads_the_same_tokens(tiny_loaded, tokenizer):
    import torch

    ids = tokenizer.encode(STORY)
    blocks = blocks_of(ids, 32)
    assert [len(b) for b in blocks[:-1]] == [32] * (len(blocks) - 1) and sum(map(len, blocks)) == len(ids)
    predicted = predicted_ids(blocks)
    assert len(predicted) == len(ids) - len(blocks)
    # By hand: the log-probability of every token after the first of its block, from its block's logits.
    log_probabilities = []
    with torch.inference_mode():
        for block in blocks:
            logits = tiny_loaded.model(input_ids=torch.tensor([block])).logits[0].double().log_softmax(-1)
            log_probabilities += [logits[position, token].item() for position, token in enumerate(block[1:])]
    by_hand = math.exp(-sum(log_probabilities) / len(predicted))
    assert model_perplexity(tiny_loaded.model, blocks) == pytest.approx(by_hand, rel=1e-5)
    # Documents are packed with </s> between them, as training packs them, and cut at the limit.
    packed = packed_ids(REVIEWS, tokenizer)
    assert packed.count(tokenizer.eos_token_id) == len(REVIEWS) - 1
    assert packed_ids(REVIEWS, tokenizer, limit=5) == packed[:5]


def test_prompts_are_three_sentences_followed_by_the_real_text():
    pairs = prompts_with_sequels([STORY, SECOND_STORY], 4)
    assert len(pairs) == 4
    for prompt, sequel in pairs:
        text = STORY if prompt in STORY else SECOND_STORY
        assert text.endswith(prompt + sequel)
        assert prompt.count("\n") == 2 and sequel.strip().count("\n") >= 2  # three sentences, three more after
    assert {pair[0].split("\n")[0] for pair in pairs} & set(SECOND_STORY.split("\n"))  # both stories are used
    assert len(prompts_with_sequels([SECOND_STORY], 9)) == 9  # more than the places: places repeat


@pytest.fixture(scope="module")
def evaluate_script():
    return load_script("evaluate_demo_model")


def test_the_script_reports_every_target_for_a_model_and_its_predecessor(tmp_path, tiny_model_dir, evaluate_script):
    work = tmp_path / "work"
    write_documents(work / "train/koconovel.txt", [STORY, SECOND_STORY])
    write_documents(work / "held_out/koconovel.txt", [SECOND_STORY])
    write_documents(work / "train/reviews.txt", REVIEWS * 3)
    write_documents(work / "held_out/reviews.txt", REVIEWS[::-1])
    write_mixture(work, [
        {"name": "koconovel", "train": "train/koconovel.txt", "held_out": "held_out/koconovel.txt", "weight": 2,
         "genre": "stories"},
        {"name": "reviews", "train": "train/reviews.txt", "held_out": "held_out/reviews.txt", "weight": 1,
         "genre": "reviews (informal)"},
    ])
    (work / "held_out_stories").mkdir()
    for story_id, text in (("1", STORY), ("2", SECOND_STORY)):
        (work / "held_out_stories" / f"{story_id}.txt").write_text(text + "\n", encoding="utf-8")
    (work / "held_out_stories/stories.json").write_text(json.dumps([
        {"id": "1", "title": "B사감과 러브레터", "author": "Hyeon Jingeon"},
        {"id": "2", "title": "늙은 어부", "author": "nobody"},
    ], ensure_ascii=False), encoding="utf-8")
    old = save_tiny_gpt2(tmp_path / "old", n_positions=128, width=16, layers=1, seed=1)

    evaluate_script.main([
        "--model", str(tiny_model_dir), "--baseline", str(old), "--work", str(work), "--samples", "3",
        "--tokens-per-source", "20", "--json", str(tmp_path / "out.json"), "--markdown", str(tmp_path / "out.md"),
    ])

    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [row["title"] for row in report["stories"]] == ["B사감과 러브레터", "늙은 어부"]
    assert [row["name"] for row in report["sources"]] == ["reviews", "koconovel"]  # by genre
    for row in [*report["stories"], report["stories_pooled"], *report["sources"]]:
        for role in ("model", "baseline"):
            figures = row[role]
            assert figures["tokens"] > 0 and figures["perplexity"] > 1 and figures["unigram"] > 1
            assert figures["ratio"] == pytest.approx(figures["perplexity"] / figures["unigram"])
    assert all(row["model"]["tokens"] <= 20 for row in report["sources"])
    # Stories are also measured against the first demo card's baseline: a unigram of the training stories alone.
    for figures in [*(row["model"] for row in report["stories"]), report["stories_pooled"]["model"]]:
        assert figures["stories_ratio"] == pytest.approx(figures["perplexity"] / figures["stories_unigram"])
    assert "stories_ratio" not in report["sources"][0]["model"]
    fluency_report = report["fluency"]
    assert fluency_report["settings"]["max_new_tokens"] == 80 and fluency_report["settings"]["top_k"] == 50
    assert len(fluency_report["samples"]) == 3
    scores = {kind: score["mean"] for kind, score in fluency_report["scores"].items()}
    assert set(scores) == {"real", "shuffled", "model", "baseline"}
    assert scores["real"] > scores["shuffled"]
    assert fluency_report["gap_closed"] == pytest.approx(
        (scores["model"] - scores["baseline"]) / (scores["real"] - scores["baseline"]))
    assert [type(target["pass"]) for target in report["targets"]] == [bool, bool, bool]
    # The story target is judged by the ratio to the stories-only unigram (the 0.42x baseline),
    # the harder one: judged by the mixture's, round 1 "passed" at 0.244 while missing at 0.330.
    assert report["targets"][0]["value"] == max(row["model"]["stories_ratio"] for row in report["stories"])
    assert report["seconds"] > 0

    markdown = (tmp_path / "out.md").read_text(encoding="utf-8")
    for heading in ("### Held-out stories", "### Held-out slice of every source", "### Fluency of samples",
                    "### Targets"):
        assert heading in markdown
    for name in ("B사감과 러브레터", "늙은 어부", "all together", "reviews (informal): reviews", "old model",
                 "stories only", "real text, syllables shuffled"):
        assert name in markdown
    assert markdown.count("| pass |") + markdown.count("| **miss** |") == 2 + 1 + 2 + 3


def test_the_script_says_what_is_missing(tmp_path, evaluate_script):
    with pytest.raises(SystemExit, match="holds no mixture.json: make it with scripts/demo_corpus.py"):
        evaluate_script.main(["--work", str(tmp_path)])
    with pytest.raises(SystemExit, match="corpora folder .* does not exist"):
        evaluate_script.main(["--corpora", str(tmp_path / "nowhere")])
