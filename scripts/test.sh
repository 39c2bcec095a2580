#!/usr/bin/env bash
# `npm test`: installs what is missing, brings up the real Kafka and Redis, then typecheck, lint,
# unit and integration tests. Ends with a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
node bin/redline.js infra up
echo "== typecheck" && npx tsc --noEmit -p tsconfig.json
echo "== lint" && npx biome check .
mkdir -p .data
echo "== tests (unit, then integration against the real Kafka and Redis)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.data/vitest-report.json "$@" || status=$?
node -e '
  const r = require("./.data/vitest-report.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit $status
