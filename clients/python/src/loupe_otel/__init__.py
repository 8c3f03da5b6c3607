"""loupe-otel: wrap an LLM call in an OpenTelemetry span that Loupe (and any
GenAI-aware backend) can attribute and price.

    from loupe_otel import configure, trace_llm_call
    configure(endpoint="http://localhost:4318")
    with trace_llm_call("claude-sonnet-4-5", "support-chat", team="growth") as ctx:
        response = client.messages.create(...)
        ctx["input_tokens"] = response.usage.input_tokens
        ctx["output_tokens"] = response.usage.output_tokens
"""
from loupe_otel._configure import configure
from loupe_otel._trace import LlmCall, infer_provider, trace_llm_call

__all__ = ["configure", "trace_llm_call", "LlmCall", "infer_provider"]
__version__ = "0.1.0"
