#include "otlp/json_reader.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "otlp/json_repair.h"
#include "otlp/utf8.h"

namespace loupe::otlp {
namespace {

using simdjson::dom::element_type;

// Bodies up to this size reuse a per-thread parser (its buffers stay
// allocated); larger ones get a parser of their own, so no thread keeps a
// huge buffer after a rare huge request.
constexpr size_t kReusedParserMaxBytes = 1 << 20;

simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // standard and URL-safe alphabets
  if (c == '/' || c == '_') return 63;
  return -1;
}

std::string_view TypeName(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// An integral double in [lo, hi), converted exactly.
template <typename T>
bool IntegralDouble(double d, T* out) {
  if (!std::isfinite(d) || d != std::trunc(d)) return false;
  constexpr double lo = static_cast<double>(std::numeric_limits<T>::min());
  constexpr double hi = std::is_signed_v<T> ? 9223372036854775808.0 : 18446744073709551616.0;
  if (d < lo || d >= hi) return false;
  *out = static_cast<T>(d);
  return true;
}

template <typename T>
bool DecimalString(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Status JsonReader::Parse(std::string_view body, JsonElement* root) {
  if (body.empty()) return Status::InvalidArgument("json: empty body");
  simdjson::dom::parser* parser = &ThreadParser();
  if (body.size() > kReusedParserMaxBytes) {
    own_parser_ = std::make_unique<simdjson::dom::parser>();
    parser = own_parser_.get();
  }
  simdjson::error_code err = parser->parse(body.data(), body.size()).get(*root);
  if (err == simdjson::UTF8_ERROR || err == simdjson::STRING_ERROR) {
    // Bad text inside strings must not lose the request: repair, retry.
    sanitized_strings_ = RepairJsonStrings(body, &repaired_);
    if (sanitized_strings_ > 0) {
      body = repaired_;
      err = parser->parse(body.data(), body.size()).get(*root);
    }
  }
  if (err != simdjson::SUCCESS) {
    switch (err) {
      case simdjson::DEPTH_ERROR: return Status::InvalidArgument("json: nested deeper than simdjson's limit of 1024 levels");
      case simdjson::UTF8_ERROR: return Status::InvalidArgument("json: invalid UTF-8 outside a string");
      case simdjson::CAPACITY: return Status::TooLarge("json: body too large to parse");
      case simdjson::MEMALLOC: return Status::ResourceExhausted("json: out of memory parsing the body");
      default: break;
    }
    std::string where = LocateJsonSyntaxError(body);
    if (!where.empty()) return Status::InvalidArgument("json: " + where);
    return Status::InvalidArgument(std::string("json: ") + simdjson::error_message(err));
  }
  if (!root->is_object()) {
    return Status::InvalidArgument("json: expected an object at the top level, got " +
                                   std::string(TypeName(root->type())));
  }
  return Status::Ok();
}

std::string_view JsonReader::Canonical(std::string_view key, char* buf, size_t cap) {
  size_t n = 0;
  for (char c : key) {
    if (c == '_') continue;
    if (n == cap) return "";
    buf[n++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return {buf, n};
}

Status JsonReader::Error(const char* field, std::string_view what) const {
  std::string msg = "json: ";
  bool first = true;
  for (const PathPart& part : path_) {
    if (!first) msg += '.';
    first = false;
    msg += part.name;
    if (part.index >= 0) {
      // Appended piecewise: GCC 12's -Wrestrict misfires on "[" + to_string at -O3.
      msg += '[';
      msg += std::to_string(part.index);
      msg += ']';
    }
  }
  if (field != nullptr) {
    if (!first) msg += '.';
    msg += field;
  }
  msg += ": ";
  msg += what;
  return Status::InvalidArgument(std::move(msg));
}

Status JsonReader::String(JsonElement e, const char* field, std::string* out) {
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) {
    out->assign(s.data(), s.size());
    return Status::Ok();
  }
  if (e.is_null()) {
    out->clear();
    return Status::Ok();
  }
  return Error(field, "expected a string, got " + std::string(TypeName(e.type())));
}

Status JsonReader::Bool(JsonElement e, const char* field, bool* out) {
  if (e.get_bool().get(*out) == simdjson::SUCCESS) return Status::Ok();
  if (e.is_null()) {
    *out = false;
    return Status::Ok();
  }
  return Error(field, "expected a boolean, got " + std::string(TypeName(e.type())));
}

Status JsonReader::Uint64(JsonElement e, const char* field, uint64_t* out) {
  switch (e.type()) {
    case element_type::UINT64: *out = e.get_uint64().value_unsafe(); return Status::Ok();
    case element_type::INT64: {
      int64_t v = e.get_int64().value_unsafe();
      if (v < 0) return Error(field, "negative value " + std::to_string(v));
      *out = static_cast<uint64_t>(v);
      return Status::Ok();
    }
    case element_type::DOUBLE:
      if (IntegralDouble(e.get_double().value_unsafe(), out)) return Status::Ok();
      return Error(field, "not an unsigned 64-bit integer");
    case element_type::STRING:
      if (DecimalString(e.get_string().value_unsafe(), out)) return Status::Ok();
      return Error(field, "not an unsigned 64-bit integer: \"" +
                              std::string(TruncateUtf8(e.get_string().value_unsafe(), 40)) + "\"");
    case element_type::NULL_VALUE: *out = 0; return Status::Ok();
    default: return Error(field, "expected an integer, got " + std::string(TypeName(e.type())));
  }
}

Status JsonReader::Uint32(JsonElement e, const char* field, uint32_t* out) {
  uint64_t v = 0;
  LOUPE_RETURN_IF_ERROR(Uint64(e, field, &v));
  if (v > std::numeric_limits<uint32_t>::max()) return Error(field, "over 32 bits: " + std::to_string(v));
  *out = static_cast<uint32_t>(v);
  return Status::Ok();
}

Status JsonReader::Int64(JsonElement e, const char* field, int64_t* out) {
  switch (e.type()) {
    case element_type::INT64: *out = e.get_int64().value_unsafe(); return Status::Ok();
    case element_type::UINT64: return Error(field, "over the signed 64-bit range");
    case element_type::DOUBLE:
      if (IntegralDouble(e.get_double().value_unsafe(), out)) return Status::Ok();
      return Error(field, "not a 64-bit integer");
    case element_type::STRING:
      if (DecimalString(e.get_string().value_unsafe(), out)) return Status::Ok();
      return Error(field, "not a 64-bit integer: \"" +
                              std::string(TruncateUtf8(e.get_string().value_unsafe(), 40)) + "\"");
    case element_type::NULL_VALUE: *out = 0; return Status::Ok();
    default: return Error(field, "expected an integer, got " + std::string(TypeName(e.type())));
  }
}

Status JsonReader::Double(JsonElement e, const char* field, double* out) {
  switch (e.type()) {
    case element_type::DOUBLE: *out = e.get_double().value_unsafe(); return Status::Ok();
    case element_type::INT64: *out = static_cast<double>(e.get_int64().value_unsafe()); return Status::Ok();
    case element_type::UINT64: *out = static_cast<double>(e.get_uint64().value_unsafe()); return Status::Ok();
    case element_type::STRING: {
      // proto3 JSON writes the non-finite values as strings.
      std::string_view s = e.get_string().value_unsafe();
      if (s == "NaN") {
        *out = std::numeric_limits<double>::quiet_NaN();
      } else if (s == "Infinity") {
        *out = std::numeric_limits<double>::infinity();
      } else if (s == "-Infinity") {
        *out = -std::numeric_limits<double>::infinity();
      } else if (!DecimalString(s, out)) {
        return Error(field, "not a number: \"" + std::string(TruncateUtf8(s, 40)) + "\"");
      }
      return Status::Ok();
    }
    case element_type::NULL_VALUE: *out = 0; return Status::Ok();
    default: return Error(field, "expected a number, got " + std::string(TypeName(e.type())));
  }
}

Status JsonReader::Enum(JsonElement e, const char* field, std::span<const std::string_view> names, int32_t* out) {
  if (e.is_string()) {
    std::string_view s = e.get_string().value_unsafe();
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == s) {
        *out = static_cast<int32_t>(i);
        return Status::Ok();
      }
    }
    int64_t v = 0;
    if (DecimalString(s, &v) && v >= INT32_MIN && v <= INT32_MAX) {
      *out = static_cast<int32_t>(v);
      return Status::Ok();
    }
    return Error(field, "unknown enum value \"" + std::string(TruncateUtf8(s, 40)) + "\"");
  }
  int64_t v = 0;
  LOUPE_RETURN_IF_ERROR(Int64(e, field, &v));
  if (v < INT32_MIN || v > INT32_MAX) return Error(field, "enum value out of range");
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}

Status JsonReader::Id(JsonElement e, const char* field, HexId* out) {
  out->size = 0;
  if (e.is_null()) return Status::Ok();
  std::string_view hex;
  if (e.get_string().get(hex) != simdjson::SUCCESS) {
    return Error(field, "expected a hex string, got " + std::string(TypeName(e.type())));
  }
  if (hex.size() % 2 != 0) return Error(field, "not hex (odd number of digits)");
  out->size = hex.size() / 2;
  for (size_t i = 0; i < out->size; ++i) {
    int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Error(field, "not hex");
    if (i < sizeof out->bytes) out->bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return Status::Ok();
}

Status JsonReader::Base64(JsonElement e, const char* field, std::string* out) {
  out->clear();
  if (e.is_null()) return Status::Ok();
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS) {
    return Error(field, "expected a base64 string, got " + std::string(TypeName(e.type())));
  }
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  if (s.size() % 4 == 1) return Error(field, "not base64");
  out->reserve(s.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = Base64Value(c);
    if (v < 0) return Error(field, "not base64");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return Status::Ok();
}

Status JsonReader::Value(JsonElement e, const char* field, model::AnyValue* out, int depth) {
  if (depth > kMaxAnyValueDepth) {
    return Error(field, "AnyValue nested deeper than " + std::to_string(kMaxAnyValueDepth) + " levels");
  }
  out->v = std::monostate{};
  return ForEachMember(e, field, [&](std::string_view key, JsonElement v) -> Status {
    if (v.is_null()) return Status::Ok();
    if (key == "stringvalue") {
      std::string s;
      LOUPE_RETURN_IF_ERROR(String(v, "stringValue", &s));
      out->v = std::move(s);
    } else if (key == "intvalue") {
      int64_t i = 0;
      LOUPE_RETURN_IF_ERROR(Int64(v, "intValue", &i));
      out->v = i;
    } else if (key == "doublevalue") {
      double d = 0;
      LOUPE_RETURN_IF_ERROR(Double(v, "doubleValue", &d));
      out->v = d;
    } else if (key == "boolvalue") {
      bool b = false;
      LOUPE_RETURN_IF_ERROR(Bool(v, "boolValue", &b));
      out->v = b;
    } else if (key == "bytesvalue") {
      model::Bytes bytes;
      LOUPE_RETURN_IF_ERROR(Base64(v, "bytesValue", &bytes.data));
      out->v = std::move(bytes);
    } else if (key == "arrayvalue") {
      model::ArrayValue arr;
      LOUPE_RETURN_IF_ERROR(ForEachMember(v, "arrayValue", [&](std::string_view k, JsonElement values) {
        if (k != "values") return Status::Ok();
        return ForEachItem(values, "values", [&](JsonElement item) {
          return Value(item, nullptr, &arr.values.emplace_back(), depth + 1);
        });
      }));
      out->v = std::move(arr);
    } else if (key == "kvlistvalue") {
      model::Attributes kvs;
      LOUPE_RETURN_IF_ERROR(ForEachMember(v, "kvlistValue", [&](std::string_view k, JsonElement values) {
        if (k != "values") return Status::Ok();
        return Attributes(values, "values", &kvs, depth);
      }));
      out->v = model::KeyValueList{std::move(kvs.mutable_items())};
    }
    return Status::Ok();
  });
}

Status JsonReader::Attributes(JsonElement e, const char* field, model::Attributes* out, int depth) {
  simdjson::dom::array arr;
  if (e.get_array().get(arr) == simdjson::SUCCESS) out->mutable_items().reserve(out->size() + arr.size());
  return ForEachItem(e, field, [&](JsonElement item) {
    model::KeyValue& kv = out->mutable_items().emplace_back();
    return ForEachMember(item, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "key") return String(v, "key", &kv.key);
      if (key == "value") return Value(v, "value", &kv.value, depth + 1);
      return Status::Ok();
    });
  });
}

Status JsonReader::Resource(const JsonElement* resource, const JsonElement* schema_url,
                            std::shared_ptr<const model::Resource>* out) {
  auto r = std::make_shared<model::Resource>();
  if (resource != nullptr) {
    LOUPE_RETURN_IF_ERROR(ForEachMember(*resource, "resource", [&](std::string_view key, JsonElement v) {
      if (key == "attributes") return Attributes(v, "attributes", &r->attributes);
      if (key == "droppedattributescount") return Uint32(v, "droppedAttributesCount", &r->dropped_attributes_count);
      return Status::Ok();
    }));
  }
  if (schema_url != nullptr) LOUPE_RETURN_IF_ERROR(String(*schema_url, "schemaUrl", &r->schema_url));
  *out = std::move(r);
  return Status::Ok();
}

Status JsonReader::Scope(const JsonElement* scope, const JsonElement* schema_url,
                         std::shared_ptr<const model::Scope>* out) {
  auto s = std::make_shared<model::Scope>();
  if (scope != nullptr) {
    uint32_t dropped = 0;  // model::Scope keeps no dropped count
    LOUPE_RETURN_IF_ERROR(ForEachMember(*scope, "scope", [&](std::string_view key, JsonElement v) {
      if (key == "name") return String(v, "name", &s->name);
      if (key == "version") return String(v, "version", &s->version);
      if (key == "attributes") return Attributes(v, "attributes", &s->attributes);
      if (key == "droppedattributescount") return Uint32(v, "droppedAttributesCount", &dropped);
      return Status::Ok();
    }));
  }
  if (schema_url != nullptr) LOUPE_RETURN_IF_ERROR(String(*schema_url, "schemaUrl", &s->schema_url));
  *out = std::move(s);
  return Status::Ok();
}

}  // namespace loupe::otlp
