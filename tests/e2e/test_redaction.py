"""Content policy end to end (issue 5, "Redaction: no configured pattern
survives anywhere on disk"). A real `loupe serve` with a data dir and
`content.capture: redact` (then `none`) plus a custom pattern receives, from
the OpenTelemetry Python SDK, spans and log records carrying planted secrets
in every dialect's content locations and in ordinary attributes. After
Loupe has indexed them and stopped, no planted secret may appear anywhere
under the data dir:

* the raw bytes of every file, -wal and -shm included (also a copy taken
  while Loupe was still running, before its last checkpoint);
* every zstd frame found in those bytes, decompressed (the store's codec:
  src/store/batch_codec.h compresses batches, span bodies and content);
* every cell of every table of every SQLite file, read with sqlite3, blobs
  decompressed, and every FTS5 index queried with MATCH.

A canary word planted only in content locations is the positive control:
under `redact` it must be found (so the decoder and the FTS queries really
see content), under `none` it must be found nowhere.

Needs the `zstandard` package (tests/requirements.txt).
"""
from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import StatusCode

from conftest import start_loupe, stop_loupe
from helpers import get, prom_value, wait_for

try:
    import zstandard
except ImportError:  # pragma: no cover - a missing dependency is a failure, not a skip
    zstandard = None

# --- what is planted ---------------------------------------------------------
EMAIL = "priya.planted@example.org"
CARD = "4539 1488 0343 6467"  # Luhn-valid
PHONE = "+44 20 7946 0958"
OPENAI_KEY = "sk-proj-Pl4nt3dK3yx9Qw2Er5Ty8Ui1Op4As7Df0"
ANTHROPIC_KEY = "sk-ant-api03-Pl4nt3dAnthr0picK3y0123456789abcdEF"
AWS_KEY = "AKIAPLANTED0EXAMPLE1"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlcGxhbnRlZA"
CASE_ID = "CASE-8675309"  # the custom pattern's
CANARY = "quokkacanary"   # content only; not a secret

CUSTOM_PATTERN = r"CASE-\d{7}"

# Distinctive pieces: a partial redaction that leaves a tail is a failure too.
NEEDLES = [
    "priya.planted", "example.org",
    CARD, CARD.replace(" ", ""),
    "7946 0958", "2079460958",
    "Pl4nt3dK3y", "Pl4nt3dAnthr0pic", "PLANTED0EXAMPLE", "c2lnbmF0dXJlcGxhbnRlZA", "eyJzdWIiOiJwbGFudGVkIn0",
    "8675309",
]

TEXT = (f"Hi, I am {EMAIL}, card {CARD}, call me at {PHONE}. Keys {OPENAI_KEY} / {ANTHROPIC_KEY} / "
        f"{AWS_KEY}, header Authorization: Bearer {JWT}, case {CASE_ID}. {CANARY}")


def messages_json(role="user"):
    # "\n" right before the text: raw JSON reads "\nHi, ..." (escapes must not hide a match).
    return json.dumps([{"role": role, "parts": [{"type": "text", "content": "context:\n" + TEXT}]}])


def tool_call_json():
    return json.dumps([{"role": "assistant", "finish_reason": "tool_call", "parts": [
        {"type": "tool_call", "id": "call_1", "name": "send_mail",
         "arguments": {"to": EMAIL, "body": TEXT}}]}])


