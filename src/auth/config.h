// AuthConfig: the bearer tokens Loupe accepts (`auth.*` in loupe.yaml), kept
// as SHA-256 digests (token.h). No tokens of a kind means that kind of
// listener is open, which is the default: Loupe listens on 127.0.0.1 unless
// told otherwise, and bind_check.h warns when that changes without tokens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/token.h"

namespace loupe::server {
class ConfigReader;
}

namespace loupe::auth {

// What an API token may do. kAdmin includes everything kRead may.
enum class Role { kRead, kAdmin };
std::string_view RoleName(Role role);  // "read" | "admin"

struct TokenEntry {
  std::string name;         // for logs and metrics; never the secret
  Role role = Role::kRead;  // API tokens only
  TokenDigest digest{};
};

struct AuthConfig {
  // auth.ingest_tokens: any one of them may send OTLP (gRPC metadata or
  // HTTP header `authorization: Bearer <token>`).
  std::vector<TokenEntry> ingest_tokens;
  // auth.api_tokens: read tokens may GET the API; admin tokens may also
  // change things (admin, users, reload routes).
  std::vector<TokenEntry> api_tokens;
  // auth.metrics_open: /metrics answers without a token even when API
  // tokens are set, so a Prometheus scrape config needs no secret. Loupe's
  // metrics carry counts and label values (team, feature, model), never
  // content; set false to require a read token.
  bool metrics_open = true;

  // For wiring and tests: hash `token` and add it. An empty `name` becomes
  // "ingest[i]" / "api[i]".
  void AddIngestToken(std::string_view token, std::string name = "");
  void AddApiToken(std::string_view token, Role role, std::string name = "");
};

// Tokens shorter than this are refused: a bearer token is the whole secret.
inline constexpr size_t kMinTokenLength = 16;

// Reads `auth.*`. Each list item is either a bare token string, or a
// mapping with exactly one of `token`, `token_env` (name of an environment
// variable holding it) or `token_file` (a file holding it; surrounding
// whitespace ignored), an optional `name` and, for api_tokens, `role`
// (read | admin, default read). Problems (unset variable, unreadable file,
// short or duplicate token, bad role) are recorded in `reader` with their
// key path; *out then holds the valid entries only.
void ReadAuthConfig(server::ConfigReader& reader, AuthConfig* out);

}  // namespace loupe::auth
