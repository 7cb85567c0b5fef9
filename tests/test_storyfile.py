"""Story files: round trips, strict loading, fuzzing, crash-safe saving, autosave, import/export."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyteller.engine.settings.steering import SteeringSettings
from storyteller.engine.story.document import Author, Piece, Story, StoryServer
from storyteller.engine.story.file import (
    VERSION,
    Autosaver,
    StoryFileError,
    load_story,
    save_story,
    story_from_bytes,
    story_to_json,
)
from storyteller.engine.story.formats import export_markdown, export_text, import_kobold, import_text
from tests.helpers.doors import json_values, mutate
from tests.helpers.stories import rich_story

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "examples" / "안개_낀_고개.story.json"


def test_round_trip_keeps_everything(tmp_path):
    story = rich_story()
    path = tmp_path / "a.story.json"
    save_story(story, path)
    assert load_story(path) == story
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "storyteller-story" and data["version"] == VERSION
    assert "시험 이야기" in path.read_text(encoding="utf-8")  # readable UTF-8, not \\u escapes


def test_steering_is_saved_as_before_typed_settings(tmp_path):
    """Story.steering became SteeringSettings; the file keeps the dict the app always wrote: {}
    when steering is untouched, else every field. A hand-written partial dict still loads."""
    path = tmp_path / "a.story.json"
    save_story(Story(), path)
    assert json.loads(path.read_text(encoding="utf-8"))["steering"] == {}
    save_story(rich_story(), path)
    assert json.loads(path.read_text(encoding="utf-8"))["steering"] == {
        "topics": ["sea"], "words": ["바다"], "banned": [], "phrase_bias": [], "topic_strength": 0.5,
        "topic_method": "bias",
        "mood": 0.0, "mood_method": "vector", "max_seconds": 0.0,
        "latent": {"iterations": 3, "step_size": 0.1, "gm_scale": 0.9, "kl_scale": 0.01, "grad_length": 40,
                   "window": 32, "layers": 0},
    }
    partial = json.dumps({"format": "storyteller-story", "version": 1, "steering": {"mood": -0.5}}).encode()
    assert story_from_bytes(partial).steering == SteeringSettings(mood=-0.5)


def test_the_backend_a_story_used_round_trips_and_is_absent_for_the_local_model(tmp_path):
    path = tmp_path / "a.story.json"
    save_story(Story(), path)
    assert "backend" not in json.loads(path.read_text(encoding="utf-8"))
    assert load_story(path).backend is None
    story = rich_story()
    story.backend = StoryServer("GPU 상자", "EXAONE-3.5-7.8B")
    save_story(story, path)
    assert json.loads(path.read_text(encoding="utf-8"))["backend"] == {"server": "GPU 상자", "model": "EXAONE-3.5-7.8B"}
    assert load_story(path) == story
    old = {"format": "storyteller-story", "version": 1, "backend": {"server": "box"}}  # no model: the server's own
    assert story_from_bytes(json.dumps(old).encode()).backend == StoryServer("box", "")


def test_the_shipped_example_saves_back_byte_for_byte(tmp_path):
    save_story(load_story(EXAMPLE), tmp_path / "copy.story.json")
    assert (tmp_path / "copy.story.json").read_bytes() == EXAMPLE.read_bytes()


def test_the_shipped_example_loads_and_uses_memory_and_world_info():
    story = load_story(EXAMPLE)
    assert story.memory and len(story.world_info) >= 3 and story.pieces


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xff\xfe not utf-8", "is not UTF-8 text"),
        (b'{"format": ', "is not valid JSON (line 1"),
        (b"[]", '"the file" must be an object'),
        (b'{"format": "other"}', "is not a Storyteller story"),
        (b'{"format": "storyteller-story", "version": 99}', "saved by a newer Storyteller (story format version 99"),
        (
            b'{"format": "storyteller-story", "version": 1, "pieces": [{"author": "god", "versions": ["x"]}]}',
            '"pieces[0].author" must be one of writer, model, player',
        ),
        (
            (
                b'{"format": "storyteller-story", "version": 1, '
                b'"pieces": [{"author": "model", "versions": ["x"], "chosen": 3}]}'
            ),
            '"pieces[0].chosen" must be a whole number from 0 to 0',
        ),
        (b'{"format": "storyteller-story", "version": 1, "memory": 5}', '"memory" must be text, not int'),
        (b'{"format": "storyteller-story", "version": 1, "generation": {"top_p": 7}}', "top_p must be between"),
        (b'{"format": "storyteller-story", "version": 1, "steering": {"latent": null}}',
         "steering.latent must be an object, not NoneType"),
        (b'{"format": "storyteller-story", "version": 1, "backend": "box"}', '"backend" must be an object, not str'),
        (b'{"format": "storyteller-story", "version": 1, "backend": {"server": 3}}',
         '"backend.server" must be text, not int'),
        (b'{"format": "storyteller-story", "version": 1, "backend": {"server": " "}}',
         '"backend.server" must name a server'),
    ],
)
def test_bad_files_give_an_error_naming_the_problem_and_stay_untouched(tmp_path, content, message):
    path = tmp_path / "bad.story.json"
    path.write_bytes(content)
    with pytest.raises(StoryFileError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_story(path)
    assert path.read_bytes() == content


@pytest.mark.parametrize("section, settings, named", [
    ("generation", {"temperature": 0.8, "mirostat_tau": 5.0}, "generation.mirostat_tau"),
    ("steering", {"latent": {"iterations": 3, "momentum": 0.5}}, "steering.latent.momentum"),
])
def test_a_setting_this_storyteller_does_not_know_means_a_newer_storyteller_saved_it(section, settings, named):
    """Settings join without a new format version: a newer Storyteller's file of the same version holds one
    this one does not know. Issue 22: that said "its generation settings are invalid"."""
    data = story_to_json(Story())
    data[section] = settings
    with pytest.raises(StoryFileError, match=f"saved by a newer Storyteller .*does not know: {named}\\)") as raised:
        story_from_bytes(json.dumps(data).encode(), "new.story.json")
    assert "invalid" not in str(raised.value) and "Update Storyteller" in str(raised.value)


def test_story_ids_that_could_escape_the_recovery_folder_are_replaced():
    data = story_to_json(Story())
    data["id"] = "../../etc/passwd"
    story = story_from_bytes(json.dumps(data).encode())
    assert "/" not in story.id and ".." not in story.id


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_random_files_only_ever_raise_the_clear_error(content):
    try:
        story_from_bytes(content)
    except StoryFileError:
        pass


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), json_values)
def test_mutated_story_files_load_or_raise_the_clear_error(path_choice, value):
    data = mutate(story_to_json(rich_story()), path_choice, value)
    try:
        story = story_from_bytes(json.dumps(data).encode())
    except StoryFileError:
        return
    story_to_json(story)  # whatever loads must be a usable story
    story.text()


SAVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from storyteller.engine.story.document import Author, Piece, Story
    from storyteller.engine.story.file import save_story
    path = Path(sys.argv[1])
    n = 0
    while True:
        n += 1
        story = Story(title=f"v{n}", pieces=[Piece.of(Author.WRITER, "가" * (20000 + n % 7000))])
        save_story(story, path)
        if n == 1:
            print("saved once", flush=True)
    """
)


