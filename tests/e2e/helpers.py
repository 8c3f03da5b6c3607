"""Helpers shared by the end-to-end tests: HTTP to loupe, polling, OTLP
request building, Prometheus text parsing and expected costs."""
from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, InstrumentationScope, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

REPO = Path(__file__).resolve().parents[2]
PRICES_PATH = REPO.parent / "shared" / "data" / "model_prices.json"
POLL_S = 0.05
WAIT_S = 15.0
TOKEN_KEYS = ("input", "cache_read", "cache_write", "output", "reasoning")


# --- polling -------------------------------------------------------------
def wait_for(fn, timeout=WAIT_S, what="condition"):
    """Polls fn() until it returns something truthy; returns it."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(POLL_S)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


# --- raw HTTP --------------------------------------------------------------
@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def http_request(addr, method, path, body=None, headers=None, chunked=False, timeout=30) -> Reply:
    """One request on a fresh connection. Copes with a server that answers
    (413) and closes before it has read the whole body."""
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        try:
            if chunked:
                conn.putrequest(method, path)
                for k, v in (headers or {}).items():
                    conn.putheader(k, v)
                conn.putheader("Transfer-Encoding", "chunked")
                conn.endheaders()
                step = 1000
                for i in range(0, len(body), step):
                    piece = body[i:i + step]
                    conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
                conn.send(b"0\r\n\r\n")
            else:
                conn.request(method, path, body=body, headers=headers or {})
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may have answered early: read what it said
        resp = conn.getresponse()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


def get(addr, path, timeout=10) -> Reply:
    try:
        with urllib.request.urlopen(f"http://{addr}{path}", timeout=timeout) as r:
            return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


# --- OTLP building ---------------------------------------------------------
def any_value(v) -> AnyValue:
    if isinstance(v, bool):
        return AnyValue(bool_value=v)
    if isinstance(v, int):
        return AnyValue(int_value=v)
    if isinstance(v, float):
        return AnyValue(double_value=v)
    return AnyValue(string_value=str(v))


def kvs(attrs: dict):
    return [KeyValue(key=k, value=any_value(v)) for k, v in attrs.items()]


def new_ids():
    return os.urandom(16), os.urandom(8)


def llm_span(trace_id=None, span_id=None, model="gpt-4o-mini", input_tokens=100, output_tokens=20,
             name=None, extra=None) -> Span:
    """A current-conventions chat span with usage."""
    if trace_id is None or span_id is None:
        trace_id, span_id = new_ids()
    now = time.time_ns()
    attrs = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
             "gen_ai.request.model": model, "gen_ai.response.model": model,
             "gen_ai.usage.input_tokens": input_tokens, "gen_ai.usage.output_tokens": output_tokens}
    attrs.update(extra or {})
    return Span(trace_id=trace_id, span_id=span_id, name=name or f"chat {model}", kind=Span.SPAN_KIND_CLIENT,
                start_time_unix_nano=now - 250_000_000, end_time_unix_nano=now, attributes=kvs(attrs))


def trace_request(spans, service="e2e-raw", scope="e2e.raw") -> ExportTraceServiceRequest:
    return ExportTraceServiceRequest(resource_spans=[ResourceSpans(
        resource=Resource(attributes=kvs({"service.name": service})),
        scope_spans=[ScopeSpans(scope=InstrumentationScope(name=scope, version="1.0"), spans=list(spans))])])


# --- Prometheus text -------------------------------------------------------
_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def prom_samples(text: str):
    """[(name, {label: value}, float)] of a Prometheus text exposition."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if m:
            out.append((m.group(1), dict(_LABEL.findall(m.group(3) or "")), float(m.group(4))))
    return out


def prom_value(text, name, **labels) -> float:
    """Sum of the samples of `name` whose labels include `labels`."""
    return sum(v for n, l, v in prom_samples(text) if n == name and all(l.get(k) == x for k, x in labels.items()))


# --- prices ----------------------------------------------------------------
_PRICES = None


def prices() -> dict:
    global _PRICES
    if _PRICES is None:
        _PRICES = json.loads(PRICES_PATH.read_text())
    return _PRICES


