// Transport: sends one ExportTraceServiceRequest to an endpoint, over
// OTLP/HTTP (libcurl; protobuf or JSON body) or OTLP/gRPC, and says what
// came of it (see retry.h). Blocking, bounded by the endpoint's timeout.
// One transport belongs to one sender thread: not thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "common/result.h"
#include "fanout/config.h"
#include "fanout/retry.h"

namespace loupe::fanout {

class Transport {
 public:
  virtual ~Transport() = default;
  // `request` is protobuf ExportTraceServiceRequest bytes (possibly several
  // concatenated); the transport re-encodes it for its protocol.
  virtual SendResult Send(std::string_view request) = 0;
};

// REQUIRES: config.Validate() is OK.
Result<std::unique_ptr<Transport>> MakeTransport(const EndpointConfig& config);

// The URL an HTTP exporter posts to: `endpoint` with /v1/traces appended
// when it has no path.
std::string HttpTracesUrl(std::string_view endpoint);

// gzip of `in` (Content-Encoding: gzip).
std::string GzipCompress(std::string_view in);

}  // namespace loupe::fanout
