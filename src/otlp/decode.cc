// The decode entry points: protobuf bodies are parsed here (the messages
// then go through from_proto.cc, shared with the gRPC path); JSON bodies go
// to the JSON decoders.
#include "otlp/decode.h"

#include <google/protobuf/arena.h>

#include <climits>

#include "otlp/from_proto.h"
#include "otlp/json_decode.h"

namespace loupe::otlp {
namespace {

namespace pb_collector_trace = opentelemetry::proto::collector::trace::v1;
namespace pb_collector_logs = opentelemetry::proto::collector::logs::v1;
namespace pb_collector_metrics = opentelemetry::proto::collector::metrics::v1;

// Parses `body` into an arena-allocated message (faster for the many small
// messages of a request) and converts it.
template <typename Request>
auto ParseAndConvert(std::string_view body) -> Result<decltype(FromProto(std::declval<const Request&>()))> {
  if (body.size() > static_cast<size_t>(INT_MAX)) {
    return Status::TooLarge("protobuf: body of " + std::to_string(body.size()) + " bytes is over 2 GiB");
  }
  google::protobuf::Arena arena;
  Request* request = google::protobuf::Arena::CreateMessage<Request>(&arena);
  // ParseFromArray keeps protobuf's default limit of 100 nested messages,
  // the same limit the gRPC path parses with.
  if (!request->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return Status::InvalidArgument("protobuf: truncated or malformed " + Request::descriptor()->name() +
                                   " (or messages nested deeper than 100 levels)");
  }
  return FromProto(*request);
}

}  // namespace

Result<DecodedTraces> DecodeTraces(std::string_view body, Encoding encoding) {
  if (encoding == Encoding::kJson) return DecodeTracesJson(body);
  return ParseAndConvert<pb_collector_trace::ExportTraceServiceRequest>(body);
}

Result<DecodedLogs> DecodeLogs(std::string_view body, Encoding encoding) {
  if (encoding == Encoding::kJson) return DecodeLogsJson(body);
  return ParseAndConvert<pb_collector_logs::ExportLogsServiceRequest>(body);
}

Result<DecodedMetrics> DecodeMetrics(std::string_view body, Encoding encoding) {
  if (encoding == Encoding::kJson) return DecodeMetricsJson(body);
  return ParseAndConvert<pb_collector_metrics::ExportMetricsServiceRequest>(body);
}

}  // namespace loupe::otlp
