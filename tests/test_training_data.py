"""Pretraining on a data mixture: sources streamed by weight, packed with </s>, held out by source
(engine/training/data.py), and `storyteller train` with a token budget, a schedule and early stopping."""

import json
import threading
from collections import Counter
from pathlib import Path

import pytest

from storyteller.engine.models.tokenizer import load_tokenizer
from storyteller.engine.training.data import documents, held_out_blocks, interleaved_documents, load_mixture, pack
from storyteller.engine.training.trainer import TrainConfig, TrainingCancelled, TrainingError, train

ROOT = Path(__file__).resolve().parent.parent
TOKENIZER = ROOT / "resources" / "tokenizer" / "kogpt2"
STORY = ["바닷가 마을에 늙은 어부가 살았다.\n그는 매일 새벽 배를 띄웠다.",
         "파도가 높은 날에도 그는 그물을 던졌다.\n마을 사람들은 그를 걱정했다."]
REVIEWS = [f"{n}번째로 본 영화인데 정말 재미있었어요" for n in range(40)]


def write_source(path: Path, docs: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(docs) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def mixture(tmp_path):
    write_source(tmp_path / "train/stories.txt", [f"{i}. {STORY[i % 2]}" for i in range(20)])
    write_source(tmp_path / "held/stories.txt", ["늙은 어부는 바다를 바라보았다.\n파도가 잔잔했다."] * 8)
    write_source(tmp_path / "train/reviews.txt", REVIEWS)
    write_source(tmp_path / "held/reviews.txt", ["배우들의 연기가 정말 좋았어요"] * 30)
    path = tmp_path / "mixture.json"
    path.write_text(json.dumps({
        "format": "storyteller-mixture", "version": 1, "eval_blocks_per_source": 2,
        "sources": [
            {"name": "stories", "train": "train/stories.txt", "held_out": "held/stories.txt", "weight": 3,
             "genre": "narrative", "license": "CC BY-SA 4.0"},
            {"name": "reviews", "train": "train/reviews.txt", "held_out": "held/reviews.txt", "weight": 0.5,
             "genre": "reviews", "license": "CC0 1.0"},
        ]}), encoding="utf-8")
    return path


def test_documents_are_separated_by_blank_lines_and_keep_their_lines(tmp_path):
    path = write_source(tmp_path / "a.txt", STORY)
    assert list(documents(path)) == STORY


def test_a_pass_reads_each_source_by_its_weight_interleaved(mixture):
    drawn = list(interleaved_documents(load_mixture(mixture), seed=1))
    by_source = Counter(name for name, _ in drawn)
    assert by_source["stories"] == 60  # weight 3: every story three times
    assert 10 <= by_source["reviews"] <= 30  # weight 0.5: about half of the 40 reviews
    stories = Counter(doc for name, doc in drawn if name == "stories")
    assert set(stories.values()) == {3}
    first_half = {name for name, _ in drawn[: len(drawn) // 2]}
    assert first_half == {"stories", "reviews"}  # mixed, not one source after the other
    assert drawn == list(interleaved_documents(load_mixture(mixture), seed=1))  # the seed decides
    assert drawn != list(interleaved_documents(load_mixture(mixture), seed=2))


def test_any_stretch_of_a_pass_reads_sources_in_their_share_of_text_whatever_their_document_lengths(tmp_path):
    # 30 long documents against 3,000 short ones, the same text in all: drawn by the bytes each had
    # left, the long ones filled 97 % of the first half (a round shorter than a pass read mostly stories).
    write_source(tmp_path / "long.txt", ["가" * 333] * 30)
    write_source(tmp_path / "short.txt", ["나다라"] * 3000)
    path = tmp_path / "mixture.json"
    path.write_text(json.dumps({"format": "storyteller-mixture", "version": 1, "sources": [
        {"name": "long", "train": "long.txt"}, {"name": "short", "train": "short.txt"}]}), encoding="utf-8")
    drawn = list(interleaved_documents(load_mixture(path), seed=3))
    for part in (drawn[: len(drawn) // 4], drawn[: len(drawn) // 2]):
        characters = Counter()
        for name, document in part:
            characters[name] += len(document)
        assert 0.3 < characters["long"] / sum(characters.values()) < 0.7, characters


def test_a_mixture_smaller_than_a_block_still_fills_blocks_and_an_empty_one_says_so(tmp_path):
    from storyteller.engine.training.data import MixtureStream

    write_source(tmp_path / "tiny.txt", ["바다"])
    path = tmp_path / "mixture.json"
    path.write_text(json.dumps({"format": "storyteller-mixture", "version": 1, "sources": [
        {"name": "tiny", "train": "tiny.txt"}]}), encoding="utf-8")
    tokenizer = load_tokenizer(TOKENIZER)
    stream = iter(MixtureStream(load_mixture(path), tokenizer, 16, seed=0))  # it waited forever
    block = next(stream)["input_ids"].tolist()
    assert len(block) == 16 and block.count(tokenizer.eos_token_id) >= 4
    # One document read in three passes in ten (weight 0.3): passes that draw nothing are read past.
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sources"][0]["weight"] = 0.3
    path.write_text(json.dumps(data), encoding="utf-8")
    assert len(next(iter(MixtureStream(load_mixture(path), tokenizer, 16, seed=0)))["input_ids"]) == 16
    (tmp_path / "tiny.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="has no text to train on"):
        next(iter(MixtureStream(load_mixture(path), tokenizer, 16, seed=0)))


def test_packing_joins_documents_with_end_of_text_into_full_blocks():
    tokenizer = load_tokenizer(TOKENIZER)
    blocks = list(pack(STORY * 5, tokenizer, 16))
    assert blocks and all(len(block) == 16 for block in blocks)
    stream = [t for block in blocks for t in block]
    expected = [t for doc in STORY * 5 for t in tokenizer.encode(doc) + [tokenizer.eos_token_id]]
    assert stream == expected[: len(stream)]


def test_held_out_blocks_come_from_each_source_up_to_the_cap(mixture):
    blocks = held_out_blocks(load_mixture(mixture), load_tokenizer(TOKENIZER), 16)
    assert set(blocks) == {"stories", "reviews"} and all(len(b) == 2 for b in blocks.values())


@pytest.mark.parametrize("change, message", [
    ({"format": "something"}, "is not a data mixture"),
    ({"version": 9}, "has version 9"),
    ({"sources": []}, "lists no sources"),
    ({"sources": [{"name": "stories", "train": "missing.txt"}]}, "missing.txt does not exist"),
    ({"sources": [{"name": "stories", "train": "train/stories.txt", "weight": 0}]}, "has weight 0"),
    ({"sources": [{"name": "stories", "held_out": "held/stories.txt"}]}, 'names no "train" file'),
    ({"sources": [{"name": "a", "train": "train/stories.txt"}, {"name": "a", "train": "train/reviews.txt"}]},
     "Two sources in .* are named a"),
])
def test_a_bad_mixture_is_a_clear_error(mixture, change, message):
    data = json.loads(mixture.read_text(encoding="utf-8"))
    data.update(change)
    mixture.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(TrainingError, match=message):
        load_mixture(mixture)


def scratch_config(mixture, output, **changes):
    values = dict(dataset_path=str(mixture), output_dir=str(output), model="scratch", tokenizer=str(TOKENIZER),
                  n_layer=1, n_embd=32, n_head=2, n_positions=64, block_size=32, per_device_train_batch_size=2,
                  max_tokens=32 * 2 * 12, logging_steps=1, learning_rate=3e-3, warmup_steps=2,
                  lr_scheduler_type="cosine", save_steps=4, name="mixed", license="CC BY-NC-SA 4.0")
    values.update(changes)
    return TrainConfig(**values)


def test_training_streams_a_mixture_to_a_token_budget_and_reports_held_out_perplexity(mixture, tmp_path):
    # A third source holds out less than one block: the card says it went unmeasured.
    write_source(tmp_path / "train/synopses.txt", ["한 어부가 바다에서 인어를 만난다."] * 4)
    write_source(tmp_path / "held/synopses.txt", ["인어가 운다."])
    data = json.loads(mixture.read_text(encoding="utf-8"))
    data["sources"].append({"name": "synopses", "train": "train/synopses.txt", "held_out": "held/synopses.txt"})
    mixture.write_text(json.dumps(data), encoding="utf-8")
    progress = []
    final = train(scratch_config(mixture, tmp_path / "out", precision="bf16"), progress=progress.append)
    assert progress[-1].step == 12 and progress[-1].max_steps == 12  # 768 tokens / (2 x 32) per step
    assert progress[-1].epoch is None and "epoch" not in progress[-1].describe()  # a stream has no epochs
    assert any(p.eval_perplexity is not None for p in progress)
    losses = [p.loss for p in progress if p.loss is not None]
    assert losses[-1] < losses[0]
    card = (final / "README.md").read_text(encoding="utf-8")
    assert "768 tokens streamed in blocks of 32, 12 optimizer steps" in card
    assert "stories (narrative, weight 3, CC BY-SA 4.0)" in card and "reviews (reviews, weight 0.5, CC0 1.0)" in card
    assert "Held-out perplexity" in card and '"lr_scheduler_type": "cosine"' in card
    assert "(not of synopses: held-out text shorter than one block)" in card


def test_a_streamed_run_resumes_from_its_checkpoint(mixture, tmp_path):
    cancel = threading.Event()

    def stop_at_five(progress):
        if progress.step >= 5:
            cancel.set()

    with pytest.raises(TrainingCancelled):
        train(scratch_config(mixture, tmp_path / "out"), progress=stop_at_five, cancel=cancel)
    # Resumed with another budget, the schedule would bend and the card would record a length never run.
    with pytest.raises(TrainingError, match="was started for 12 steps, but these options make 20"):
        train(scratch_config(mixture, tmp_path / "out", resume=True, max_tokens=32 * 2 * 20))
    resumed = []
    train(scratch_config(mixture, tmp_path / "out", resume=True), progress=resumed.append)
    assert min(p.step for p in resumed) > 4 and resumed[-1].step == 12


def test_early_stopping_ends_a_run_whose_held_out_loss_stops_falling(mixture, tmp_path):
    # A learning rate this high makes the held-out loss rise after the first evaluations.
    progress = []
    train(scratch_config(mixture, tmp_path / "out", max_tokens=32 * 2 * 200, learning_rate=0.5, warmup_steps=0,
                         early_stopping_patience=1, lr_scheduler_type="constant_with_warmup"),
          progress=progress.append)
    assert progress[-1].step < 200


@pytest.mark.parametrize("change, message", [
    ({"max_tokens": 0}, "give a token budget with --max_tokens"),
    ({"max_steps": 5}, "Give --max_tokens or --max_steps, not both"),
])
def test_a_mixture_needs_one_budget(mixture, tmp_path, change, message):
    with pytest.raises(TrainingError, match=message):
        train(scratch_config(mixture, tmp_path / "out", **change))

