#!/usr/bin/env bash
# Set up (first run only), lint, and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
venv="${STORYTELLER_VENV:-.venv}"
"$venv/bin/ruff" check --quiet .  # the rules are in pyproject.toml; a finding fails the run before any test
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec "$venv/bin/python" -m pytest "$@"
