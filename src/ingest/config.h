// Receiver and pipeline configuration, with documented defaults. The server
// parses YAML (`receivers.*`, `pipeline.*`) into these and calls Validate(),
// which names the offending key path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"

namespace loupe::ingest {

// Splits "host:port" (IPv6 as "[::1]:port"); port 0 means "any free port".
// InvalidArgument naming `key` when malformed.
struct HostPort {
  std::string host;
  uint16_t port = 0;
};
Result<HostPort> ParseHostPort(std::string_view addr, std::string_view key);

// pipeline.*
struct PipelineConfig {
  size_t max_queue_batches = 1024;         // pipeline.max_queue_batches
  size_t max_queue_bytes = 256u << 20;     // pipeline.max_queue_bytes (estimated memory)
  size_t max_group_batches = 64;           // pipeline.max_group_batches (group commit size)

  Status Validate() const;
};

// http server limits shared by every port served with HttpServer.
struct HttpServerConfig {
  std::string addr = "127.0.0.1:0";
  int threads = 2;
  size_t max_connections = 1024;
  size_t max_header_bytes = 64u << 10;
  size_t max_body_bytes = 20u << 20;  // on the wire, before decompression
  int read_timeout_seconds = 30;      // per request, header and body
  int idle_timeout_seconds = 60;      // keep-alive connection with no request
  int shutdown_grace_seconds = 10;    // waiting for in-flight answers

  // `prefix` is the config path of this struct, e.g. "receivers.otlp_http".
  Status Validate(std::string_view prefix) const;
};

// receivers.*
struct ReceiverConfig {
  bool grpc_enabled = true;                     // receivers.otlp_grpc.enabled
  std::string grpc_addr = "127.0.0.1:4317";     // receivers.otlp_grpc.addr
  bool http_enabled = true;                     // receivers.otlp_http.enabled
  std::string http_addr = "127.0.0.1:4318";     // receivers.otlp_http.addr
  // After decompression; the OTel Collector's default. Also gRPC's maximum
  // receive message size.
  size_t max_body_bytes = 20u << 20;            // receivers.otlp_http.max_body_bytes
  int retry_after_seconds = 5;                  // receivers.retry_after_seconds
  int http_threads = 2;                         // receivers.otlp_http.threads
  size_t http_max_connections = 1024;           // receivers.otlp_http.max_connections
  int http_read_timeout_seconds = 30;           // receivers.otlp_http.read_timeout_seconds

  Status Validate() const;
  // The HttpServerConfig the OTLP/HTTP receiver runs with.
  HttpServerConfig HttpServer() const;
};

}  // namespace loupe::ingest
