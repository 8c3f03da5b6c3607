"""(e) OTLP/gRPC with grpcio and the generated stubs of opentelemetry-proto:
a request with one span of a 7-byte span id among good ones is a partial
success (rejected_spans = 1), and the good spans are kept."""
from __future__ import annotations

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc

from helpers import llm_span, new_ids, prom_value, trace_request, wait_for


def test_grpc_bad_span_id_is_partial_success(loupe, still_serving):
    before = prom_value(loupe.metrics_text(), "loupe_receiver_refused_spans_total", protocol="grpc")
    accepted_before = prom_value(loupe.metrics_text(), "loupe_receiver_accepted_spans_total", protocol="grpc")
    good1, good2 = llm_span(), llm_span()
    trace_id, _ = new_ids()
    bad = llm_span(trace_id=trace_id, span_id=b"\xaa" * 7)
    with grpc.insecure_channel(loupe.grpc) as channel:
        stub = trace_service_pb2_grpc.TraceServiceStub(channel)
        resp = stub.Export(trace_request([good1, bad, good2], service="e2e-grpc"), timeout=10)
    assert resp.partial_success.rejected_spans == 1, resp
    assert resp.partial_success.error_message
    for span in (good1, good2):
        call = loupe.wait_call(span.span_id.hex())
        assert call["service"] == "e2e-grpc"
    wait_for(lambda: prom_value(loupe.metrics_text(), "loupe_receiver_refused_spans_total",
                                protocol="grpc") >= before + 1, what="refused_spans_total{protocol=grpc} + 1")
    wait_for(lambda: prom_value(loupe.metrics_text(), "loupe_receiver_accepted_spans_total",
                                protocol="grpc") >= accepted_before + 2, what="accepted_spans_total{protocol=grpc} + 2")
    still_serving()


def test_grpc_all_good(loupe):
    spans = [llm_span(model="gpt-4o", input_tokens=10 + i, output_tokens=i) for i in range(5)]
    with grpc.insecure_channel(loupe.grpc) as channel:
        resp = trace_service_pb2_grpc.TraceServiceStub(channel).Export(trace_request(spans), timeout=10)
    assert resp.partial_success.rejected_spans == 0
    for i, span in enumerate(spans):
        assert loupe.wait_call(span.span_id.hex())["tokens"]["input"] == 10 + i
