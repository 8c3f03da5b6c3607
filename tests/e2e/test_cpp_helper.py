"""The C++ helper (clients/cpp, loupe_otel_client) linked into a test
program, against a real `loupe serve`: three LLM calls sent by the
program's own OTLP/HTTP exporter arrive attributed and priced from the
catalog (the test computes costs itself), and a failed call is an error
span. The program never calls Flush(): delivery relies on the exporter's
flush at exit.

The program is found through LOUPE_CPP_HELPER_BIN, else beside LOUPE_BIN
in the same build tree (build/clients/cpp/loupe_cpp_helper_e2e)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from helpers import assert_cost, assert_tokens


def _helper_bin() -> Path:
    explicit = os.environ.get("LOUPE_CPP_HELPER_BIN")
    if explicit:
        return Path(explicit)
    loupe_bin = os.environ.get("LOUPE_BIN")
    if not loupe_bin:
        pytest.skip("LOUPE_BIN is not set (run through tests/run_e2e.sh)")
    return Path(loupe_bin).resolve().parent / "clients" / "cpp" / "loupe_cpp_helper_e2e"


@pytest.fixture(scope="module")
def sent(loupe):
    binary = _helper_bin()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"{binary} is not built: cmake --build <build> --target loupe_cpp_helper_e2e")
    out = subprocess.run([str(binary), f"http://{loupe.http}"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, f"exit {out.returncode}: {out.stderr}"
    calls = {}
    for line in out.stdout.splitlines():
        label, trace_id, span_id = line.split()
        calls[label] = (trace_id, span_id)
    assert set(calls) == {"cached", "reasoning", "failed"}, out.stdout
    return calls


def test_cached_call_arrives_priced(loupe, sent):
    trace_id, span_id = sent["cached"]
    call = loupe.wait_call(span_id, what="C++ helper span with cache usage")
    assert call["trace_id"] == trace_id
    assert call["provider"] == "anthropic"
    assert call["operation"] == "chat"
    assert call["request_model"] == "claude-sonnet-4-5-20250929"
    assert (call["team"], call["feature"], call["prompt_version"]) == ("growth", "support-chat", "v3")
    assert call["environment"] == "e2e"
    tokens = {"input": 200, "cache_read": 1000, "cache_write": 300, "output": 150, "reasoning": None,
              "total": 1650}
    assert_tokens(call, tokens)
    assert_cost(call, tokens, "claude-sonnet-4-5-20250929")


def test_reasoning_call_arrives_priced(loupe, sent):
    call = loupe.wait_call(sent["reasoning"][1])
    # Disjoint counts: reasoning is inside the 250 output tokens.
    tokens = {"input": 1200, "cache_read": None, "cache_write": None, "output": 150, "reasoning": 100,
              "total": 1450}
    assert_tokens(call, tokens)
    assert_cost(call, tokens, "gpt-4o")
    assert (call["feature"], call["team"], call["prompt_version"]) == ("planner", "default", "unknown")


def test_failed_call_is_an_error_span(loupe, sent):
    call = loupe.wait_call(sent["failed"][1])
    assert call["status_code"] in ("STATUS_CODE_ERROR", "ERROR", 2), call["status_code"]
    assert call["error_type"] == "ConnectionError"
    assert call["tokens"]["input"] == 40
