"""Evaluation end to end: a real `loupe serve` with evaluation enabled,
judging against tests/fake_judge/fake_judge.py over HTTP.

Covers: sampled production calls are scored and the scores come back from
/api/v1/scores (and the trace); a malformed judge answer is a recorded
failure with the raw answer, never a score; human scores; the prompt
version comparison; `loupe eval run` as a CI gate; the metrics.

Skipped when the server does not serve /api/v1/evaluation/status (the
evaluator not wired in yet).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import start_loupe, stop_loupe
from helpers import get, http_request, llm_span, new_ids, trace_request, wait_for

REPO = Path(__file__).resolve().parents[2]
FAKE_JUDGE = REPO / "tests" / "fake_judge" / "fake_judge.py"


@pytest.fixture(scope="module")
def judge():
    proc = subprocess.Popen([sys.executable, str(FAKE_JUDGE), "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("PORT "), f"fake judge did not start: {line!r}"
    addr = f"127.0.0.1:{int(line.split()[1])}"
    yield addr
    proc.terminate()
    proc.wait(10)


def control(judge_addr, body):
    r = http_request(judge_addr, "POST", "/control", json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert r.status == 200


def judge_requests(judge_addr):
    return get(judge_addr, "/requests").json()


@pytest.fixture(scope="module")
def server(judge):
    control(judge, {"default": {"mode": "ok", "scores": {"accuracy": 4, "relevance": 5, "safety": 5}}})
    config = f"""
evaluation:
  enabled: true
  default_rate: 1.0
  delay: 0s
  poll: 50ms
  burst: {{enabled: false}}
  judge:
    provider: anthropic
    base_url: http://{judge}
    model: claude-haiku-4-5
    canary: false
    backoff_initial: 10ms
    backoff_max: 100ms
  budget: {{daily_usd: 5}}
