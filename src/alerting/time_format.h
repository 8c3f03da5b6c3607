// RFC 3339 times for alert payloads and links (UTC, "Z").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace loupe::alerting {

// "2025-06-15T10:00:00Z", or with milliseconds when not whole seconds.
std::string Rfc3339(uint64_t unix_nanos);
// Accepts "2025-06-15T10:00:00Z", fractions and +hh:mm offsets.
Result<uint64_t> ParseRfc3339(std::string_view text);
// Percent-encodes a query-string value.
std::string UrlEncode(std::string_view text);

}  // namespace loupe::alerting
