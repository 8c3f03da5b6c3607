#!/usr/bin/env bash
# Re-captures the fixtures in tests/fixtures/captured from real
# instrumentation libraries. Not part of `make test` (the fixtures are
# committed); needs PyPI and npm the first time.
#   bash tests/capture/run.sh [scenario ...]
set -euo pipefail
cd "$(dirname "$0")/../.."

venv() {  # venv DIR REQUIREMENTS: create/refresh a capture venv
  local dir=$1 req=$2 stamp want
  [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
  stamp=$dir/.requirements.sha
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$dir/bin/pip" install -q --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
  fi
}
venv .venv/capture tests/capture/requirements.txt
venv .venv/capture-oav2-2.3 tests/capture/requirements-openai-v2-2.3.txt

want=$(sha256sum tests/capture/package-lock.json | cut -d' ' -f1)
if [ "$(cat tests/capture/node_modules/.lock.sha 2>/dev/null)" != "$want" ]; then
  (cd tests/capture && npm ci --silent --no-audit --no-fund)
  echo "$want" > tests/capture/node_modules/.lock.sha
fi

exec .venv/capture/bin/python tests/capture/capture.py "$@"
