"""opentelemetry-instrumentation-openai (OpenLLMetry / Traceloop, Python)."""
import os

from common import Otel, openai_calls

otel = Otel("capture-py-openllmetry-openai")
from opentelemetry.instrumentation.openai import OpenAIInstrumentor  # noqa: E402

OpenAIInstrumentor().instrument(tracer_provider=otel.tracer_provider, logger_provider=otel.logger_provider)
import openai  # noqa: E402

openai_calls(openai.OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="fake", max_retries=0))
otel.shutdown()
