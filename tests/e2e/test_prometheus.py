"""Span-to-metrics end to end: the real OTel Python SDK sends LLM spans to a
real `loupe serve`, a real Prometheus (Debian `prometheus`) scrapes Loupe
every second, and PromQL answers the three cost-attribution questions of
issue 3 exactly, checked against the tokens sent and the prices in
../shared/data/model_prices.json (never against Loupe's own numbers).

Skips when /usr/bin/prometheus is missing or LOUPE_BIN is not set."""
from __future__ import annotations

import time
from collections import defaultdict

import pytest
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import StatusCode

from conftest import free_port, start_loupe, stop_loupe
from helpers import expected_cost, prom_samples, prom_value, wait_for
from prom_helpers import Prometheus, promtool_problems, require_prometheus

SERVICE = "e2e-prometheus"
NANO = 1e-9

# (model, provider, team, feature, prompt_version, input incl. cache, cache_read, output)
CALLS = [
    ("gpt-4o-mini", "openai", "growth", "support-chat", "v1", 1200, 0, 300),
    ("gpt-4o-mini", "openai", "growth", "summarize", "v2", 5000, 0, 800),
    ("claude-haiku-4-5", "anthropic", "search", "support-chat", "v1", 3000, 1000, 150),
    ("claude-haiku-4-5", "anthropic", "search", "summarize", "v2", 700, 0, 90),
    ("gpt-4o", "openai", "search", "summarize", "v2", 100, 0, 50),
]


def _send_calls(loupe):
    """Sends CALLS over OTLP/gRPC; the first two under an invoke_agent span
    that repeats their usage (an aggregate: it must not count twice)."""
    tp = TracerProvider(resource=Resource.create({"service.name": SERVICE}))
    tp.add_span_processor(SimpleSpanProcessor(GrpcExporter(endpoint=f"http://{loupe.grpc}", insecure=True)))
    tracer = tp.get_tracer("e2e.prometheus", "1.0")

    def one(model, provider, team, feature, version, inp, cache_read, out):
        with tracer.start_as_current_span(f"chat {model}", kind=trace.SpanKind.CLIENT, attributes={
            "gen_ai.operation.name": "chat", "gen_ai.provider.name": provider, "gen_ai.request.model": model,
            "ai.team": team, "ai.feature": feature, "ai.prompt_version": version,
            "gen_ai.usage.input_tokens": inp, "gen_ai.usage.output_tokens": out,
            **({"gen_ai.usage.cache_read.input_tokens": cache_read} if cache_read else {}),
        }) as span:
            span.set_status(StatusCode.OK)

    agent_calls, rest = CALLS[:2], CALLS[2:]
    with tracer.start_as_current_span("invoke_agent planner", attributes={
        "gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini", "ai.team": "growth", "ai.feature": "support-chat",
        "ai.prompt_version": "v1",
        "gen_ai.usage.input_tokens": sum(c[5] for c in agent_calls),
        "gen_ai.usage.output_tokens": sum(c[7] for c in agent_calls)}):
        for c in agent_calls:
            one(*c)
    for c in rest:
        one(*c)
    tp.shutdown()


def _expected():
    """Per call: disjoint tokens and catalog cost in nano-dollars, computed
    here from the prices file."""
    out = []
    for model, _, team, feature, version, inp, cache_read, output in CALLS:
        tokens = {"input": inp - cache_read, "cache_read": cache_read, "output": output}
        nanos = expected_cost(tokens, model)["total"]
        out.append({"team": team, "feature": feature, "version": version,
                    "tokens": inp + output, "nanos": nanos})
    return out


def _group(key, value):
    acc = defaultdict(float)
    for e in _expected():
        acc[e[key]] += e[value]
    return dict(acc)


def _close(got: dict, want: dict, tol: dict) -> bool:
    return set(got) == set(want) and all(abs(got[k] - want[k]) <= tol[k] for k in want)


@pytest.fixture(scope="module")
def fed_loupe():
    """A loupe of its own (fresh counters), fed with CALLS."""
    require_prometheus()
    loupe = start_loupe()
    try:
        _send_calls(loupe)
        # Every non-aggregate call reached the metrics.
        wait_for(lambda: prom_value(loupe.metrics_text("metrics"), "ai_requests_total",
                                    service_name=SERVICE) >= len(CALLS),
                 what="ai_requests_total on /metrics")
        yield loupe
    finally:
        stop_loupe(loupe)


