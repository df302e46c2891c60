#!/usr/bin/env bash
# Installs npm packages if missing and (re)builds dist/ when a source file is newer than the last build.
source "$(dirname "${BASH_SOURCE[0]}")/ensure-deps.sh"
stamp=dist/.built
if [ ! -f "$stamp" ] || [ -n "$(find lib samples bench tsconfig*.json package.json -newer "$stamp" -name '*.ts' -o -newer "$stamp" -name '*.json' 2>/dev/null | head -1)" ]; then
  echo "asphalt-ts: building (tsc)..." >&2
  npx tsc -p tsconfig.build.json
  touch "$stamp"
fi