def test_killing_a_saving_process_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "crash.story.json"
    save_story(Story(title="v0", pieces=[Piece.of(Author.WRITER, "처음")]), path)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for attempt in range(25):
        process = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, env=env)
        assert process.stdout.readline().strip() == b"saved once"  # saving in a loop now
        time.sleep((attempt * 0.037) % 0.3)  # killed at another moment of a save each time: the point of the test
        process.send_signal(signal.SIGKILL)
        process.wait()
        story = load_story(path)  # always a complete story, old or new
        assert story.title.startswith("v") and story.title != "v0" and story.pieces[0].text.strip("가") in ("", "처음")
    leftovers = [p for p in tmp_path.iterdir() if p.name != path.name]
    assert all(p.name.startswith(".crash.story.json.") for p in leftovers)  # temp files only


def test_autosave_and_recovery(tmp_path):
    saver = Autosaver(tmp_path / "recovery", interval=3600)
    story = rich_story()
    saver.save_now(story, original=tmp_path / "mine.story.json")
    assert saver.maybe_save(story) is None  # too soon
    (tmp_path / "recovery" / "garbage.story.json").write_text("{", encoding="utf-8")
    pending = saver.pending()
    assert len(pending) == 1
    _, recovered, original = pending[0]
    assert recovered == story and original == str(tmp_path / "mine.story.json")
    saver.discard(story)
    assert saver.pending() == []


def test_export_text_and_markdown():
    story = Story(title="제목", pieces=[Piece.of(Author.WRITER, "첫 줄이다.\n둘째 줄."),
                                      Piece.of(Author.PLAYER, "\n> 나는 문을 연다.\n"),
                                      Piece.of(Author.MODEL, "문이 열렸다.")])
    assert export_text(story) == "첫 줄이다.\n둘째 줄.\n> 나는 문을 연다.\n문이 열렸다.\n"
    assert export_markdown(story) == "# 제목\n\n첫 줄이다.  \n둘째 줄.\n\n> 나는 문을 연다.\n\n문이 열렸다.\n"


