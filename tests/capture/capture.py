"""Runs real GenAI instrumentation libraries against the fake provider and
saves what they really emit as fixtures in tests/fixtures/captured/<name>/:

  traces.binpb   the exact OTLP/HTTP protobuf body(ies) the exporter sent
                 (an ExportTraceServiceRequest; when the exporter sent several
                 requests, their bodies concatenated, which protobuf decodes
                 as one merged request)
  traces.json    the same request as OTLP/JSON (hex ids, integer enums)
  logs.binpb     ExportLogsServiceRequest, when the library emitted log events
  logs.json      the same as OTLP/JSON
  expected.json  what Loupe should understand, from expectations.py

Usage: python tests/capture/capture.py [name ...]   (default: every scenario)
Run through tests/capture/run.sh, which installs the libraries first.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(HERE))

from google.protobuf.json_format import MessageToDict  # noqa: E402
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest  # noqa: E402
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest  # noqa: E402

import expectations  # noqa: E402
from fake_provider import FakeProvider  # noqa: E402
from otlp_sink import OtlpSink  # noqa: E402

OUT = TESTS / "fixtures" / "captured"
PY = sys.executable
PY_OAV2_23 = str(TESTS.parent / ".venv" / "capture-oav2-2.3" / "bin" / "python")
NODE = "node"
SC = HERE / "scenarios"

# name -> (command, extra environment)
SCENARIOS = {
    "js-otel-instrumentation-openai": ([NODE, str(SC / "js_otel_instrumentation_openai.js")], {}),
    "js-openinference-openai": ([NODE, str(SC / "js_openinference_openai.js")], {}),
    "js-traceloop": ([NODE, str(SC / "js_traceloop.js")], {}),
    "js-ai-sdk": ([NODE, str(SC / "js_ai_sdk.js")], {}),
    # 2.4b0 (with any util-genai it can import) is always on the newest
    # conventions: content on the span and as gen_ai.client.inference.operation.details.
    "py-otel-openai-v2": ([PY, str(SC / "py_otel_openai_v2.py")],
                          {"OTEL_SEMCONV_STABILITY_OPT_IN": "gen_ai_latest_experimental",
                           "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "span_and_event"}),
    # 2.3b0, in a venv of its own: semconv 1.30 spans + per-message log events.
    "py-otel-openai-v2-2.3-events": ([PY_OAV2_23, str(SC / "py_otel_openai_v2.py")],
                                     {"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true",
                                      "CAPTURE_SERVICE": "capture-py-otel-openai-v2-2.3"}),
    "py-openinference-openai": ([PY, str(SC / "py_openinference_openai.py")], {}),
    "py-openllmetry-openai": ([PY, str(SC / "py_openllmetry_openai.py")], {}),
    "py-openllmetry-anthropic": ([PY, str(SC / "py_openllmetry_anthropic.py")], {}),
}

_ID_KEYS = {"traceId", "spanId", "parentSpanId"}


def _hex_ids(node):
    """MessageToDict writes bytes as base64; OTLP/JSON wants hex ids."""
    if isinstance(node, dict):
        return {k: (base64.b64decode(v).hex() if k in _ID_KEYS and isinstance(v, str) else _hex_ids(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_hex_ids(v) for v in node]
    return node


def to_otlp_json(msg) -> dict:
    return _hex_ids(MessageToDict(msg, use_integers_for_enums=True))


def run_scenario(name, fake, sink) -> bool:
    cmd, extra = SCENARIOS[name]
    env = dict(os.environ)
    env.update({
        "OPENAI_BASE_URL": fake.openai_base_url,
        "ANTHROPIC_BASE_URL": fake.anthropic_base_url,
        "OPENAI_API_KEY": "fake",
        "ANTHROPIC_API_KEY": "fake",
        "CAPTURE_OTLP_ENDPOINT": f"{sink.base_url}/{name}",
        "OTEL_TRACES_EXPORTER": "none",  # nothing auto-configured behind our back
        "OTEL_METRICS_EXPORTER": "none",
        "OTEL_LOGS_EXPORTER": "none",
        "TRACELOOP_TELEMETRY": "false",
        "NODE_PATH": str(HERE / "node_modules"),
        **extra,
    })
    started = time.time()
    proc = subprocess.run(cmd, cwd=str(SC), env=env, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        print(f"[{name}] FAILED (exit {proc.returncode})\n{proc.stdout}\n{proc.stderr}", file=sys.stderr)
        return False
    if proc.stderr.strip():
        print(f"[{name}] stderr:\n{proc.stderr.strip()[:2000]}", file=sys.stderr)

    traces = sink.bodies(name, "traces")
    logs = sink.bodies(name, "logs")
    if not traces:
        print(f"[{name}] FAILED: no spans were exported", file=sys.stderr)
        return False
    if any(ct != "application/x-protobuf" for ct, _ in traces + logs):
        print(f"[{name}] FAILED: exporter did not send protobuf", file=sys.stderr)
        return False
    out = OUT / name
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("logs.*"):
        stale.unlink()
    trace_bytes = b"".join(b for _, b in traces)
    (out / "traces.binpb").write_bytes(trace_bytes)
    treq = ExportTraceServiceRequest.FromString(trace_bytes)
    (out / "traces.json").write_text(json.dumps(to_otlp_json(treq), indent=1) + "\n")
    lreq = None
    if logs:
        log_bytes = b"".join(b for _, b in logs)
        lreq = ExportLogsServiceRequest.FromString(log_bytes)
        if lreq.resource_logs:
            (out / "logs.binpb").write_bytes(log_bytes)
            (out / "logs.json").write_text(json.dumps(to_otlp_json(lreq), indent=1) + "\n")
    nspans = sum(len(ss.spans) for rs in treq.resource_spans for ss in rs.scope_spans)
    nlogs = sum(len(sl.log_records) for rs in (lreq.resource_logs if lreq else []) for sl in rs.scope_logs)
    print(f"[{name}] {nspans} spans in {len(traces)} request(s), {nlogs} log records, "
          f"{time.time() - started:.1f}s")
    return True


def main(argv) -> int:
    names = argv or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        print(f"unknown scenario(s): {unknown}; known: {list(SCENARIOS)}", file=sys.stderr)
        return 2
    ok = True
    with FakeProvider() as fake:
        sink = OtlpSink().start()
        try:
            for name in names:
                ok = run_scenario(name, fake, sink) and ok
        finally:
            sink.stop()
    # expected.json for every fixture present, from the specs in expectations.py
    ok = expectations.write_all(OUT, names) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
