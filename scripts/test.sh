#!/usr/bin/env bash
# Set up (first run only) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec "${STORYTELLER_VENV:-.venv}/bin/python" -m pytest "$@"
