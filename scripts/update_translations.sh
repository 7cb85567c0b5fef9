#!/usr/bin/env bash
# Refresh the Korean translation's source strings from the code, then compile it for the app.
#   scripts/update_translations.sh [FILE.ts]   (default: resources/translations/storyteller_ko.ts)
# No source locations are kept (-locations none): moving code around changes nothing in the .ts, so its
# diffs show only strings added, changed or translated. Translate new strings in Qt Linguist.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${STORYTELLER_VENV:-.venv}"
ts="${1:-resources/translations/storyteller_ko.ts}"
mapfile -t sources < <(find storyteller/gui storyteller/engine -name '*.py' | LC_ALL=C sort)
"$venv/bin/pyside6-lupdate" -silent -no-obsolete -locations none "${sources[@]}" -ts "$ts"
"$venv/bin/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
