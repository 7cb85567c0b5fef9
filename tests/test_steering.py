"""Steering: Korean word expansion, the hook interface, each steerer's effect on a small real
model, strength 0 as identity, settings, topic lists and the CLI flags."""

from __future__ import annotations

import json

import pytest
import torch

from storyteller.engine.core.errors import SettingError
from storyteller.engine.decode.generator import Generator
from storyteller.engine.decode.requests import DecodeHooks, GenerationRequest, StepProgress, TopTokens
from storyteller.engine.korean.words import count_mentions, particles, surface_forms, token_table
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.steering import LatentOptions, SteeringSettings
from storyteller.engine.steering import steering_hooks
from storyteller.engine.steering.build import build_steerers, decode_hooks
from storyteller.engine.steering.latent import Perturber
from storyteller.engine.steering.mood import MoodError, load_head, mood_pairs, mood_vector, story_mood, train_head
from storyteller.engine.steering.report import (
    FRAGMENTS,
    PUNCTUATION,
    REPETITION,
    PplmSpeed,
    degeneration,
    pplm_seconds,
    steering_notes,
)
from storyteller.engine.steering.steerers import BagOfWords, Discriminator, MoodVector, WordBias
from storyteller.engine.steering.topics import read_topic_lists, topic_words
from tests.helpers.cli import storyteller
from tests.helpers.paths import KOGPT2_TOKENIZER_DIR, ROOT

SEA = ["바다", "파도", "항구", "선원", "갈매기", "수평선"]
PROMPT = "그날 밤 우리는 마을을 떠났다."


def ids_of(tokenizer, *pieces):
    return [tokenizer.convert_tokens_to_ids(piece) for piece in pieces]


# -- Korean words ---------------------------------------------------------------------------------


def test_particles_follow_the_final_consonant():
    assert {"가", "는", "를", "와", "로"} <= set(particles("바다"))
    assert not {"이", "은", "을", "과", "으로"} & set(particles("바다"))
    assert {"이", "은", "을", "과", "으로"} <= set(particles("사람"))
    assert "로" in particles("길") and "으로" not in particles("길")  # ㄹ takes 로
    assert "바다에서" in surface_forms("바다")


def test_mentions_count_particles_but_not_longer_words():
    text = "사랑채에 앉아 사랑은 무엇인가 생각했다. 철수가 웃었다. 바다를 보며 바닷가로 갔다."
    assert count_mentions(text, ["사랑"]) == 1  # 사랑은, not 사랑채
    assert count_mentions(text, ["철수"]) == 1
    assert count_mentions(text, ["바다"]) == 1  # 바다를, not 바닷가


def test_token_table_expands_words_with_and_without_the_word_start_marker(kogpt2_tokenizer):
    table = token_table(kogpt2_tokenizer, ["바다", "사랑", "갈매기", "수평선"])
    anywhere = table.anywhere
    sea, sea_object, love, guest_room = ids_of(kogpt2_tokenizer, "▁바다", "▁바다를", "▁사랑", "▁사랑채")
    assert anywhere[sea] == 1.0 and anywhere[sea_object] == 1.0  # ▁바다를 is one token of its own
    assert anywhere[love] == 1.0 and guest_room not in anywhere  # 사랑채 is not 사랑
    assert anywhere[ids_of(kogpt2_tokenizer, "바다")[0]] == 0.5  # glued: after a quote
    gull_start, gull_rest = ids_of(kogpt2_tokenizer, "▁갈", "매기")
    assert gull_start not in anywhere  # ▁갈 begins too many other words to favour it alone
    assert table.continuing([gull_start])[gull_rest] == 1.0  # but once begun, 갈매기 is encouraged
    horizon_start, horizon_rest = ids_of(kogpt2_tokenizer, "▁수평", "선")
    assert anywhere[horizon_start] == 0.5 and table.continuing([horizon_start])[horizon_rest] == 1.0


# -- settings and topic lists ---------------------------------------------------------------------


