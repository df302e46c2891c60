#!/usr/bin/env bash
# The whole test suite: type-check, lint, then every spec. `npm test` runs this.
source "$(dirname "$0")/ensure-deps.sh"
ensure_debian nats-server nats-server  # the bridge specs and benchmark start their own broker
ensure_debian dot graphviz              # `asphalt graph --format svg`
echo "== type-check (tsc --noEmit)"
npx tsc --noEmit -p tsconfig.json
echo "== lint (eslint)"
npx eslint lib spec samples bench bin
echo "== specs (jest)"
npx jest --ci "$@"
