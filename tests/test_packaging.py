"""The installers (issue 7): `packaging/build_linux.sh --fast` builds the .deb and the tarball from this
checkout; the .deb installs, the installed app passes `storyteller --self-test` offscreen and on a real X
server (Xvfb, Qt's xcb plugin), keeps its models and settings in the user's home, downloads a model through
the model manager, and uninstalls cleanly. The tarball holds the same app and runs from where it is unpacked.

It takes minutes, so it runs only when asked: `scripts/test.sh -m packaging` (.ci/run does, after the main
suite). Installing needs root. Figures go to test-artifacts/packaging.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import pytest

from tests.helpers.hubserver import TINY_REPO
from tests.helpers.paths import ARTIFACTS, ROOT

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
PROMPT = "옛날 옛적에"  # what storyteller --self-test continues

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.timeout(2400),
    pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("dpkg") is None,
                       reason="the Linux installers build on Debian or Ubuntu"),
]

FIGURES: dict[str, object] = {}


@pytest.fixture(scope="module", autouse=True)
def only_when_asked(request):
    if "packaging" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("builds the installers (several minutes): run with `-m packaging`")
    yield
    if FIGURES:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "packaging.json").write_text(json.dumps(FIGURES, indent=2, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")


def megabytes(path: Path) -> float:
    if path.is_dir():
        total = sum(p.lstat().st_size for p in path.rglob("*") if not p.is_symlink())
    else:
        total = path.stat().st_size
    return round(total / 1e6, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("installers")
    log = out / "build.log"
    started = time.perf_counter()
    with log.open("w") as output:
        done = subprocess.run(["bash", str(ROOT / "packaging" / "build_linux.sh"), "--fast", "--out", str(out)],
                              cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, timeout=2000)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, log.read_text(errors="replace")[-5000:]
    debs = list(out.glob(f"storyteller_{VERSION}_*.deb"))
    tarballs = list(out.glob(f"storyteller-{VERSION}-linux-*.tar.*"))
    assert len(debs) == 1 and len(tarballs) == 1, sorted(p.name for p in out.iterdir())
    bundle = ROOT / "build" / "bundle" / "storyteller"
    FIGURES.update(build_seconds=round(seconds), bundle_mb=megabytes(bundle), deb_mb=megabytes(debs[0]),
                   tarball_mb=megabytes(tarballs[0]), deb=debs[0].name, tarball=tarballs[0].name)
    return debs[0], tarballs[0], bundle


def check_bundle_listing(names: list[str], prefix: str) -> None:
    """What must and must not be in the app's folder, given its file list (paths under `prefix`)."""
    inside = {name[len(prefix):] for name in names if name.startswith(prefix) and not name.endswith("/")}
    required = [
        "storyteller",
        "_internal/resources/models/demo/model.safetensors",
        "_internal/resources/models/demo/tokenizer.json",
        "_internal/resources/models/demo/optimized/model-int8.onnx",
        "_internal/resources/models/demo/optimized/model-int8.onnx.data",
        "_internal/resources/models/demo/optimized/optimized.json",
        "_internal/resources/tokenizer/kogpt2/tokenizer.json",
        "_internal/resources/translations/storyteller_ko.qm",
        "_internal/resources/icons/storyteller.svg",
        "_internal/torch/bin/torch_shm_manager",
        "_internal/torch/lib/libtorch_cpu.so",
        "_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
        "_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so",
        # Qt's xcb plugin's own libraries, bundled (not every desktop has them)
        "_internal/libxcb-icccm.so.4", "_internal/libxcb-keysyms.so.1", "_internal/libxcb-cursor.so.0",
        "_internal/libxkbcommon-x11.so.0",
    ]
    assert not [path for path in required if path not in inside], "missing from the bundle"
    # every file under resources/ but the translation sources, whatever is added later
    resources = ROOT / "resources"
    expected = {f"_internal/resources/{p.relative_to(resources).as_posix()}" for p in resources.rglob("*")
                if p.is_file() and p.suffix != ".ts" and "__pycache__" not in p.parts}
    assert not sorted(expected - inside), "resources/ files missing from the bundle"
    unwanted = [path for path in inside if
                path.endswith((".ts", ".h", ".pyi"))
                or path.startswith(("_internal/torch/test/", "_internal/torch/include/", "_internal/pytest",
                                    "_internal/_pytest", "_internal/hypothesis", "_internal/tensorboard",
                                    "_internal/PySide6/Qt/plugins/platformthemes/libqgtk3"))
                or (path.startswith("_internal/torch/bin/") and not path.endswith("torch_shm_manager"))
                or "libcudart" in path]
    assert not unwanted, f"never used, yet bundled: {sorted(unwanted)[:10]}"
    # KoGPT2's weights are never bundled: the only weights are the embedded demo model's
    weights = [path for path in inside if path.endswith((".safetensors", ".bin", ".pt", ".pth", ".ckpt"))
               and not path.startswith("_internal/torch/")]
    assert weights and all(path.startswith("_internal/resources/models/demo/") for path in weights), weights


