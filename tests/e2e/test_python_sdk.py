"""(a) The OpenTelemetry Python SDK, exporting over OTLP/gRPC and OTLP/HTTP
protobuf, running the blueprint's `trace_llm_call` instrumentation against a
real `loupe serve`. Costs are checked against tokens x prices read from
../shared/data/model_prices.json by the test itself."""
from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import StatusCode

from helpers import assert_cost, assert_tokens, prom_value, wait_for

# The blueprint's own price table (USD per token), used only for the cost
# it REPORTS in ai.cost_usd; Loupe must prefer its catalog when it has one.
BLUEPRINT_COSTS = {
    "claude-sonnet-4-5-20250929": {"input": 3e-06, "output": 15e-06},
    "claude-haiku-4-5": {"input": 1e-06, "output": 5e-06},
    "gpt-4o": {"input": 2.5e-06, "output": 10e-06},
    "acme-private-llm-7": {"input": 4e-06, "output": 8e-06},
}


def _provider(model):
    if "claude" in model:
        return "anthropic"
    if "gpt" in model:
        return "openai"
    return "unknown"


def make_tracer(exporter, service):
    tp = TracerProvider(resource=Resource.create({"service.name": service, "deployment.environment.name": "e2e"}))
    tp.add_span_processor(SimpleSpanProcessor(exporter))
    return tp, tp.get_tracer("e2e.blueprint", "1.0")


@contextmanager
def trace_llm_call(tracer, model, feature, prompt_version=None, team=None, report_cost=True):
    """The blueprint's context manager (see ../shared/blueprint.txt), plus the
    cache counts a modern instrumentation sets. Like the spec, input_tokens
    INCLUDES cache reads and writes."""
    ctx: dict = {}
    with tracer.start_as_current_span("llm.call", attributes={
        "gen_ai.system": _provider(model),
        "gen_ai.request.model": model,
        "ai.feature": feature,
        "ai.prompt_version": prompt_version or "unknown",
        "ai.team": team or "default",
    }) as span:
        start = time.perf_counter()
        yield ctx
        input_t = ctx.get("input_tokens", 0)
        output_t = ctx.get("output_tokens", 0)
        span.set_attribute("gen_ai.usage.input_tokens", input_t)
        span.set_attribute("gen_ai.usage.output_tokens", output_t)
        if "cache_read" in ctx:
            span.set_attribute("gen_ai.usage.cache_read.input_tokens", ctx["cache_read"])
        if "cache_write" in ctx:
            span.set_attribute("gen_ai.usage.cache_creation.input_tokens", ctx["cache_write"])
        costs = BLUEPRINT_COSTS.get(model)
        if report_cost and costs:
            span.set_attribute("ai.cost_usd", round(input_t * costs["input"] + output_t * costs["output"], 6))
        span.set_attribute("ai.latency_ms", int((time.perf_counter() - start) * 1000))
        span.set_status(StatusCode.OK)
        ctx["span_id"] = format(span.get_span_context().span_id, "016x")
        ctx["trace_id"] = format(span.get_span_context().trace_id, "032x")


# (model, input incl. cache, cache_read, cache_write, output) -> disjoint tokens
CASES = [
    ("claude-sonnet-4-5-20250929", 1500, 1000, 300, 150, "claude-sonnet-4-5-20250929"),
    ("claude-haiku-4-5", 2000, 0, 0, 400, "claude-haiku-4-5"),
    ("gpt-4o", 1200, 0, 0, 250, "gpt-4o"),
]


def _exporter(kind, loupe):
    if kind == "grpc":
        return GrpcExporter(endpoint=f"http://{loupe.grpc}", insecure=True)
    return HttpExporter(endpoint=f"http://{loupe.http}/v1/traces")


@pytest.mark.parametrize("kind", ["grpc", "http"])
def test_blueprint_calls_arrive_attributed_and_priced(loupe, kind):
    before = prom_value(loupe.metrics_text(), "loupe_receiver_accepted_spans_total", protocol=kind)
    tp, tracer = make_tracer(_exporter(kind, loupe), f"e2e-python-{kind}")
    sent = []
    for model, inp, cr, cw, out, entry in CASES:
        with trace_llm_call(tracer, model, feature="support-chat", prompt_version="v7", team="growth") as ctx:
            ctx.update(input_tokens=inp, output_tokens=out)
            if cr:
                ctx["cache_read"] = cr
            if cw:
                ctx["cache_write"] = cw
        sent.append((ctx, model, inp, cr, cw, out, entry))
    tp.shutdown()

    for ctx, model, inp, cr, cw, out, entry in sent:
        call = loupe.wait_call(ctx["span_id"], what=f"{model} over {kind}")
        assert call["trace_id"] == ctx["trace_id"]
        assert call["service"] == f"e2e-python-{kind}"
        assert call["provider"] == _provider(model)
        assert call["request_model"] == model
        assert call["counts_usage"] is True
        assert (call["team"], call["feature"], call["prompt_version"]) == ("growth", "support-chat", "v7")
        assert call["environment"] == "e2e"
        tokens = {"input": inp - cr - cw, "cache_read": cr or None, "cache_write": cw or None,
                  "output": out, "reasoning": None, "total": inp + out}
        assert_tokens(call, tokens)
        # the catalog wins over the blueprint's reported ai.cost_usd
        assert_cost(call, tokens, entry)
        assert call["cost"]["reported_nanos"] is not None

    for where in ("api", "metrics"):
        wait_for(lambda: prom_value(loupe.metrics_text(where), "loupe_receiver_accepted_spans_total",
                                    protocol=kind) >= before + len(CASES),
                 what=f"accepted_spans_total{{protocol={kind}}} on {where} /metrics")


def test_haiku_4_5_is_one_and_five_dollars_per_mtok(loupe):
    tp, tracer = make_tracer(_exporter("http", loupe), "e2e-python-haiku")
    with trace_llm_call(tracer, "claude-haiku-4-5", feature="pricing") as ctx:
        ctx.update(input_tokens=1_000_000, output_tokens=1_000_000)
    tp.shutdown()
    call = loupe.wait_call(ctx["span_id"])
    assert call["cost"]["source"] == "catalog"
    assert call["cost"]["input_nanos"] == 1_000_000_000  # $1 per Mtok in
    assert call["cost"]["output_nanos"] == 5_000_000_000  # $5 per Mtok out
    assert call["cost"]["total_nanos"] == 6_000_000_000
    assert call["team"] == "default" and call["prompt_version"] == "unknown"


def test_unknown_model_has_unknown_cost_never_zero(loupe):
    tp, tracer = make_tracer(_exporter("grpc", loupe), "e2e-python-unknown")
    with trace_llm_call(tracer, "acme-private-llm-7", feature="internal", report_cost=False) as ctx:
        ctx.update(input_tokens=500, output_tokens=50)
    with trace_llm_call(tracer, "acme-private-llm-7", feature="internal", report_cost=True) as reported:
        reported.update(input_tokens=500, output_tokens=50)
    tp.shutdown()

    call = loupe.wait_call(ctx["span_id"])
    assert call["tokens"]["input"] == 500 and call["tokens"]["output"] == 50
    assert call["cost"]["source"] == "unknown"
    assert call["cost"]["total_nanos"] is None, f"an unpriced model must not cost $0: {call['cost']}"

    # A cost the span reports fills in when the catalog has no price.
    call = loupe.wait_call(reported["span_id"])
    assert call["cost"]["source"] == "reported"
    want = round((500 * 4e-06 + 50 * 8e-06) * 1e9)
    assert call["cost"]["total_nanos"] == want
    assert call["cost"]["reported_nanos"] == want