def test_settings_validate_and_round_trip():
    settings = SteeringSettings(topics=["sea"], words=[" 철수 ", ""], topic_strength=0.7, mood=-0.5,
                                latent={"iterations": 2})
    assert settings.words == ("철수",) and settings.latent.iterations == 2
    assert SteeringSettings.from_json(json.loads(json.dumps(settings.to_json()))) == settings
    assert not SteeringSettings().active and SteeringSettings(topics=("sea",)).active is False  # strength 0
    with pytest.raises(SettingError, match="topic_strength must be between 0.0 and 1.0"):
        SteeringSettings(topic_strength=2)
    with pytest.raises(SettingError, match="mood_method must be one of vector, pplm"):
        SteeringSettings(mood_method="magic")
    with pytest.raises(SettingError, match="Unknown steering setting"):
        SteeringSettings.from_json({"colour": 1})


def test_builtin_topic_lists_and_user_lists(tmp_path, monkeypatch):
    lists, problems = read_topic_lists()
    assert not problems and len(lists) >= 8 and all(len(t.words) >= 50 for t in lists.values())
    assert {"sea", "war", "magic", "horror", "love", "space", "food", "nature"} <= set(lists)
    assert lists["sea"].name == "바다" and "파도" in lists["sea"].words
    monkeypatch.setenv("STORYTELLER_DATA_DIR", str(tmp_path))
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "tea.txt").write_text("# name: 차\n녹차\n홍차\n\n# a comment\n찻잔\n", encoding="utf-8")
    assert topic_words(["tea"], ["다기"]) == ["녹차", "홍차", "찻잔", "다기"]
    assert not read_topic_lists()[0]["tea"].builtin
    with pytest.raises(SettingError, match="no topic list named nope.*sea.*tea"):
        topic_words(["nope"])


def test_a_broken_topic_file_hides_only_itself_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYTELLER_DATA_DIR", str(tmp_path))
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "empty.txt").write_text("# name: 빈 목록\n", encoding="utf-8")
    (tmp_path / "topics" / "sea.txt").write_bytes(b"\xff\xfe\x00broken")  # meant to replace the built-in
    lists, problems = read_topic_lists()
    assert "war" in lists and "empty" not in lists and "sea" not in lists
    assert set(problems) == {"empty", "sea"}
    with pytest.raises(SettingError, match="empty.txt has no words: write one word per line"):
        topic_words(["empty"])
    with pytest.raises(SettingError, match="Cannot read the topic list .*sea.txt"):
        topic_words(["sea"])
    assert topic_words(["war"])[:1] == [lists["war"].words[0]]


# -- the loop with steering -----------------------------------------------------------------------


def run(generator, steering=None, hooks=None, seed=1, tokens=24, prompt=PROMPT, **settings):
    request = GenerationRequest(prompt, GenerationSettings(max_new_tokens=tokens, seed=seed, **settings),
                                steering=steering, hooks=hooks)
    return generator.generate(request)


@pytest.fixture(scope="module")
def generator(tiny_loaded):
    return Generator(tiny_loaded, steer=steering_hooks)


@pytest.fixture
def on_each_runtime(runtime_loaded):
    """A generator on PyTorch, then on the int8 ONNX export: the logits stage works on both, and
    steering inside the model moves to PyTorch by itself."""
    return Generator(runtime_loaded, steer=steering_hooks)


@pytest.mark.parametrize(
    "steering",
    [
        SteeringSettings(topics=("sea",), topic_strength=0.0),
        SteeringSettings(topics=("sea",), topic_strength=0.0, topic_method="pplm"),
        SteeringSettings(mood=0.0, mood_method="pplm"),
        SteeringSettings(mood=0.0),
    ],
)
def test_strength_zero_is_identical_to_no_steering(on_each_runtime, steering):
    generator = on_each_runtime
    plain = run(generator, None, seed=4, num_candidates=2)
    steered = run(generator, steering, seed=4, num_candidates=2)
    assert steered.token_ids == plain.token_ids and steered.steering is None
    assert steered.runtime == plain.runtime == generator.loaded.default_runtime.name


