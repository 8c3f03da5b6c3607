"""The `loupe` command line, run as a user would: config check, prices
lookup and import, and graceful shutdown of `serve` on SIGTERM."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import start_loupe, stop_loupe
from helpers import llm_span, trace_request

REPO = Path(__file__).resolve().parents[2]
PRICES = REPO.parent / "shared" / "data" / "model_prices.json"


def loupe(*args, timeout=60):
    binary = os.environ.get("LOUPE_BIN")
    if not binary:
        pytest.skip("LOUPE_BIN is not set (run through tests/run_e2e.sh)")
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("name", ["loupe.example.yaml", "loupe.demo.yaml"])
def test_config_check_accepts_the_shipped_configs(name):
    r = loupe("config", "check", str(REPO / "deploy" / name))
    assert r.returncode == 0, r.stderr
    assert "OK" in r.stdout


def test_config_check_reports_every_error_with_its_key_path(tmp_path):
    cfg = tmp_path / "loupe.yaml"
    cfg.write_text("server:\n  api_addr: nowhere\nreceivers:\n  otlp_http:\n    max_body_bytes: lots\n"
                   "pricing:\n  cache_write_default: 2h\nbogus: 1\n")
    r = loupe("config", "check", str(cfg))
    assert r.returncode == 1
    for needle in ("receivers.otlp_http.max_body_bytes", "server.api_addr", "pricing.cache_write_default",
                   "bogus: unknown key", f"{cfg}:5:"):
        assert needle in r.stderr, (needle, r.stderr)


def test_serve_refuses_an_invalid_config(tmp_path):
    cfg = tmp_path / "loupe.yaml"
    cfg.write_text("server:\n  log_level: chatty\n")
    r = loupe("serve", "--config", str(cfg))
    assert r.returncode != 0
    assert "server.log_level" in r.stderr


@pytest.mark.parametrize("model,entry", [
    ("claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5"),
    ("openai/gpt-4o", "openai/gpt-4o"),
    ("GPT-4o", "openai/gpt-4o"),
    ("anthropic.claude-sonnet-4-20250514-v1:0", "aws.bedrock/anthropic.claude-sonnet-4-20250514-v1:0"),
    ("claude-sonnet-4@20250514", "gcp.vertex_ai/claude-sonnet-4@20250514"),
])
def test_prices_lookup_explains_the_match(model, entry):
    r = loupe("prices", "lookup", model)
    assert r.returncode == 0, r.stderr
    first_match = next(line for line in r.stdout.splitlines() if line.startswith("match:"))
    assert entry in first_match, r.stdout
    assert "why:" in r.stdout


def test_prices_lookup_of_an_unknown_model_says_so():
    r = loupe("prices", "lookup", "acme-secret-model-9")
    assert r.returncode == 0
    assert "match:    none" in r.stdout, r.stdout
    assert "unknown cost (never $0)" in r.stdout, r.stdout


def test_prices_import_of_the_litellm_file(tmp_path):
    if not PRICES.exists():
        pytest.skip(f"{PRICES} is not here")
    out = tmp_path / "prices.json"
    r = loupe("prices", "import", str(PRICES), "--out", str(out), timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.exists() and out.stat().st_size > 100_000
    # The converted file is a valid overrides file: a server starts with it
    # and prices through it.
    cfg = tmp_path / "loupe.yaml"
    cfg.write_text(f"pricing:\n  overrides_file: {out}\n")
    r = loupe("config", "check", str(cfg))
    assert r.returncode == 0, r.stderr


def test_sigterm_drains_and_answers_everything_accepted():
    server = start_loupe()
    answers = []

    def send(n):
        for _ in range(n):
            span = llm_span(model="claude-haiku-4-5", input_tokens=10, output_tokens=5)
            try:
                answers.append(server.post_traces(trace_request([span]).SerializeToString()).status)
            except OSError:
                answers.append("refused")  # after shutdown began: connection refused is fine

    threads = [threading.Thread(target=send, args=(50,)) for _ in range(4)]
    for t in threads:
        t.start()
    server.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(60)
    code = stop_loupe(server)
    assert code == 0, server.log_tail()
    # Every request got a real answer: success, or a retryable refusal.
    assert all(a in (200, 503, "refused") for a in answers), answers
    assert "stopped" in server.log_tail()
