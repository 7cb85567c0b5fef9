#!/usr/bin/env bash
# Set up (first run only) and start the Storyteller app. Extra arguments go to `storyteller`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec "${STORYTELLER_VENV:-.venv}/bin/storyteller" "$@"
