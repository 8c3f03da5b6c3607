#!/usr/bin/env bash
# Runs the end-to-end tests: real OTel SDK clients against a real loupe.
set -euo pipefail
cd "$(dirname "$0")/.."
LOUPE_BIN=$(realpath "$1")
export LOUPE_BIN
if [ -d tests/e2e ] && ls tests/e2e/test_*.py >/dev/null 2>&1; then
  .venv/bin/python -m pytest -q tests/e2e clients/python/tests
else
  echo "e2e: no end-to-end tests yet"
fi