def topic_share(loaded, results, words):
    table = token_table(loaded.tokenizer, words)
    hits = sum(token in table.anywhere for r in results for ids in r.token_ids for token in ids)
    return hits / sum(len(ids) for r in results for ids in r.token_ids)


def test_word_bias_makes_topic_tokens_likelier(on_each_runtime, tiny_loaded):
    """The tiny model's own distribution is nearly flat over 51,200 tokens: the ~100 favoured
    tokens of a topic list (+4 logits each) should take several percent of the draws."""
    generator = on_each_runtime
    words = topic_words(["sea"])
    steering = SteeringSettings(topics=("sea",), topic_strength=1.0)
    plain = [run(generator, None, seed=seed, tokens=40) for seed in range(8)]
    steered = [run(generator, steering, seed=seed, tokens=40) for seed in range(8)]
    shares = [topic_share(tiny_loaded, results, words) for results in (plain, steered)]
    assert shares[0] < 0.015 and shares[1] > 0.03, shares
    assert {r.runtime for r in steered} == {generator.loaded.default_runtime.name}  # the bias needs no PyTorch


def test_banned_words_never_appear(on_each_runtime, tiny_loaded):
    """Ban the words the model wrote unsteered; the same seeds then never write them."""
    generator = on_each_runtime
    tokenizer = tiny_loaded.tokenizer
    plain = [run(generator, None, seed=seed, tokens=30).token_ids[0] for seed in range(3)]
    pieces = {tokenizer.convert_ids_to_tokens(t) for ids in plain for t in ids}
    words = sorted(p[1:] for p in pieces if p.startswith("▁") and len(p) > 2 and all("가" <= c <= "힣" for c in p[1:]))
    assert len(words) >= 3
    banned = set(ids_of(tokenizer, *("▁" + w for w in words)))
    steered = [run(generator, SteeringSettings(banned=tuple(words)), seed=seed, tokens=30).token_ids[0]
               for seed in range(3)]
    assert not banned & {t for ids in steered for t in ids}


def watch_bag(perturber, table, loaded):
    """A step hook around `perturber` recording the bag's probability without and with it."""
    bag = torch.zeros(loaded.model.config.vocab_size, dtype=torch.bool)
    bag[list(table.anywhere)] = True
    seen = []

    def hook(context):
        steered = perturber(context)
        plain = torch.softmax(context.logits.float(), -1)[0, bag].sum()
        seen.append((float(plain), float(torch.softmax(steered, -1)[0, bag].sum())))
        return steered

    return hook, seen


def test_pplm_bag_of_words_raises_the_topic_probability(generator, tiny_loaded):
    table = token_table(tiny_loaded.tokenizer, topic_words(["sea"]))
    perturber = Perturber(tiny_loaded, [BagOfWords(table, 1.0)], LatentOptions(step_size=0.5, iterations=5),
                          max_new_tokens=8)
    hook, seen = watch_bag(perturber, table, tiny_loaded)
    hooks = DecodeHooks(block_hooks=[(perturber.first - 1, perturber.capture)], step_hook=hook)
    run(generator, hooks=hooks, tokens=8)
    # A random 2-layer model gives the keys/values little say over its output: a small but
    # steady rise is what there is to see here (bench_steering.py measures a trained model).
    assert len(seen) == 8 and all(steered > plain * 1.02 for plain, steered in seen), seen
    assert perturber.report()["optimised_tokens"] == 8


def test_upper_pass_reproduces_the_model_when_unperturbed(generator, tiny_loaded):
    table = token_table(tiny_loaded.tokenizer, SEA)
    perturber = Perturber(tiny_loaded, [BagOfWords(table, 1.0)], LatentOptions(grad_length=0), max_new_tokens=4)
    gaps = []

    def hook(context):
        past = perturber._past(context)
        perturber._input = perturber.captured.clone()
        logits, _ = perturber._upper_pass(past)
        gaps.append((logits - context.logits).abs().max().item())

    run(generator, hooks=DecodeHooks(block_hooks=[(perturber.first - 1, perturber.capture)], step_hook=hook), tokens=4)
    assert len(gaps) == 4 and max(gaps) < 1e-4


