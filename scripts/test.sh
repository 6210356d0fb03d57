#!/usr/bin/env bash
# Install everything the tests need (pip packages, Debian's Chromium and an emoji font for
# the browser tests) and run all checks: ruff lint, ruff format, mypy, the whole pytest suite
# (which includes the architecture test of analytics/'s layers).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/noto ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
fi
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
# two worker processes (pytest-xdist): the whole suite in ≈ 9½ minutes instead of ≈ 14½
python3 -m pytest -n 2 "$@"
