"""The doors files come in by, fuzzed (issue 29): what each door is given, how it is opened, and what a
try came to. tests/test_untrusted_*.py run a few hundred cases of each; benchmarks/bench_fuzz.py runs
the long mode and counts.

A try ends in a story, scenario or model (`ok`), or in a StorytellerError (`clean`); anything else
escaping is a `traceback`. A failed try must leave every file it was given or could write as it was:
`changed` lists what differs. Each door writes its input under `workdir/in` and imports into
`workdir/out` (the writer's scenarios folder, the model store, a new story file), as the CLI and the
GUI do.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from storyteller.engine.core.errors import StorytellerError
from tests.helpers.paths import ROOT

DATA = ROOT / "tests" / "data"

# Any JSON value, small: what a mutation puts in place of a field.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=30,
)


def mutate(data, path_choice: int, value):
    """Replace one value somewhere inside `data` (a walk steered by `path_choice`) by `value`."""
    node, parent, key = data, None, None
    while isinstance(node, (dict, list)) and node:  # an empty list or object ends the walk at its parent
        keys_here = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, keys_here[path_choice % len(keys_here)]
        path_choice //= max(1, len(keys_here))
        if path_choice == 0 or not isinstance(node[key], (dict, list)):
            break
        node = node[key]
    if parent is not None:
        parent[key] = value
    return data


def mutated_json(sample: dict | Callable[[], dict]) -> st.SearchStrategy[bytes]:
    """`sample` with one to three values replaced, or a key dropped, as a file's bytes; now and then any
    bytes at all, the sample cut short, or a surrogate or an endless number written into it."""
    fresh = sample if callable(sample) else (lambda: json.loads(json.dumps(sample)))
    mutations = st.lists(st.tuples(st.integers(0, 10**6), json_values | st.just(_DROP)), min_size=1, max_size=3)

    def build(changes) -> bytes:
        data = fresh()
        for path_choice, value in changes:
            data = _drop(data, path_choice) if value is _DROP else mutate(data, path_choice, value)
        return json.dumps(data, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")

    whole = json.dumps(fresh(), ensure_ascii=False).encode()
    return st.one_of(
        mutations.map(build),
        mutations.map(build),
        mutations.map(build),
        st.binary(max_size=300),
        st.integers(0, len(whole)).map(lambda cut: whole[:cut]),
        st.sampled_from([b'"\\ud800"', b"NaN", b"1e999", b"9" * 5000, b"[" * 3000]).flatmap(
            lambda odd: st.integers(0, len(whole)).map(lambda at: _splice(whole, at, odd))),
    )


_DROP = object()


def _drop(data, path_choice: int):
    if isinstance(data, dict) and data:
        data.pop(list(data)[path_choice % len(data)])
    return data


def _splice(whole: bytes, at: int, odd: bytes) -> bytes:
    """`odd` in place of the value after the `at`-th colon, if there is one."""
    colon = whole.find(b":", at)
    if colon < 0:
        return odd
    end = min((i for i in (whole.find(b",", colon), whole.find(b"}", colon)) if i > 0), default=len(whole))
    return whole[: colon + 1] + odd + whole[end:]


# -- trying a door --------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "ok", "clean" (a StorytellerError) or "traceback"
    seconds: float
    changed: list[str] = field(default_factory=list)  # files a failed try changed
    error: BaseException | None = None


def snapshot(*roots: Path) -> dict[str, tuple]:
    """Every file and link under `roots`: its content's digest (a link: where it points)."""
    seen = {}
    for root in roots:
        if root.is_symlink() or root.is_file():
            seen[str(root)] = _fingerprint(root)
            continue
        for folder, dirs, files in os.walk(root):
            for name in files + [d for d in dirs if Path(folder, d).is_symlink()]:
                path = Path(folder, name)
                seen[str(path)] = _fingerprint(path)
    return seen


def _fingerprint(path: Path) -> tuple:
    if path.is_symlink():
        return ("link", os.readlink(path))
    if not path.is_file():
        return ("special",)
    return ("file", hashlib.sha256(path.read_bytes()).hexdigest())


def attempt(run: Callable[[], object], *watched: Path) -> Outcome:
    """Run one import; what it came to, and on failure which watched files it changed."""
    before = snapshot(*watched)
    start = time.perf_counter()
    try:
        run()
        kind, error = "ok", None
    except StorytellerError as raised:
        kind, error = "clean", raised
    except Exception as raised:  # what the doors must never let out
        kind, error = "traceback", raised
    seconds = time.perf_counter() - start
    changed = []
    if kind != "ok":
        after = snapshot(*watched)
        changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    return Outcome(kind, seconds, changed, error)


