#!/usr/bin/env bash
# Set up Storyteller on this machine, idempotently: the Debian packages Qt and Korean text need
# (when this user may install them), a virtual environment in .venv, and the project in it.
#   scripts/setup.sh          the app
#   scripts/setup.sh --test   the app and its test tools
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
venv="${STORYTELLER_VENV:-.venv}"
python="${PYTHON:-python3}"

# Korean fonts, a virtual X server for GUI tests, and the X/GL libraries PySide6's plugins load.
debian_packages=(fonts-noto-cjk xvfb libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
                 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
                 libxcb-render-util0 libxcb-image0 libxcb-xinerama0)
source scripts/debian_packages.sh
install_debian_packages setup 1 0 "${debian_packages[@]}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "setup: Storyteller needs Python 3.11 or newer; $("$python" --version 2>&1) found. Set PYTHON=python3.x." >&2
    exit 1
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
stamp="$venv/.storyteller-installed$extras"
# Reinstall only when the requirements changed since the last set-up.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    # torch first, pinned: left to the resolver it may pick a multi-GB CUDA build.
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -c constraints.txt torch
    # -W: for an editable install of this layout setuptools always adds an "Editable installation" notice
    # (its InformationOnly warning: nothing to act on), which pip prints as a banner even with -q.
    "$venv/bin/python" -W "ignore:Editable installation" -m pip install -q --disable-pip-version-check \
        -c constraints.txt -e ".$extras"
    touch "$stamp"
fi
# Qt Linguist: the Korean UI is compiled from the committed .ts file.
ts=resources/translations/storyteller_ko.ts
qm=resources/translations/storyteller_ko.qm
if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    "$venv/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
fi