USAGE = {"gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 20}


def dialect_spans():
    """(tracer name, span name, attributes, events): one per content location."""
    oai = json.dumps([{"role": "user", "content": TEXT}])
    return [
        ("e2e.otel", "chat gpt-4o", {
            "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
            "gen_ai.system_instructions": json.dumps([{"type": "text", "content": TEXT}]),
            "gen_ai.input.messages": messages_json(), "gen_ai.output.messages": tool_call_json(), **USAGE}, []),
        ("e2e.deprecated", "chat gpt-4o-mini", {
            "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o-mini",
            "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": TEXT,
            "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": TEXT,
            "gen_ai.completion.0.tool_calls.0.name": "send_mail",
            "gen_ai.completion.0.tool_calls.0.arguments": json.dumps({"to": EMAIL, "body": TEXT}),
            "gen_ai.usage.prompt_tokens": 100, "gen_ai.usage.completion_tokens": 20}, []),
        ("e2e.openinference", "ChatCompletion", {
            "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o", "llm.provider": "openai",
            "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": TEXT,
            "llm.output_messages.0.message.role": "assistant", "llm.output_messages.0.message.content": TEXT,
            "input.value": json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": TEXT}]}),
            "output.value": TEXT, "llm.token_count.prompt": 100, "llm.token_count.completion": 20}, []),
        ("ai", "ai.generateText.doGenerate", {
            "ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "gpt-4o",
            "ai.model.provider": "openai.chat", "ai.prompt.messages": oai, "ai.response.text": TEXT,
            "ai.response.toolCalls": json.dumps([{"toolCallId": "c1", "toolName": "send_mail",
                                                   "args": json.dumps({"to": EMAIL})}]),
            "ai.usage.promptTokens": 100, "ai.usage.completionTokens": 20}, []),
        ("langfuse-sdk", "generation", {
            "langfuse.observation.type": "generation", "langfuse.observation.model.name": "gpt-4o",
            "langfuse.observation.input": oai, "langfuse.observation.output": TEXT,
            "langfuse.observation.usage_details": json.dumps({"input": 100, "output": 20})}, []),
        ("opentelemetry.instrumentation.traceloop", "openai.chat", {
            "llm.request.type": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
            "traceloop.entity.input": json.dumps({"args": [TEXT]}), "traceloop.entity.output": TEXT, **USAGE}, []),
        ("pydantic-ai", "chat gpt-4o", {
            "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
            "events": json.dumps([{"event.name": "gen_ai.user.message", "content": TEXT, "role": "user"},
                                  {"event.name": "gen_ai.choice", "index": 0,
                                   "message": {"role": "assistant", "content": TEXT}}]), **USAGE}, []),
        ("logfire.openai", "Chat Completion with 'gpt-4o'", {
            "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
            "request_data": json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": TEXT}]}),
            "response_data": json.dumps({"message": {"role": "assistant", "content": TEXT}}), **USAGE}, []),
        ("openlit", "openai.chat", {
            "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o", **USAGE},
         [("gen_ai.content.prompt", {"gen_ai.prompt": TEXT}),
          ("gen_ai.content.completion", {"gen_ai.completion": TEXT})]),
        ("e2e.events", "chat gpt-4o", {
            "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o", **USAGE},
         [("gen_ai.system.message", {"content": TEXT}),
          ("gen_ai.user.message", {"content": TEXT}),
          ("gen_ai.choice", {"index": 0, "finish_reason": "stop",
                             "message": json.dumps({"role": "assistant", "content": TEXT})}),
          ("gen_ai.client.inference.operation.details", {"gen_ai.input.messages": messages_json(),
                                                         "gen_ai.output.messages": messages_json("assistant")})]),
    ]


# --- sending -------------------------------------------------------------------
def send_everything(loupe):
    """Exports the planted spans and logs with the real SDK; returns the trace
    ids (hex) and the number of spans."""
    resource = Resource.create({"service.name": "redaction-e2e", "owner.contact": EMAIL})
    tp = TracerProvider(resource=resource)
    tp.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=f"http://{loupe.http}/v1/traces")))
    lp = LoggerProvider(resource=resource)
    lp.add_log_record_processor(SimpleLogRecordProcessor(OTLPLogExporter(endpoint=f"http://{loupe.http}/v1/logs")))
    logger = lp.get_logger("e2e.genai.events")

    traces = []
    count = 0
    root_tracer = tp.get_tracer("e2e.app")
    with root_tracer.start_as_current_span(f"support request from {EMAIL}",
                                           attributes={"user.id": EMAIL, "session.id": CASE_ID}) as root:
        traces.append(format(root.get_span_context().trace_id, "032x"))
        count += 1
        for tracer_name, name, attrs, events in dialect_spans():
            with tp.get_tracer(tracer_name).start_as_current_span(name, attributes=attrs) as span:
                for event_name, event_attrs in events:
                    span.add_event(event_name, event_attrs)
                count += 1
        # Log events joined to a span (by its context), and the usual exception.
        with root_tracer.start_as_current_span("chat gpt-4o", attributes={
                "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
                "gen_ai.request.model": "gpt-4o", **USAGE}) as span:
            logger.emit(event_name="gen_ai.user.message", body={"content": TEXT},
                        attributes={"gen_ai.system": "openai"})
            logger.emit(event_name="gen_ai.choice",
                        body={"index": 0, "finish_reason": "stop", "message": {"content": TEXT}},
                        attributes={"gen_ai.system": "openai"})
            logger.emit(event_name="gen_ai.client.inference.operation.details",
                        attributes={"gen_ai.input.messages": messages_json(),
                                    "gen_ai.output.messages": messages_json("assistant")})
            span.add_event("exception", {"exception.type": "ValueError",
                                         "exception.message": f"bad input from {EMAIL}: {CARD}"})
            span.set_status(StatusCode.ERROR, f"refused card {CARD}")
            count += 1
        root.set_attribute("app.notes", [f"call {PHONE}", f"key {OPENAI_KEY}"])

    # A log record outside any trace (stored as an unjoined log). An
    # application log, not content: kept under `none`, but redacted.
    logger.emit(body=f"audit: {TEXT.replace(CANARY, '')}", attributes={"app.user": EMAIL, "app.case": CASE_ID},
                context=trace.set_span_in_context(trace.INVALID_SPAN))
    tp.shutdown()
    lp.shutdown()
    return traces, count


