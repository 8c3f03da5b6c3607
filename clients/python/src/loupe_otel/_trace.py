"""trace_llm_call: the blueprint's context manager, written against the
current OpenTelemetry GenAI semantic conventions (gen_ai.provider.name,
gen_ai.operation.name, cache and reasoning usage, messages as JSON), plus
the deprecated gen_ai.system for older backends and the blueprint's ai.*
keys. Depends on opentelemetry-api only: without an SDK the spans are
no-ops and the block still runs."""
from __future__ import annotations

import json
import os
import time
from typing import Any, Optional

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

_SCOPE = "loupe_otel"
_VERSION = "0.1.0"

# ctx key -> span attribute, for the integer usage fields. Short aliases are
# accepted because the blueprint's readers wrote them.
_USAGE_KEYS = {
    "input_tokens": "gen_ai.usage.input_tokens",
    "output_tokens": "gen_ai.usage.output_tokens",
    "cache_read_tokens": "gen_ai.usage.cache_read.input_tokens",
    "cache_read": "gen_ai.usage.cache_read.input_tokens",
    "cache_write_tokens": "gen_ai.usage.cache_creation.input_tokens",
    "cache_write": "gen_ai.usage.cache_creation.input_tokens",
    "reasoning_tokens": "gen_ai.usage.reasoning.output_tokens",
    "reasoning": "gen_ai.usage.reasoning.output_tokens",
}
_TEXT_KEYS = {
    "response_model": "gen_ai.response.model",
    "response_id": "gen_ai.response.id",
    "conversation_id": "gen_ai.conversation.id",
    "user_id": "user.id",
}
_CONTENT_ENV = ("LOUPE_CAPTURE_CONTENT", "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT")


def infer_provider(model: str) -> str:
    """gen_ai.provider.name from a model name; "unknown" when unsure."""
    m = model.lower()
    if "claude" in m:
        return "anthropic"
    if m.startswith(("gpt", "o1", "o3", "o4", "chatgpt", "text-embedding")):
        return "openai"
    if "gemini" in m:
        return "gcp.gemini"
    if m.startswith(("mistral", "mixtral", "codestral")):
        return "mistral_ai"
    if m.startswith("command"):
        return "cohere"
    if m.startswith("deepseek"):
        return "deepseek"
    if m.startswith("grok"):
        return "x_ai"
    return "unknown"


def _content_enabled(explicit: Optional[bool]) -> bool:
    if explicit is not None:
        return explicit
    return any(os.environ.get(k, "").strip().lower() in ("1", "true", "yes") for k in _CONTENT_ENV)


def _messages_json(messages: Any) -> str:
    """Messages in the GenAI convention's shape: [{"role", "parts": [...]}].
    Accepts that shape, or the common {"role", "content": "text"} one."""
    if isinstance(messages, str):
        return messages
    out = []
    for m in messages:
        if "parts" in m:
            out.append(m)
            continue
        content = m.get("content", "")
        parts = [{"type": "text", "content": content}] if isinstance(content, str) else content
        msg = {"role": m.get("role", "user"), "parts": parts}
        if "finish_reason" in m:
            msg["finish_reason"] = m["finish_reason"]
        out.append(msg)
    return json.dumps(out, ensure_ascii=False)


