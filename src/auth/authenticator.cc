#include "auth/authenticator.h"

#include "metrics/registry.h"

namespace loupe::auth {

int Decision::http_status() const {
  switch (outcome) {
    case Outcome::kMissing:
    case Outcome::kInvalid:
      return 401;
    case Outcome::kForbidden:
      return 403;
    default:
      return 200;
  }
}

std::string Decision::challenge() const {
  if (outcome == Outcome::kMissing) return "Bearer realm=\"loupe\"";
  if (outcome == Outcome::kInvalid) {
    return "Bearer realm=\"loupe\", error=\"invalid_token\", error_description=\"" + message +
           "\"";
  }
  return "";
}

Authenticator::Authenticator(AuthConfig config, metrics::Registry* registry)
    : config_(std::move(config)), registry_(registry) {}

bool Authenticator::Required(Scope scope) const {
  return scope == Scope::kIngest ? !config_.ingest_tokens.empty() : !config_.api_tokens.empty();
}

void Authenticator::CountFailure(std::string_view listener, std::string_view reason) const {
  if (registry_ == nullptr) return;
  registry_
      ->GetCounter("loupe_auth_failures_total",
                   "Requests refused for a missing, unknown or insufficient bearer token.",
                   {{"listener", std::string(listener)}, {"reason", std::string(reason)}})
      .Inc();
}

Decision Authenticator::Check(std::string_view listener, Scope scope,
                              std::string_view authorization) const {
  Decision d;
  if (!Required(scope)) return d;
  const auto& tokens = scope == Scope::kIngest ? config_.ingest_tokens : config_.api_tokens;
  const std::string_view kind = scope == Scope::kIngest ? "ingest" : "API";
  bool blank = authorization.find_first_not_of(" \t") == std::string_view::npos;
  std::string_view token;
  if (blank) {
    d.outcome = Outcome::kMissing;
    d.message = "missing bearer token: send 'Authorization: Bearer <" + std::string(kind) +
                " token>'";
    CountFailure(listener, "missing");
    return d;
  }
  if (!ParseBearer(authorization, &token)) {
    d.outcome = Outcome::kInvalid;
    d.message = "malformed Authorization header: want 'Bearer <token>'";
    CountFailure(listener, "invalid");
    return d;
  }
  // Every entry is compared, match or not, so the time taken does not tell
  // which (or whether an earlier) entry matched.
  const TokenDigest digest = HashToken(token);
  const TokenEntry* match = nullptr;
  for (const TokenEntry& e : tokens) {
    if (DigestEquals(e.digest, digest) && match == nullptr) match = &e;
  }
  if (match == nullptr) {
    d.outcome = Outcome::kInvalid;
    d.message = "unknown token: not one of the configured " + std::string(kind) + " tokens";
    CountFailure(listener, "invalid");
    return d;
  }
  d.name = match->name;
  d.role = match->role;
  if (scope == Scope::kAdmin && match->role != Role::kAdmin) {
    d.outcome = Outcome::kForbidden;
    d.message = "token '" + match->name + "' has role read; this route needs an admin token";
    CountFailure(listener, "forbidden");
    return d;
  }
  d.outcome = Outcome::kOk;
  return d;
}

}  // namespace loupe::auth