def test_import_text_makes_one_piece_per_paragraph(tmp_path):
    path = tmp_path / "소설.txt"
    path.write_text("첫 문단.\n\n둘째 문단.\n셋째 문단.\n", encoding="utf-8")
    story = import_text(path)
    assert story.title == "소설" and [p.text for p in story.pieces] == ["첫 문단.\n", "둘째 문단.\n", "셋째 문단."]
    (tmp_path / "bad.txt").write_bytes("한글".encode("cp949"))
    with pytest.raises(StoryFileError, match="not UTF-8"):
        import_text(tmp_path / "bad.txt")


def test_import_classic_kobold_save(tmp_path):
    save = {
        "gamestarted": True, "prompt": "옛날에", "memory": "배경", "authorsnote": "밝게",
        "anotetemplate": "[Author's note: <|>]", "actions": [" 호랑이가", " 살았다."],
        "worldinfo": [
            {"key": "호랑이, 범", "keysecondary": "산", "content": "호랑이는 말을 한다.", "comment": "",
             "selective": True, "constant": False},
            {"key": "", "keysecondary": "", "content": "", "comment": "", "selective": False, "constant": False},
        ],
    }
    path = tmp_path / "kobold.json"
    path.write_text(json.dumps(save, ensure_ascii=False), encoding="utf-8")
    story = import_kobold(path)
    assert story.text() == "옛날에 호랑이가 살았다."
    assert [p.author for p in story.pieces] == [Author.WRITER, Author.MODEL, Author.MODEL]
    assert story.memory == "배경" and story.authors_note_text() == "[Author's note: 밝게]"
    assert len(story.world_info) == 1
    assert story.world_info[0].keys == ["호랑이", "범"] and story.world_info[0].secondary_keys == ["산"]


def test_import_kobold_united_save_keeps_options_as_alternatives(tmp_path):
    save = {"prompt": "시작.", "memory": "", "authorsnote": "", "worldinfo": [],
            "actions": {"action_count": 1, "actions": {"0": {"Selected Text": " 하나.", "Options": [
                {"text": " 하나."}, {"text": " 둘."}]}}}}
    path = tmp_path / "united.json"
    path.write_text(json.dumps(save), encoding="utf-8")
    story = import_kobold(path)
    assert story.pieces[1].versions == [" 하나.", " 둘."] and story.text() == "시작. 하나."


def test_import_kobold_rejects_other_json(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(StoryFileError, match="no \"actions\""):
        import_kobold(path)


@pytest.mark.parametrize("content", [b"", b"  \n", "\ufeff".encode("utf-8")])
def test_an_empty_file_is_called_empty(tmp_path, content):
    path = tmp_path / "empty.story.json"
    path.write_bytes(content)
    with pytest.raises(StoryFileError, match="is empty: it holds no story"):
        load_story(path)


@pytest.mark.parametrize("cut", [b'{"format": "storyteller-story", "title": "\xec\x95\x88', b'{"pieces": [1, 2',
                                 b'{"format": '])
def test_a_file_cut_short_says_so_instead_of_a_dangling_json_reason(tmp_path, cut):
    path = tmp_path / "cut.story.json"
    path.write_bytes(cut)
    with pytest.raises(StoryFileError) as caught:
        load_story(path)
    message = str(caught.value)
    assert "ends too early" in message and "starting at" not in message and message.endswith("offers.")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_saving_keeps_the_file_mode_and_new_files_follow_the_umask(tmp_path):
    shared = tmp_path / "shared.story.json"
    save_story(Story(), shared)
    os.chmod(shared, 0o644)
    save_story(rich_story(), shared)
    assert shared.stat().st_mode & 0o777 == 0o644
    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.story.json"
        save_story(Story(), fresh)
        assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
    finally:
        os.umask(old_umask)


def test_saving_removes_this_storys_stale_temporaries_only(tmp_path):
    path = tmp_path / "이야기.story.json"
    stale = tmp_path / ".이야기.story.json.abc123.tmp"
    fresh = tmp_path / ".이야기.story.json.def456.tmp"  # another save may be writing it right now
    other = tmp_path / ".다른.story.json.abc123.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_text("half a story")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    os.utime(other, (an_hour_ago, an_hour_ago))
    story = rich_story()
    save_story(story, path)
    assert not stale.exists() and fresh.exists() and other.exists()
    assert load_story(path) == story


def test_a_file_system_that_refuses_modes_still_saves(tmp_path, monkeypatch):
    def refused(fd, mode):  # FAT and exFAT on Linux: EPERM for a mode they cannot store
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchmod", refused)
    story = rich_story()
    save_story(story, tmp_path / "usb.story.json")
    assert load_story(tmp_path / "usb.story.json") == story
