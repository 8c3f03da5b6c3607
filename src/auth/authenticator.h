// Authenticator: answers, for the Authorization value a request presented,
// whether it may go on. Shared by every listener (OTLP/HTTP, OTLP/gRPC,
// API, metrics); each passes its own name for the failure counter.
//
// Thread-safe after construction (read-only state, atomic counters).
#pragma once

#include <string>
#include <string_view>

#include "auth/config.h"

namespace loupe::metrics {
class Registry;
}

namespace loupe::auth {

// What a request needs.
enum class Scope {
  kIngest,  // an ingest token (OTLP)
  kRead,    // an API token of any role
  kAdmin,   // an API token with role admin
};

enum class Outcome {
  kNotRequired,  // no tokens of the needed kind are configured: open
  kOk,           // a known token with enough rights
  kMissing,      // no Authorization header (or an empty one)
  kInvalid,      // not a bearer credential, or an unknown token
  kForbidden,    // a known API token whose role is too low (read on admin)
};

struct Decision {
  Outcome outcome = Outcome::kNotRequired;
  Role role = Role::kRead;  // when kOk
  std::string name;         // the token's name when kOk or kForbidden
  std::string message;      // why not, for the client ("missing bearer token")

  bool allowed() const { return outcome == Outcome::kNotRequired || outcome == Outcome::kOk; }
  // 401 for kMissing/kInvalid, 403 for kForbidden, else 200.
  int http_status() const;
  // The value of WWW-Authenticate for a 401 (RFC 6750), else "".
  std::string challenge() const;
};

class Authenticator {
 public:
  // `registry` may be null (no metrics) and must outlive this object.
  Authenticator(AuthConfig config, metrics::Registry* registry);

  // Checks `authorization` (the header or metadata value as sent, "" when
  // absent) for `scope`. A failure increments
  // loupe_auth_failures_total{listener, reason=missing|invalid|forbidden}.
  Decision Check(std::string_view listener, Scope scope, std::string_view authorization) const;

  // Whether a request of this scope must present a token at all.
  bool Required(Scope scope) const;

  const AuthConfig& config() const { return config_; }

 private:
  void CountFailure(std::string_view listener, std::string_view reason) const;

  const AuthConfig config_;
  metrics::Registry* const registry_;
};

}  // namespace loupe::auth
