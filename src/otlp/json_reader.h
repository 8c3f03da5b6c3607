// JsonReader: the typed walk over an OTLP/JSON document that the trace,
// log and metric decoders share. It knows OTLP/JSON's conventions (keys in
// lowerCamelCase or snake_case, ids in hex, 64-bit integers as strings or
// numbers, enums as integers or names, bytes in base64, null = absent,
// unknown keys ignored) and keeps the path to the current value, so every
// error names where it is, e.g.
//   "json: resourceSpans[0].scopeSpans[1].spans[2].traceId: not hex".
// Internal to otlp/. Not thread-safe; one reader per request.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/any_value.h"
#include "model/span.h"
#include "otlp/decode.h"
#include "otlp/validate.h"

namespace loupe::otlp {

using JsonElement = simdjson::dom::element;

// An id decoded from hex; keeps the bytes of ids up to 16 bytes long and
// the true length of longer ones, which are invalid anyway.
struct HexId {
  uint8_t bytes[16] = {};
  size_t size = 0;
  IdBytes view() const { return {bytes, size}; }
};

class JsonReader {
 public:
  JsonReader() = default;
  JsonReader(const JsonReader&) = delete;
  JsonReader& operator=(const JsonReader&) = delete;

  // Parses the body and sets *root to its top-level object. Invalid UTF-8
  // and lone UTF-16 surrogate escapes inside strings are replaced with
  // U+FFFD first (counted in sanitized_strings()). The document lives as
  // long as this reader.
  Status Parse(std::string_view body, JsonElement* root);
  int64_t sanitized_strings() const { return sanitized_strings_; }

  // Calls fn(canonical_key, value) for each member of the object `e`, which
  // is `field` of the current value (nullptr for the top level). The
  // canonical key is lower case without underscores ("traceid" for
  // "traceId" and "trace_id"); over-long keys come as "". null is an empty
  // object.
  template <typename Fn>
  Status ForEachMember(JsonElement e, const char* field, Fn&& fn);
  // Calls fn(item) for each item of the array `e`; null is an empty array.
  template <typename Fn>
  Status ForEachItem(JsonElement e, const char* field, Fn&& fn);

  // Scalars of `field`. null reads as the default value.
  Status String(JsonElement e, const char* field, std::string* out);
  Status Bool(JsonElement e, const char* field, bool* out);
  Status Uint64(JsonElement e, const char* field, uint64_t* out);
  Status Uint32(JsonElement e, const char* field, uint32_t* out);
  Status Int64(JsonElement e, const char* field, int64_t* out);
  Status Double(JsonElement e, const char* field, double* out);
  // An enum as an integer or one of `names` (names[i] has value i).
  Status Enum(JsonElement e, const char* field, std::span<const std::string_view> names, int32_t* out);
  Status Id(JsonElement e, const char* field, HexId* out);
  Status Base64(JsonElement e, const char* field, std::string* out);

  // AnyValue and KeyValue lists; depth counts AnyValue nesting.
  Status Value(JsonElement e, const char* field, model::AnyValue* out, int depth);
  Status Attributes(JsonElement e, const char* field, model::Attributes* out, int depth = 0);

  // OTLP Resource / InstrumentationScope objects (either may be null).
  Status Resource(const JsonElement* resource, const JsonElement* schema_url,
                  std::shared_ptr<const model::Resource>* out);
  Status Scope(const JsonElement* scope, const JsonElement* schema_url, std::shared_ptr<const model::Scope>* out);

  // InvalidArgument "json: <path>.<field>: <what>".
  Status Error(const char* field, std::string_view what) const;

 private:
  struct PathPart {
    const char* name;
    int64_t index;  // -1: not an array item
  };
  class PathScope {
   public:
    PathScope(std::vector<PathPart>* path, PathPart part) : path_(path) { path_->push_back(part); }
    ~PathScope() { path_->pop_back(); }
    PathScope(const PathScope&) = delete;
    PathScope& operator=(const PathScope&) = delete;

   private:
    std::vector<PathPart>* path_;
  };

  static std::string_view Canonical(std::string_view key, char* buf, size_t cap);

  std::unique_ptr<simdjson::dom::parser> own_parser_;
  std::string repaired_;
  int64_t sanitized_strings_ = 0;
  std::vector<PathPart> path_;
};

template <typename Fn>
Status JsonReader::ForEachMember(JsonElement e, const char* field, Fn&& fn) {
  if (e.is_null()) return Status::Ok();
  simdjson::dom::object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) return Error(field, "expected an object");
  if (field == nullptr) {
    for (simdjson::dom::key_value_pair kv : obj) {
      char buf[48];
      LOUPE_RETURN_IF_ERROR(fn(Canonical(kv.key, buf, sizeof buf), kv.value));
    }
    return Status::Ok();
  }
  PathScope scope(&path_, {field, -1});
  for (simdjson::dom::key_value_pair kv : obj) {
    char buf[48];
    LOUPE_RETURN_IF_ERROR(fn(Canonical(kv.key, buf, sizeof buf), kv.value));
  }
  return Status::Ok();
}

template <typename Fn>
Status JsonReader::ForEachItem(JsonElement e, const char* field, Fn&& fn) {
  if (e.is_null()) return Status::Ok();
  simdjson::dom::array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) return Error(field, "expected an array");
  int64_t i = 0;
  for (JsonElement item : arr) {
    PathScope scope(&path_, {field, i++});
    LOUPE_RETURN_IF_ERROR(fn(item));
  }
  return Status::Ok();
}

}  // namespace loupe::otlp
