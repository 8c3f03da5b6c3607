#include "auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>

namespace loupe::auth {

TokenDigest HashToken(std::string_view token) {
  TokenDigest out{};
  unsigned int len = 0;
  // EVP_Digest cannot fail for SHA-256 short of memory exhaustion; the
  // all-zero digest then matches no configured token (each is hashed the
  // same way, and a zero digest is rejected when tokens are added).
  EVP_Digest(token.data(), token.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

bool DigestEquals(const TokenDigest& a, const TokenDigest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool ParseBearer(std::string_view v, std::string_view* token) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  v = trim(v);
  constexpr std::string_view kScheme = "bearer";
  if (v.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(v[i])) != kScheme[i]) return false;
  }
  if (!std::isspace(static_cast<unsigned char>(v[kScheme.size()]))) return false;
  std::string_view t = trim(v.substr(kScheme.size()));
  if (t.empty()) return false;
  for (char c : t) {
    if (std::isspace(static_cast<unsigned char>(c))) return false;
  }
  *token = t;
  return true;
}

}  // namespace loupe::auth
