#!/usr/bin/env bash
# Benchmarks against peers, in one process run each: `npm run bench [-- SCENARIO...]`.
source "$(dirname "$0")/ensure-deps.sh"
ensure_debian nats-server nats-server  # the bridge specs and benchmark start their own broker
ensure_debian redis-server redis-server  # the redis and queue benchmarks start their own server
npx tsc -p tsconfig.build.json
node --expose-gc dist/bench/run.js "$@"
