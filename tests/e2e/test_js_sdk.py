"""(b) The OpenTelemetry JS SDK (@opentelemetry/sdk-trace-base) sending to a
real `loupe serve` with each of its three OTLP exporters: HTTP protobuf,
HTTP JSON and gRPC (tests/js/send_spans.js)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import assert_cost, assert_tokens

JS = Path(__file__).resolve().parents[1] / "js"


@pytest.mark.parametrize("kind", ["proto", "json", "grpc"])
def test_js_sdk_exporter_reaches_loupe(loupe, kind):
    if shutil.which("node") is None:
        pytest.fail("node is not installed")
    if not (JS / "node_modules").is_dir():
        pytest.fail("tests/js/node_modules is missing: run scripts/setup")
    base = f"http://{loupe.grpc if kind == 'grpc' else loupe.http}"
    proc = subprocess.run(["node", str(JS / "send_spans.js"), kind, base], cwd=str(JS),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"send_spans.js failed:\n{proc.stdout}\n{proc.stderr}"
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["export_code"] == 0, f"the {kind} exporter reported failure: {out['export_error']}"

    call = loupe.wait_call(out["span_id"], what=f"JS {kind} span")
    assert call["trace_id"] == out["trace_id"]
    assert call["service"] == f"e2e-js-{kind}"
    assert (call["provider"], call["request_model"], call["response_model"]) == \
        ("openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18")
    assert (call["team"], call["feature"], call["prompt_version"]) == ("web", f"js-{kind}", "v3")
    tokens = {"input": 1500 - 1024, "cache_read": 1024, "cache_write": None, "output": 300 - 120,
              "reasoning": 120, "total": 1800}
    assert_tokens(call, tokens)
    assert_cost(call, tokens, "gpt-4o-mini")
