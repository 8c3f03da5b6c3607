// Conversion from already-parsed OTLP protobuf messages, for the gRPC
// receiver (gRPC hands it parsed requests). Includes the generated
// protobuf headers: keep it out of widely included headers.
//
// Semantics match DecodeTraces/DecodeLogs/DecodeMetrics in otlp/decode.h
// (the protobuf path of those calls these): invalid spans are left out and
// counted, strings are repaired to valid UTF-8 and counted. An AnyValue
// nested deeper than kMaxAnyValueDepth (only possible in a message built
// in memory: parsing stops at 100 nested messages) rejects its span or
// log record individually.
#pragma once

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/decode.h"

namespace loupe::otlp {

DecodedTraces FromProto(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request);
DecodedLogs FromProto(const opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest& request);
DecodedMetrics FromProto(const opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest& request);

}  // namespace loupe::otlp
