"""The query API end to end: a real `loupe serve` fed by the OpenTelemetry
Python SDK, asked the blueprint's three questions over HTTP and through
`loupe query`, answers checked against values the test computes itself
from the price file."""
from __future__ import annotations

import json

import pytest

from api_helpers import api_get, api_ok, call_cost_nanos, llm_call, loupe_query, make_tracer, wait_stats_requests
from conftest import start_loupe, stop_loupe

# (team, feature, prompt_version, model, provider, price entry, input, output, calls, session)
CALLS = [
    ("search", "answer", "v1", "gpt-4o", "openai", "gpt-4o", 1000, 200, 2, "conv-1"),
    ("search", "answer", "v2", "gpt-4o", "openai", "gpt-4o", 600, 150, 2, "conv-2"),
    ("billing", "summarize", "v1", "claude-haiku-4-5", "anthropic", "claude-haiku-4-5", 5000, 500, 1, "conv-3"),
    ("growth", "recommend", "v1", "gpt-4o-mini", "openai", "gpt-4o-mini", 300, 50, 4, None),
]
TOTAL_CALLS = sum(c[8] for c in CALLS)


def expected(by):
    """{key: {"requests", "cost", "input", "output"}} grouped by a CALLS column."""
    col = {"team": 0, "feature": 1, "prompt_version": 2}[by]
    out = {}
    for c in CALLS:
        e = out.setdefault(c[col], {"requests": 0, "cost": 0, "input": 0, "output": 0})
        e["requests"] += c[8]
        e["cost"] += c[8] * call_cost_nanos(c[5], c[6], c[7])
        e["input"] += c[8] * c[6]
        e["output"] += c[8] * c[7]
    return out


@pytest.fixture(scope="module")
def fed():
    """Its own server, so other tests' spans never enter the totals."""
    server = start_loupe()
    tp, tracer = make_tracer(server, "e2e-api")
    traces = {}
    for team, feature, pv, model, provider, _, inp, out, n, session in CALLS:
        for _ in range(n):
            with llm_call(tracer, model, provider, team, feature, pv, inp, out, session=session,
                          user="alice" if session else None) as ctx:
                pass
            traces.setdefault((team, feature, pv), []).append(ctx["trace_id"])
    tp.shutdown()
    wait_stats_requests(server, TOTAL_CALLS)
    yield server, traces
    stop_loupe(server)


def test_top_spending_team_this_week(fed):
    loupe, _ = fed
    want = expected("team")
    body = api_ok(loupe, "/api/v1/stats", since="7d", group_by="team", measures="cost_nanos,cost_usd,requests",
                  order_by="cost_nanos")
    got = {g["key"]["team"]: g for g in body["groups"]}
    assert set(got) == set(want)
    top = max(want, key=lambda t: want[t]["cost"])
    assert body["groups"][0]["key"] == {"team": top} == {"team": "search"}
    for team, e in want.items():
        assert got[team]["cost_nanos"] == e["cost"], team
        assert got[team]["requests"] == e["requests"], team
        assert got[team]["cost_usd"] == pytest.approx(e["cost"] / 1e9, abs=1e-12)


def test_costliest_feature_per_request(fed):
    loupe, _ = fed
    want = expected("feature")
    body = api_ok(loupe, "/api/v1/stats", since="7d", group_by="feature",
                  measures="cost_per_request,requests,cost_nanos", order_by="cost_per_request")
    per_request = {f: e["cost"] / e["requests"] for f, e in want.items()}
    costliest = max(per_request, key=per_request.get)
    assert costliest == "summarize"
    assert body["groups"][0]["key"] == {"feature": costliest}
    for g in body["groups"]:
        f = g["key"]["feature"]
        assert g["requests"] == want[f]["requests"]
        assert g["cost_nanos"] == want[f]["cost"]
        assert g["cost_per_request"] == pytest.approx(per_request[f] / 1e9, rel=1e-12)


def test_effect_of_last_prompt_version_on_tokens_and_cost(fed):
    loupe, _ = fed
    body = api_ok(loupe, "/api/v1/stats", since="7d", feature="answer", group_by="prompt_version",
                  measures="requests,input_tokens,output_tokens,cost_nanos,cost_per_request",
                  order_by="requests")
    got = {g["key"]["prompt_version"]: g for g in body["groups"]}
    assert set(got) == {"v1", "v2"}
    answer = [c for c in CALLS if c[1] == "answer"]
    for pv in ("v1", "v2"):
        (c,) = [c for c in answer if c[2] == pv]
        n = c[8]
        assert got[pv]["requests"] == n
        assert got[pv]["input_tokens"] == n * c[6]
        assert got[pv]["output_tokens"] == n * c[7]
        assert got[pv]["cost_nanos"] == n * call_cost_nanos(c[5], c[6], c[7])
    # v2 cut tokens and cost per request: 1200 -> 750 tokens, $0.0045 -> $0.003.
    assert got["v2"]["cost_per_request"] < got["v1"]["cost_per_request"]
    assert got["v2"]["cost_nanos"] / 2 == call_cost_nanos("gpt-4o", 600, 150)