def test_pplm_keeps_the_prompt_cache_clean(generator):
    """The perturbation lives beside the cache: an unsteered request after a steered one reuses
    the prompt's keys/values and writes exactly what it writes on a fresh generator."""
    steering = SteeringSettings(words=tuple(SEA), topic_strength=1.0, topic_method="pplm")
    fresh = run(Generator(generator.loaded, steer=steering_hooks), None, seed=2)
    run(generator, steering, seed=2)
    after = run(generator, None, seed=2)
    assert after.reused_tokens > 0 and after.token_ids == fresh.token_ids


def test_pplm_reports_progress_and_falls_back_to_word_bias_when_out_of_time(generator):
    steering = SteeringSettings(words=tuple(SEA), topic_strength=1.0, topic_method="pplm", max_seconds=1e-6)
    events = list(generator.stream(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=6, seed=1),
                                                     steering=steering)))
    progress = [e for e in events if isinstance(e, StepProgress)]
    assert [p.step for p in progress] == list(range(1, 7)) and all(p.total == 6 for p in progress)
    # Token 1 was PPLM's; from token 2 on the word bias wrote, and the progress says so.
    assert [p.steered for p in progress] == [True] + [False] * 5
    report = events[-1].result.steering
    assert report["budget_fallback_at_token"] == 2 and report["optimised_tokens"] == 1
    assert report["fallback"] == "word bias" and report["time_limit_s"] == 1e-6
    assert steering_notes(report)[0].template.startswith("PPLM reached its time limit")
    assert "at token 2 and wrote the rest with the word bias" in str(steering_notes(report)[0])


def test_pplm_falls_back_where_the_measured_speed_says_and_really_stops_there(generator, monkeypatch):
    """Issue 27: with a 1 s limit the progress showed PPLM steering at token 125 while the result said it
    fell back at the first token; the projection took every token to cost as much as an optimising one.
    Here each token takes 0.1 s on PPLM's clock: optimising tokens 1-4 project the rest at a quarter of
    that (the mixing estimate), which fits the limit; the first mixing token measures 0.1 s, and then
    the rest no longer fits: token 6 is the first written without PPLM, and none after it is steered."""
    from types import SimpleNamespace

    from storyteller.engine.steering import latent

    clock = iter(range(1000))
    monkeypatch.setattr(latent, "time", SimpleNamespace(perf_counter=lambda: next(clock) * 0.1))
    steering = SteeringSettings(words=tuple(SEA), topic_strength=1.0, topic_method="pplm", max_seconds=1.0,
                                latent=LatentOptions(grad_length=4))
    events = list(generator.stream(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=12, seed=1),
                                                     steering=steering)))
    progress = [e.steered for e in events if isinstance(e, StepProgress)]
    assert progress == [True] * 5 + [False] * 7
    report = events[-1].result.steering
    assert report["budget_fallback_at_token"] == 6 and report["optimised_tokens"] == 4
    assert report["seconds_per_optimised_token"] == pytest.approx(0.1)
    assert report["seconds_per_mixed_token"] == pytest.approx(0.1)


def test_the_pplm_estimate_comes_from_its_measured_speed(generator):
    """A PPLM run's report holds its speed while optimising and while mixing; the estimate made from it
    for the same length comes back to the run's own time (the panel's estimate for the next run)."""
    steering = SteeringSettings(words=tuple(SEA), topic_strength=1.0, topic_method="pplm",
                                latent=LatentOptions(grad_length=5))
    result = run(generator, steering, tokens=20, min_new_tokens=20)
    speed = PplmSpeed.of_report(result.steering)
    assert speed.optimised > speed.mixed > 0
    estimate = pplm_seconds(speed, 20, 5, result.time_to_first_token)
    assert estimate == pytest.approx(result.seconds, rel=0.3)


