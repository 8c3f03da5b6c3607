// Which token each route of a listener needs. A policy is a plain function
// of method and path so it covers routes that other modules register later
// (the query API, scores, alert rules) without each of them knowing auth.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "auth/authenticator.h"

namespace loupe::auth {

// nullopt: open, no token needed.
using RoutePolicy =
    std::function<std::optional<Scope>(std::string_view method, std::string_view path)>;

// The API and metrics ports:
// - open: /healthz and /readyz (orchestrators probe them without secrets and
//   they reveal nothing but up/down), /metrics when `metrics_open` (see
//   AuthConfig::metrics_open), OPTIONS (CORS preflights carry no
//   credentials), and GET/HEAD of paths outside /api/ (the UI's static
//   files, which hold no data: the UI's own API calls carry the token);
// - read: GET/HEAD under /api/ (and /metrics when not open);
// - admin: every other method, anywhere: POST/DELETE on /api/v1/admin/*,
//   /api/v1/users/*, reload endpoints, and also POST /api/v1/scores and any
//   write added later, because a read token must never change stored data.
RoutePolicy ApiRoutes(bool metrics_open);

// An OTLP listener: every route needs an ingest token.
RoutePolicy IngestRoutes();

}  // namespace loupe::auth