def test_stats_time_series_sums_to_the_total(fed):
    loupe, _ = fed
    body = api_ok(loupe, "/api/v1/stats", since="2h", step="10m", group_by="team", measures="requests,cost_nanos")
    for g in body["groups"]:
        assert len(g["series"]) == 12
        assert sum(p["requests"] for p in g["series"]) == g["requests"]
        assert sum(p["cost_nanos"] for p in g["series"]) == g["cost_nanos"]


def test_traces_search_and_detail(fed):
    loupe, traces = fed
    body = api_ok(loupe, "/api/v1/traces", team="billing", since="1h")
    assert [t["trace_id"] for t in body["traces"]] == traces[("billing", "summarize", "v1")]
    row = body["traces"][0]
    assert row["root_name"] == "llm.call" and row["service"] == "e2e-api" and row["llm_calls"] == 1
    assert row["cost_nanos"] == call_cost_nanos("claude-haiku-4-5", 5000, 500)

    detail = api_ok(loupe, f"/api/v1/traces/{row['trace_id']}")
    (span,) = detail["spans"]
    call = span["llm_call"]
    assert call["tokens"]["input"] == 5000 and call["tokens"]["output"] == 500
    assert call["cost"]["source"] == "catalog"
    assert call["cost"]["total_nanos"] == row["cost_nanos"]
    price = api_ok(loupe, "/api/v1/prices", model="claude-haiku-4-5", provider="anthropic")
    assert price["matched"] is True
    assert call["price"]["key"] == price["entry"]["key"] == call["cost"]["price_entry"]
    assert call["price"]["version"]["usd_per_mtok"]["input"] == pytest.approx(1.0)
    assert span["attributes"]["ai.team"] == "billing"

    paged, cursor = [], None
    while True:
        page = api_ok(loupe, "/api/v1/traces", team="growth", limit=3, cursor=cursor)
        paged += [t["trace_id"] for t in page["traces"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(paged) == sorted(traces[("growth", "recommend", "v1")])
    assert api_get(loupe, "/api/v1/traces/" + "ab" * 16)[0] == 404
    status, err = api_get(loupe, "/api/v1/traces", since="last tuesday")
    assert status == 400 and err["error"]["parameter"] == "since"


def test_sessions(fed):
    loupe, traces = fed
    body = api_ok(loupe, "/api/v1/sessions", user="alice")
    assert {s["session_id"] for s in body["sessions"]} == {"conv-1", "conv-2", "conv-3"}
    one = api_ok(loupe, "/api/v1/sessions/conv-1")
    assert sorted(t["trace_id"] for t in one["traces"]) == sorted(traces[("search", "answer", "v1")])
    assert one["cost_nanos"] == 2 * call_cost_nanos("gpt-4o", 1000, 200)


def test_openapi_document_lists_every_endpoint(fed):
    loupe, _ = fed
    doc = api_ok(loupe, "/api/v1/openapi.json")
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/traces", "/api/v1/traces/{trace_id}", "/api/v1/sessions", "/api/v1/sessions/{session_id}",
                 "/api/v1/stats", "/api/v1/prices"):
        assert path in doc["paths"], path


def test_cli_answers_the_same_questions(fed):
    loupe, _ = fed
    want = expected("team")
    r = loupe_query(loupe, "stats", "--since", "7d", "--group-by", "team", "--measures", "cost_nanos,requests",
                    "--order-by", "cost_nanos")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["TEAM", "COST_NANOS", "REQUESTS"]
    assert lines[1].split() == ["search", str(want["search"]["cost"]), str(want["search"]["requests"])]
    # Columns line up: every row is as wide as the header.
    assert len({len(line) for line in lines}) == 1

    r = loupe_query(loupe, "--json", "stats", "--since", "7d", "--group-by", "feature", "--measures",
                    "cost_per_request", "--order-by", "cost_per_request")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["groups"][0]["key"] == {"feature": "summarize"}

    r = loupe_query(loupe, "traces", "--team", "billing")
    assert r.returncode == 0 and "llm.call" in r.stdout and "e2e-api" in r.stdout, r.stdout + r.stderr
    trace_id = r.stdout.splitlines()[1].split()[0]
    r = loupe_query(loupe, "trace", trace_id)
    assert r.returncode == 0 and "claude-haiku-4-5" in r.stdout, r.stdout + r.stderr
    r = loupe_query(loupe, "sessions", "conv-3")
    assert r.returncode == 0 and trace_id in r.stdout, r.stdout + r.stderr

    r = loupe_query(loupe, "stats", "--group-by", "user")
    assert r.returncode == 0 and "alice" in r.stdout, r.stdout + r.stderr
    r = loupe_query(loupe, "stats", "--group-by", "colour")
    assert r.returncode == 1 and "group_by" in r.stderr
