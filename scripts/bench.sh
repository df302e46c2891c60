#!/usr/bin/env bash
# Benchmarks against peers, in one process run each: `npm run bench [-- SCENARIO...]`.
source "$(dirname "$0")/ensure-deps.sh"
npx tsc -p tsconfig.build.json
node --expose-gc dist/bench/run.js "$@"