def check(outcome: Outcome) -> None:
    """A test's verdict on one try: no traceback (re-raised, so hypothesis shows it), no file changed by a
    failure, and not slow."""
    if outcome.kind == "traceback":
        raise outcome.error
    assert outcome.changed == [], "a failed import changed files"
    assert outcome.seconds < 5


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


# -- story and scenario doors ---------------------------------------------------------------------


def _sample(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _united_save() -> dict:
    return {"prompt": "시작.", "memory": "배경", "authorsnote": "", "anotetemplate": "[<|>]",
            "worldinfo": [{"key": "a, b", "keysecondary": "c", "content": "내용", "comment": "",
                           "selective": True, "constant": False}],
            "actions": {"action_count": 2, "actions": {
                "0": {"Selected Text": " 하나.", "Options": [{"text": " 하나."}, {"text": " 둘."}]},
                "1": {"Selected Text": " 셋.", "Options": []}}}}


def _our_scenario() -> dict:
    from storyteller.engine.story.scenarios import scenario_from_story, scenario_to_json
    from tests.helpers.stories import template_story

    return scenario_to_json(scenario_from_story(template_story(), "모험", "설명"))


def import_scenario_door(workdir: Path, content: bytes, name: str) -> Outcome:
    """`storyteller scenario import FILE`: read it, save it as a new scenario of the writer's (the scenarios
    folder of STORYTELLER_DATA_DIR, emptied first), and read that back as the library does."""
    from storyteller.engine.story.formats import import_scenario
    from storyteller.engine.story.scenarios import load_scenario, save_scenario, user_dir, user_path_for

    source = fresh_dir(workdir / "in") / name
    source.write_bytes(content)
    fresh_dir(user_dir())

    def run():
        scenario = import_scenario(source)
        again = load_scenario(save_scenario(scenario, user_path_for(scenario.title, unique=True)))
        again.start({p.key: "값" for p in again.placeholders})  # what was imported can be read back and used

    return attempt(run, workdir / "in", user_dir())


def import_story_door(workdir: Path, content: bytes, name: str) -> Outcome:
    """`storyteller story import FILE -o OUT`: a .txt, .md or KoboldAI save as a new story file, read back."""
    from storyteller.engine.story.file import load_story, save_story
    from storyteller.engine.story.formats import import_kobold, import_text

    source = fresh_dir(workdir / "in") / name
    source.write_bytes(content)
    target = fresh_dir(workdir / "out") / "imported.story.json"

    def run():
        story = import_text(source) if source.suffix in (".txt", ".md") else import_kobold(source)
        save_story(story, target)
        load_story(target)

    return attempt(run, workdir / "in", workdir / "out")


def open_story_door(workdir: Path, content: bytes, name: str = "x.story.json") -> Outcome:
    from storyteller.engine.story.file import load_story, save_story

    source = fresh_dir(workdir / "in") / name
    source.write_bytes(content)
    target = fresh_dir(workdir / "out") / "saved.story.json"
    return attempt(lambda: save_story(load_story(source), target), workdir / "in", workdir / "out")


def _story_sample() -> dict:
    from storyteller.engine.story.file import story_to_json
    from tests.helpers.stories import rich_story

    return story_to_json(rich_story())


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp949", "euc-kr", "latin-1", "shift_jis")
korean_text = st.text(st.sampled_from(list("가나다라마바사 아자차카타파하\n\n.,!?\t\r\x00\x0b\x1f\u2028\xa0abc")),
                      max_size=200)


@st.composite
def text_files(draw) -> tuple[bytes, str]:
    """A .txt or .md file: Korean text in some encoding (perhaps one it cannot hold), NULs, a BOM,
    a very long line, or any bytes."""
    name = draw(st.sampled_from(["소설.txt", "notes.md", "README.MD"]))
    kind = draw(st.sampled_from(["encoded"] * 6 + ["bytes"] * 3 + ["long"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400)), name
    text = draw(korean_text)
    if name.lower().endswith(".md") and draw(st.booleans()):
        text = "# " + draw(st.text(max_size=10)) + "\n\n" + text
    if kind == "long":  # a 10 MB line, or a million short ones
        unit = draw(st.sampled_from(["가", "a", "가\n", "\n"]))
        text += unit * ((10 * 2**20) // len(unit.encode()))
    return text.encode(draw(st.sampled_from(ENCODINGS)), "replace"), name


def story_doors() -> dict[str, tuple[st.SearchStrategy, Callable[[Path, object], Outcome]]]:
    """Each door: the cases it is given and how one is tried."""
    return {
        "novelai scenario": (mutated_json(_sample("novelai_lighthouse.scenario")),
                             lambda workdir, case: import_scenario_door(workdir, case, "x.scenario")),
        "kobold lite scenario": (mutated_json(_sample("kobold_lite_fortune_teller.json")),
                                 lambda workdir, case: import_scenario_door(workdir, case, "lite.json")),
        "kobold lite save": (mutated_json(_sample("kobold_lite_save.json")),
                             lambda workdir, case: import_scenario_door(workdir, case, "save.json")),
        "kobold save": (mutated_json(_sample("kobold_lite_save.json")) | mutated_json(_united_save),
                        lambda workdir, case: import_story_door(workdir, case, "kobold.json")),
        "storyteller scenario": (mutated_json(_our_scenario),
                                 lambda workdir, case: import_scenario_door(workdir, case, "s.scenario.json")),
        "story file": (mutated_json(_story_sample), open_story_door),
        "text and markdown": (text_files(), lambda workdir, case: import_story_door(workdir, *case)),
    }


# -- model folder doors ---------------------------------------------------------------------------


def import_model_door(workdir: Path, model: Path, change: Callable[[Path], None]) -> Outcome:
    """`storyteller models import FOLDER`: a copy of the tiny model, changed by `change`, into a fresh store."""
    from storyteller.engine.models.store import ModelStore

    shutil.rmtree(workdir / "in", ignore_errors=True)
    folder = shutil.copytree(model, workdir / "in" / "model", symlinks=True)
    change(folder)
    store = ModelStore(fresh_dir(workdir / "out"), demo_path=workdir / "no-demo")
    return attempt(lambda: store.import_folder(folder, name="fuzzed"), workdir / "in", workdir / "out")


def _write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(content)


def config_cases(config: dict) -> st.SearchStrategy[Callable[[Path], None]]:
    """config.json with wrong types or sizes: mutated, or a GPT-2 size set to any JSON value."""
    sizes = ["vocab_size", "n_positions", "n_ctx", "n_embd", "n_layer", "n_head", "n_inner", "model_type"]
    odd = st.one_of(json_values, st.integers(-2**40, 2**40), st.sampled_from([0, 17, 10**9, True, "gpt2", None]))
    one_size = st.tuples(st.sampled_from(sizes), odd).map(
        lambda change: json.dumps({**config, change[0]: change[1]}).encode())
    return (mutated_json(config) | one_size).map(lambda content: _write("config.json", content))


def tokenizer_cases() -> st.SearchStrategy[Callable[[Path], None]]:
    """A tokenizer.json that is not one: any JSON, an object with a "model" of any kind, or bytes."""
    model = st.fixed_dictionaries({"model": json_values | st.fixed_dictionaries(
        {"type": st.sampled_from(["BPE", "WordPiece", "Unigram", "WordLevel", "Nope"]),
         "vocab": json_values, "merges": json_values}, optional={"unk_token": json_values})},
        optional={"pre_tokenizer": json_values, "decoder": json_values, "added_tokens": json_values,
                  "normalizer": json_values, "version": json_values})
    content = st.one_of(json_values.map(json.dumps), model.map(json.dumps)).map(str.encode) | st.binary(max_size=200)
    return content.map(lambda data: _write("tokenizer.json", data))


@st.composite
def safetensors_cases(draw) -> Callable[[Path], None]:
    """model.safetensors whose header lies: sizes, offsets, dtypes and shapes that do not fit the data,
    a header length past the end, or a real file cut or padded."""
    dtypes = st.sampled_from(["F32", "F16", "BF16", "I64", "U8", "BOOL", "F8_E4M3", "Q4", "", 7])
    tensor = st.fixed_dictionaries({
        "dtype": dtypes,
        "shape": st.lists(st.integers(-2, 2**33), max_size=4) | json_values,
        "data_offsets": st.lists(st.integers(-2, 2**40), min_size=0, max_size=3) | json_values,
    })
    header = st.dictionaries(st.sampled_from(["transformer.wte.weight", "a", "b", "__metadata__", ""]),
                             tensor | json_values, max_size=4)
    head = json.dumps(draw(header)).encode()
    declared = draw(st.sampled_from([len(head), len(head) + 1, len(head) - 1, 0, 2**63, 2**40]))
    data = draw(st.binary(max_size=64))
    blob = struct.pack("<Q", max(declared, 0)) + head + data
    if draw(st.booleans()):
        blob = blob[: draw(st.integers(0, len(blob)))]
    return _write("model.safetensors", blob)


class Tricky:
    """A class of the test suite: the weights-only loader refuses it (it could be anything)."""

    def __reduce__(self):
        return (print, ("never printed: the safe loader refuses this",))


@st.composite
def pickle_cases(draw) -> Callable[[Path], None]:
    """pytorch_model.bin (and no safetensors): the tiny model's tensors with other Python objects beside
    them or in their place, nested in a checkpoint, or bytes that are no pickle."""
    import datetime
    import fractions

    kind = draw(st.sampled_from(["extra", "extra", "nested", "bytes", "cut"]))
    extra = draw(st.sampled_from(["datetime", "fraction", "tricky", "set", "bytes", "int", "string", "dict"]))
    value = {"datetime": datetime.datetime(2024, 1, 1), "fraction": fractions.Fraction(1, 3), "tricky": Tricky(),
             "set": {1, 2}, "bytes": b"\x00", "int": 7, "string": "x", "dict": {"lr": 0.1}}[extra]
    cut = draw(st.floats(0, 1))
    garbage = draw(st.binary(max_size=200))

    def change(folder: Path) -> None:
        import torch
        from safetensors.torch import load_file

        tensors = load_file(folder / "model.safetensors")
        (folder / "model.safetensors").unlink()
        target = folder / "pytorch_model.bin"
        if kind == "bytes":
            target.write_bytes(garbage)
            return
        state = {"model": tensors, "step": 3} if kind == "nested" else {**tensors, "extra": value}
        torch.save(state if kind != "cut" else tensors, target)
        if kind == "cut":
            target.write_bytes(target.read_bytes()[: int(cut * target.stat().st_size)])

    return change


@st.composite
def link_cases(draw) -> Callable[[Path], None]:
    """A model file replaced by a link: into the folder, out of it (to a copy of the real file, /dev/zero,
    a FIFO, a folder), dangling, or a loop."""
    name = draw(st.sampled_from(["config.json", "tokenizer.json", "model.safetensors", "LICENSE",
                                 "generation_config.json"]))
    target = draw(st.sampled_from(["inside", "outside copy", "dev zero", "fifo", "folder", "dangling", "loop"]))

    def change(folder: Path) -> None:
        file, outside = folder / name, folder.parent / "outside"
        outside.mkdir(exist_ok=True)
        if not file.exists():
            file.write_text("MIT\n", encoding="utf-8")  # LICENSE: a model may have one
        if target == "inside":
            file.rename(folder / f"real-{name}")
            file.symlink_to(f"real-{name}")
            return
        if target == "outside copy" and file.exists():
            shutil.copy(file, outside / name)
        elif target == "fifo" and not (outside / "pipe").exists():
            os.mkfifo(outside / "pipe")
        file.unlink(missing_ok=True)
        pointed = {"outside copy": outside / name, "dev zero": Path("/dev/zero"), "fifo": outside / "pipe",
                   "folder": outside, "dangling": outside / "nothing", "loop": file}[target]
        file.symlink_to(pointed)

    return change


def model_doors(model: Path) -> dict[str, tuple[st.SearchStrategy, Callable[[Path, object], Outcome]]]:
    """The model folder doors, each fuzzing one file of a copy of `model` (the tiny safetensors model)."""
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))

    def door(workdir: Path, change) -> Outcome:
        return import_model_door(workdir, model, change)

    return {
        "model config.json": (config_cases(config), door),
        "model tokenizer.json": (tokenizer_cases(), door),
        "model safetensors header": (safetensors_cases(), door),
        "model pytorch_model.bin": (pickle_cases(), door),
        "model links": (link_cases(), door),
    }


# -- the server door --------------------------------------------------------------------------------

# JSON values shaped like a server's events: the keys llama.cpp and OpenAI-compatible servers send,
# holding anything.
EVENT_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["content", "tokens", "stop", "stop_type", "timings", "completion_probabilities",
                         "top_logprobs", "id", "logprob", "cache_n", "error", "message", "choices", "text"]),
        children, max_size=4),
    max_leaves=12,
)


