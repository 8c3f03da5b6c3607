"""(d) Bad and unusual OTLP/HTTP input: each gets its documented answer
(../shared/reference/protocols.md, issue 2), and the server keeps serving:
after each, /readyz answers 200 and a good span still comes out of the API."""
from __future__ import annotations

import gzip
import json
import time
import zlib

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from helpers import llm_span, new_ids, prom_value, trace_request, wait_for

MiB = 1024 * 1024


def test_garbage_body_is_400(loupe, still_serving):
    r = loupe.post_traces(b"this is not a protobuf \xff\xfe\x00\x01 at all")
    assert r.status == 400, r
    assert r.body, "a 400 carries the reason (google.rpc.Status)"
    still_serving()


def test_truncated_protobuf_is_400(loupe, still_serving):
    body = trace_request([llm_span(), llm_span()]).SerializeToString()
    r = loupe.post_traces(body[: len(body) // 2])
    assert r.status == 400, r
    still_serving()


def test_wrong_content_type_is_415(loupe, still_serving):
    body = trace_request([llm_span()]).SerializeToString()
    r = loupe.post_traces(body, content_type="text/plain")
    assert r.status == 415, r
    still_serving()


def test_oversize_body_is_413(loupe, still_serving):
    span = llm_span(extra={"big": "a" * (21 * MiB)})
    body = trace_request([span]).SerializeToString()
    assert len(body) > 20 * MiB
    r = loupe.post_traces(body)
    assert r.status == 413, r
    assert loupe.find_call(span.span_id.hex()) is None
    still_serving()


def test_gzip_bomb_is_413(loupe, still_serving):
    z = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    chunk = b"\0" * MiB
    bomb = b"".join(z.compress(chunk) for _ in range(64)) + z.flush()  # 64 MiB inflated
    assert len(bomb) < MiB
    r = loupe.post_traces(bomb, headers={"Content-Encoding": "gzip"})
    assert r.status == 413, r
    still_serving()


def test_invalid_utf8_in_attribute_is_accepted_and_replaced(loupe, still_serving):
    placeholder = b"user-QQQQQQQQ"
    span = llm_span(extra={"user.id": placeholder.decode()})
    body = trace_request([span]).SerializeToString()
    assert body.count(placeholder) == 1
    bad = b"user-\xff\xfe\xc3\x28abcd"  # invalid UTF-8
    assert len(bad) == len(placeholder)  # same length keeps the protobuf framing valid
    body = body.replace(placeholder, bad)
    r = loupe.post_traces(body)
    assert r.status == 200, r
    call = loupe.wait_call(span.span_id.hex())
    assert call["user"].startswith("user-") and "\ufffd" in call["user"], call["user"]
    still_serving()


def test_ten_thousand_attributes_on_one_span(loupe, still_serving):
    span = llm_span(input_tokens=123, output_tokens=45, extra={f"junk.attr.{i}": i for i in range(10_000)})
    r = loupe.post_traces(trace_request([span]).SerializeToString())
    assert r.status == 200, r
    call = loupe.wait_call(span.span_id.hex())
    assert (call["tokens"]["input"], call["tokens"]["output"]) == (123, 45)
    still_serving()


def test_bad_span_id_is_partial_success(loupe, still_serving):
    before = prom_value(loupe.metrics_text(), "loupe_receiver_refused_spans_total", protocol="http")
    good1, good2 = llm_span(), llm_span()
    trace_id, _ = new_ids()
    bad = llm_span(trace_id=trace_id, span_id=b"\x01\x02\x03\x04\x05\x06\x07")  # 7 bytes
    r = loupe.post_traces(trace_request([good1, bad, good2]).SerializeToString())
    assert r.status == 200, r
    resp = ExportTraceServiceResponse.FromString(r.body)
    assert resp.partial_success.rejected_spans == 1, resp
    assert resp.partial_success.error_message
    loupe.wait_call(good1.span_id.hex())
    loupe.wait_call(good2.span_id.hex())
    wait_for(lambda: prom_value(loupe.metrics_text(), "loupe_receiver_refused_spans_total",
                                protocol="http") >= before + 1, what="refused_spans_total{protocol=http} + 1")
    still_serving()


def test_json_body(loupe, still_serving):
    trace_id, span_id = new_ids()
    now = time.time_ns()
    body = {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "e2e-json"}}]},
        "scopeSpans": [{"scope": {"name": "e2e.json", "version": "1"}, "spans": [{
            "traceId": trace_id.hex(), "spanId": span_id.hex(), "name": "chat gpt-4o", "kind": 3,
            "startTimeUnixNano": str(now - 10**9), "endTimeUnixNano": now,  # string and number both valid
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
                {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "321"}},
                {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 54}},
            ],
            "unknownFieldIsIgnored": True,
        }]}]}]}
    r = loupe.post_traces(json.dumps(body).encode(), content_type="application/json")
    assert r.status == 200, r
    assert r.headers.get("content-type", "").startswith("application/json")
    call = loupe.wait_call(span_id.hex())
    assert (call["service"], call["request_model"]) == ("e2e-json", "gpt-4o")
    assert (call["tokens"]["input"], call["tokens"]["output"]) == (321, 54)
    still_serving()


def test_gzip_body(loupe, still_serving):
    span = llm_span(input_tokens=77, output_tokens=8)
    r = loupe.post_traces(gzip.compress(trace_request([span]).SerializeToString()),
                          headers={"Content-Encoding": "gzip"})
    assert r.status == 200, r
    assert loupe.wait_call(span.span_id.hex())["tokens"]["input"] == 77
    still_serving()


def test_chunked_transfer_encoding(loupe, still_serving):
    span = llm_span(input_tokens=88, output_tokens=9, extra={"padding": "p" * 5000})
    r = loupe.post_traces(trace_request([span]).SerializeToString(), chunked=True)
    assert r.status == 200, r
    assert loupe.wait_call(span.span_id.hex())["tokens"]["input"] == 88
    still_serving()
