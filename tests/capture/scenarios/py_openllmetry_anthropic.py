"""opentelemetry-instrumentation-anthropic (OpenLLMetry / Traceloop, Python)."""
import os

from common import Otel, anthropic_calls

otel = Otel("capture-py-openllmetry-anthropic")
from opentelemetry.instrumentation.anthropic import AnthropicInstrumentor  # noqa: E402

AnthropicInstrumentor().instrument(tracer_provider=otel.tracer_provider, logger_provider=otel.logger_provider)
import anthropic  # noqa: E402

anthropic_calls(anthropic.Anthropic(base_url=os.environ["ANTHROPIC_BASE_URL"], api_key="fake", max_retries=0))
otel.shutdown()
