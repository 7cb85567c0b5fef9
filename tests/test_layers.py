"""The layer rules, checked: every import runs down the layers of LAYERS (the folder tree), the engine
never imports Qt, the window shows without torch (the worker thread imports it once the window is
up), no two modules of the package import each other, and README.md's diagram of the layers is the
folder tree.

The first two run in a fresh interpreter each, so what this test session already imported does not
count; the import graph is read from the source with `ast`, imports inside functions included."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from collections import deque
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT

PACKAGE = ROOT / "storyteller"

# The package's layers, lowest first, stated once: a module may import from its own layer and from
# those below it, never from one above. Peers share a line ("a | b") and may import each other.
# README.md's "How it is built" diagram is made from this list (test_the_readme_diagram_is_the_tree).
LAYERS = [
    "engine.core",
    "engine.korean",
    "engine.settings",
    "engine.models",
    "engine.decode",
    "engine.steering",
    "engine.servers",
    "engine.story",
    "engine.training",
    "gui.common",
    "gui.background",
    "gui.document",
    "gui.panels | gui.dialogs | gui.menus",
    "gui.controllers",
    "gui.main_window",
    "gui.app",
    "cli",
    "__main__",
]
# Folders that only hold layers: their __init__ imports nothing of the package.
CONTAINERS = ["storyteller", "storyteller.engine", "storyteller.gui"]

# Modules the GUI thread imports (through the window or by itself) before a model is loaded.
GUI_THREAD_ENGINE_MODULES = [
    "storyteller.engine.decode.requests",
    "storyteller.engine.settings.generation",
    "storyteller.engine.settings.steering",
    "storyteller.engine.story.document",
    "storyteller.engine.story.file",
]

# Run first in the fresh interpreter: remembers, for each watched top-level package, which lines of
# the package imported it first, and prints that as JSON when the interpreter exits.
WATCH_IMPORTS = textwrap.dedent("""
    import atexit, json, sys, traceback

    WATCHED, SOURCE = set(sys.argv[1].split(",")), sys.argv[2]
    first_import = {}

    class ImportWatch:
        def find_spec(self, name, path=None, target=None):
            top = name.partition(".")[0]
            if top in WATCHED and top not in first_import:
                first_import[top] = [f"{frame.filename}:{frame.lineno}" for frame in traceback.extract_stack()
                                     if frame.filename.startswith(SOURCE)]
            return None

    sys.meta_path.insert(0, ImportWatch())
    atexit.register(lambda: print("WATCHED-IMPORTS " + json.dumps(
        {name: first_import[name] for name in WATCHED if name in sys.modules})))
""")


def first_imports(code: str, watched: list[str], tmp_path: Path) -> dict[str, list[str]]:
    """Run `code` in a fresh interpreter; for each `watched` package it imported, the import chain
    (our source lines, outermost first) that brought it in."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    for name in ("CONFIG", "DATA", "MODELS"):
        env[f"STORYTELLER_{name}_DIR"] = str(tmp_path / name.lower())
    script = WATCH_IMPORTS + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script, ",".join(watched), str(PACKAGE)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    (report,) = [line for line in done.stdout.splitlines() if line.startswith("WATCHED-IMPORTS ")]
    return json.loads(report.removeprefix("WATCHED-IMPORTS "))


def describe(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}, imported by:\n    " + "\n    ".join(chain) for name, chain in found.items())


# --- the package's modules and their imports -------------------------------------------------------


def package_modules(package: Path) -> dict[str, Path]:
    """Every module of `package` (a folder) by its dotted name."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


MODULES = package_modules(PACKAGE)


def run_time_imports(tree: ast.AST):
    """Every import statement that can run: module level and inside functions, not the
    `if TYPE_CHECKING:` blocks that only name types for annotations."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from run_time_imports(ast.Module(body=node.orelse, type_ignores=[]))
        else:
            yield from run_time_imports(node)