"""
    loupe = start_loupe(config_text=config)
    if get(loupe.api, "/api/v1/evaluation/status").status == 404:
        stop_loupe(loupe)
        pytest.skip("this build does not serve the evaluation API yet")
    yield loupe
    stop_loupe(loupe)


def chat_span(feature="chat", version="v1", question="What is the capital of France?", answer="Paris."):
    trace_id, span_id = new_ids()
    span = llm_span(trace_id, span_id, model="gpt-4o-mini", extra={
        "ai.feature": feature,
        "ai.prompt_version": version,
        "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [{"type": "text", "content": question}]}]),
        "gen_ai.output.messages": json.dumps([{"role": "assistant", "finish_reason": "stop",
                                               "parts": [{"type": "text", "content": answer}]}]),
    })
    return span


def send(loupe, spans):
    r = loupe.post_traces(trace_request(spans, service="eval-e2e").SerializeToString())
    assert r.status == 200, r.body[:300]


def scores_of(loupe, trace_hex, **params):
    q = "&".join(f"{k}={v}" for k, v in {"trace_id": trace_hex, **params}.items())
    r = get(loupe.api, f"/api/v1/scores?{q}")
    assert r.status == 200, r.body[:300]
    return r.json()["scores"]


def test_sampled_calls_are_scored_with_their_trace(server, judge):
    span = chat_span()
    send(server, [span])
    trace_hex = span.trace_id.hex()
    scores = wait_for(lambda: [s for s in scores_of(server, trace_hex) if s["evaluator"] == "judge/default"],
                      what="judge scores")
    wait_for(lambda: len([s for s in scores_of(server, trace_hex) if s["evaluator"] == "judge/default"]) == 3,
             what="three judge dimensions")
    scores = {s["dimension"]: s for s in scores_of(server, trace_hex, evaluator="judge/default")}
    assert scores["accuracy"]["value"] == 4 and scores["relevance"]["value"] == 5
    assert scores["accuracy"]["judge_model"] == "claude-haiku-4-5"
    assert scores["accuracy"]["judge_cost_usd"] > 0
    assert scores["accuracy"]["feature"] == "chat" and scores["accuracy"]["span_id"] == span.span_id.hex()
    builtin = {s["evaluator"] for s in scores_of(server, trace_hex, source="builtin")}
    assert {"completeness", "refusal", "pii"} <= builtin
    # The judge saw the production content fenced as data, with the tool forced.
    req = [r for r in judge_requests(judge) if "What is the capital of France?" in json.dumps(r["body"])][-1]
    assert req["body"]["tool_choice"]["type"] == "tool"
    prompt = req["body"]["messages"][0]["content"]
    # "Paris." (the response) sits inside a data block: the nearest marker
    # before it opens a block, the nearest after it closes one.
    at = prompt.index("Paris.")
    opened, closed = prompt.rfind("<<<DATA-", 0, at), prompt.rfind("<<<END-DATA-", 0, at)
    assert opened > closed, prompt
    assert prompt.find("<<<END-DATA-", at) > at, prompt
    # Its own calls never come back as traffic.
    time.sleep(0.5)
    status = get(server.api, "/api/v1/evaluation/status").json()
    assert status["enabled"] and not status["paused"]
    assert status["budget"]["spent_today_usd"] > 0
    metrics = server.metrics_text()
    assert 'ai_quality_score_bucket{' in metrics and 'dimension="accuracy"' in metrics
    assert 'ai_evals_total{evaluator="judge/default",result="scored"}' in metrics
    assert "ai_eval_cost_usd_total" in metrics


def test_malformed_judge_answer_is_a_recorded_failure(server, judge):
    control(judge, {"script": [{"mode": "malformed"}, {"mode": "malformed"}]})
    span = chat_span(question="Summarize the ticket", answer="The ticket is about billing.")
    send(server, [span])
    trace_hex = span.trace_id.hex()

    def failed():
        r = get(server.api, f"/api/v1/evaluations?state=failed&trace_id={trace_hex}").json()
        return r["evaluations"]
    tasks = wait_for(failed, what="a failed evaluation")
    assert "{broken" in tasks[0]["raw_answer"]
    assert "no JSON object" in tasks[0]["error"]
    assert not [s for s in scores_of(server, trace_hex) if s["source"] == "judge"]


def test_human_scores_and_validation(server):
    span = chat_span()
    send(server, [span])
    trace_hex = span.trace_id.hex()
    server.wait_call(span.span_id.hex())
    body = {"trace_id": trace_hex, "span_id": span.span_id.hex(), "name": "accuracy", "value": 2,
            "author": "reviewer@example.com", "comment": "wrong"}
    r = http_request(server.api, "POST", "/api/v1/scores", json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert r.status == 201, r.body[:300]
    human = scores_of(server, trace_hex, source="human")
    assert human and human[0]["value"] == 2 and human[0]["reasoning"] == "wrong"
    bad = dict(body, value="great")
    r = http_request(server.api, "POST", "/api/v1/scores", json.dumps(bad).encode(), {"Content-Type": "application/json"})
    assert r.status == 400 and r.json()["error"]["field"] == "categories"


def test_prompt_version_comparison(server, judge):
    control(judge, {"default": {"mode": "ok", "scores": {"accuracy": 2, "relevance": 3, "safety": 5}}})
    a = [chat_span(feature="cmp", version="v6") for _ in range(6)]
    send(server, a)
    wait_for(lambda: get(server.api, "/api/v1/compare?feature=cmp&dimension=accuracy&a=v6&b=v7&since=1h")
             .json()["versions"][0]["count"] == 6, what="v6 scored")
    control(judge, {"default": {"mode": "ok", "scores": {"accuracy": 5, "relevance": 5, "safety": 5}}})
    b = [chat_span(feature="cmp", version="v7") for _ in range(6)]
    send(server, b)
    answer = wait_for(lambda: (lambda j: j if j["versions"][1]["count"] == 6 else None)(
        get(server.api, "/api/v1/compare?feature=cmp&dimension=accuracy&a=v6&b=v7&since=1h").json()),
        what="v7 scored")
    assert answer["versions"][0]["mean"] == 2 and answer["versions"][1]["mean"] == 5
    assert answer["difference"]["significant"] is True
    assert answer["verdict"] == "v7 scores higher than v6"
    assert answer["versions"][1]["tokens_per_request"] > 0


def test_eval_run_cli_gate(server, judge):
    control(judge, {"default": {"mode": "ok", "scores": {"accuracy": 3, "relevance": 4, "safety": 5}}})
    send(server, [chat_span(feature="gate") for _ in range(3)])
    wait_for(lambda: get(server.api, "/api/v1/evaluation/status").json()["queue"]["pending"] == 0, what="queue drained")
    binary = os.environ["LOUPE_BIN"]
    url = f"http://{server.api}"
    ok = subprocess.run([binary, "eval", "run", "--since", "1h", "--feature", "gate", "--force", "--min-mean", "2.5",
                         "--url", url, "--timeout", "30"], capture_output=True, text=True, timeout=60)
    if "eval" in ok.stderr and ("not found" in ok.stderr.lower() or "extraargument" in ok.stderr.lower()):
        pytest.skip("this build has no `loupe eval` command yet")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    low = subprocess.run([binary, "eval", "run", "--since", "1h", "--feature", "gate", "--force", "--min-mean", "3.5",
                          "--dimension", "accuracy", "--url", url, "--timeout", "30"],
                         capture_output=True, text=True, timeout=60)
    assert low.returncode == 1, low.stdout + low.stderr
    assert "below --min-mean 3.5" in low.stderr
