"""Helpers for the query-API end-to-end tests: the blueprint's
instrumentation (one span per LLM call with team / feature / prompt
version), JSON GETs against /api/v1, and running `loupe query`."""
from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.parse
from contextlib import contextmanager

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import StatusCode

from helpers import expected_cost, get


def make_tracer(loupe, service):
    tp = TracerProvider(resource=Resource.create({"service.name": service, "deployment.environment.name": "e2e"}))
    tp.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=f"http://{loupe.http}/v1/traces")))
    return tp, tp.get_tracer("e2e.api", "1.0")


@contextmanager
def llm_call(tracer, model, provider, team, feature, prompt_version, input_tokens, output_tokens,
             session=None, user=None):
    """The blueprint's trace_llm_call: one span per call, attributed."""
    attrs = {"gen_ai.system": provider, "gen_ai.request.model": model, "ai.team": team,
             "ai.feature": feature, "ai.prompt_version": prompt_version}
    if session:
        attrs["session.id"] = session
    if user:
        attrs["user.id"] = user
    with tracer.start_as_current_span("llm.call", attributes=attrs) as span:
        ctx = {"trace_id": format(span.get_span_context().trace_id, "032x")}
        yield ctx
        span.set_attribute("gen_ai.usage.input_tokens", input_tokens)
        span.set_attribute("gen_ai.usage.output_tokens", output_tokens)
        span.set_status(StatusCode.OK)


def call_cost_nanos(model_entry, input_tokens, output_tokens) -> int:
    """What one call costs, computed by the test from the price file."""
    return expected_cost({"input": input_tokens, "output": output_tokens}, model_entry)["total"]


def api_get(loupe, path, **params):
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    r = get(loupe.api, path + ("?" + query if query else ""))
    return r.status, json.loads(r.body) if r.body else None


def api_ok(loupe, path, **params):
    status, body = api_get(loupe, path, **params)
    assert status == 200, f"GET {path} {params} answered {status}: {body}"
    return body


def wait_stats_requests(loupe, want, timeout=20.0):
    """Waits until the rollups count `want` calls (the indexer is async)."""
    deadline = time.monotonic() + timeout
    got = None
    while time.monotonic() < deadline:
        body = api_ok(loupe, "/api/v1/stats", since="1d", measures="requests")
        got = sum(g["requests"] for g in body["groups"])
        if got >= want:
            return got
        time.sleep(0.1)
    raise AssertionError(f"rollups counted {got} calls after {timeout}s, want {want}")


def loupe_query(loupe, *args) -> subprocess.CompletedProcess:
    """Runs `loupe query --url ... ARGS` and returns the finished process."""
    return subprocess.run([os.environ["LOUPE_BIN"], "query", "--url", f"http://{loupe.api}", *args],
                          capture_output=True, text=True, timeout=30)
