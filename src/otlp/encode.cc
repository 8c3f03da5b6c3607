// Response bodies: Export*ServiceResponse for accepted requests and
// google.rpc.Status for errors, in the encoding of the request.
#include <cstdio>

#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/decode.h"
#include "otlp/utf8.h"

namespace loupe::otlp {
namespace {

namespace pb_trace = opentelemetry::proto::collector::trace::v1;
namespace pb_logs = opentelemetry::proto::collector::logs::v1;
namespace pb_metrics = opentelemetry::proto::collector::metrics::v1;

// Messages are built from client data (span names); protobuf `string`
// fields and JSON both need valid UTF-8.
std::string Utf8(std::string_view s) {
  std::string out;
  SanitizeUtf8(s, &out);
  return out;
}

// Appends s as a JSON string literal. REQUIRES: s is valid UTF-8.
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          *out += buf;
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// {"partialSuccess":{"<count_key>":"N","errorMessage":"..."}} or {}.
std::string PartialSuccessJson(std::string_view count_key, int64_t rejected, std::string_view message) {
  if (rejected == 0 && message.empty()) return "{}";
  std::string out = "{\"partialSuccess\":{\"";
  out += count_key;
  out += "\":\"" + std::to_string(rejected) + "\",\"errorMessage\":";
  AppendJsonString(Utf8(message), &out);
  out += "}}";
  return out;
}

}  // namespace

std::string EncodeTraceResponse(int64_t rejected_spans, std::string_view message, Encoding encoding) {
  if (encoding == Encoding::kJson) return PartialSuccessJson("rejectedSpans", rejected_spans, message);
  pb_trace::ExportTraceServiceResponse response;
  if (rejected_spans != 0 || !message.empty()) {
    response.mutable_partial_success()->set_rejected_spans(rejected_spans);
    response.mutable_partial_success()->set_error_message(Utf8(message));
  }
  return response.SerializeAsString();
}

std::string EncodeLogsResponse(int64_t rejected, std::string_view message, Encoding encoding) {
  if (encoding == Encoding::kJson) return PartialSuccessJson("rejectedLogRecords", rejected, message);
  pb_logs::ExportLogsServiceResponse response;
  if (rejected != 0 || !message.empty()) {
    response.mutable_partial_success()->set_rejected_log_records(rejected);
    response.mutable_partial_success()->set_error_message(Utf8(message));
  }
  return response.SerializeAsString();
}

std::string EncodeMetricsResponse(int64_t rejected, std::string_view message, Encoding encoding) {
  if (encoding == Encoding::kJson) return PartialSuccessJson("rejectedDataPoints", rejected, message);
  pb_metrics::ExportMetricsServiceResponse response;
  if (rejected != 0 || !message.empty()) {
    response.mutable_partial_success()->set_rejected_data_points(rejected);
    response.mutable_partial_success()->set_error_message(Utf8(message));
  }
  return response.SerializeAsString();
}

std::string EncodeRpcStatus(int grpc_code, std::string_view message, Encoding encoding) {
  if (encoding == Encoding::kJson) {
    std::string out = "{\"code\":" + std::to_string(grpc_code) + ",\"message\":";
    AppendJsonString(Utf8(message), &out);
    out += "}";
    return out;
  }
  google::rpc::Status status;
  status.set_code(grpc_code);
  status.set_message(Utf8(message));
  return status.SerializeAsString();
}

}  // namespace loupe::otlp
