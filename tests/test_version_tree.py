"""The version tree (issue 15 part 4): every continuation, retry and editing burst is a node, the story
is one path through it; moving, pruning and undoing keep every node; story files keep the tree."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyteller import cli
from storyteller.engine.story.document import Author, Piece, Story
from storyteller.engine.story.file import (
    VERSION,
    StoryFileError,
    load_story,
    save_story,
    story_from_bytes,
    story_from_json,
    story_to_json,
)
from storyteller.engine.story.history import (
    AddVersion,
    ChooseVersion,
    History,
    InsertPiece,
    Jump,
    Prune,
    Revise,
    as_new_version,
    span_edit,
)
from storyteller.engine.story.tree import (
    branch,
    count_nodes,
    current_address,
    exists,
    following,
    go_to,
    node_text,
    outline,
    story_text_at,
)

V1_FILE = Path(__file__).resolve().parent / "data" / "v1_story.story.json"  # saved by Storyteller 0.1 (format 1)


def branching_story() -> tuple[Story, History]:
    """시작 → 첫째 → 그래서 → (끝 | 다른 끝), and the first piece edited once: two versions."""
    story = Story(pieces=[Piece.of(Author.WRITER, "시작. "), Piece.of(Author.MODEL, "첫째. ")])
    history = History(story)
    history.do(InsertPiece(2, Piece.of(Author.WRITER, "그래서 ")))
    history.do(InsertPiece(3, Piece.of(Author.MODEL, "끝.")))
    history.do(AddVersion(3, "다른 끝."))
    history.do(as_new_version(span_edit(story, 0, 2, "출발")))
    return story, history


def test_continuations_and_retries_are_nodes_and_undoing_a_retry_returns_to_the_node_before():
    story = Story(pieces=[Piece.of(Author.WRITER, "시작. ")])
    history = History(story)
    history.do(InsertPiece(1, Piece.of(Author.MODEL, "하나.")))
    assert count_nodes(story.pieces) == 2 and current_address(story.pieces) == (0, 0)
    history.do(AddVersion(1, "둘."))
    assert count_nodes(story.pieces) == 3 and current_address(story.pieces) == (0, 1)
    assert story.text() == "시작. 둘."
    history.undo()
    assert current_address(story.pieces) == (0, 0) and story.text() == "시작. 하나." and count_nodes(story.pieces) == 2


def test_choosing_a_version_brings_back_the_story_that_followed_it():
    story = Story(pieces=[Piece.of(Author.WRITER, "시작. "), Piece.of(Author.MODEL, "하나. ")])
    history = History(story)
    history.do(InsertPiece(2, Piece.of(Author.WRITER, "그 뒤. ")))
    history.do(AddVersion(1, "둘. "))  # a retry of a piece with a story after it: that story stays with "하나."
    assert story.text() == "시작. 둘. "
    history.do(ChooseVersion(1, 1, 0))
    assert story.text() == "시작. 하나. 그 뒤. "
    history.undo()
    assert story.text() == "시작. 둘. " and story.pieces[1].branches[0][0].text == "그 뒤. "


def test_an_editing_burst_is_one_new_version_that_keeps_the_story_as_it_was():
    story, history = branching_story()
    first = story.pieces[0]
    assert first.versions == ["시작. ", "출발. "] and story.text() == "출발. 첫째. 그래서 다른 끝."
    # The version before the edit keeps the story as it read then (the text, without other versions).
    assert story_text_at(story.pieces, (0,)) == "시작. 첫째. 그래서 다른 끝."
    assert [p.versions for p in first.branches[0]] == [["첫째. "], ["그래서 "], ["다른 끝."]]
    # The edited one goes on with the live story: the retries of the last piece are still there.
    assert story.pieces[-1].versions == ["끝.", "다른 끝."]
    # More typing in the same burst merges: still one node, one undo step.
    history.do(span_edit(story, 2, 2, "!"))
    assert first is not story.pieces[0]  # typing replaces the piece with an edited copy
    assert story.pieces[0].versions == ["시작. ", "출발!. "] and count_nodes(story.pieces) == 9
    history.undo()
    assert story.text() == "시작. 첫째. 그래서 다른 끝." and story.pieces[0].versions == ["시작. "]
    assert not story.pieces[0].branches


def test_an_edit_across_pieces_is_a_version_of_the_first_and_undo_restores_it():
    story = Story(pieces=[Piece.of(Author.WRITER, "하나 "), Piece.of(Author.MODEL, "둘 "),
                          Piece.of(Author.WRITER, "셋")])
    history = History(story)
    before = copy.deepcopy(story.pieces)
    command = as_new_version(span_edit(story, 1, 5, ""))
    assert isinstance(command, Revise)
    history.do(command)
    assert story.text() == "하셋" and story.pieces[0].versions == ["하나 ", "하"]
    assert story_text_at(story.pieces, (0,)) == "하나 둘 셋"
    history.undo()
    assert story.pieces == before


def test_typing_where_no_piece_takes_it_is_a_new_node_and_deleting_a_whole_piece_stays_a_plain_edit():
    story = Story(pieces=[Piece.of(Author.WRITER, "가나"), Piece.of(Author.MODEL, "다라")])
    assert not isinstance(as_new_version(span_edit(story, 4, 4, "마")), Revise)
    assert not isinstance(as_new_version(span_edit(story, 0, 2, "")), Revise)


def test_going_to_a_node_shows_its_path_and_undo_goes_back_exactly():
    story, history = branching_story()
    before = copy.deepcopy(story.pieces)
    history.do(Jump((0, 0, 0)))  # the story as it was before the edit, down its snapshot
    assert story.text() == "시작. 첫째. 그래서 다른 끝." and current_address(story.pieces) == (0, 0, 0, 0)
    history.do(Jump((0,)))  # already on the path: nothing moves
    history.undo(), history.undo()
    assert story.pieces == before
    history.do(Jump((1, 0, 0, 0)))  # the first ending
    assert story.text() == "출발. 첫째. 그래서 끝."
    with pytest.raises(KeyError):
        go_to(story.pieces, (1, 0, 0, 7))


def test_pruning_removes_a_node_and_what_follows_and_undo_brings_it_all_back():
    story, history = branching_story()
    before = copy.deepcopy(story.pieces)
    history.do(Prune((0,)))  # the version before the edit, with its snapshot
    assert count_nodes(story.pieces) == 5 and story.pieces[0].versions == ["출발. "]
    history.undo()
    assert story.pieces == before
    history.do(Prune((1, 0, 0, 1)))  # the chosen ending: its sibling takes its place
    assert story.text() == "출발. 첫째. 그래서 끝." and story.pieces[-1].versions == ["끝."]
    history.undo()
    assert story.pieces == before
    history.do(Prune((1, 0)))  # a piece's only version: the rest of the story goes with it
    assert story.text() == "출발. "
    history.undo()
    assert story.pieces == before


def test_the_outline_lists_every_node_once_with_the_path_marked():
    story, _ = branching_story()
    rows = outline(story.pieces)
    seen = []

    def walk(rows):
        for row in rows:
            seen.append(row.chosen)
            for other in row.others:
                seen.append(other)
                walk(branch(other))

    walk(rows)
    assert len(seen) == count_nodes(story.pieces) == 9
    assert len({node.address for node in seen}) == 9
    assert all(node_text(story.pieces, node.address) == node.text for node in seen)
    assert [node.address for node in seen if node.on_path] == [(1,), (1, 0), (1, 0, 0), (1, 0, 0, 1)]
    assert [node.address for node in seen if node.current] == [(1, 0, 0, 1)]
    assert following(story.pieces, (1, 0, 0, 0)) == [] and len(following(story.pieces, (0,))) == 3


# -- every operation, in any order, is undone exactly and saved whole ------------------------------

KINDS = ["continue", "retry", "type", "edit", "raw", "jump", "prune", "choose"]
OPERATIONS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 1000), st.integers(0, 1000)), max_size=16)


def _all_addresses(story):
    found = []

    def walk(rows):
        for row in rows:
            found.append(row.chosen.address)
            for other in row.others:
                found.append(other.address)
                walk(branch(other))

    walk(outline(story.pieces))
    return found


def _command(story, kind, a, b):
    pieces, text = story.pieces, story.text()
    if kind == "continue":
        return InsertPiece(len(pieces), Piece.of(Author.MODEL, f" 계속{a}."))
    if kind == "retry" and pieces and pieces[-1].author is Author.MODEL:
        return AddVersion(len(pieces) - 1, f" 다시{a}.")
    if kind in ("type", "edit", "raw") and text:  # raw: a keystroke within a burst (a plain edit)
        start = a % (len(text) + 1)
        end = start if kind == "type" else min(len(text), start + b % 4)
        command = span_edit(story, start, end, "글" * (b % 3))
        return command if kind == "raw" else command and as_new_version(command)
    if kind in ("jump", "prune"):
        addresses = _all_addresses(story)
        if addresses:
            address = addresses[a % len(addresses)]
            return Jump(address) if kind == "jump" else Prune(address)
    if kind == "choose" and pieces:
        index = a % len(pieces)
        return ChooseVersion(index, pieces[index].chosen, b % len(pieces[index].versions))
    return None


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPERATIONS)
def test_any_sequence_of_edits_undoes_exactly_and_round_trips_through_the_file(operations):
    story = Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에"), Piece(Author.MODEL, [" 하나.", " 둘."])])
    history = History(story)
    states = [copy.deepcopy(story.pieces)]
    for kind, a, b in operations:
        command = _command(story, kind, a, b)
        if command is None:
            continue
        steps = len(history._done)
        history.do(command)  # a keystroke right after an edit of the same piece merges into it
        if len(history._done) == steps:
            states[-1] = copy.deepcopy(story.pieces)
        else:
            states.append(copy.deepcopy(story.pieces))
        assert story_from_json(json.loads(json.dumps(story_to_json(story)))).pieces == story.pieces
        assert story_text_at(story.pieces, current_address(story.pieces)) == story.text()
    for state in reversed(states[:-1]):
        history.undo()
        assert story.pieces == state
    for state in states[1:]:
        history.redo()
        assert story.pieces == state


# -- story files -----------------------------------------------------------------------------------

def test_a_version_1_file_becomes_the_tree_with_its_chosen_versions_as_the_path(tmp_path):
    raw = json.loads(V1_FILE.read_text(encoding="utf-8"))
    assert raw["version"] == 1 and VERSION == 2
    story = load_story(V1_FILE)
    # Every version of every piece is a node; the chosen ones are the story.
    assert count_nodes(story.pieces) == sum(len(piece["versions"]) for piece in raw["pieces"])
    assert story.text() == "".join(piece["versions"][piece["chosen"]] for piece in raw["pieces"])
    assert current_address(story.pieces) == tuple(piece["chosen"] for piece in raw["pieces"])
    assert story.pieces[2].pinned and not any(piece.branches for piece in story.pieces)
    # The versions not chosen are leaves beside the path.
    last = len(story.pieces) - 1
    assert story_text_at(story.pieces, current_address(story.pieces)[:last] + (0,)) == (
        "".join(piece.text for piece in story.pieces[:last]) + raw["pieces"][last]["versions"][0])
    # Saved again, it is a version 2 file that loads the same.
    save_story(story, tmp_path / "again.story.json")
    assert json.loads((tmp_path / "again.story.json").read_text(encoding="utf-8"))["version"] == 2
    assert load_story(tmp_path / "again.story.json") == story


def test_a_version_2_file_keeps_every_node_and_where_each_branch_was_left(tmp_path):
    story, history = branching_story()
    history.do(Jump((0, 0, 0)))  # now the edited version is a branch, and the old one the path
    history.do(InsertPiece(len(story.pieces), Piece.of(Author.WRITER, " 그 뒤.")))
    path = tmp_path / "tree.story.json"
    save_story(story, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["pieces"][0]["branches"][0]["version"] == 1
    loaded = load_story(path)
    assert loaded == story and count_nodes(loaded.pieces) == count_nodes(story.pieces) == 10
    assert _all_addresses(loaded) == _all_addresses(story)
    for address in _all_addresses(story):
        assert story_text_at(loaded.pieces, address) == story_text_at(story.pieces, address)


@pytest.mark.parametrize("branch, message", [
    ({"version": 0, "pieces": []}, r'"pieces\[0\].branches\[0\].version" must be a version that is not chosen'),
    ({"version": 5, "pieces": []}, r'"pieces\[0\].branches\[0\].version" must be a whole number from 0 to 1'),
    ({"version": 1, "pieces": [{"author": "model"}]}, r'"pieces\[0\].branches\[0\].pieces\[0\].versions" must be'),
    ({"version": 1}, None),  # a branch with no pieces is a leaf
])
def test_bad_branches_are_named_in_the_message(branch, message):
    data = {"format": "storyteller-story", "version": 2,
            "pieces": [{"author": "writer", "versions": ["가", "나"], "chosen": 0, "branches": [branch]}]}
    raw = json.dumps(data).encode()
    if message is None:
        assert story_from_bytes(raw).pieces == [Piece(Author.WRITER, ["가", "나"])]
        return
    with pytest.raises(StoryFileError, match=message):
        story_from_bytes(raw)


def test_generate_continues_the_current_path_of_a_tree_and_keeps_the_branches(tiny_model_dir, tmp_path, capsys):
    story, _ = branching_story()
    path = tmp_path / "나무.story.json"
    save_story(story, path)
    assert cli.main(["generate", "--story", str(path), "--model", str(tiny_model_dir), "--length", "6",
                     "--seed", "2"]) == 0
    after = load_story(path)
    assert after.text().startswith(story.text()) and len(after.pieces) == len(story.pieces) + 1
    assert after.pieces[:-1] == story.pieces and count_nodes(after.pieces) == count_nodes(story.pieces) + 1
    assert exists(after.pieces, (0, 0, 0, 0))  # the branch before the edit is still there


def test_story_tree_prints_every_node_with_the_path_marked(capsys):
    assert cli.main(["story", "tree", str(V1_FILE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    story = load_story(V1_FILE)
    assert len(lines) == count_nodes(story.pieces) + 1 and lines[-1].startswith("9 versions")
    assert [line[0] for line in lines[:-1]].count("*") + 1 == len(story.pieces)
    current = next(line for line in lines if line.startswith("▶"))
    assert "[0.0.0.0.1] model: 바람이 방울을 흔드는 소리였다." in current
    assert any(line.startswith("    [0.0.1] writer pinned: 돌쇠는 고개를 넘지 않기로") for line in lines)