class LlmCall:
    """One LLM call's span. Use as `with` or `async with`; the value bound by
    `as` is a dict the block fills in (see trace_llm_call). Not reusable."""

    def __init__(self, model: str, feature: str, prompt_version: Optional[str] = None,
                 team: Optional[str] = None, *, provider: Optional[str] = None, operation: str = "chat",
                 capture_content: Optional[bool] = None, tracer: Optional[trace.Tracer] = None,
                 attributes: Optional[dict] = None):
        self.ctx: dict = {}
        self._model = model
        self._operation = operation
        self._capture = _content_enabled(capture_content)
        self._tracer = tracer or trace.get_tracer(_SCOPE, _VERSION)
        provider = provider or infer_provider(model)
        self._attrs = {
            "gen_ai.operation.name": operation,
            "gen_ai.provider.name": provider,
            "gen_ai.system": provider,  # deprecated since semconv 1.37; older backends read it
            "gen_ai.request.model": model,
            "ai.feature": feature,
            "ai.prompt_version": prompt_version or "unknown",
            "ai.team": team or "default",
        }
        if attributes:
            self._attrs.update(attributes)
        self._span = None
        self._scope = None
        self._start = 0.0

    # -- sync ------------------------------------------------------------
    def __enter__(self) -> dict:
        self._span = self._tracer.start_span(f"{self._operation} {self._model}", kind=SpanKind.CLIENT,
                                             attributes=self._attrs)
        self._scope = trace.use_span(self._span, end_on_exit=False)
        self._scope.__enter__()
        self._start = time.perf_counter()
        return self.ctx

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            self._finish(exc)
        finally:
            self._scope.__exit__(None, None, None)
            self._span.end()
        return False  # never swallow the exception

    # -- async: same span, current in the task's context ----------------------
    async def __aenter__(self) -> dict:
        return self.__enter__()

    async def __aexit__(self, exc_type, exc, tb) -> bool:
        return self.__exit__(exc_type, exc, tb)

    def _finish(self, exc: Optional[BaseException]) -> None:
        span, ctx = self._span, self.ctx
        # Usage is recorded on failures too: a call that failed after the
        # provider billed it still cost money.
        for key, attr in _USAGE_KEYS.items():
            if ctx.get(key) is not None:
                span.set_attribute(attr, int(ctx[key]))
        for key, attr in _TEXT_KEYS.items():
            if ctx.get(key) is not None:
                span.set_attribute(attr, str(ctx[key]))
        if ctx.get("finish_reasons"):
            span.set_attribute("gen_ai.response.finish_reasons", [str(r) for r in ctx["finish_reasons"]])
        if ctx.get("cost_usd") is not None:
            span.set_attribute("ai.cost_usd", round(float(ctx["cost_usd"]), 6))
        span.set_attribute("ai.latency_ms", int((time.perf_counter() - self._start) * 1000))
        if self._capture:
            if ctx.get("system_instructions") is not None:
                si = ctx["system_instructions"]
                parts = [{"type": "text", "content": si}] if isinstance(si, str) else si
                span.set_attribute("gen_ai.system_instructions", json.dumps(parts, ensure_ascii=False))
            if ctx.get("input_messages") is not None:
                span.set_attribute("gen_ai.input.messages", _messages_json(ctx["input_messages"]))
            if ctx.get("output_messages") is not None:
                span.set_attribute("gen_ai.output.messages", _messages_json(ctx["output_messages"]))
        if exc is None:
            span.set_status(Status(StatusCode.OK))
        else:
            span.set_attribute("error.type", type(exc).__qualname__)
            span.record_exception(exc)
            span.set_status(Status(StatusCode.ERROR, str(exc)))


def trace_llm_call(model: str, feature: str, prompt_version: Optional[str] = None, team: Optional[str] = None,
                   **options) -> LlmCall:
    """Wraps one LLM call in a CLIENT span named "{operation} {model}".

    Inside the block set, on the yielded dict (all optional):
      input_tokens      all input tokens, INCLUDING cache reads and writes
                        (the GenAI convention; Anthropic's usage.input_tokens
                        excludes them, so add cache_read + cache_write)
      output_tokens     all output tokens, including reasoning
      cache_read_tokens, cache_write_tokens, reasoning_tokens
      response_model, response_id, finish_reasons, conversation_id, user_id
      cost_usd          a cost you computed yourself (Loupe prefers its catalog)
      input_messages, output_messages, system_instructions
                        recorded only when content capture is on
                        (capture_content=True, or LOUPE_CAPTURE_CONTENT=true or
                        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true)

    Options: provider= (else inferred from the model), operation="chat",
    capture_content=, tracer= (else the global provider's), attributes={}.
    An exception leaves the block as an ERROR span with the exception
    recorded and error.type set, and is re-raised.
    """
    return LlmCall(model, feature, prompt_version, team, **options)
