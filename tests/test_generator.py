"""The decode loop on a tiny real model: equivalence with generate(), streaming, stops, cache.

Every test of the loop runs on both runtimes (`loaded`: PyTorch, then the int8 ONNX export)."""

import threading

import pytest
import torch
from transformers import LogitsProcessor

from storyteller.engine.core.errors import SettingError
from storyteller.engine.decode.generator import Generator
from storyteller.engine.decode.requests import DecodeHooks, Finished, GenerationRequest, TextDelta, TopTokens
from storyteller.engine.settings.generation import GenerationSettings

PROMPT = "옛날 옛적에 깊은 산속 마을에 한 나무꾼이 살았다."


class Bias(LogitsProcessor):
    """Adds a fixed bias to some tokens: a stand-in for steering's logits stage."""

    def __init__(self, token_ids, amount=1000.0, after_step=0, prompt_length=0):
        self.token_ids, self.amount = list(token_ids), amount
        self.after_step, self.prompt_length = after_step, prompt_length

    def __call__(self, input_ids, scores):
        if input_ids.shape[1] - self.prompt_length >= self.after_step:
            scores[:, self.token_ids] += self.amount
        return scores


@pytest.fixture
def loaded(runtime_loaded):
    return runtime_loaded


@pytest.fixture
def generator(loaded):
    return Generator(loaded)


def greedy_reference(loaded, prompt, **generate_kwargs):
    ids = loaded.tokenizer(prompt, return_tensors="pt").input_ids
    out = loaded.model.generate(
        ids, attention_mask=torch.ones_like(ids), do_sample=False, eos_token_id=loaded.stop_ids,
        pad_token_id=loaded.tokenizer.pad_token_id, suppress_tokens=loaded.banned_ids, **generate_kwargs,
    )
    return out[0, ids.shape[1]:].tolist()


def test_greedy_matches_transformers_generate(tiny_loaded):
    generator, loaded = Generator(tiny_loaded), tiny_loaded
    settings = GenerationSettings(greedy=True, max_new_tokens=40, repetition_penalty=1.3, no_repeat_ngram_size=3)
    result = generator.generate(GenerationRequest(PROMPT, settings))
    expected = greedy_reference(
        loaded, PROMPT, max_new_tokens=40, repetition_penalty=1.3, no_repeat_ngram_size=3
    )
    assert result.token_ids[0] == [t for t in expected if t not in loaded.stop_ids]
    assert len(result.token_ids[0]) > 10


def test_onnx_greedy_matches_a_plain_greedy_loop_on_its_runtime(tiny_onnx_loaded):
    """What generate() is to PyTorch: the loop on ONNX (prefill, one token at a time, processors,
    bans, stop tokens) against a bare greedy loop over the runtime with transformers' processors.
    Feeding everything afresh each step would differ slightly: int8 activations are quantized
    with a scale computed over the tokens fed together."""
    from transformers import NoRepeatNGramLogitsProcessor, RepetitionPenaltyLogitsProcessor

    loaded = tiny_onnx_loaded
    runtime = loaded.runtime
    settings = GenerationSettings(greedy=True, max_new_tokens=30, repetition_penalty=1.3, no_repeat_ngram_size=3)
    result = Generator(loaded).generate(GenerationRequest(PROMPT, settings))
    assert result.runtime == "onnx"
    ids = loaded.tokenizer.encode(PROMPT)
    penalty, ngrams = RepetitionPenaltyLogitsProcessor(1.3), NoRepeatNGramLogitsProcessor(3)
    expected, cache = [], runtime.new_cache()
    runtime.forward([ids[:-1]], cache)  # the prompt's last token in a pass of its own, as the generator feeds it
    logits, _ = runtime.forward([ids[-1:]], cache)
    for _ in range(30):
        fresh, _ = runtime.forward([ids + expected], runtime.new_cache())
        assert abs(fresh - logits).max() < 0.05  # the cache holds what a fresh pass computes
        sequence = torch.tensor([ids + expected])
        scores = ngrams(sequence, penalty(sequence, torch.from_numpy(logits.copy())))
        scores[:, loaded.banned_ids] = -float("inf")
        token = int(scores.argmax())
        if token in loaded.stop_ids:
            break
        expected.append(token)
        logits, _ = runtime.forward([[token]], cache)
    assert result.token_ids[0] == expected and len(expected) > 10


