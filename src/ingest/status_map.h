// The one place where a Status becomes an OTLP answer: HTTP status code,
// gRPC code, whether the client is told when to retry, and the reason label
// the refusal is counted under.
#pragma once

#include <string_view>

#include "common/status.h"

namespace loupe::ingest {

struct ProtocolAnswer {
  int http_status;    // 200, 400, 413, 500, 503
  int grpc_code;      // grpc::StatusCode values, kept as int to avoid gRPC headers
  bool retry_after;   // HTTP: send Retry-After
  bool retry_info;    // gRPC: attach google.rpc.RetryInfo to the status details
};

//   OK                -> 200 / OK
//   InvalidArgument   -> 400 / INVALID_ARGUMENT      (permanent)
//   TooLarge          -> 413 / RESOURCE_EXHAUSTED    (permanent: no RetryInfo)
//   ResourceExhausted -> 503 + Retry-After / UNAVAILABLE + RetryInfo (throttling)
//   Unavailable       -> 503 + Retry-After / UNAVAILABLE (retryable)
//   anything else     -> 500 / INTERNAL
ProtocolAnswer AnswerFor(const Status& status);

// The `reason` label a refusal is counted under: "decode_error",
// "too_large", "queue_full", "unavailable", "internal" ("" for OK).
std::string_view RefusalReason(const Status& status);

// gRPC code numbers used above (from the gRPC spec).
inline constexpr int kGrpcOk = 0;
inline constexpr int kGrpcInvalidArgument = 3;
inline constexpr int kGrpcResourceExhausted = 8;
inline constexpr int kGrpcInternal = 13;
inline constexpr int kGrpcUnavailable = 14;

}  // namespace loupe::ingest