def imported_names(modules: dict[str, Path], module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The full names of the modules (or of the packages holding the names) that `node` in `module` imports."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if modules[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    # `from storyteller.engine.models import hub` imports the module storyteller.engine.models.hub.
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def import_graph(modules: dict[str, Path]) -> dict[str, dict[str, int]]:
    """module -> {module of the same package that it imports: the line of its first such import}."""
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges = graph.setdefault(module, {})
        for node in run_time_imports(parse(path)):
            for target in imported_names(modules, module, node):
                if target in modules and target != module:
                    edges.setdefault(target, node.lineno)
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that reach each other through imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def shortest_cycle(graph: dict[str, dict[str, int]], group: list[str]) -> list[str]:
    """The shortest import cycle from the group's first module back to itself."""
    start = group[0]
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target in graph[module]:
            if target == start:
                cycle = [module]
                while cycle[-1] != start:
                    cycle.append(came_from[cycle[-1]])
                return [*reversed(cycle), start]
            if target in group and target not in came_from:
                came_from[target] = module
                queue.append(target)
    raise AssertionError(f"{group} is not a cycle")


def import_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    return [shortest_cycle(graph, group) for group in strongly_connected(graph) if len(group) > 1]


def describe_cycle(graph: dict[str, dict[str, int]], cycle: list[str]) -> str:
    steps = [f"{importer} imports {target} ({MODULES[importer].relative_to(ROOT)}:{graph[importer][target]})"
             for importer, target in zip(cycle, cycle[1:])]
    return " -> ".join(cycle) + "\n    " + "\n    ".join(steps)


# --- the rules -------------------------------------------------------------------------------------


def layer_of(module: str, layers: list[str] = LAYERS) -> int | None:
    """The index in `layers` of the layer holding `module` (a dotted name under storyteller)."""
    for rank, line in enumerate(layers):
        for layer in line.split(" | "):
            name = f"storyteller.{layer}"
            if module == name or module.startswith(name + "."):
                return rank
    return None


def upward_imports(graph: dict[str, dict[str, int]], layers: list[str] = LAYERS) -> list[str]:
    """Each import that runs against the layer order, as `importer -> imported (file:line)`."""
    found = []
    for importer, targets in sorted(graph.items()):
        for target, line in sorted(targets.items()):
            low, high = layer_of(importer, layers), layer_of(target, layers)
            if low is not None and high is not None and high > low:
                found.append(
                    f"{importer} (layer {layers[low]!r}) imports {target} (layer {layers[high]!r}), line {line}"
                )
    return found


def test_every_module_lives_in_a_layer():
    outside = [name for name in MODULES if layer_of(name) is None and name not in CONTAINERS]
    assert not outside, f"add these to LAYERS (or move them into a layer's folder): {outside}"
    graph = import_graph(MODULES)
    assert not {name: graph[name] for name in CONTAINERS if graph[name]}


def test_every_import_runs_down_the_layers():
    found = upward_imports(import_graph(MODULES))
    assert not found, "imports against the layer order (move the thing down, or pass it in):\n" + "\n".join(found)


def test_the_layer_check_sees_an_upward_import_inside_a_function(tmp_path):
    package = tmp_path / "storyteller"
    (package / "low").mkdir(parents=True)
    (package / "high").mkdir()
    for init in (package / "__init__.py", package / "low" / "__init__.py", package / "high" / "__init__.py"):
        init.write_text("")
    (package / "low" / "a.py").write_text("def f():\n    from storyteller.high import b\n")
    (package / "high" / "b.py").write_text("from storyteller.low import a\n")
    (package / "high" / "c.py").write_text("from storyteller.high import b\n")
    found = upward_imports(import_graph(package_modules(package)), ["low", "high"])
    assert found == ["storyteller.low.a (layer 'low') imports storyteller.high.b (layer 'high'), line 2"]



# --- README.md's diagram of the layers -------------------------------------------------------------

DIAGRAM_BEGIN = "<!-- layers: made by tests/test_layers.py from LAYERS and the folders, do not edit -->"
DIAGRAM_END = "<!-- end of layers -->"
DIAGRAM_WIDTH = 100


def wrapped(words: list[str], width: int) -> list[str]:
    """`words` joined by " · " in lines of at most `width` characters (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 3 + len(word) <= width:
            lines[-1] += " · " + word
        else:
            lines.append(word)
    return lines


def folder_contents(folder: Path, width: int) -> list[str]:
    """The modules of `folder`, then those of each package inside it after its name ("runtimes/: …")."""
    lines = wrapped(sorted(path.stem for path in folder.glob("*.py") if path.name != "__init__.py"), width)
    for inner in sorted(path for path in folder.iterdir() if (path / "__init__.py").is_file()):
        label = f"{inner.name}/: "
        inner_lines = folder_contents(inner, width - len(label))
        lines += [label + inner_lines[0]] + [" " * len(label) + text for text in inner_lines[1:]]
    return lines


def layer_diagram(package: Path = PACKAGE, layers: list[str] = LAYERS, width: int = DIAGRAM_WIDTH) -> str:
    """The layers top to bottom, each with its modules; a bracket in the margin joins peers."""
    rows = []  # (margin, name as shown, path)
    for line in reversed(layers):
        peers = line.split(" | ")
        for rank, layer in enumerate(peers):
            path = package.joinpath(*layer.split("."))
            margin = " " if len(peers) == 1 else "┌" if rank == 0 else "└" if rank == len(peers) - 1 else "│"
            name = path.relative_to(package).as_posix() + ("/" if path.is_dir() else ".py")
            rows.append((margin, name, path))
    column = max(len(name) for _, name, _ in rows) + 2
    heading = "top to bottom: a module imports from its own layer and those below it; ┌└ join peers"
    lines = [f"{package.name}/   {heading}"]
    for margin, name, path in rows:
        contents = folder_contents(path, width - column - 2) if path.is_dir() else []
        continued = "│" if margin in "┌│" else " "
        for index, text in enumerate(contents or [""]):
            lines.append((f"{margin} {name:<{column}}" if index == 0 else f"{continued} {'':<{column}}") + text)
    return "\n".join(line.rstrip() for line in lines)


def test_the_readme_diagram_is_the_tree():
    block = f"{DIAGRAM_BEGIN}\n```\n{layer_diagram()}\n```\n{DIAGRAM_END}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert block in readme, f"README.md's diagram of the layers is stale; paste this over it:\n\n{block}\n"


def test_the_diagram_joins_peers_and_names_inner_packages(tmp_path):
    package = tmp_path / "pkg"
    for folder in ("low", "low/inner", "left", "right"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    for module in ("low/a", "low/b", "low/inner/c", "left/d", "right/e", "top"):
        (package / f"{module}.py").write_text("")
    assert layer_diagram(package, ["low", "left | right", "top"], width=30).splitlines()[1:] == [
        "  top.py",
        "┌ left/   d",
        "└ right/  e",
        "  low/    a · b",
        "          inner/: c",
    ]


def test_the_engine_never_imports_qt(tmp_path):
    engine = [name for name in MODULES if name.startswith("storyteller.engine")]
    found = first_imports("\n".join(f"import {name}" for name in engine), ["PySide6", "shiboken6"], tmp_path)
    assert not found, describe(found)


def test_no_engine_module_imports_qt_even_inside_a_function():
    qt_imports = [f"{path.relative_to(ROOT)}:{node.lineno}"
                  for module, path in MODULES.items() if module.startswith("storyteller.engine")
                  for node in run_time_imports(parse(path))
                  if any(name.partition(".")[0] == "PySide6" for name in imported_names(MODULES, module, node))]
    assert not qt_imports


def test_the_window_shows_without_torch_or_transformers(tmp_path):
    found = first_imports(f"""
        for name in {GUI_THREAD_ENGINE_MODULES!r}:
            __import__(name)

        from PySide6.QtWidgets import QApplication

        from storyteller.gui.app import build_window, install_translator, make_settings

        app = QApplication([])
        install_translator(app, "ko")
        window = build_window(make_settings())
        window.show()
        app.processEvents()
        window.client.shutdown()
    """, ["torch", "transformers"], tmp_path)
    assert not found, describe(found)


def test_no_import_cycles():
    graph = import_graph(MODULES)
    cycles = import_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(describe_cycle(graph, cycle) for cycle in cycles)


@pytest.mark.parametrize(("sources", "cycles"), [
    ({"a": "import pkg.b", "b": "def f():\n    from . import a"}, [["pkg.a", "pkg.b", "pkg.a"]]),
    ({"a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import b", "b": "from pkg import a"},
     []),
    ({"a": "from .b import x", "b": "import pkg.c", "c": "from pkg.a import y"},
     [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]),
    ({"a": "from . import b", "b": "import os"}, []),
])
def test_the_cycle_finder_sees_imports_in_functions_and_skips_type_checking_blocks(sources, cycles, tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in sources.items():
        (package / f"{name}.py").write_text(text)
    assert import_cycles(import_graph(package_modules(package))) == cycles


def test_a_plain_continuation_is_planned_and_decoded_without_torch(tmp_path):
    """The decode loop, its logits stage and sampling, and planning a story's continuation need no
    torch: only the torch runtime, steering and training load it."""
    found = first_imports(f"""
        import numpy as np

        from storyteller.engine.story.context import ContextBuilder
        from storyteller.engine.story.continuation import plan_continuation
        from storyteller.engine.decode.generator import Generator
        from storyteller.engine.decode.processors import build_processors, sample
        from storyteller.engine.story.document import Author, Piece, Story
        from storyteller.engine.models.tokenizer import load_tokenizer

        tokenizer = load_tokenizer({str(ROOT / "resources" / "tokenizer" / "kogpt2")!r})
        story = Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에 한 나무꾼이 살았다.")])
        story.generation = story.generation.replace(repetition_penalty=1.2, top_k=40, top_p=0.9, seed=1)
        plan = plan_continuation(story, ContextBuilder(tokenizer, 1024))
        ids = np.array([tokenizer.encode(plan.request.prompt)], dtype=np.int64)
        settings = plan.request.settings
        processors = build_processors(settings, prompt_length=ids.shape[1], stop_ids=[1], banned_ids=[0])
        scores = processors(ids, np.random.default_rng(0).standard_normal((1, 51200)).astype(np.float32))
        assert sample(scores, np.random.default_rng(settings.seed)).shape == (1,)
        assert Generator.warm and Generator.stream
    """, ["torch"], tmp_path)
    assert not found, describe(found)


def test_a_continuation_with_bans_and_phrase_bias_imports_no_torch(tmp_path):
    """Bans and phrase bias are plain logits processors of the decode loop: on the int8 runtime a
    continuation that uses them never loads torch (only steering toward topics or a mood does)."""
    found = first_imports("""
        from storyteller.engine.decode.generator import Generator
        from storyteller.engine.decode.requests import GenerationRequest
        from storyteller.engine.models.loading import open_model
        from storyteller.engine.settings.generation import GenerationSettings
        from storyteller.engine.settings.steering import SteeringSettings
        from storyteller.engine.steering import steering_hooks

        _, loaded = open_model("demo", "cpu", runtime="onnx")
        steering = SteeringSettings(banned=("바다",), phrase_bias=("푸른 하늘=+2",))
        request = GenerationRequest("옛날 옛적에", GenerationSettings(max_new_tokens=6, seed=1), steering=steering)
        result = Generator(loaded, steer=steering_hooks).generate(request)
        assert result.runtime == "onnx" and result.token_ids[0], result
        assert "바다" not in result.texts[0]
    """, ["torch"], tmp_path)
    assert not found, describe(found)


def test_a_server_request_with_word_steering_imports_no_torch(tmp_path):
    """Toward a server, word steering and bans become a logit_bias in the request body."""
    found = first_imports(f"""
        from storyteller.engine.models.tokenizer import load_tokenizer
        from storyteller.engine.servers.apis import LlamaCppApi
        from storyteller.engine.servers.probing import ServerInfo
        from storyteller.engine.servers.steering_bias import steering_logit_bias
        from storyteller.engine.settings.generation import GenerationSettings
        from storyteller.engine.settings.steering import SteeringSettings

        tokenizer = load_tokenizer({str(ROOT / "resources" / "tokenizer" / "kogpt2")!r})
        steering = SteeringSettings(words=("바다",), topic_strength=1.0, banned=("사람",))
        bias = steering_logit_bias(tokenizer, steering)
        assert any(value is False for value in bias.values()) and any(value is not False for value in bias.values())
        body = LlamaCppApi(ServerInfo("llama.cpp", ["m"], 1024)).body("옛날", GenerationSettings(), 1, bias, top_k=0)
        assert body["logit_bias"] and body["prompt"] == "옛날"
    """, ["torch"], tmp_path)
    assert not found, describe(found)
