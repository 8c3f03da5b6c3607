// Query-string parsing for the API: one table per endpoint lists the
// parameters it takes and how each is read, so every endpoint rejects bad
// input the same way (400 naming the parameter and what was expected)
// and the OpenAPI test can compare the tables with the document.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace loupe::api {

// A rejected parameter: which one, and a message saying what was
// expected and what was sent.
struct ParamError {
  std::string parameter;
  std::string message;
};

// Splits "a=1&b=x%20y" into decoded (name, value) pairs, in order.
// '+' decodes to a space. A malformed %-escape is an error naming the
// parameter.
std::optional<ParamError> DecodeQuery(std::string_view raw,
                                      std::vector<std::pair<std::string, std::string>>* out);

// Reads a time as RFC 3339 ("2025-06-15T10:00:00Z", offsets and
// fractions allowed), as a relative age before `now_ns` ("7d", "90m",
// "1h30m"; units s m h d w), as "now", or as Unix nanoseconds.
// Returns Unix nanoseconds.
Result<uint64_t> ParseTime(std::string_view text, uint64_t now_ns);
// Reads a duration like "1h", "15m", "1d", "1h30m" into nanoseconds (> 0).
Result<uint64_t> ParseDuration(std::string_view text);
// "2025-06-15T10:00:00Z" (fraction only when not whole seconds).
std::string FormatRfc3339(uint64_t unix_nanos);

// One endpoint's parameter table. Each Add* names a parameter, says what
// it expects (for the 400 message and for tests) and where the value goes.
class ParamTable {
 public:
  // Returns false when the value is bad; the table reports `expected`.
  using Setter = std::function<bool(std::string_view value)>;

  explicit ParamTable(uint64_t now_ns) : now_ns_(now_ns) {}

  ParamTable& String(std::string name, std::string* out);
  ParamTable& Time(std::string name, uint64_t* out);
  ParamTable& Duration(std::string name, uint64_t* out_ns);
  ParamTable& Count(std::string name, size_t* out, size_t min, size_t max);
  ParamTable& Decimal(std::string name, std::optional<double>* out);  // >= 0
  // Nanoseconds from a non-negative number of milliseconds ("1500", "2.5").
  ParamTable& Millis(std::string name, uint64_t* out_ns);
  // Nano-dollars from a decimal USD amount (>= 0).
  ParamTable& Usd(std::string name, std::optional<int64_t>* out_nanos);
  ParamTable& OneOf(std::string name, std::vector<std::string> choices, std::string* out);
  // A comma-separated list, each item one of `choices`; may repeat.
  ParamTable& ListOf(std::string name, std::vector<std::string> choices,
                     std::vector<std::string>* out);
  // A parameter the API knows but cannot answer yet: 400 with `why`.
  ParamTable& Unsupported(std::string name, std::string why);
  ParamTable& Custom(std::string name, std::string expected, Setter set);

  // Applies the query string. The first bad, unknown or repeated
  // parameter is returned as an error.
  std::optional<ParamError> Apply(std::string_view raw_query) const;

  // Parameter names in table order (the OpenAPI test reads them).
  std::vector<std::string> names() const;

 private:
  struct Param {
    std::string name;
    std::string expected;
    Setter set;
    bool repeatable = false;
    std::string unsupported;  // non-empty: known but not answerable yet, and why
  };
  ParamTable& Add(std::string name, std::string expected, Setter set, bool repeatable = false);

  uint64_t now_ns_;
  std::vector<Param> params_;
};

}  // namespace loupe::api
