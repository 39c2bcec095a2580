#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs the demo (which brings up Kafka and Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node bin/redline.js demo "$@"