@pytest.mark.parametrize("text, kind", [
    ("", None),
    (' 그날 밤 나는 편지를 열었다. "누구세요?" 그는 대답하지 않았다. 창밖으로 바람이 불었고, 나는 다시 편지를 읽었다.',
     None),
    (' "', PUNCTUATION),
    (' "..." !! ?" ,,, ." ', PUNCTUATION),
    ("바다가 보인다. " * 12, REPETITION),
    ((" 저번에 이 소녀를 하루는 소철경 선일 신폭문 장동 공불 자 배 주 오 웃 웃 배 내 전 지 친구 오르 반"
      " 새 왕 눈들 바 개 사 오 치 오시 박 마 구 추기 들 고 달 자 떨다 대 눈 팔 너"), FRAGMENTS),
])
def test_a_text_that_fell_apart_is_told_from_a_plain_one(text, kind):
    assert degeneration(text) == kind


def test_pplm_that_breaks_the_demo_model_says_so_and_what_to_try(capsys):
    """Issue 27: PPLM topic steering on the demo model writes syllable salad (or, tidied, a lone quote
    mark) and said only "Done". The report names what happened, and the CLI says what to try."""
    from storyteller import cli
    from storyteller.engine.core.paths import resource

    code = cli.main(["generate", "--model", str(resource("models", "demo")),
                     "--prompt", "그날 밤, 나는 오래된 편지를 열었다.", "--length", "80", "--seed", "1",
                     "--steer-topic", "sea", "--steer-strength", "0.6", "--steer-method", "pplm", "--json"])
    out, err = capsys.readouterr()
    report = json.loads(out)["steering"]
    assert code == 0 and report["degenerate"] == [FRAGMENTS]
    assert "broke the text into single syllables" in err and "too small for PPLM" in err
    assert "`--steer-method bias`" in err and "`storyteller models download skt/kogpt2-base-v2`" in err
    note = steering_notes(report)[-1]  # what the GUI shows: the menu path instead of the flag
    assert note.params["advice"].params["fast"].action == "“Steering → Topic → Method → Word bias (fast)”"


@pytest.fixture(scope="module")
def tiny_head(tiny_loaded, tmp_path_factory):
    folder = tmp_path_factory.mktemp("head")
    lines = (ROOT / "resources" / "steering" / "sentiment" / "nsmc_test.tsv").read_text(encoding="utf-8").splitlines()
    (folder / "reviews.tsv").write_text("\n".join(lines[:201]) + "\n", encoding="utf-8")
    card = train_head(tiny_loaded, folder / "reviews.tsv", folder / "out", cache_dir=folder / "cache", epochs=50)
    return folder, card


def test_train_head_writes_a_head_with_its_card_and_caches_features(tiny_loaded, tiny_head, monkeypatch):
    folder, card = tiny_head
    assert (folder / "out" / "mood_head.safetensors").is_file() and card["labels"] == ["dark", "bright"]
    assert 0 <= card["accuracy"]["held_out"] <= 1 and "180 reviews" in card["trained_on"]
    assert len(list((folder / "cache").glob("features-*.safetensors"))) == 1
    monkeypatch.setattr("storyteller.engine.steering.mood.user_heads_dir", lambda path: folder / "out")
    head = load_head(tiny_loaded)
    assert 0 <= story_mood(tiny_loaded, head, "햇살이 따뜻했다.") <= 1


# How far the meter may read on the int8 export from the fp32 PyTorch model, on a 0-1 scale: the
# demo's shipped head differed by 0.009 at most (0.003 on average) over the mood pairs.
METER_TOLERANCE = 0.03


def test_the_head_trained_on_pytorch_reads_the_same_on_the_int8_export(tiny_loaded, tiny_onnx_loaded, tiny_head,
                                                                       monkeypatch):
    folder, _ = tiny_head
    monkeypatch.setattr("storyteller.engine.steering.mood.user_heads_dir", lambda path: folder / "out")
    texts = [text for pair in mood_pairs()[:6] for text in pair]
    on_torch = [story_mood(tiny_loaded, load_head(tiny_loaded), text) for text in texts]
    on_onnx = [story_mood(tiny_onnx_loaded, load_head(tiny_onnx_loaded), text) for text in texts]
    assert max(abs(a - b) for a, b in zip(on_torch, on_onnx)) <= METER_TOLERANCE


