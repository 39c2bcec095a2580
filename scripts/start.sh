#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs the demo (which brings up Kafka and Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# A 64 MiB young generation: the worker pool's per-job garbage dies young (see README, Operations).
exec node --max-semi-space-size=64 bin/redline.js demo "$@"