def wait_indexed(loupe, traces, count):
    def trace_complete():
        r = get(loupe.api, f"/api/v1/traces/{traces[0]}")
        return r.status == 200 and len(r.json().get("spans", [])) >= count and r
    reply = wait_for(trace_complete, timeout=30, what=f"{count} spans of trace {traces[0]} queryable")

    def caught_up():
        text = loupe.metrics_text()
        return prom_value(text, "loupe_store_pending_batches") == 0
    wait_for(caught_up, timeout=30, what="the indexer to catch up")
    return reply


# --- looking for secrets -----------------------------------------------------------
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def zstd_frames(data: bytes):
    """Every zstd frame that decodes, wherever it starts (page boundaries, WAL
    frames, blob cells)."""
    assert zstandard is not None, "the zstandard package is missing: add it to tests/requirements.txt"
    start = 0
    while (i := data.find(ZSTD_MAGIC, start)) >= 0:
        start = i + 1
        try:
            out = zstandard.ZstdDecompressor().decompressobj().decompress(data[i:])
        except zstandard.ZstdError:
            continue
        if out:
            yield i, out


class Findings:
    def __init__(self):
        self.leaks = []          # (where, needle)
        self.canary_seen = []    # where the canary was found
        self.frames = 0          # zstd frames decoded
        self.fts_tables = 0

    def check(self, where: str, data: bytes):
        for n in NEEDLES:
            if n.encode() in data:
                self.leaks.append((where, n))
        if CANARY.encode() in data:
            self.canary_seen.append(where)

    def check_with_frames(self, where: str, data: bytes):
        self.check(where, data)
        for offset, raw in zstd_frames(data):
            self.frames += 1
            self.check(f"{where} @zstd+{offset}", raw)


def fts_phrase(text: str) -> str:
    return '"' + " ".join(re.findall(r"[A-Za-z0-9]+", text)) + '"'


def scan_sqlite(db: Path, label: str, found: Findings):
    """Reads a copy (sqlite3 may checkpoint or recover the original)."""
    with tempfile.TemporaryDirectory(prefix="loupe-redaction-db-") as tmp:
        copy = Path(tmp) / db.name
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(db) + suffix)
            if src.exists():
                shutil.copyfile(src, Path(str(copy) + suffix))
        conn = sqlite3.connect(str(copy))
        try:
            tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
            for name, sql in tables:
                quoted = '"' + name.replace('"', '""') + '"'
                if sql and "VIRTUAL TABLE" in sql.upper():
                    if "FTS5" in sql.upper():
                        found.fts_tables += 1
                        for n in NEEDLES:
                            hits = conn.execute(f"SELECT count(*) FROM {quoted} WHERE {quoted} MATCH ?",
                                                (fts_phrase(n),)).fetchone()[0]
                            if hits:
                                found.leaks.append((f"{label}:{name} MATCH {fts_phrase(n)}", n))
                        if conn.execute(f"SELECT count(*) FROM {quoted} WHERE {quoted} MATCH ?",
                                        (CANARY,)).fetchone()[0]:
                            found.canary_seen.append(f"{label}:{name} MATCH")
                    continue  # its shadow tables are ordinary tables, read below
                for row_no, row in enumerate(conn.execute(f"SELECT * FROM {quoted}")):
                    for col, cell in enumerate(row):
                        where = f"{label}:{name} row {row_no} col {col}"
                        if isinstance(cell, str):
                            found.check(where, cell.encode())
                        elif isinstance(cell, bytes):
                            found.check_with_frames(where, cell)
        finally:
            conn.close()


def scan_tree(root: Path, label: str, found: Findings):
    files = [p for p in root.rglob("*") if p.is_file()]
    assert files, f"{label}: no files under {root}"
    for path in files:
        found.check_with_frames(f"{label}:{path.relative_to(root)}", path.read_bytes())
    dbs = [p for p in files if p.suffix == ".db"]
    assert any(p.name == "log.db" for p in dbs), f"{label}: no log.db in {[str(p) for p in files]}"
    for db in dbs:
        scan_sqlite(db, f"{label}:{db.relative_to(root)}", found)