def test_sampling_is_reproducible_with_a_seed(generator):
    settings = GenerationSettings(max_new_tokens=30, seed=1234, temperature=0.9, top_k=40, top_p=0.95, typical_p=0.9)
    first = generator.generate(GenerationRequest(PROMPT, settings))
    generator.forget_cache()
    second = Generator(generator.loaded).generate(GenerationRequest(PROMPT, settings))
    third = generator.generate(GenerationRequest(PROMPT, settings.replace(seed=99)))
    assert first.token_ids == second.token_ids
    assert first.texts == second.texts and first.seed == 1234
    assert third.token_ids != first.token_ids


def test_unseeded_results_report_their_seed_for_replay(generator):
    settings = GenerationSettings(max_new_tokens=15)
    result = generator.generate(GenerationRequest(PROMPT, settings))
    replay = generator.generate(GenerationRequest(PROMPT, settings.replace(seed=result.seed)))
    assert replay.token_ids == result.token_ids


def test_streamed_deltas_add_up_to_the_result(generator):
    events = list(generator.stream(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=30, seed=5))))
    assert isinstance(events[-1], Finished)
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta))
    result = events[-1].result
    assert streamed == result.texts[0]
    assert streamed == generator.tokenizer.decode(
        generator.tokenizer.encode(PROMPT) + result.token_ids[0], skip_special_tokens=False
    )[len(PROMPT):].translate({0x110F: 0x314B})  # whole-span decode, not per token


def test_several_candidates_are_batched_and_distinct(generator):
    settings = GenerationSettings(max_new_tokens=12, seed=7, num_candidates=3)
    events = list(generator.stream(GenerationRequest(PROMPT, settings)))
    result = events[-1].result
    assert len(result.texts) == 3 and len(set(result.texts)) == 3
    for index in range(3):
        assert (
            "".join(e.text for e in events if isinstance(e, TextDelta) and e.candidate == index) == result.texts[index]
        )


def test_control_tokens_are_never_emitted_even_when_pushed(generator, loaded):
    vocab = loaded.tokenizer.get_vocab()
    pushed = [vocab[t] for t in ("<unk>", "<pad>", "<mask>", "<usr>", "<sys>", "<d>", "<unused3>", "<s>")]
    hooks = DecodeHooks(logits_processors=[Bias(pushed)])
    result = generator.generate(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=20, seed=1), hooks=hooks))
    assert not set(result.token_ids[0]) & set(pushed)
    assert "<" not in result.texts[0]


def test_emoji_are_generated_and_kept(generator, loaded):
    emoji = loaded.tokenizer.convert_tokens_to_ids("😤")
    hooks = DecodeHooks(logits_processors=[Bias([emoji])])
    result = generator.generate(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=3, seed=1), hooks=hooks))
    assert result.texts[0].strip() == "😤😤😤"


@pytest.mark.parametrize("stop_token", ["</s>", "</d>"])
def test_end_of_text_tokens_stop_generation(generator, loaded, stop_token):
    stop = loaded.tokenizer.convert_tokens_to_ids(stop_token)
    prompt_length = len(loaded.tokenizer.encode(PROMPT))
    hooks = DecodeHooks(logits_processors=[Bias([stop], after_step=4, prompt_length=prompt_length)])
    settings = GenerationSettings(max_new_tokens=30, min_new_tokens=1, seed=1)
    result = generator.generate(GenerationRequest(PROMPT, settings, hooks=hooks))
    assert result.stop_reasons == ["end"]
    assert len(result.token_ids[0]) == 4
    assert stop_token not in result.texts[0]


def test_min_new_tokens_holds_off_the_end(generator, loaded):
    hooks = DecodeHooks(logits_processors=[Bias([loaded.tokenizer.eos_token_id])])
    settings = GenerationSettings(max_new_tokens=30, min_new_tokens=6, seed=1)
    result = generator.generate(GenerationRequest(PROMPT, settings, hooks=hooks))
    assert len(result.token_ids[0]) == 6 and result.stop_reasons == ["end"]


