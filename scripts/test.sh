#!/usr/bin/env bash
# The whole test suite: type-check, lint, then every spec. `npm test` runs this.
source "$(dirname "$0")/ensure-deps.sh"
ensure_debian nats-server nats-server  # the bridge specs and benchmark start their own broker
ensure_debian openssl openssl          # the bridge and HTTP TLS specs make a self-signed certificate
ensure_debian /usr/lib/postgresql/15/bin/pg_ctl postgresql  # the SQL specs start a throwaway PostgreSQL 15 cluster
ensure_debian redis-server redis-server  # the redis, queue and scheduler specs and benchmarks start their own server
echo "== merge-conflict markers (git grep)"
# A merge left half-done once: CHANGELOG.md carried <<<<<<< blocks for a day. Outside a git
# checkout (an npm pack) there is nothing to check.
if git rev-parse --git-dir > /dev/null 2>&1 && git grep -nE '^(<<<<<<< |>>>>>>> |=======$)' -- . ; then
  echo "merge-conflict markers in the lines above: resolve the merge (keep what both sides meant) and remove them" >&2
  exit 1
fi
echo "== type-check (tsc --noEmit)"
npx tsc --noEmit -p tsconfig.json
echo "== lint (eslint)"
npx eslint lib spec samples bench bin
echo "== architecture (dependency-cruiser: .dependency-cruiser.cjs)"
npm run --silent arch
echo "== specs (jest)"
results="$(mktemp)"
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
# One plain closing line, whatever reads this output: "jest: N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$results" || true
rm -f "$results"
exit "$status"