def event_streams() -> st.SearchStrategy[bytes]:
    """A streamed completion: a good first event, then fuzzed events and trailing garbage bytes."""
    from tests.helpers.bad_server import events, good_event, stream_header

    return st.builds(lambda messages, garbage: stream_header() + events(good_event(), *map(json.dumps, messages))
                     + garbage, st.lists(EVENT_JSON, min_size=1, max_size=3), st.binary(max_size=40))


def server_doors() -> dict[str, tuple[st.SearchStrategy, Callable[[Path, object], Outcome]]]:
    """A server's answers: one real misbehaving server (tests/helpers/bad_server.py) writes each fuzzed
    stream to the app's own client, connected once; a continuation must end in a result or a ServerError."""
    from storyteller.engine.decode.requests import GenerationRequest
    from storyteller.engine.servers.generator import connect
    from storyteller.engine.servers.registry import ServerEntry
    from storyteller.engine.settings.generation import GenerationSettings
    from tests.helpers.bad_server import BadServer

    server, client = None, None

    def door(workdir: Path, answer: bytes) -> Outcome:
        nonlocal server, client
        if server is None:
            server = BadServer(b"").__enter__()  # serves until the process ends (daemon threads)
            client = connect(ServerEntry("fuzzed", server.url))
        server.completion = answer
        request = GenerationRequest("옛날", GenerationSettings(max_new_tokens=8, seed=1))
        return attempt(lambda: client.generate(request), fresh_dir(workdir))

    return {"server answers": (event_streams(), door)}
