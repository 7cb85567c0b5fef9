"""World info that scales: exclusion and regular-expression keys, recursion, order and budget, the
reasons the context viewer shows, the story file, and entries that join while the model writes."""

import pytest

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.decode.generator import Generator
from storyteller.engine.decode.requests import DecodeHooks, Finished
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.story.context import ContextBuilder
from storyteller.engine.story.continuation import accept_continuation, plan_continuation, stream_job
from storyteller.engine.story.document import Author, Piece, Story, WorldInfoEntry
from storyteller.engine.story.file import story_from_json, story_to_json
from storyteller.engine.story.history import History
from storyteller.engine.story.world_info import Matching, Reason, key_pattern, key_problems, scan


def story_of(*texts, entries=(), **fields):
    return Story(pieces=[Piece.of(Author.WRITER, t) for t in texts], world_info=list(entries), **fields)


def reasons(story):
    return [(status.reason, status.key) for status in scan(story)]


def test_new_stories_match_keys_as_words_old_files_as_text():
    entry = WorldInfoEntry(keys=["바"], content="바: 술집.")
    assert reasons(story_of("바다로 갔다.", entries=[entry])) == [(Reason.NO_KEY, "")]
    assert reasons(story_of("바에 갔다.", entries=[entry])) == [(Reason.KEY, "바")]
    old = story_to_json(story_of("바다로 갔다.", entries=[entry]))
    del old["world_info"]["whole_word"]  # as every file before issue 15 that did not ask for whole words
    assert story_from_json(old).world_info_matching is Matching.TEXT
    assert reasons(story_from_json(old)) == [(Reason.KEY, "바")]  # substrings, as before


def test_exclusion_keys_leave_an_entry_out_and_say_which():
    entry = WorldInfoEntry(keys=["철수"], exclude_keys=["꿈", "/환상|환각/"], content="철수: 나무꾼.")
    assert reasons(story_of("철수가 왔다.", entries=[entry])) == [(Reason.KEY, "철수")]
    assert reasons(story_of("꿈에서 철수가 왔다.", entries=[entry])) == [(Reason.EXCLUDED, "꿈")]
    assert reasons(story_of("환각 속의 철수.", entries=[entry])) == [(Reason.EXCLUDED, "/환상|환각/")]


def test_regular_expression_keys_and_a_clear_message_for_a_broken_one():
    entry = WorldInfoEntry(keys=[r"/철수(가|는)/", "/KIM/i"], content="x")
    assert reasons(story_of("철수는 웃었다.", entries=[entry])) == [(Reason.KEY, r"/철수(가|는)/")]
    assert reasons(story_of("Mr. Kim", entries=[entry])) == [(Reason.KEY, "/KIM/i")]
    assert key_pattern("철수") is None and key_pattern("/a/").pattern == "a"
    broken = WorldInfoEntry(keys=["/철수(/", "영희"], content="x")
    assert reasons(story_of("철수( 영희", entries=[broken])) == [(Reason.KEY, "영희")]  # the broken key matches nothing
    (problem,) = key_problems(broken.keys)
    assert "/철수(/" in str(problem) and "not a valid regular expression" in str(problem)
    with pytest.raises(StorytellerError, match="unknown flag x"):
        key_pattern("/a/x")
    assert story_from_json(story_to_json(story_of(entries=[broken]))).world_info[0].keys == ["/철수(/", "영희"]


def test_recursion_brings_in_entries_their_text_mentions_up_to_the_depth():
    entries = [WorldInfoEntry(keys=["왕"], content="왕은 마법사를 두려워한다."),
               WorldInfoEntry(keys=["마법사"], content="마법사는 용을 부린다."),
               WorldInfoEntry(keys=["용"], content="용은 불을 뿜는다.")]
    story = story_of("왕이 나타났다.", entries=entries)
    assert [r for r, _ in reasons(story)] == [Reason.KEY, Reason.TOO_DEEP, Reason.NO_KEY]  # off: only the story
    story.world_info_recursion = 1
    statuses = scan(story)
    assert [(s.reason, s.depth) for s in statuses] == [(Reason.KEY, 0), (Reason.KEY, 1), (Reason.TOO_DEEP, 2)]
    story.world_info_recursion = 2
    assert all(status.active for status in scan(story)) and scan(story)[2].depth == 2


