// UTF-8 repair. OTLP strings must be UTF-8, but real emitters send
// truncated multi-byte characters (a prompt cut at a byte limit) and raw
// binary. Loupe keeps the data and replaces each invalid sequence with
// U+FFFD instead of failing the request. Internal to otlp/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace loupe::otlp {

// The length of the valid UTF-8 sequence starting at p[0] (1..4), or 0 when
// it is invalid; then *bad is set to the length of the maximal invalid
// subpart (>= 1), the bytes one U+FFFD replaces (Unicode 15, section 3.9).
// REQUIRES: n >= 1.
size_t Utf8SequenceLength(const unsigned char* p, size_t n, size_t* bad);

bool IsValidUtf8(std::string_view s);

// Copies `in` to *out, replacing invalid sequences with U+FFFD. Returns true
// when anything was replaced.
bool SanitizeUtf8(std::string_view in, std::string* out);

// Cuts s to at most max_bytes without splitting a UTF-8 sequence.
// REQUIRES: s is valid UTF-8.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

}  // namespace loupe::otlp