def test_without_a_minimum_a_request_writes_at_least_half_its_length(generator, loaded):
    """A model that would end the text at once (the demo model often does, after a finished sentence)
    still writes half the length: a minimum of 0 is half the length for every request, whichever front
    end made it, and the request asked for keeps its 0."""
    hooks = DecodeHooks(logits_processors=[Bias([loaded.tokenizer.eos_token_id])])
    settings = GenerationSettings(max_new_tokens=13, seed=1)
    request = GenerationRequest(PROMPT, settings, hooks=hooks)
    result = generator.generate(request)
    assert len(result.token_ids[0]) == 6 and result.stop_reasons == ["end"] and result.texts[0].strip()
    assert request.settings.min_new_tokens == 0 and settings.least_new_tokens == 6
    one = generator.generate(GenerationRequest(PROMPT, settings.replace(max_new_tokens=1), hooks=hooks))
    assert len(one.token_ids[0]) == 1 and one.stop_reasons == ["length"]  # at least one token, always


def test_stop_strings_cut_the_text_and_are_never_streamed(generator, loaded):
    vocab = loaded.tokenizer.get_vocab()
    forced = [vocab["▁그는"], vocab["▁말"], vocab["했다."], vocab["▁바다"]]

    class Script(LogitsProcessor):
        def __call__(self, input_ids, scores):
            step = input_ids.shape[1] - prompt_length
            scores[:, forced[step % len(forced)]] += 1000
            return scores

    prompt_length = len(loaded.tokenizer.encode(PROMPT))
    settings = GenerationSettings(max_new_tokens=12, seed=1, stop_strings=("말했다.",))
    events = list(
        generator.stream(GenerationRequest(PROMPT, settings, hooks=DecodeHooks(logits_processors=[Script()])))
    )
    result = events[-1].result
    assert result.texts == [" 그는 "] and result.stop_reasons == ["stop_string"]
    assert all("말" not in e.text for e in events if isinstance(e, TextDelta))


def test_length_stop(generator):
    result = generator.generate(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=7, seed=3)))
    assert len(result.token_ids[0]) <= 7 and result.stop_reasons[0] in ("length", "end")


def test_cancel_from_another_thread_within_one_step(generator):
    cancel = threading.Event()
    settings = GenerationSettings(max_new_tokens=100, seed=2)
    steps_after_cancel = []
    texts = []
    result = None

    def run():
        nonlocal result
        for event in generator.stream(GenerationRequest(PROMPT, settings, report_top_k=1), cancel):
            if isinstance(event, TopTokens):
                if cancel.is_set():
                    steps_after_cancel.append(event.step)
                elif event.step == 5:
                    threading.Thread(target=cancel.set).start()
                    assert cancel.wait(30)  # set from the other thread before this step ends
            elif isinstance(event, TextDelta):
                texts.append(event.text)
            else:
                result = event.result

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    assert result is not None and result.cancelled
    assert len(steps_after_cancel) == 0  # the next step did not start
    assert len(result.token_ids[0]) == 6
    assert "".join(texts) == result.texts[0]


def test_prompt_cache_reuse_gives_identical_output(generator, loaded):
    settings = GenerationSettings(greedy=True, max_new_tokens=15, repetition_penalty=1.2)
    first = generator.generate(GenerationRequest(PROMPT, settings))
    continued_prompt = PROMPT + first.texts[0]
    warm = generator.generate(GenerationRequest(continued_prompt, settings))
    cold = Generator(loaded).generate(GenerationRequest(continued_prompt, settings))
    assert warm.reused_tokens >= warm.prompt_tokens - 3
    assert cold.reused_tokens == 0
    assert warm.token_ids == cold.token_ids


def test_prompt_cache_survives_several_candidates(generator):
    settings = GenerationSettings(max_new_tokens=8, seed=1, num_candidates=2)
    generator.generate(GenerationRequest(PROMPT, settings))
    again = generator.generate(GenerationRequest(PROMPT + " 그는", settings))
    assert again.reused_tokens == len(generator.tokenizer.encode(PROMPT))


def test_long_prompt_is_trimmed_at_a_boundary_and_the_cut_is_kept(generator, loaded):
    paragraph = "나무꾼은 매일 산에 올라 나무를 했다. 그러던 어느 날 사슴 한 마리가 나타났다.\n"
    story = "".join(f"{i}번째 날. " + paragraph for i in range(30))
    settings = GenerationSettings(max_new_tokens=20, seed=1)
    first = generator.generate(GenerationRequest(story, settings))
    budget = loaded.n_positions - 20
    assert first.dropped_tokens > 0 and first.prompt_tokens <= budget
    assert first.dropped_text.endswith("\n") and story.startswith(first.dropped_text)
    second = generator.generate(GenerationRequest(story + first.texts[0], settings))
    assert second.dropped_text == first.dropped_text  # same cut: no re-prefill
    assert second.reused_tokens >= first.prompt_tokens - 2


