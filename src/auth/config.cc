#include "auth/config.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <fstream>
#include <sstream>

#include "server/config_reader.h"

namespace loupe::auth {

std::string_view RoleName(Role role) { return role == Role::kAdmin ? "admin" : "read"; }

void AuthConfig::AddIngestToken(std::string_view token, std::string name) {
  if (name.empty()) name = "ingest[" + std::to_string(ingest_tokens.size()) + "]";
  ingest_tokens.push_back({std::move(name), Role::kRead, HashToken(token)});
}

void AuthConfig::AddApiToken(std::string_view token, Role role, std::string name) {
  if (name.empty()) name = "api[" + std::to_string(api_tokens.size()) + "]";
  api_tokens.push_back({std::move(name), role, HashToken(token)});
}

namespace {

std::string Trim(std::string s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// Reads one list item at `path` ("auth.api_tokens[2]"). Returns false (with
// an error recorded) when it names no usable token.
bool ReadEntry(server::ConfigReader& r, const std::string& path, bool api, std::string* token,
               TokenEntry* entry, bool* bare) {
  std::string inline_token, env, file, role = "read";
  r.GetString(path + ".token", &inline_token);
  r.GetString(path + ".token_env", &env);
  r.GetString(path + ".token_file", &file);
  r.GetString(path + ".name", &entry->name);
  if (api) r.GetString(path + ".role", &role);
  int sources = !inline_token.empty() + !env.empty() + !file.empty();
  if (sources == 0 && entry->name.empty() && role == "read") {
    // Not a mapping with token keys: a bare token string.
    size_t before = r.Errors().size();
    r.GetString(path, &inline_token);
    if (r.Errors().size() != before) {
      r.AddError(path + ": want a token string or a mapping with token, token_env or token_file");
      return false;
    }
    sources = !inline_token.empty();
    *bare = true;
  }
  if (sources != 1) {
    r.AddError(path + ": set exactly one of token, token_env or token_file");
    return false;
  }
  if (role == "admin") {
    entry->role = Role::kAdmin;
  } else if (role == "read") {
    entry->role = Role::kRead;
  } else {
    r.AddError(path + ".role: '" + role + "' is not a role (want read or admin)");
    return false;
  }
  if (!env.empty()) {
    const char* v = std::getenv(env.c_str());
    if (v == nullptr || *v == '\0') {
      r.AddError(path + ".token_env: environment variable " + env + " is not set or empty");
      return false;
    }
    *token = Trim(v);
  } else if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      r.AddError(path + ".token_file: cannot read " + file);
      return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    *token = Trim(ss.str());
  } else {
    *token = inline_token;
  }
  if (token->size() < kMinTokenLength) {
    r.AddError(path + ": token is shorter than " + std::to_string(kMinTokenLength) +
               " characters (make one with: openssl rand -hex 32)");
    return false;
  }
  return true;
}

void ReadList(server::ConfigReader& r, const std::string& key, bool api,
              std::vector<TokenEntry>* out) {
  size_t n = r.ListSize(key);
  std::vector<bool> bare(n, false);
  for (size_t i = 0; i < n; ++i) {
    std::string path = key + "[" + std::to_string(i) + "]";
    std::string token;
    TokenEntry entry;
    bool is_bare = false;
    bool ok = ReadEntry(r, path, api, &token, &entry, &is_bare);
    bare[i] = is_bare;
    if (!ok) continue;
    entry.digest = HashToken(token);
    if (entry.name.empty()) entry.name = (api ? "api[" : "ingest[") + std::to_string(i) + "]";
    bool duplicate = false;
    for (const TokenEntry& e : *out) duplicate |= DigestEquals(e.digest, entry.digest);
    if (duplicate) {
      r.AddError(path + ": the same token is listed twice");
      continue;
    }
    out->push_back(std::move(entry));
  }
  // The reader counts a list holding scalars as one leaf, which only a
  // whole-list read marks as known; that read also hides unknown keys of
  // the mapping items, so those are checked here instead.
  if (std::find(bare.begin(), bare.end(), true) == bare.end()) return;
  std::vector<std::map<std::string, std::string>> items;
  r.GetMapList(key, &items);
  for (size_t i = 0; i < items.size() && i < n; ++i) {
    if (bare[i]) continue;
    for (const auto& [k, v] : items[i]) {
      if (k != "token" && k != "token_env" && k != "token_file" && k != "name" &&
          !(api && k == "role")) {
        r.AddError(key + "[" + std::to_string(i) + "]." + k + ": unknown key");
      }
    }
  }
}

}  // namespace

void ReadAuthConfig(server::ConfigReader& reader, AuthConfig* out) {
  ReadList(reader, "auth.ingest_tokens", /*api=*/false, &out->ingest_tokens);
  ReadList(reader, "auth.api_tokens", /*api=*/true, &out->api_tokens);
  reader.GetBool("auth.metrics_open", &out->metrics_open);
}

}  // namespace loupe::auth
