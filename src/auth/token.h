// Bearer tokens as Loupe keeps them: SHA-256 digests, never the secret
// itself, compared in constant time.
//
// Why digests: a heap dump or a log of the config struct never shows a
// usable token, and every comparison is between two 32-byte values, so its
// time says nothing about the presented token's length or prefix.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace loupe::auth {

using TokenDigest = std::array<uint8_t, 32>;

// SHA-256 of `token`.
TokenDigest HashToken(std::string_view token);

// True when the digests are equal; the time taken does not depend on where
// they differ.
bool DigestEquals(const TokenDigest& a, const TokenDigest& b);

// The token of an Authorization header value "Bearer <token>" (scheme
// case-insensitive, surrounding spaces ignored). Returns false when the
// value is not a bearer credential or the token is empty.
bool ParseBearer(std::string_view header_value, std::string_view* token);

}  // namespace loupe::auth
