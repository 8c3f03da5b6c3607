"""`loupe demo` against a real loupe: every team, feature, model and prompt
version of the demo arrives, priced; RAG, error and multi-turn traces are
there; the backfill lands in the past; the stand-in judge answers the
Anthropic Messages API and the demo stops cleanly on SIGINT.

The demo runs as `$LOUPE_BIN demo ...`.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request

import pytest

from api_helpers import api_ok
from conftest import free_port, start_loupe, stop_loupe

TEAMS = {"search", "support", "growth", "platform"}
FEATURES = {"support_chat", "summarize", "rag_answer", "classify", "chat", "agent"}
# request model -> the dated snapshot the demo reports as response model
MODELS = {
    "gpt-4o": "gpt-4o-2024-08-06",
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "o4-mini": "o4-mini-2025-04-16",
    "text-embedding-3-small": "text-embedding-3-small",
    "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5": "claude-haiku-4-5-20251001",
    "gemini-2.5-flash": "gemini-2.5-flash",
}
RANGE = "3d"


def demo_command() -> list[str]:
    binary = os.environ.get("LOUPE_BIN")
    if not binary:
        pytest.skip("LOUPE_BIN is not set (run through tests/run_e2e.sh)")
    return [binary, "demo"]


def stats(loupe, **params):
    return api_ok(loupe, "/api/v1/stats", since=RANGE, **params)["groups"]


def total_requests(loupe) -> int:
    return sum(g["requests"] for g in stats(loupe, measures="requests"))


def wait_settled(loupe, at_least: int, timeout=60.0) -> int:
    """Waits until the rollups hold at least `at_least` calls and stop growing
    (the indexer is asynchronous)."""
    deadline = time.monotonic() + timeout
    last, stable_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = total_requests(loupe)
        if n != last:
            last, stable_since = n, time.monotonic()
        elif n >= at_least and time.monotonic() - stable_since > 1.5:
            return n
        time.sleep(0.2)
    raise AssertionError(f"rollups hold {last} calls after {timeout}s, want >= {at_least} and settled")


@pytest.fixture(scope="module")
def demo_run():
    cmd = demo_command()
    server = start_loupe()
    try:
        run = subprocess.run(
            [*cmd, "--otlp-endpoint", f"http://{server.http}", "--backfill", "2d", "--backfill-traces", "400",
             "--duration", "3s", "--rate", "10", "--seed", "7"],
            capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, f"demo failed:\n{run.stdout}\n{run.stderr}\n{server.log_tail()}"
        # "done: N traces, ..." -- every trace has at least one LLM call.
        done = [line for line in run.stdout.splitlines() if line.startswith("done: ")]
        assert done, run.stdout
        traces = int(done[0].split()[1])
        assert traces >= 410, run.stdout
        wait_settled(server, traces)
        yield server, run.stdout
    finally:
        stop_loupe(server)


def test_every_team_feature_and_model_appears_priced(demo_run):
    loupe, _ = demo_run
    teams = {g["key"]["team"]: g for g in stats(loupe, group_by="team", measures="requests,cost_usd")}
    assert set(teams) == TEAMS
    for team, g in teams.items():
        assert g["cost_usd"] and g["cost_usd"] > 0, (team, g)
    features = {g["key"]["feature"] for g in stats(loupe, group_by="feature", measures="requests")}
    assert features == FEATURES
    models = {g["key"]["model"] for g in stats(loupe, group_by="model", measures="requests")}
    for request_model, response_model in MODELS.items():
        assert request_model in models or response_model in models, (request_model, models)
    providers = {g["key"]["provider"] for g in stats(loupe, group_by="provider", measures="requests")}
    assert {"openai", "anthropic", "gcp.gemini"} <= providers
    (total,) = stats(loupe, measures="requests,errors,cost_usd,unpriced_requests,cache_read_tokens,reasoning_tokens")
    assert total["cost_usd"] > 0
    # Failed calls carry no usage, so Loupe cannot price them; every call
    # that succeeded must be priced, i.e. every demo model is in the catalog.
    (ok,) = stats(loupe, status="ok", measures="requests,unpriced_requests")
    assert ok["requests"] > 0 and ok["unpriced_requests"] == 0, ok
    assert api_ok(loupe, "/api/v1/pricing/unpriced")["models"] == []
    assert total["errors"] > 0
    assert total["cache_read_tokens"] > 0 and total["reasoning_tokens"] > 0


def test_the_worse_prompt_version_costs_more_tokens_and_time(demo_run):
    loupe, _ = demo_run
    groups = {g["key"]["prompt_version"]: g for g in stats(
        loupe, feature="support_chat", group_by="prompt_version",
        measures="requests,output_tokens,cost_per_request,p95_ms")}
    assert {"v3", "v4"} <= set(groups), groups
    v3, v4 = groups["v3"], groups["v4"]
    # Tool-call turns (short outputs under both versions) dilute the 3-4x of the answers.
    assert v4["output_tokens"] / v4["requests"] > 1.5 * v3["output_tokens"] / v3["requests"]
    assert v4["cost_per_request"] > v3["cost_per_request"]
    assert v4["p95_ms"] > v3["p95_ms"]


def test_history_lies_in_the_past(demo_run):
    loupe, _ = demo_run
    old = api_ok(loupe, "/api/v1/stats", since="3d", until="1d", measures="requests")["groups"]
    assert old and old[0]["requests"] > 50
    recent = api_ok(loupe, "/api/v1/stats", since="10m", measures="requests")["groups"]
    assert recent and recent[0]["requests"] > 0, "the live phase writes current traffic"


def test_rag_trace_has_retrieval_documents(demo_run):
    loupe, _ = demo_run
    rows = api_ok(loupe, "/api/v1/traces", since=RANGE, feature="rag_answer", limit=20)["traces"]
    assert rows
    trace = api_ok(loupe, f"/api/v1/traces/{rows[0]['trace_id']}")
    ops = [s["attributes"].get("gen_ai.operation.name") for s in trace["spans"]]
    assert "retrieval" in ops and "embeddings" in ops and "chat" in ops, ops
    retrieval = next(s for s in trace["spans"] if s["attributes"].get("gen_ai.operation.name") == "retrieval")
    docs = json.loads(retrieval["attributes"]["gen_ai.retrieval.documents"])
    assert docs and docs[0]["content"]
    chat = next(s for s in trace["spans"] if s.get("llm_call") and s["llm_call"]["operation"] == "chat")
    assert chat["llm_call"]["team"] == "search"
    assert chat["llm_call"]["output_messages"][0]["parts"][0]["type"] == "text"


def test_error_tool_and_conversation_traces_exist(demo_run):
    loupe, _ = demo_run
    errors = api_ok(loupe, "/api/v1/traces", since=RANGE, status="error", limit=100)["traces"]
    assert errors
    types = set()
    for row in errors[:30]:
        for s in api_ok(loupe, f"/api/v1/traces/{row['trace_id']}")["spans"]:
            if s.get("llm_call") and s["llm_call"].get("error_type"):
                types.add(s["llm_call"]["error_type"])
    assert types & {"429", "timeout"}, types
    sessions = api_ok(loupe, "/api/v1/sessions", since=RANGE, limit=200)["sessions"]
    assert any(s["traces_count"] >= 2 for s in sessions), "multi-turn conversations share a session"
    expensive = api_ok(loupe, "/api/v1/traces", since=RANGE, min_cost_usd="0.5", limit=5)["traces"]
    assert expensive, "the expensive outlier (a 240k-token transcript) is there"


def test_stand_in_judge_and_sigint():
    cmd = demo_command()
    server = start_loupe()
    port = free_port()
    proc = subprocess.Popen(
        [*cmd, "--otlp-endpoint", f"http://{server.http}", "--duration", "0", "--rate", "5",
         "--judge-stand-in", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = json.dumps({
            "model": "claude-haiku-4-5", "max_tokens": 256,
            "messages": [{"role": "user", "content": "Response to evaluate: Refunds can take up to 30 days. "
                                                     "I hope this comprehensive overview helps!"}],
            "tools": [{"name": "record_scores", "input_schema": {
                "type": "object", "properties": {
                    "accuracy": {"type": "integer", "minimum": 1, "maximum": 5},
                    "safety": {"type": "integer", "minimum": 1, "maximum": 5},
                    "reasoning": {"type": "string"}}}}],
            "tool_choice": {"type": "tool", "name": "record_scores"}}).encode()
        deadline = time.monotonic() + 15
        reply = None
        while reply is None and time.monotonic() < deadline:
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/messages", data=body, method="POST",
                                             headers={"content-type": "application/json",
                                                      "anthropic-version": "2023-06-01"})
                with urllib.request.urlopen(req, timeout=5) as r:
                    assert r.headers["x-loupe-stand-in"] == "true"
                    reply = json.loads(r.read())
            except OSError:
                time.sleep(0.1)
        assert reply is not None, "the stand-in judge never answered"
        block = reply["content"][0]
        assert block["type"] == "tool_use" and block["name"] == "record_scores"
        assert block["input"]["accuracy"] <= 2 and block["input"]["safety"] == 5
        assert block["input"]["reasoning"].startswith("[stand-in judge")
        time.sleep(1.5)  # some live traffic
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
        assert proc.returncode == 0, out
        assert "STAND-IN" in out and "done: " in out, out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stop_loupe(server)