def test_the_demos_meter_on_its_shipped_export_agrees_with_pytorch(isolated):
    """The meter reads the int8 export's last layer (its 'hidden' output) through a numpy head:
    on the demo and the head it ships with, as a writer opens it."""
    from storyteller.engine.models.loading import load_model

    demo = ROOT / "resources" / "models" / "demo"
    on_onnx, on_torch = load_model(demo, "cpu", runtime="onnx"), load_model(demo, "cpu", runtime="torch")
    head = load_head(on_onnx)
    assert head.weight.dtype.name == "float32" and on_onnx._model is None
    texts = [text for pair in mood_pairs()[:20] for text in pair] + ["옛날 옛적에 깊은 산속에 나무꾼이 살았다. " * 12]
    onnx_readings = [story_mood(on_onnx, head, text) for text in texts]
    torch_readings = [story_mood(on_torch, load_head(on_torch), text) for text in texts]
    assert on_onnx._model is None  # no PyTorch copy beside the int8 one
    assert max(abs(a - b) for a, b in zip(onnx_readings, torch_readings)) <= METER_TOLERANCE
    assert max(torch_readings) - min(torch_readings) > 0.3  # the texts read differently: the test can fail


def test_missing_head_says_how_to_train_one(tiny_loaded, tmp_path, monkeypatch):
    monkeypatch.setenv("STORYTELLER_DATA_DIR", str(tmp_path))
    with pytest.raises(MoodError, match="train-head") as raised:
        load_head(tiny_loaded)
    # The CLI prints str(error), naming its command; the GUI shows the template, naming its button.
    assert "Train mood head button" in raised.value.template and "train-head" not in raised.value.template
    assert "storyteller train-head --model" in str(raised.value)


def test_pplm_discriminator_moves_the_state_toward_the_mood(generator, tiny_loaded, tiny_head, monkeypatch):
    folder, _ = tiny_head
    monkeypatch.setattr("storyteller.engine.steering.mood.user_heads_dir", lambda path: folder / "out")
    head = load_head(tiny_loaded).linear
    for mood in (1.0, -1.0):
        perturber = Perturber(tiny_loaded, [Discriminator(head, mood)], LatentOptions(step_size=0.1), max_new_tokens=6)
        moved = []

        def hook(context, perturber=perturber, moved=moved, mood=mood):  # this turn's values, bound
            past = perturber._past(context)
            perturber._input = perturber.captured.clone()
            with torch.no_grad():
                before = torch.softmax(head(perturber._upper_pass(past)[1]), -1)[0, 1]
            steered = perturber(context)
            with torch.no_grad():
                after = torch.softmax(head(perturber._upper_pass(perturber._past(context))[1]), -1)[0, 1]
            moved.append(float(after - before) * mood)
            return steered

        hooks = DecodeHooks(block_hooks=[(perturber.first - 1, perturber.capture)], step_hook=hook, needs_hidden=True)
        run(generator, hooks=hooks, tokens=6)
        assert all(change > 0 for change in moved), moved


def test_mood_vector_is_added_at_its_block_and_keeps_its_own_cache(on_each_runtime, tiny_loaded):
    generator = on_each_runtime
    layer, direction = mood_vector(tiny_loaded)
    assert direction.shape == (tiny_loaded.model.config.n_embd,) and direction.abs().sum() > 0
    steerers = build_steerers(SteeringSettings(mood=1.0), tiny_loaded)
    assert isinstance(steerers[0], MoodVector) and steerers[0].layer == layer
    run(generator, None, seed=3)
    steered = run(generator, SteeringSettings(mood=1.0), seed=3)
    assert steered.reused_tokens == 0  # the vector changes the prompt's keys/values: never reuse
    again = run(generator, SteeringSettings(mood=1.0), seed=3)
    assert again.reused_tokens > 0 and again.token_ids == steered.token_ids
    assert steered.runtime == "torch"  # a block hook: PyTorch, whatever the model's runtime
    # the tiny model's nearly flat distribution samples the same tokens; its probabilities move
    def first_top(mood):
        request = GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=1, seed=3), report_top_k=5,
                                    steering=SteeringSettings(mood=mood))
        return next(e for e in generator.stream(request) if isinstance(e, TopTokens)).candidates[0]

    assert first_top(1.0) != first_top(-1.0)