def test_the_deb_describes_itself(built):
    deb, _, _ = built
    fields = dict(line.split(": ", 1) for line in subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Version", "Architecture", "Depends", "Recommends"],
        capture_output=True, text=True, check=True).stdout.splitlines())
    assert fields["Package"] == "storyteller" and fields["Version"] == VERSION
    depends = {item.strip().split(" ")[0] for item in fields["Depends"].split(",")}
    # what the bundle takes from the system: libc, GL/EGL, libxcb (PyInstaller never bundles them), fonts
    assert {"libc6", "libgl1", "libegl1", "libxcb1", "libfontconfig1", "xkb-data"} <= depends, depends
    # and not what it carries itself
    assert not depends & {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libssl3", "libstdc++6",
                          "libpython3.11"}, depends
    assert "fonts-noto-cjk" in fields["Recommends"]


def test_the_deb_holds_the_app_its_link_menu_entry_and_icons(built):
    deb, _, _ = built
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    names = [line.split(None, 5)[5].split(" -> ")[0].removeprefix("./") for line in listing]
    check_bundle_listing(names, "opt/storyteller/")
    assert any(line.endswith("usr/bin/storyteller -> /opt/storyteller/storyteller") for line in listing)
    for path in ("usr/share/applications/storyteller.desktop", "usr/share/icons/hicolor/scalable/apps/storyteller.svg",
                 "usr/share/icons/hicolor/48x48/apps/storyteller.png", "usr/share/doc/storyteller/copyright"):
        assert path in names
    assert not [n for n in names if n and not n.startswith(("opt/", "usr/")) and n.strip("/") not in ("", "opt", "usr")]
    assert not [line for line in listing if not line.split()[1].startswith("root/root")], "files not owned by root"


