// LocateJsonSyntaxError, kept apart so nlohmann's header is compiled in
// one translation unit only.
#include <nlohmann/json.hpp>

#include <string>

#include "otlp/json_repair.h"
#include "otlp/utf8.h"

namespace loupe::otlp {
namespace {

// A SAX handler that accepts everything and remembers the first error.
struct ErrorFinder {
  std::string message;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(nlohmann::json::number_integer_t) { return true; }
  bool number_unsigned(nlohmann::json::number_unsigned_t) { return true; }
  bool number_float(nlohmann::json::number_float_t, const std::string&) { return true; }
  bool string(std::string&) { return true; }
  bool binary(nlohmann::json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(std::string&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception& ex) {
    message = ex.what();
    return false;
  }
};

}  // namespace

std::string LocateJsonSyntaxError(std::string_view body) {
  ErrorFinder finder;
  try {
    nlohmann::json::sax_parse(body.begin(), body.end(), &finder);
  } catch (const std::exception& e) {
    finder.message = e.what();
  }
  if (finder.message.empty()) return "";
  // "[json.exception.parse_error.101] parse error at line 1, column 17: ..."
  std::string_view msg = finder.message;
  constexpr std::string_view kAt = "parse error at ";
  if (size_t at = msg.find(kAt); at != std::string_view::npos) msg.remove_prefix(at + kAt.size());
  // The message quotes the input ("last read: ..."), which may be anything.
  std::string clean;
  SanitizeUtf8(msg, &clean);
  return std::string(TruncateUtf8(clean, 300));
}

}  // namespace loupe::otlp
