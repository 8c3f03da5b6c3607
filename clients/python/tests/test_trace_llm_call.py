"""Unit tests for loupe_otel with the real OpenTelemetry SDK and an
in-memory exporter: attributes, content capture, errors, async, nesting."""
from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from loupe_otel import infer_provider, trace_llm_call  # noqa: E402


@pytest.fixture
def spans():
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    yield exporter, tracer
    provider.shutdown()


def test_blueprint_usage_emits_current_and_legacy_conventions(spans):
    exporter, tracer = spans
    with trace_llm_call("claude-sonnet-4-5", "support-chat", prompt_version="v7", team="growth",
                        tracer=tracer) as ctx:
        ctx["input_tokens"] = 1500
        ctx["output_tokens"] = 200
        ctx["cache_read_tokens"] = 1000
        ctx["cache_write"] = 300
        ctx["reasoning_tokens"] = 50
        ctx["response_model"] = "claude-sonnet-4-5-20250929"
        ctx["finish_reasons"] = ["end_turn"]
    (span,) = exporter.get_finished_spans()
    a = dict(span.attributes)
    assert span.name == "chat claude-sonnet-4-5"
    assert span.kind == SpanKind.CLIENT
    assert span.status.status_code == StatusCode.OK
    assert a["gen_ai.operation.name"] == "chat"
    assert a["gen_ai.provider.name"] == "anthropic"
    assert a["gen_ai.system"] == "anthropic"
    assert a["gen_ai.request.model"] == "claude-sonnet-4-5"
    assert a["gen_ai.response.model"] == "claude-sonnet-4-5-20250929"
    assert (a["ai.feature"], a["ai.prompt_version"], a["ai.team"]) == ("support-chat", "v7", "growth")
    assert a["gen_ai.usage.input_tokens"] == 1500
    assert a["gen_ai.usage.output_tokens"] == 200
    assert a["gen_ai.usage.cache_read.input_tokens"] == 1000
    assert a["gen_ai.usage.cache_creation.input_tokens"] == 300
    assert a["gen_ai.usage.reasoning.output_tokens"] == 50
    assert tuple(a["gen_ai.response.finish_reasons"]) == ("end_turn",)
    assert isinstance(a["ai.latency_ms"], int)
    assert "gen_ai.input.messages" not in a  # content is off by default


def test_defaults_follow_the_blueprint(spans):
    exporter, tracer = spans
    with trace_llm_call("gpt-4o", "search", tracer=tracer):
        pass
    a = dict(exporter.get_finished_spans()[0].attributes)
    assert (a["ai.prompt_version"], a["ai.team"], a["gen_ai.provider.name"]) == ("unknown", "default", "openai")
    assert "gen_ai.usage.input_tokens" not in a


def test_exception_becomes_error_span_and_is_reraised(spans):
    exporter, tracer = spans

    class RateLimited(Exception):
        pass

    with pytest.raises(RateLimited):
        with trace_llm_call("gpt-4o", "chat", tracer=tracer) as ctx:
            ctx["input_tokens"] = 10
            raise RateLimited("429 from provider")
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code == StatusCode.ERROR
    assert span.status.description == "429 from provider"
    assert span.attributes["error.type"] == "test_exception_becomes_error_span_and_is_reraised.<locals>.RateLimited"
    assert span.attributes["gen_ai.usage.input_tokens"] == 10
    (event,) = span.events
    assert event.name == "exception"
    assert event.attributes["exception.message"] == "429 from provider"


def test_content_capture_in_the_convention_shape(spans, monkeypatch):
    exporter, tracer = spans
    with trace_llm_call("gpt-4o", "chat", tracer=tracer, capture_content=True) as ctx:
        ctx["system_instructions"] = "Be brief."
        ctx["input_messages"] = [{"role": "user", "content": "Hi"}]
        ctx["output_messages"] = [{"role": "assistant", "content": "Hello", "finish_reason": "stop"}]
    a = dict(exporter.get_finished_spans()[0].attributes)
    assert json.loads(a["gen_ai.system_instructions"]) == [{"type": "text", "content": "Be brief."}]
    assert json.loads(a["gen_ai.input.messages"]) == [{"role": "user", "parts": [{"type": "text", "content": "Hi"}]}]
    assert json.loads(a["gen_ai.output.messages"]) == [
        {"role": "assistant", "parts": [{"type": "text", "content": "Hello"}], "finish_reason": "stop"}]

    exporter.clear()
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
    with trace_llm_call("gpt-4o", "chat", tracer=tracer) as ctx:
        ctx["input_messages"] = [{"role": "user", "parts": [{"type": "text", "content": "x"}]}]
    assert "gen_ai.input.messages" in exporter.get_finished_spans()[0].attributes


def test_async_spans_nest_and_stay_separate_across_tasks(spans):
    exporter, tracer = spans

    async def call(model, n):
        async with trace_llm_call(model, "agent", tracer=tracer) as ctx:
            await asyncio.sleep(0.01)
            ctx["input_tokens"] = n
            assert trace.get_current_span().is_recording()
        return n

    async def main():
        with tracer.start_as_current_span("agent run") as parent:
            await asyncio.gather(call("gpt-4o", 1), call("claude-haiku-4-5", 2))
        return parent

    parent = asyncio.run(main())
    children = [s for s in exporter.get_finished_spans() if s.name != "agent run"]
    assert len(children) == 2
    for s in children:
        assert s.parent.span_id == parent.get_span_context().span_id
    assert sorted(s.attributes["gen_ai.usage.input_tokens"] for s in children) == [1, 2]


def test_async_exception(spans):
    exporter, tracer = spans

    async def main():
        async with trace_llm_call("gpt-4o", "chat", tracer=tracer):
            raise TimeoutError("provider timeout")

    with pytest.raises(TimeoutError):
        asyncio.run(main())
    assert exporter.get_finished_spans()[0].status.status_code == StatusCode.ERROR


def test_provider_inference():
    assert infer_provider("claude-haiku-4-5") == "anthropic"
    assert infer_provider("o3-mini") == "openai"
    assert infer_provider("gemini-2.5-pro") == "gcp.gemini"
    assert infer_provider("acme-7b") == "unknown"


def test_without_an_sdk_the_block_still_runs():
    # The API's default (no-op) provider: nothing recorded, nothing raised.
    with trace_llm_call("gpt-4o", "chat", tracer=trace.NoOpTracer()) as ctx:
        ctx["input_tokens"] = 1
