"""openinference-instrumentation-openai (Arize OpenInference keys)."""
import os

from common import Otel, openai_calls

otel = Otel("capture-py-openinference-openai")
from openinference.instrumentation.openai import OpenAIInstrumentor  # noqa: E402

OpenAIInstrumentor().instrument(tracer_provider=otel.tracer_provider)
import openai  # noqa: E402

openai_calls(openai.OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="fake", max_retries=0))
otel.shutdown()