def expected_cost(tokens: dict, entry: str) -> dict:
    """Nano-dollars per token type, as the test computes them itself:
    round(tokens * usd_per_token * 1e9) per type. Cache writes at the
    5-minute price; reasoning at the output price unless the model has its
    own reasoning price; a cache price the model lacks falls back to input."""
    p = prices()[entry]
    inp = p["input_cost_per_token"]
    out = p.get("output_cost_per_token", 0.0)
    rate = {"input": inp,
            "cache_read": p.get("cache_read_input_token_cost", inp),
            "cache_write": p.get("cache_creation_input_token_cost", inp),
            "output": out,
            "reasoning": p.get("output_cost_per_reasoning_token", out)}
    nanos = {k: round((tokens.get(k) or 0) * rate[k] * 1e9) for k in TOKEN_KEYS}
    nanos["total"] = sum(nanos[k] for k in TOKEN_KEYS)
    return nanos


def assert_cost(call: dict, tokens: dict, entry: str):
    want = expected_cost(tokens, entry)
    cost = call["cost"]
    assert cost["source"] == "catalog", f"cost source {cost['source']!r}, want catalog: {cost}"
    for k in TOKEN_KEYS:
        got = cost.get(f"{k}_nanos") or 0
        assert abs(got - want[k]) <= 1, f"{k}_nanos = {got}, want {want[k]} ({entry}, tokens {tokens})"
    assert cost["total_nanos"] is not None and abs(cost["total_nanos"] - want["total"]) <= len(TOKEN_KEYS), \
        f"total_nanos = {cost['total_nanos']}, want {want['total']} ({entry}, tokens {tokens})"


def assert_tokens(call: dict, want: dict):
    got = call["tokens"]
    for k in TOKEN_KEYS:
        if want.get(k) is None:
            assert got.get(k) in (None, 0), f"tokens.{k} = {got.get(k)}, want unset: {got}"
        else:
            assert got.get(k) == want[k], f"tokens.{k} = {got.get(k)}, want {want[k]}: {got}"
    if want.get("total") is not None:
        assert got.get("total") == want["total"], f"tokens.total = {got.get('total')}, want {want['total']}"


# --- the server ------------------------------------------------------------
@dataclass
class Loupe:
    proc: object
    grpc: str
    http: str
    metrics: str
    api: str
    log_path: Path

    def log_tail(self, n=4000) -> str:
        try:
            return self.log_path.read_bytes()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def ready(self) -> bool:
        try:
            return get(self.api, "/readyz", timeout=2).status == 200
        except OSError:
            return False

    def post_traces(self, body: bytes, content_type="application/x-protobuf", headers=None, **kw) -> Reply:
        h = {"Content-Type": content_type, **(headers or {})}
        return http_request(self.http, "POST", "/v1/traces", body, h, **kw)

    def post_logs(self, body: bytes, content_type="application/x-protobuf") -> Reply:
        return http_request(self.http, "POST", "/v1/logs", body, {"Content-Type": content_type})

    def recent_calls(self, limit=1000) -> list:
        r = get(self.api, f"/api/v1/llm-calls/recent?limit={limit}")
        assert r.status == 200, f"/api/v1/llm-calls/recent answered {r.status}: {r.body[:300]!r}"
        return r.json()["calls"]

    def find_call(self, span_id_hex: str):
        for c in self.recent_calls():
            if c["span_id"] == span_id_hex:
                return c
        return None

    def wait_call(self, span_id_hex: str, timeout=WAIT_S, what=None) -> dict:
        return wait_for(lambda: self.find_call(span_id_hex), timeout, what or f"LLM call for span {span_id_hex}")

    def metrics_text(self, on="api") -> str:
        r = get(self.api if on == "api" else self.metrics, "/metrics")
        assert r.status == 200, f"{on} /metrics answered {r.status}"
        return r.body.decode()

    def assert_good_span_flows(self):
        span = llm_span(model="gpt-4o-mini", input_tokens=11, output_tokens=7)
        r = self.post_traces(trace_request([span]).SerializeToString())
        assert r.status == 200, f"a good request got {r.status}: {r.body[:300]!r}"
        call = self.wait_call(span.span_id.hex())
        assert call["tokens"]["input"] == 11 and call["tokens"]["output"] == 7


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data)
