#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than the lock file, so that
# `npm test` and `npm start` work on a fresh clone with nothing typed first.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm dependencies (npm ci)…" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