def test_order_places_entries_and_the_budget_leaves_out_the_lowest(kogpt2_tokenizer):
    entries = [WorldInfoEntry(keys=["철수"], content="철수는 나무꾼이다.", order=10),
               WorldInfoEntry(keys=["영희"], content="영희는 선녀다.", order=30),
               WorldInfoEntry(keys=["마을"], content="마을은 산속에 있다.", order=20)]
    story = story_of("철수와 영희가 마을에 갔다.", entries=entries)
    builder = ContextBuilder(kogpt2_tokenizer, n_positions=256)
    built = builder.build(story, new_tokens=50)
    assert built.text.startswith("철수는 나무꾼이다.\n마을은 산속에 있다.\n영희는 선녀다.\n")  # lowest first
    costs = [status.tokens for status in built.world_info]
    story.world_info_budget = costs[1] + costs[2]  # room for the two highest orders only
    built = builder.build(story, new_tokens=50)
    assert [s.reason for s in built.world_info] == [Reason.OVER_BUDGET, Reason.KEY, Reason.KEY]
    assert "철수는 나무꾼이다" not in built.text and built.world_info_titles == ["영희", "마을"]
    assert "- 철수: key 철수, but over the world info budget" in built.describe()


def test_the_context_says_why_each_entry_is_in_or_out(kogpt2_tokenizer):
    entries = [WorldInfoEntry(keys=["철수"], content="철수는 나무꾼이다."),
               WorldInfoEntry(keys=["영희"], content="영희는 선녀다.", enabled=False),
               WorldInfoEntry(keys=["호랑이"], secondary_keys=["산"], content="호랑이는 산에 산다."),
               WorldInfoEntry(keys=[], content="때는 조선이다.", always_on=True, comment="시대"),
               WorldInfoEntry(keys=["용"], content="")]
    story = story_of("철수와 영희가 호랑이와 용을 보았다.", entries=entries)
    built = ContextBuilder(kogpt2_tokenizer, 256).build(story)
    described = built.describe()
    for line in ("+ 철수: key 철수", "- 영희: disabled", "- 호랑이: key 호랑이, but none of the secondary keys",
                 "+ 시대: always on", "- 용: matched, but it has no text"):
        assert line in described


def test_new_fields_round_trip_and_are_left_out_of_files_that_do_not_use_them():
    entry = WorldInfoEntry(keys=["철수"], exclude_keys=["꿈"], order=7, content="x")
    story = story_of("a", entries=[entry], world_info_recursion=2, world_info_budget=120,
                     world_info_dynamic_scan=False, world_info_matching=Matching.TEXT)
    loaded = story_from_json(story_to_json(story))
    assert loaded.world_info == story.world_info
    assert (loaded.world_info_recursion, loaded.world_info_budget, loaded.world_info_dynamic_scan,
            loaded.world_info_matching) == (2, 120, False, Matching.TEXT)
    plain = story_to_json(story_of("a", entries=[WorldInfoEntry(keys=["철수"], content="x")]))
    assert set(plain["world_info"]) == {"scan_depth", "whole_word", "entries"}
    assert set(plain["world_info"]["entries"][0]) == {"keys", "secondary_keys", "content", "always_on", "enabled",
                                                      "comment"}
    plain["world_info"]["budget"] = -1
    with pytest.raises(StorytellerError, match="world_info.budget"):
        story_from_json(plain)


# -- dynamic scan ------------------------------------------------------------------------------------

