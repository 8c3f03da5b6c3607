// Fan-out configuration (`fanout.endpoints[]` in loupe.yaml): where Loupe
// forwards the spans it received, how, and which ones. Defaults are
// documented here and in docs/fanout.md; Validate() names the key path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace loupe::fanout {

enum class Protocol { kGrpc, kHttpProtobuf, kHttpJson };

// "grpc", "http/protobuf", "http/json" (the OTel exporter's spelling).
Result<Protocol> ParseProtocol(std::string_view text);
std::string_view ProtocolName(Protocol protocol);

// Which spans an endpoint receives.
struct EndpointFilter {
  enum class Kind { kAll, kLlmOnly, kAttribute };
  Kind kind = Kind::kAll;           // filter.kind: all | llm_only | attribute
  std::string attribute_key;        // filter.attribute.key (span, then resource attribute)
  std::string attribute_value;      // filter.attribute.value, compared as text
};

// fanout.endpoints[i]
struct EndpointConfig {
  std::string name;  // metrics label and disk directory; [A-Za-z0-9_.-]+
  // http(s)://host:port[/path]. HTTP: a URL without a path gets /v1/traces
  // appended. gRPC: the path is ignored; https means TLS.
  std::string endpoint;
  Protocol protocol = Protocol::kHttpProtobuf;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. authorization
  bool gzip = false;
  bool tls_insecure = false;  // tls.insecure_skip_verify: accept any server certificate
  std::string tls_ca_file;    // tls.ca_file: PEM bundle to verify the server with
  EndpointFilter filter;
  double timeout_seconds = 10;           // per request
  size_t max_batch_bytes = 4u << 20;     // queued payload bytes sent per request (at least one entry)
  int64_t max_queue_bytes = 1ll << 30;   // disk queue bound; oldest dropped beyond it
  double initial_backoff_seconds = 1;    // retry.initial_backoff
  double max_backoff_seconds = 30;       // retry.max_backoff
  bool fsync = true;                     // queue survives power loss, not only a killed process

  // `prefix` is the key path, e.g. "fanout.endpoints[0]".
  Status Validate(std::string_view prefix) const;
};

// fanout.*
struct FanoutConfig {
  std::vector<EndpointConfig> endpoints;

  // Each endpoint's Validate(), plus unique names.
  Status Validate() const;
};

}  // namespace loupe::fanout
