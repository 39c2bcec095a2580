#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser test (playwright-core drives
# /usr/bin/chromium; playwright's own browser download is not reachable). Idempotent: exits at
# once when the browser is already there. Installing needs root (CI runs as root on a fresh machine).
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing; run as root (or: sudo apt-get install -y chromium)" >&2
  exit 1
fi
echo "installing chromium (apt-get)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# fonts-dejavu-core: a fresh image may have no font at all, and the page would render as boxes.
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x "$CHROMIUM" ] || { echo "ensure-chromium: apt-get ran but $CHROMIUM is still missing" >&2; exit 1; }