def test_steerers_combine_in_one_set_of_hooks(tiny_loaded, tiny_head, monkeypatch):
    folder, _ = tiny_head
    monkeypatch.setattr("storyteller.engine.steering.mood.user_heads_dir", lambda path: folder / "out")
    settings = SteeringSettings(words=tuple(SEA), topic_strength=0.5, topic_method="pplm", banned=("철수",),
                                mood=0.5, mood_method="pplm")
    steerers = build_steerers(settings, tiny_loaded)
    assert [type(s) for s in steerers] == [BagOfWords, WordBias, Discriminator]  # bans: phrase_bans.py
    hooks = decode_hooks(steerers, tiny_loaded, settings, max_new_tokens=5)
    assert len(hooks.logits_processors) == 1 and hooks.needs_hidden and hooks.cache_key is None
    assert hooks.step_hook.steerers == [steerers[0], steerers[2]]
    result = run(Generator(tiny_loaded, steer=steering_hooks), settings, tokens=5)
    assert result.new_tokens == 5 and result.steering["optimised_tokens"] == 5


def test_story_steering_reaches_the_request_and_survives_saving(tmp_path):
    from storyteller.engine.models.tokenizer import load_tokenizer
    from storyteller.engine.story.context import ContextBuilder
    from storyteller.engine.story.continuation import plan_continuation
    from storyteller.engine.story.document import Author, Piece, Story
    from storyteller.engine.story.file import load_story, save_story

    story = Story(pieces=[Piece.of(Author.WRITER, PROMPT)])
    story.steering = SteeringSettings(topics=("sea",), topic_strength=0.6)
    save_story(story, tmp_path / "s.story.json")
    loaded = load_story(tmp_path / "s.story.json")
    plan = plan_continuation(loaded, ContextBuilder(load_tokenizer(KOGPT2_TOKENIZER_DIR), 128))
    assert plan.request.steering.topics == ("sea",) and plan.request.steering.topic_strength == 0.6
    loaded.steering = SteeringSettings()
    assert plan_continuation(loaded, ContextBuilder(load_tokenizer(KOGPT2_TOKENIZER_DIR), 128)).request.steering is None


# -- the command line -----------------------------------------------------------------------------


def test_cli_steer_flags(tiny_model_dir, tmp_path):
    base = ["generate", "--model", str(tiny_model_dir), "--prompt", PROMPT, "--length", "6", "--seed", "2", "--json"]
    plain = json.loads(storyteller(*base, tmp_path=tmp_path).stdout)
    done = storyteller(*base, "--steer-topic", "sea", "--steer-strength", "1", "--steer-method", "pplm",
                       "--steer-ban", "철수", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    steered = json.loads(done.stdout)
    assert steered["steering"]["method"] == "pplm" and steered["token_ids"] != plain["token_ids"]
    zero = storyteller(*base, "--steer-topic", "sea", "--steer-strength", "0", tmp_path=tmp_path)
    assert json.loads(zero.stdout)["token_ids"] == plain["token_ids"]
    bad = storyteller(*base, "--steer-topic", "nope", "--steer-strength", "1", tmp_path=tmp_path)
    assert bad.returncode == 2 and "no topic list named nope" in bad.stderr


def test_cli_topics_lists_the_builtin_lists(tmp_path):
    done = storyteller("topics", tmp_path=tmp_path)
    assert done.returncode == 0 and "sea" in done.stdout and "바다" in done.stdout


def test_a_story_file_with_bad_steering_is_refused_with_a_clear_message(tmp_path):
    from storyteller.engine.story.document import Story
    from storyteller.engine.story.file import StoryFileError, load_story, story_to_json

    data = story_to_json(Story())
    data["steering"] = {"topic_strength": 3}
    (tmp_path / "bad.story.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoryFileError, match="steering settings are invalid: steering.topic_strength must be between"):
        load_story(tmp_path / "bad.story.json")
