#include "auth/routes.h"

namespace loupe::auth {

namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

RoutePolicy ApiRoutes(bool metrics_open) {
  return [metrics_open](std::string_view method, std::string_view path) -> std::optional<Scope> {
    if (path == "/healthz" || path == "/readyz") return std::nullopt;
    if (path == "/metrics") return metrics_open ? std::nullopt : std::optional(Scope::kRead);
    // CORS preflights carry no credentials by design; they change nothing.
    if (method == "OPTIONS") return std::nullopt;
    const bool reading = method == "GET" || method == "HEAD";
    if (StartsWith(path, "/api/")) {
      if (reading) return Scope::kRead;
      // Scores and other writes are admin too until a narrower role exists:
      // a read token must never change stored data.
      return Scope::kAdmin;
    }
    // Outside /api/: static UI files are open; anything that is not a read
    // (e.g. a /-/reload endpoint) is an admin action.
    if (reading) return std::nullopt;
    return Scope::kAdmin;
  };
}

RoutePolicy IngestRoutes() {
  return [](std::string_view, std::string_view) -> std::optional<Scope> { return Scope::kIngest; };
}

}  // namespace loupe::auth
