"""The loupe-otel Python helper (clients/python) with the real
opentelemetry-sdk and OTLP/HTTP exporter from PyPI, against a real
`loupe serve`: spans arrive attributed, priced from the catalog (the test
computes costs itself from ../shared/data/model_prices.json), and an
exception becomes an error span."""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python" / "src"))
from loupe_otel import configure, trace_llm_call  # noqa: E402

from helpers import assert_cost, assert_tokens  # noqa: E402


def _span_ids(ctx_span):
    sc = ctx_span.get_span_context()
    return format(sc.trace_id, "032x"), format(sc.span_id, "016x")


@pytest.fixture
def tracer_for(loupe):
    providers = []

    def make(service, protocol="http/protobuf"):
        endpoint = f"http://{loupe.http}" if protocol == "http/protobuf" else f"http://{loupe.grpc}"
        # set_global=False: other tests in this session own the global provider.
        tp = configure(endpoint=endpoint, service_name=service, protocol=protocol,
                       resource_attributes={"deployment.environment.name": "e2e"}, set_global=False)
        providers.append(tp)
        return tp, tp.get_tracer("e2e.helper")

    yield make
    for tp in providers:
        tp.shutdown()


@pytest.mark.parametrize("protocol", ["http/protobuf", "grpc"])
def test_three_lines_arrive_priced(loupe, tracer_for, protocol):
    from opentelemetry import trace

    tp, tracer = tracer_for(f"e2e-helper-{protocol.replace('/', '-')}", protocol)
    with trace_llm_call("claude-sonnet-4-5-20250929", "support-chat", prompt_version="v3", team="growth",
                        tracer=tracer) as ctx:
        ctx["input_tokens"] = 1500  # includes cache, as the convention says
        ctx["cache_read_tokens"] = 1000
        ctx["cache_write_tokens"] = 300
        ctx["output_tokens"] = 150
        ids = _span_ids(trace.get_current_span())
    tp.force_flush()
    call = loupe.wait_call(ids[1], what=f"helper span over {protocol}")
    assert call["trace_id"] == ids[0]
    assert call["provider"] == "anthropic"
    assert call["operation"] == "chat"
    assert call["request_model"] == "claude-sonnet-4-5-20250929"
    assert (call["team"], call["feature"], call["prompt_version"]) == ("growth", "support-chat", "v3")
    assert call["environment"] == "e2e"
    tokens = {"input": 200, "cache_read": 1000, "cache_write": 300, "output": 150, "reasoning": None,
              "total": 1650}
    assert_tokens(call, tokens)
    assert_cost(call, tokens, "claude-sonnet-4-5-20250929")


def test_reasoning_tokens_and_async(loupe, tracer_for):
    from opentelemetry import trace

    tp, tracer = tracer_for("e2e-helper-async")

    async def one():
        async with trace_llm_call("gpt-4o", "planner", tracer=tracer) as ctx:
            await asyncio.sleep(0.01)
            ctx["input_tokens"] = 1200
            ctx["output_tokens"] = 250
            ctx["reasoning_tokens"] = 100
            return _span_ids(trace.get_current_span())

    async def main():
        return await asyncio.gather(one(), one())

    results = asyncio.run(main())
    tp.force_flush()
    for _, span_id in results:
        call = loupe.wait_call(span_id)
        # Loupe reports disjoint counts: reasoning is inside the 250 output
        # tokens, so output alone is 150; both priced at the output price.
        tokens = {"input": 1200, "cache_read": None, "cache_write": None, "output": 150, "reasoning": 100,
                  "total": 1450}
        assert_tokens(call, tokens)
        assert_cost(call, tokens, "gpt-4o")
        assert call["feature"] == "planner"


def test_exception_becomes_error_span(loupe, tracer_for):
    from opentelemetry import trace

    tp, tracer = tracer_for("e2e-helper-error")
    ids = None
    with pytest.raises(ConnectionError):
        with trace_llm_call("gpt-4o", "chat", tracer=tracer) as ctx:
            ids = _span_ids(trace.get_current_span())
            ctx["input_tokens"] = 40
            raise ConnectionError("provider unreachable")
    tp.force_flush()
    call = loupe.wait_call(ids[1])
    assert call["status_code"] in ("STATUS_CODE_ERROR", "ERROR", 2), call["status_code"]
    assert call["error_type"] == "ConnectionError"
    assert call["tokens"]["input"] == 40