def test_loupe_metrics_hold_exact_sums_and_pass_promtool(fed_loupe):
    text = fed_loupe.metrics_text("metrics")
    # The aggregate agent span is a span, but never a request.
    assert prom_value(text, "ai_requests_total", service_name=SERVICE) == len(CALLS)
    assert prom_value(text, "traces_span_metrics_calls_total", service_name=SERVICE) == len(CALLS) + 1
    want_tokens = sum(c[5] + c[7] for c in CALLS)
    assert prom_value(text, "ai_tokens_total", service_name=SERVICE) == want_tokens
    want_nanos = sum(e["nanos"] for e in _expected())
    got = prom_value(text, "ai_cost_usd_total", service_name=SERVICE)
    assert abs(got - want_nanos * NANO) <= 5 * len(CALLS) * NANO, f"cost {got}, want {want_nanos * NANO}"
    # The Collector-compatible family with the blueprint's dimensions.
    labels = [l for n, l, _ in prom_samples(text) if n == "traces_span_metrics_calls_total"
              and l.get("service_name") == SERVICE and l.get("span_name") == "chat gpt-4o"]
    assert labels and labels[0]["gen_ai_request_model"] == "gpt-4o" and labels[0]["ai_team"] == "search"
    assert labels[0]["span_kind"] == "SPAN_KIND_CLIENT" and labels[0]["status_code"] == "STATUS_CODE_OK"
    assert promtool_problems(text) == []
    assert promtool_problems(fed_loupe.metrics_text("api")) == []


def test_prometheus_answers_the_three_questions(fed_loupe):
    with Prometheus([fed_loupe.metrics], free_port()) as prom:
        wait_for(prom.targets_up, timeout=30, what="Prometheus scraping loupe")
        n = len(CALLS)
        tol_cost = defaultdict(lambda: 5 * n * NANO)

        # 1. Spend by team this week: the counter now minus a week ago (0
        # when it did not exist then). Exact, unlike increase(), which
        # extrapolates over a window the counter was born in.
        spend_q = ('sum by (ai_team) (ai_cost_usd_total{service_name="%s"} - '
                   '((ai_cost_usd_total{service_name="%s"} offset 1w) or ai_cost_usd_total{service_name="%s"} * 0))'
                   % (SERVICE, SERVICE, SERVICE))
        want_spend = {k: v * NANO for k, v in _group("team", "nanos").items()}
        got = wait_for(lambda: (lambda r: r if _close(r, want_spend, tol_cost) else None)(
            prom.query_by(spend_q, "ai_team")), timeout=30, what=f"{spend_q} = {want_spend}")
        assert got.keys() == {"growth", "search"}

        # 2. Cost per request by feature.
        cpr_q = ('sum by (ai_feature) (ai_cost_usd_total{service_name="%s"}) / '
                 'sum by (ai_feature) (ai_requests_total{service_name="%s"})' % (SERVICE, SERVICE))
        costs, requests = _group("feature", "nanos"), defaultdict(int)
        for e in _expected():
            requests[e["feature"]] += 1
        want_cpr = {k: costs[k] * NANO / requests[k] for k in costs}
        wait_for(lambda: _close(prom.query_by(cpr_q, "ai_feature"), want_cpr, tol_cost), timeout=15,
                 what=f"{cpr_q} = {want_cpr}")

        # 3. Tokens per request by prompt version: exact integers over counts.
        tpr_q = ('sum by (ai_prompt_version) (ai_tokens_total{service_name="%s"}) / '
                 'sum by (ai_prompt_version) (ai_requests_total{service_name="%s"})' % (SERVICE, SERVICE))
        tokens, per_version = _group("version", "tokens"), defaultdict(int)
        for e in _expected():
            per_version[e["version"]] += 1
        want_tpr = {k: tokens[k] / per_version[k] for k in tokens}
        got = prom.query_by(tpr_q, "ai_prompt_version")
        assert _close(got, want_tpr, defaultdict(lambda: 1e-9)), f"{tpr_q}: got {got}, want {want_tpr}"


def test_an_acknowledged_span_is_in_metrics_within_one_second(fed_loupe):
    tp = TracerProvider(resource=Resource.create({"service.name": SERVICE + "-fresh"}))
    tp.add_span_processor(SimpleSpanProcessor(GrpcExporter(endpoint=f"http://{fed_loupe.grpc}", insecure=True)))
    tracer = tp.get_tracer("e2e.prometheus", "1.0")
    with tracer.start_as_current_span("fresh"):
        pass
    acked = time.monotonic()  # SimpleSpanProcessor exports synchronously: the ack has arrived
    wait_for(lambda: prom_value(fed_loupe.metrics_text("metrics"), "traces_span_metrics_calls_total",
                                service_name=SERVICE + "-fresh") == 1, timeout=5, what="the fresh span")
    assert time.monotonic() - acked <= 1.0
    tp.shutdown()
