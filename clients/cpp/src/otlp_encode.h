// SpanData -> an OTLP ExportTraceServiceRequest in protobuf bytes, per
// opentelemetry/proto/collector/trace/v1/trace_service.proto.
#ifndef LOUPE_CLIENT_OTLP_ENCODE_H_
#define LOUPE_CLIENT_OTLP_ENCODE_H_

#include <map>
#include <string>
#include <vector>

#include "loupe/span_data.h"

namespace loupe::client {

struct ResourceInfo {
  std::map<std::string, std::string> attributes;  // includes service.name
  std::string scope_name = "loupe_otel_client";
  std::string scope_version = "0.1.0";
};

// One ResourceSpans with one ScopeSpans holding all spans, in order.
std::string EncodeExportRequest(const ResourceInfo& resource, const std::vector<SpanData>& spans);

}  // namespace loupe::client

#endif  // LOUPE_CLIENT_OTLP_ENCODE_H_
