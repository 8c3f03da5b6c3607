#include "ingest/config.h"

#include <charconv>

namespace loupe::ingest {

Result<HostPort> ParseHostPort(std::string_view addr, std::string_view key) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(std::string(key) + ": '" + std::string(addr) + "' " +
                                   std::string(why) + " (want host:port, e.g. 127.0.0.1:4318)");
  };
  size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos) return bad("has no port");
  std::string_view host = addr.substr(0, colon);
  std::string_view port = addr.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad("has an IPv6 host without [brackets]");
  }
  if (host.empty()) return bad("has no host");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return bad("has an invalid port");
  }
  return HostPort{std::string(host), static_cast<uint16_t>(value)};
}

Status PipelineConfig::Validate() const {
  if (max_queue_batches == 0) {
    return Status::InvalidArgument("pipeline.max_queue_batches: must be at least 1");
  }
  if (max_queue_bytes == 0) {
    return Status::InvalidArgument("pipeline.max_queue_bytes: must be at least 1");
  }
  if (max_group_batches == 0) {
    return Status::InvalidArgument("pipeline.max_group_batches: must be at least 1");
  }
  return Status::Ok();
}

Status HttpServerConfig::Validate(std::string_view prefix) const {
  std::string p(prefix);
  auto r = ParseHostPort(addr, p + ".addr");
  if (!r.ok()) return r.status();
  if (threads < 1 || threads > 64) return Status::InvalidArgument(p + ".threads: must be 1..64");
  if (max_connections == 0) {
    return Status::InvalidArgument(p + ".max_connections: must be at least 1");
  }
  if (max_header_bytes < 1024) {
    return Status::InvalidArgument(p + ".max_header_bytes: must be at least 1024");
  }
  if (max_body_bytes == 0) {
    return Status::InvalidArgument(p + ".max_body_bytes: must be at least 1");
  }
  if (read_timeout_seconds < 1) {
    return Status::InvalidArgument(p + ".read_timeout_seconds: must be at least 1");
  }
  if (idle_timeout_seconds < 1) {
    return Status::InvalidArgument(p + ".idle_timeout_seconds: must be at least 1");
  }
  if (shutdown_grace_seconds < 0) {
    return Status::InvalidArgument(p + ".shutdown_grace_seconds: must not be negative");
  }
  return Status::Ok();
}

Status ReceiverConfig::Validate() const {
  if (grpc_enabled) {
    auto r = ParseHostPort(grpc_addr, "receivers.otlp_grpc.addr");
    if (!r.ok()) return r.status();
  }
  if (max_body_bytes < 1024 || max_body_bytes > (size_t{1} << 30)) {
    return Status::InvalidArgument(
        "receivers.otlp_http.max_body_bytes: must be between 1 KiB and 1 GiB");
  }
  if (retry_after_seconds < 1 || retry_after_seconds > 3600) {
    return Status::InvalidArgument("receivers.retry_after_seconds: must be 1..3600");
  }
  if (http_enabled) return HttpServer().Validate("receivers.otlp_http");
  return Status::Ok();
}

HttpServerConfig ReceiverConfig::HttpServer() const {
  HttpServerConfig c;
  c.addr = http_addr;
  c.threads = http_threads;
  c.max_connections = http_max_connections;
  c.max_body_bytes = max_body_bytes;
  c.read_timeout_seconds = http_read_timeout_seconds;
  return c;
}

}  // namespace loupe::ingest
