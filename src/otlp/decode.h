// OTLP wire formats: request bodies in, Loupe model types out; response
// bodies back. The HTTP receiver calls these with the raw body and the
// encoding its Content-Type names; nothing here includes protobuf, so
// callers stay light. Every function is thread-safe (no shared state).
//
// Errors: a body that cannot be decoded as a whole returns
// Status::InvalidArgument with a message naming what was wrong and where,
// e.g. "json: resourceSpans[0].scopeSpans[0].spans[2].traceId: not hex".
// Individually invalid items (bad id lengths) are left out and counted;
// the rest of the request is kept (OTLP partial success).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/batch.h"

namespace loupe::otlp {

// application/x-protobuf or application/json.
enum class Encoding { kProtobuf, kJson };

// Deepest AnyValue nesting (arrays in kvlists in arrays ...) accepted. A
// JSON body nested deeper is rejected as a whole; protobuf is bounded
// first by protobuf's own limit of 100 nested messages.
inline constexpr int kMaxAnyValueDepth = 64;

struct DecodedTraces {
  // Spans in request order, SpanRecord::llm unset; batch.logs empty. Spans
  // of one ResourceSpans share one Resource, of one ScopeSpans one Scope
  // (never null). Spans ending before they start have clock_skew set.
  model::Batch batch;
  int64_t rejected_spans = 0;     // individually invalid spans left out
  // Names the first few problems, e.g.
  // "span 3 (name \"x\"): span_id has 7 bytes, want 8". Empty when none.
  std::string rejection_message;
  int64_t sanitized_strings = 0;  // strings whose invalid UTF-8 became U+FFFD
};

struct DecodedLogs {
  // Log records in request order, each with shared, non-null resource and
  // scope. trace_id/span_id are zero when the record carries none.
  std::vector<model::LogRecord> logs;
  int64_t rejected_log_records = 0;  // ids of a wrong length
  std::string rejection_message;
  int64_t sanitized_strings = 0;
};

// Metrics have no consumer yet (a later issue gives them one): they are
// decoded, validated as a whole and counted.
struct DecodedMetrics {
  int64_t data_points = 0;           // across gauge, sum, histogram, exp. histogram, summary
  int64_t rejected_data_points = 0;  // always 0 for now
  std::string rejection_message;
};

// Decode an Export{Trace,Logs,Metrics}ServiceRequest body. An empty
// protobuf body is a valid empty request; an empty JSON body is not.
Result<DecodedTraces> DecodeTraces(std::string_view body, Encoding encoding);
Result<DecodedLogs> DecodeLogs(std::string_view body, Encoding encoding);
Result<DecodedMetrics> DecodeMetrics(std::string_view body, Encoding encoding);

// Export*ServiceResponse bodies in the request's encoding. With nothing
// rejected and no message, partial_success is left unset (full success).
// JSON int64 fields are written as decimal strings (proto3 JSON mapping).
std::string EncodeTraceResponse(int64_t rejected_spans, std::string_view message, Encoding encoding);
std::string EncodeLogsResponse(int64_t rejected, std::string_view message, Encoding encoding);
std::string EncodeMetricsResponse(int64_t rejected, std::string_view message, Encoding encoding);

// google.rpc.Status body for HTTP 4xx/5xx answers. grpc_code is the gRPC
// code number (3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE).
std::string EncodeRpcStatus(int grpc_code, std::string_view message, Encoding encoding);

// Inflates a gzip body (Content-Encoding: gzip; concatenated members are
// accepted). Output beyond max_output_bytes -> Status::TooLarge(
// "decompressed body exceeds N bytes"), detected as soon as the limit is
// passed, so gzip bombs cost at most max_output_bytes of memory and the
// time to inflate them. Corrupt or truncated -> InvalidArgument.
Result<std::string> Gunzip(std::string_view compressed, size_t max_output_bytes);

}  // namespace loupe::otlp
