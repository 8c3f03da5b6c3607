#include "auth/bind_check.h"

#include <arpa/inet.h>

#include <cstring>

namespace loupe::auth {

namespace {

// The host part of "host:port" / "[v6]:port"; false when there is none.
bool HostOf(std::string_view addr, std::string* host) {
  size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view h = addr.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty()) return false;
  *host = std::string(h);
  return true;
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    static const unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (std::memcmp(v6.s6_addr, kLoopback, 16) == 0) return true;
    // IPv4-mapped ::ffff:127.x.y.z
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::memcmp(v6.s6_addr, kMapped, 12) == 0 && v6.s6_addr[12] == 127;
  }
  return false;  // a name other than localhost, or 0.0.0.0 / ::
}

std::vector<std::string> BindWarnings(const std::vector<ListenerInfo>& listeners) {
  std::vector<std::string> out;
  for (const ListenerInfo& l : listeners) {
    std::string host;
    if (!HostOf(l.addr, &host) || IsLoopbackHost(host)) continue;
    if (!l.tokens) {
      out.push_back(l.name + " listens on " + l.addr +
                    ", reachable from other machines, and requires no token: anyone who can "
                    "reach it can use it (set auth tokens, or bind 127.0.0.1)");
    } else if (!l.tls) {
      out.push_back(l.name + " listens on " + l.addr +
                    " and takes bearer tokens over plain text: anyone on the path can read "
                    "them (configure TLS for it)");
    }
  }
  return out;
}

}  // namespace loupe::auth
