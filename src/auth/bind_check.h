// The start-up check behind "binding elsewhere than 127.0.0.1 without tokens
// logs a warning": the server lists its listeners, this says which are
// reachable from other machines yet open to anyone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loupe::auth {

struct ListenerInfo {
  std::string name;   // "receivers.otlp_grpc", "server.api", ...
  std::string addr;   // as configured: "0.0.0.0:4317", "[::1]:8080", "localhost:8080"
  bool tokens = false;  // a token is required on this listener's non-probe routes
  bool tls = false;     // the listener serves TLS
};

// True for 127.0.0.0/8, ::1, ::ffff:127.x and "localhost".
bool IsLoopbackHost(std::string_view host);

// One human-readable warning per listener that is bound to a non-loopback
// address without tokens, and per listener that takes tokens over plain
// text on a non-loopback address (the token can be sniffed). Empty when
// all is well. Unparseable addresses are skipped (config validation
// reports them).
std::vector<std::string> BindWarnings(const std::vector<ListenerInfo>& listeners);

}  // namespace loupe::auth