# --- the tests -------------------------------------------------------------------
def config(data_dir: Path, mode: str) -> str:
    if mode == "full":  # the default: no content section at all
        return f"server:\n  data_dir: {data_dir}\n"
    return f"""
server:
  data_dir: {data_dir}
content:
  capture: {mode}
  redact:
    patterns:
      - name: case_id
        regex: '{CUSTOM_PATTERN}'
"""


def assert_api_answers(reply, mode):
    text = reply.body.decode()
    leaks = [n for n in NEEDLES if n in text]
    assert not leaks, f"the trace API serves planted secrets {leaks}"
    body = reply.json()
    calls = [s["llm_call"] for s in body["spans"] if s.get("llm_call")]
    assert len(calls) >= 10, f"expected the dialect spans to be LLM calls, got {len(calls)}"
    assert all(c["tokens"]["input"] is not None for c in calls if c["counts_usage"]), "token counts were lost"
    if mode == "redact":
        assert "[REDACTED:email]" in text and "[REDACTED:case_id]" in text and "[REDACTED:card]" in text
        assert CANARY in text, "redaction must keep the rest of the content"
        assert any(c["input_messages"] for c in calls)
    else:
        assert CANARY not in text
        for c in calls:
            parts = [p for m in c.get("input_messages", []) + c.get("output_messages", []) for p in m["parts"]]
            assert not parts and not c.get("system_instructions"), f"content kept under none: {c}"
        marked = [s for s in body["spans"] if s["attributes"].get("loupe.content.dropped") is True]
        assert len(marked) >= 10, f"{len(marked)} spans say loupe.content.dropped, want every dialect span"


def run_and_scan(mode, tmp_path) -> Findings:
    """Starts Loupe in `mode`, sends everything, checks the API answers, stops
    it and scans its data dir (and a copy taken while it ran)."""
    assert zstandard is not None, "the zstandard package is missing: add it to tests/requirements.txt"
    data_dir = tmp_path / "data"
    loupe = start_loupe(config_text=config(data_dir, mode))
    try:
        traces, count = send_everything(loupe)
        reply = wait_indexed(loupe, traces, count)
        if mode != "full":
            assert_api_answers(reply, mode)
            metrics = loupe.metrics_text()
            if mode == "redact":
                assert prom_value(metrics, "loupe_redactions_total", pattern="email") > 0
                assert prom_value(metrics, "loupe_redactions_total", pattern="case_id") > 0
            else:
                assert prom_value(metrics, "loupe_content_dropped_total") > 0
        # The WAL as it is while running, before shutdown checkpoints it.
        running = tmp_path / "running-copy"
        shutil.copytree(data_dir, running)
    finally:
        code = stop_loupe(loupe)
    assert code == 0, f"loupe exited with {code}:\n{loupe.log_tail()}"

    found = Findings()
    scan_tree(running, "while running", found)
    scan_tree(data_dir, "after stop", found)
    assert found.frames > 0, "no zstd frame decoded: the scan did not see the store's compressed data"
    assert found.fts_tables > 0, "no FTS5 table found to query"
    return found


def test_scanner_finds_what_full_capture_keeps(tmp_path):
    """The control: with the default `full`, every channel of the scan (raw
    bytes, decompressed frames, table cells, the FTS index) does find the
    planted secrets, so their absence below means something."""
    found = run_and_scan("full", tmp_path)
    wheres = [w for w, _ in found.leaks]
    assert {n for _, n in found.leaks} >= {"priya.planted", CARD, "8675309", "Pl4nt3dK3y"}, found.leaks[:20]
    assert any("zstd" in w for w in wheres), "no secret found in a decompressed frame"
    assert any(" MATCH " in w for w in wheres), "no secret found through the full-text index"
    assert any(" col " in w for w in wheres), "no secret found in a table cell"


@pytest.mark.parametrize("mode", ["redact", "none"])
def test_no_planted_secret_survives_on_disk(mode, tmp_path):
    found = run_and_scan(mode, tmp_path)
    assert not found.leaks, "planted secrets on disk:\n" + "\n".join(f"  {w}: {n}" for w, n in found.leaks[:40])
    if mode == "redact":
        assert any("zstd" in w for w in found.canary_seen), \
            f"the canary is not in any decompressed blob; seen only in {found.canary_seen[:5]}"
        assert any("MATCH" in w for w in found.canary_seen), "the canary is not in the full-text index"
    else:
        assert not found.canary_seen, f"content kept under none: {found.canary_seen[:10]}"