def test_the_tarball_runs_where_it_is_unpacked(built, tmp_path):
    _, tarball, _ = built
    names = subprocess.run(["tar", "-tf", str(tarball)], capture_output=True, text=True, check=True).stdout.split()
    top = f"storyteller-{VERSION}/"
    assert all(name.startswith(top) for name in names)
    check_bundle_listing(names, top)
    for path in ("README.txt", "LICENSE", "share/applications/storyteller.desktop",
                 "share/icons/hicolor/256x256/apps/storyteller.png"):
        assert top + path in names
    subprocess.run(["tar", "-xf", str(tarball), "-C", str(tmp_path)], check=True)
    done, result, _ = self_test(tmp_path / top / "storyteller", tmp_path / "home", as_nobody=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert result["ok"] and result["model"] == "demo" and result["text"].startswith(PROMPT)


# --- the installed .deb -----------------------------------------------------------------------------------

def as_user_env(home: Path, **extra) -> dict[str, str]:
    """A clean environment for a writer's session: no STORYTELLER_* or XDG_* overrides, only HOME."""
    keep = {"PATH", "LANG", "LC_ALL", "TZ"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(HOME=str(home), STORYTELLER_THREADS="1", **extra)
    return env


def user_home() -> Path:
    """A home folder the unprivileged user can write, in a folder it can reach (pytest's tmp is 0700)."""
    home = Path(tempfile.mkdtemp(prefix="storyteller-home-", dir="/tmp"))
    home.chmod(0o777)
    return home


def run_as_user(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run as `nobody` when we are root: the installed app must not need to write under /opt."""
    prefix = []
    if os.geteuid() == 0 and shutil.which("setpriv"):
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
    return subprocess.run([*prefix, *command], capture_output=True, text=True, **kwargs)


def self_test(program, home: Path, platform: str = "offscreen", prefix=(), as_nobody: bool = True):
    home.mkdir(parents=True, exist_ok=True)
    result = home / f"self-test-{platform}.json"
    env = as_user_env(home, QT_QPA_PLATFORM=platform)
    command = [*prefix, str(program), "--self-test", str(result)]
    started = time.perf_counter()
    if as_nobody:
        done = run_as_user(command, env=env, timeout=300)
    else:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    seconds = time.perf_counter() - started
    return done, (json.loads(result.read_text(encoding="utf-8")) if result.exists() else None), seconds


@pytest.fixture(scope="module")
def installed(built):
    if os.geteuid() != 0:
        pytest.skip("installing the .deb needs root")
    deb, _, _ = built
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, env=env).returncode != 0:
        # missing dependencies: let apt bring them (the machine's package lists may need a refresh)
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        done = subprocess.run(["apt-get", "install", "-f", "-y", "-qq", "--no-install-recommends"],
                              capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", "storyteller"], capture_output=True,
                            text=True).stdout
    assert status == f"install ok installed {VERSION}"
    yield Path("/usr/bin/storyteller")
    done = subprocess.run(["dpkg", "--purge", "storyteller"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert not Path("/opt/storyteller").exists() and not Path("/usr/bin/storyteller").is_symlink()


def test_installed_files(installed):
    assert installed.resolve() == Path("/opt/storyteller/storyteller")
    assert os.access("/opt/storyteller/storyteller", os.X_OK)
    assert not Path("/opt/storyteller").stat().st_mode & 0o022, "/opt/storyteller is writable by others"
    example = Path("/opt/storyteller/_internal/resources/examples")
    assert all(p.stat().st_mode & 0o004 for p in example.rglob("*")), "resources not readable by everyone"
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", "/usr/share/applications/storyteller.desktop"],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    desktop = Path("/usr/share/applications/storyteller.desktop").read_text(encoding="utf-8")
    assert "Exec=storyteller %f" in desktop and "Icon=storyteller" in desktop and "Name[ko]=이야기꾼" in desktop


def test_installed_app_passes_its_self_test_offscreen(installed):
    home = user_home()
    try:
        done, result, seconds = self_test(installed, home)
        assert done.returncode == 0, done.stderr[-3000:]
        assert result["ok"] and result["model"] == "demo" and result["platform"] == "offscreen"
        assert result["text"].startswith(PROMPT) and len(result["text"]) > len(PROMPT)
        assert result["window_shown_s"] < 5
        assert result["runtime"] == "onnx"  # the frozen app found the demo's shipped int8 export
        FIGURES.update(frozen_self_test_wall_s=round(seconds, 2), frozen_window_shown_s=result["window_shown_s"],
                       frozen_self_test_s=result["seconds"])
        # the same self-test from the development venv, for comparison
        venv_home = Path(tempfile.mkdtemp(prefix="storyteller-venv-home-"))
        started = time.perf_counter()
        venv = subprocess.run([sys.executable, "-m", "storyteller", "--self-test", str(venv_home / "r.json")],
                              capture_output=True, text=True, timeout=300, cwd=ROOT,
                              env=dict(as_user_env(venv_home, QT_QPA_PLATFORM="offscreen"), PATH=os.environ["PATH"]))
        if venv.returncode == 0:
            venv_result = json.loads((venv_home / "r.json").read_text(encoding="utf-8"))
            FIGURES.update(venv_self_test_wall_s=round(time.perf_counter() - started, 2),
                           venv_window_shown_s=venv_result["window_shown_s"], venv_self_test_s=venv_result["seconds"])
        shutil.rmtree(venv_home, ignore_errors=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Debian's xvfb")
def test_installed_app_passes_its_self_test_on_a_real_x_server(installed):
    home = user_home()
    try:
        done, result, seconds = self_test(installed, home, platform="xcb", prefix=("xvfb-run", "-a"))
        assert done.returncode == 0, done.stderr[-3000:]
        assert result["ok"] and result["platform"] == "xcb" and result["text"].startswith(PROMPT)
        FIGURES.update(frozen_xvfb_self_test_wall_s=round(seconds, 2))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_installed_app_keeps_models_in_the_users_home_and_downloads_through_the_model_manager(installed, request):
    fake = request.getfixturevalue("hub")  # tests/helpers/hubserver.py: a local stand-in for the Hugging Face Hub
    home = user_home()
    try:
        env = as_user_env(home, HF_ENDPOINT=fake.url)
        listing = run_as_user([str(installed), "models", "list"], env=env, timeout=120)
        assert listing.returncode == 0, listing.stderr
        store = home / ".local" / "share" / "storyteller" / "models"
        assert f"Model store: {store}" in listing.stdout
        assert "/opt/storyteller/_internal/resources/models/demo" in listing.stdout  # the embedded demo model
        download = run_as_user([str(installed), "models", "download", TINY_REPO], env=env, timeout=300)
        assert download.returncode == 0, download.stderr[-3000:]
        assert (store / TINY_REPO.rsplit("/", 1)[1] / "model.safetensors").is_file()
        generate = run_as_user([str(installed), "generate", "--model", TINY_REPO.rsplit("/", 1)[1], "--prompt", PROMPT,
                                "--length", "4", "--seed", "1"], env=env, timeout=300)
        assert generate.returncode == 0, generate.stderr[-3000:]
        assert generate.stdout.startswith(PROMPT)
    finally:
        shutil.rmtree(home, ignore_errors=True)
