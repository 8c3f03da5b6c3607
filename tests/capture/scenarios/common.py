"""Shared set-up for the Python capture scenarios: the real OpenTelemetry
Python SDK exporting OTLP/HTTP protobuf (traces and logs) to the capture
sink named by CAPTURE_OTLP_ENDPOINT."""
import os

from opentelemetry import _logs, trace
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


class Otel:
    def __init__(self, service_name, **resource):
        base = os.environ["CAPTURE_OTLP_ENDPOINT"]
        res = Resource.create({"service.name": service_name, "deployment.environment.name": "capture", **resource})
        self.tracer_provider = TracerProvider(resource=res)
        self.tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=base + "/v1/traces")))
        trace.set_tracer_provider(self.tracer_provider)
        self.logger_provider = LoggerProvider(resource=res)
        self.logger_provider.add_log_record_processor(BatchLogRecordProcessor(OTLPLogExporter(endpoint=base + "/v1/logs")))
        _logs.set_logger_provider(self.logger_provider)

    def shutdown(self):
        self.tracer_provider.force_flush()
        self.logger_provider.force_flush()
        self.tracer_provider.shutdown()
        self.logger_provider.shutdown()


def openai_calls(client, with_error=False):
    """The same four OpenAI calls in every OpenAI scenario."""
    import openai
    client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Say hello."}],
        max_tokens=100,
    )
    stream = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Say hello, streaming."}],
        stream=True,
        stream_options={"include_usage": True},
    )
    for _ in stream:
        pass
    client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Weather in Paris?"}], tools=[WEATHER_TOOL])
    client.embeddings.create(model="text-embedding-3-small", input=["hello", "world"])
    if with_error:
        try:
            client.chat.completions.create(model="fake-error-model", messages=[{"role": "user", "content": "x"}])
        except openai.BadRequestError:
            pass


def anthropic_calls(client):
    client.messages.create(
        model="claude-sonnet-4-5", max_tokens=200, system="You are terse.",
        messages=[{"role": "user", "content": "Say hello."}])
    with client.messages.stream(
            model="claude-haiku-4-5", max_tokens=200,
            messages=[{"role": "user", "content": "Say hello, streaming."}]) as stream:
        stream.get_final_message()
    client.messages.create(
        model="claude-haiku-4-5", max_tokens=200,
        tools=[{"name": "get_weather", "description": "Current weather for a city",
                "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
        messages=[{"role": "user", "content": "Weather in Paris?"}])