class _Script:
    """A logits processor that makes the model write `ids`, one per step, across requests."""

    def __init__(self, ids):
        self.ids, self.step = ids, 0

    def __call__(self, input_ids, scores):
        scores[:, self.ids[min(self.step, len(self.ids) - 1)]] += 1000
        self.step += 1
        return scores


def _scripted_story(tokenizer, text, **fields):
    ids = tokenizer.encode(text)
    story = story_of("옛날에 한 마을이 있었다.", entries=[WorldInfoEntry(keys=["철수"], content="철수는 나무꾼이다.")],
                     generation=GenerationSettings(max_new_tokens=len(ids), seed=1), **fields)
    story.tidy.trim_incomplete_sentence = False
    return story, ids


def _run(generator, plan):
    prompts = []
    stream = generator.stream

    def recording(request, cancel=None):
        prompts.append(request.prompt)
        return stream(request, cancel)

    generator.stream = recording
    events = list(stream_job(generator, plan))
    return prompts, events[-1].result


def test_an_entry_the_model_writes_joins_the_rest_of_the_continuation(tiny_loaded):
    story, ids = _scripted_story(tiny_loaded.tokenizer, " 철수가 나무를 하러 산에 갔다.")
    builder, generator = ContextBuilder(tiny_loaded.tokenizer, 128), Generator(tiny_loaded)
    plan = plan_continuation(story, builder)
    plan.request.hooks = DecodeHooks(logits_processors=[_Script(ids)])
    assert "철수는 나무꾼이다" not in plan.context.text
    prompts, result = _run(generator, plan)
    assert len(prompts) == 2 and prompts[1].startswith("철수는 나무꾼이다.\n옛날에 한 마을이 있었다. 철수가")
    assert plan.joined == ["철수"] and result.token_ids[0][: len(ids)] == ids
    assert result.texts == [" 철수가 나무를 하러 산에 갔다."] and result.stop_reasons == ["length"]
    text = accept_continuation(story, History(story).do, plan, result)
    assert story.pieces[-1].author is Author.MODEL and story.pieces[-1].text == text == result.texts[0]


def test_dynamic_scan_can_be_turned_off_and_a_stop_still_stops(tiny_loaded):
    story, ids = _scripted_story(tiny_loaded.tokenizer, " 철수가 나무를 했다.", world_info_dynamic_scan=False)
    builder, generator = ContextBuilder(tiny_loaded.tokenizer, 128), Generator(tiny_loaded)
    plan = plan_continuation(story, builder)
    plan.request.hooks = DecodeHooks(logits_processors=[_Script(ids)])
    prompts, result = _run(generator, plan)
    assert len(prompts) == 1 and plan.joined == [] and result.texts == [" 철수가 나무를 했다."]

    story.world_info_dynamic_scan = True
    plan = plan_continuation(story, builder)
    plan.request.hooks = DecodeHooks(logits_processors=[_Script(ids)])
    cancel = type("Stopped", (), {"is_set": lambda self: True})()
    events = list(stream_job(generator, plan, cancel))
    assert isinstance(events[-1], Finished) and events[-1].result.cancelled and plan.joined == []


def test_the_command_line_dry_run_says_why_each_entry_is_in_or_out(tiny_model_dir, tmp_path, capsys):
    from storyteller import cli
    from storyteller.engine.story.file import save_story

    story = story_of("꿈에서 철수가 영희를 만났다.", entries=[
        WorldInfoEntry(keys=["철수"], exclude_keys=["꿈"], content="철수: 나무꾼."),
        WorldInfoEntry(keys=["/영희|순이/"], content="영희: 선녀.")])
    path = tmp_path / "wi.story.json"
    save_story(story, path)
    assert cli.main(["generate", "--story", str(path), "--model", str(tiny_model_dir), "--length", "8",
                     "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "- 철수: left out: exclusion key 꿈 is there" in out and "+ /영희|순이/: key /영희|순이/" in out
    assert "영희: 선녀." in out and "철수: 나무꾼." not in out
