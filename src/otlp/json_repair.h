// Pre-pass for OTLP/JSON bodies that simdjson rejects for their text
// encoding: invalid UTF-8 inside strings, and lone UTF-16 surrogate escapes
// ("\ud83d" from a JavaScript string cut inside an emoji). Both are
// replaced with U+FFFD so that one bad string does not lose the request.
// Internal to otlp/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loupe::otlp {

// Writes the repaired body to *out and returns the number of JSON strings
// that changed. Bytes outside strings are copied as they are (they are a
// syntax error either way).
int64_t RepairJsonStrings(std::string_view in, std::string* out);

// A readable parse error for a body simdjson rejected: "line L, column C:
// <what>" when the location can be found, else "". Uses nlohmann's SAX
// parser, which reports positions; only called on the error path.
std::string LocateJsonSyntaxError(std::string_view body);

}  // namespace loupe::otlp