def test_empty_prompt_starts_from_the_document_start(generator):
    result = generator.generate(GenerationRequest("", GenerationSettings(max_new_tokens=5, seed=1)))
    assert result.prompt_tokens == 1 and len(result.token_ids[0]) >= 1


def test_too_many_new_tokens_for_the_context(generator):
    with pytest.raises(SettingError, match="max_new_tokens"):
        generator.generate(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=128)))


def test_top_tokens_are_reported_with_probabilities(generator):
    events = list(
        generator.stream(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=3, seed=1), report_top_k=5))
    )
    tops = [e for e in events if isinstance(e, TopTokens)]
    assert [t.step for t in tops] == [0, 1, 2]
    choices = tops[0].candidates[0]
    assert len(choices) == 5
    assert all(0 < c.probability <= 1 for c in choices)
    assert [c.probability for c in choices] == sorted((c.probability for c in choices), reverse=True)
    suggestions = generator.next_tokens(PROMPT, 5)
    assert [c.token_id for c in suggestions] == [c.token_id for c in choices]


def test_hooks_attach_for_the_request_only(generator, loaded):
    calls = []

    def block_hook(module, args, output):
        calls.append(1)

    def step_hook(context):
        assert context.cache.get_seq_length() == context.input_ids.shape[1]
        return None

    hooks = DecodeHooks(block_hooks=[(1, block_hook)], step_hook=step_hook, needs_hidden=True, cache_key="test")
    hooked = generator.generate(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=4, seed=1), hooks=hooks))
    assert len(calls) == 5  # prefill (the prompt, then its last token alone) + three decode steps
    assert hooked.runtime == "torch"  # hooks inside the model run on PyTorch, whatever the model's runtime
    plain = generator.generate(GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=4, seed=1)))
    assert len(calls) == 5
    assert plain.runtime == loaded.default_runtime.name


def test_step_hook_can_replace_the_logits(generator, loaded):
    target = loaded.tokenizer.convert_tokens_to_ids("▁바다")

    def step_hook(context):
        logits = torch.full_like(context.logits, -1e4)
        logits[:, target] = 0
        return logits

    result = generator.generate(
        GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=3, seed=1), hooks=DecodeHooks(step_hook=step_hook))
    )
    assert result.token_ids == [[target] * 3]


def test_accepting_the_continuation_reuses_its_exact_tokens(generator, loaded):
    """Re-tokenizing prompt + continuation can merge tokens at the seam; the generator keeps the
    ids it generated, so continuing after accepting the text costs one token of prefill."""
    settings = GenerationSettings(max_new_tokens=20, seed=8)
    first = generator.generate(GenerationRequest(PROMPT, settings))
    again = generator.generate(GenerationRequest(PROMPT + first.texts[0], settings.replace(max_new_tokens=1)))
    assert again.prompt_tokens == len(loaded.tokenizer.encode(PROMPT)) + len(first.token_ids[0])
    assert again.reused_tokens == again.prompt_tokens - 1
    more = generator.generate(GenerationRequest(PROMPT + first.texts[0] + again.texts[0] + "\n그리고", settings))
    assert more.reused_tokens >= again.prompt_tokens


def test_suggestions_inside_the_story_do_not_evict_the_story_cache(generator, loaded):
    settings = GenerationSettings(max_new_tokens=5, seed=1)
    generator.generate(GenerationRequest(PROMPT, settings))
    generator.next_tokens("옛날 옛적에", 5)  # the writer's cursor is near the start
    again = generator.generate(GenerationRequest(PROMPT + " 그는", settings))
    assert again.reused_tokens == len(loaded.tokenizer.encode(PROMPT))
    generator.next_tokens(PROMPT + " 그는 산으로", 5)  # at the end: extends the story's cache
    after = generator.generate(GenerationRequest(PROMPT + " 그는 산으로 갔다", settings))
    assert after.reused_tokens >= len(loaded.tokenizer.encode(PROMPT + " 그는 산으로")) - 1
