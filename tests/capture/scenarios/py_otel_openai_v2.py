"""opentelemetry-instrumentation-openai-v2 (the official OTel Python GenAI
instrumentation). Default mode: semconv 1.30 spans, content as log events
(OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true). With
OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental set by the
orchestrator, the newest conventions instead."""
import os

from common import Otel, openai_calls

otel = Otel(os.environ.get("CAPTURE_SERVICE", "capture-py-otel-openai-v2"))
from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor  # noqa: E402

OpenAIInstrumentor().instrument(tracer_provider=otel.tracer_provider, logger_provider=otel.logger_provider)
import openai  # noqa: E402

openai_calls(openai.OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="fake", max_retries=0), with_error=True)
otel.shutdown()
