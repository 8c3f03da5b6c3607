#include "fanout/config.h"

#include <set>

namespace loupe::fanout {

Result<Protocol> ParseProtocol(std::string_view text) {
  if (text == "grpc") return Protocol::kGrpc;
  if (text == "http/protobuf") return Protocol::kHttpProtobuf;
  if (text == "http/json") return Protocol::kHttpJson;
  return Status::InvalidArgument("unknown protocol \"" + std::string(text) +
                                 "\" (want grpc, http/protobuf or http/json)");
}

std::string_view ProtocolName(Protocol protocol) {
  switch (protocol) {
    case Protocol::kGrpc: return "grpc";
    case Protocol::kHttpProtobuf: return "http/protobuf";
    case Protocol::kHttpJson: return "http/json";
  }
  return "?";
}

namespace {

bool ValidName(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Status Bad(std::string_view prefix, std::string_view key, std::string what) {
  return Status::InvalidArgument(std::string(prefix) + "." + std::string(key) + ": " + what);
}

}  // namespace

Status EndpointConfig::Validate(std::string_view prefix) const {
  if (!ValidName(name)) return Bad(prefix, "name", "must be non-empty letters, digits, '_', '-' or '.'");
  bool http = endpoint.starts_with("http://");
  bool https = endpoint.starts_with("https://");
  if (!http && !https) return Bad(prefix, "endpoint", "must start with http:// or https:// (got \"" + endpoint + "\")");
  std::string_view rest = std::string_view(endpoint).substr(http ? 7 : 8);
  if (rest.empty() || rest.front() == '/') return Bad(prefix, "endpoint", "has no host");
  for (const auto& [k, v] : headers) {
    if (k.empty() || k.find_first_of(" :\r\n") != std::string::npos) {
      return Bad(prefix, "headers", "invalid header name \"" + k + "\"");
    }
    if (v.find_first_of("\r\n") != std::string::npos) return Bad(prefix, "headers." + k, "contains a line break");
  }
  if (filter.kind == EndpointFilter::Kind::kAttribute && filter.attribute_key.empty()) {
    return Bad(prefix, "filter.attribute.key", "is required when filter.kind is attribute");
  }
  if (!(timeout_seconds > 0)) return Bad(prefix, "timeout", "must be > 0");
  if (max_batch_bytes < 1024) return Bad(prefix, "max_batch_bytes", "must be at least 1024");
  if (max_queue_bytes < static_cast<int64_t>(max_batch_bytes)) {
    return Bad(prefix, "max_queue_bytes", "must be at least max_batch_bytes");
  }
  if (!(initial_backoff_seconds > 0)) return Bad(prefix, "retry.initial_backoff", "must be > 0");
  if (max_backoff_seconds < initial_backoff_seconds) {
    return Bad(prefix, "retry.max_backoff", "must be >= retry.initial_backoff");
  }
  return Status::Ok();
}

Status FanoutConfig::Validate() const {
  std::set<std::string> names;
  for (size_t i = 0; i < endpoints.size(); ++i) {
    std::string prefix = "fanout.endpoints[" + std::to_string(i) + "]";
    LOUPE_RETURN_IF_ERROR(endpoints[i].Validate(prefix));
    if (!names.insert(endpoints[i].name).second) {
      return Status::InvalidArgument(prefix + ".name: \"" + endpoints[i].name + "\" is used twice");
    }
  }
  return Status::Ok();
}

}  // namespace loupe::fanout
