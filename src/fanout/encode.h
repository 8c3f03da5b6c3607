// Model -> OTLP trace requests, for forwarding: the inverse of
// otlp::DecodeTraces. Spans sharing a Resource (and Scope) object are
// grouped under one ResourceSpans (ScopeSpans), in first-seen order.
// Joined log records (Span::logs) are not part of a trace request and are
// not encoded. Thread-safe; protobuf stays inside encode.cc.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "model/span.h"

namespace loupe::fanout {

// ExportTraceServiceRequest, protobuf wire format. Serialized requests
// concatenate into one valid request (protobuf merges repeated fields),
// which is how the sender batches queued entries.
std::string EncodeTracesProtobuf(std::span<const model::Span* const> spans);

// ExportTraceServiceRequest, OTLP/JSON: lowerCamelCase keys, hex ids,
// int64 as decimal strings, enums as integers, bytes as base64.
std::string EncodeTracesJson(std::span<const model::Span* const> spans);

// Re-encodes a protobuf request (or several concatenated) as OTLP/JSON.
// InvalidArgument if `protobuf` does not parse.
Result<std::string> ProtobufToJson(std::string_view protobuf);

}  // namespace loupe::fanout
