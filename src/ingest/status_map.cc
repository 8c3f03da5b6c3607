#include "ingest/status_map.h"

namespace loupe::ingest {

ProtocolAnswer AnswerFor(const Status& status) {
  using C = Status::Code;
  switch (status.code()) {
    case C::kOk:
      return {200, kGrpcOk, false, false};
    case C::kInvalidArgument:
      return {400, kGrpcInvalidArgument, false, false};
    case C::kTooLarge:
      // OTLP: RESOURCE_EXHAUSTED without RetryInfo is not retried.
      return {413, kGrpcResourceExhausted, false, false};
    case C::kResourceExhausted:
      // OTLP throttling: 503 + Retry-After over HTTP, UNAVAILABLE + RetryInfo
      // over gRPC, so every exporter backs off and retries.
      return {503, kGrpcUnavailable, true, true};
    case C::kUnavailable:
      return {503, kGrpcUnavailable, true, false};
    default:
      return {500, kGrpcInternal, false, false};
  }
}

std::string_view RefusalReason(const Status& status) {
  using C = Status::Code;
  switch (status.code()) {
    case C::kOk:
      return "";
    case C::kInvalidArgument:
      return "decode_error";
    case C::kTooLarge:
      return "too_large";
    case C::kResourceExhausted:
      return "queue_full";
    case C::kUnavailable:
      return "unavailable";
    default:
      return "internal";
  }
}

}  // namespace loupe::ingest
