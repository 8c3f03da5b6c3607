#include "genai/json_value.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <cmath>
#include <string>
#include <unordered_map>

namespace loupe::genai {
namespace {

// Member order is kept (ordered_json) so stored values read as they were sent.
using Json = nlohmann::ordered_json;

model::AnyValue FromJson(const Json& j, int depth) {
  // dump() would recurse as deep as the input, so too-deep values are
  // replaced by a marker rather than printed.
  if (depth > kMaxJsonDepth) return model::AnyValue("[nested too deep]");
  switch (j.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
      return model::AnyValue();
    case Json::value_t::boolean:
      return model::AnyValue(j.get<bool>());
    case Json::value_t::number_integer:
      return model::AnyValue(j.get<int64_t>());
    case Json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return model::AnyValue(static_cast<double>(u));
      return model::AnyValue(static_cast<int64_t>(u));
    }
    case Json::value_t::number_float:
      return model::AnyValue(j.get<double>());
    case Json::value_t::string:
      return model::AnyValue(j.get<std::string>());
    case Json::value_t::binary:  // never produced by the text parser
      return model::AnyValue();
    case Json::value_t::array: {
      model::ArrayValue arr;
      arr.values.reserve(j.size());
      for (const auto& e : j) arr.values.push_back(FromJson(e, depth + 1));
      return model::AnyValue(std::move(arr));
    }
    case Json::value_t::object: {
      model::KeyValueList kv;
      kv.values.reserve(j.size());
      for (auto it = j.begin(); it != j.end(); ++it) {
        kv.values.push_back({it.key(), FromJson(it.value(), depth + 1)});
      }
      return model::AnyValue(std::move(kv));
    }
  }
  return model::AnyValue();
}

bool LooksLikeJson(std::string_view s) {
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{' || c == '[';
  }
  return false;
}

// The fast path: simdjson (several times faster than nlohmann, and content
// is parsed for every LLM span). It must give exactly what the nlohmann
// path gives, so whatever it cannot reproduce exactly makes it give up
// (false) and the caller falls back: any simdjson error (bad JSON, too
// deep, integers beyond 64 bits), and -0 (simdjson reads it as a double,
// nlohmann as the integer 0).
class FastConverter {
 public:
  bool Convert(simdjson::dom::element e, int depth, model::AnyValue* out) {
    if (depth > kMaxJsonDepth) {
      *out = model::AnyValue("[nested too deep]");
      return true;
    }
    switch (e.type()) {
      case simdjson::dom::element_type::NULL_VALUE:
        *out = model::AnyValue();
        return true;
      case simdjson::dom::element_type::BOOL:
        *out = model::AnyValue(bool(e.get_bool().value_unsafe()));
        return true;
      case simdjson::dom::element_type::INT64:
        *out = model::AnyValue(e.get_int64().value_unsafe());
        return true;
      case simdjson::dom::element_type::UINT64:
        // Only values above INT64_MAX are UINT64 here; nlohmann's path
        // turns those into doubles.
        *out = model::AnyValue(static_cast<double>(e.get_uint64().value_unsafe()));
        return true;
      case simdjson::dom::element_type::DOUBLE: {
        double d = e.get_double().value_unsafe();
        if (d == 0 && std::signbit(d)) return false;
        *out = model::AnyValue(d);
        return true;
      }
      case simdjson::dom::element_type::STRING:
        *out = model::AnyValue(std::string(e.get_string().value_unsafe()));
        return true;
      case simdjson::dom::element_type::ARRAY: {
        simdjson::dom::array a = e.get_array().value_unsafe();
        model::ArrayValue arr;
        arr.values.resize(a.size());
        size_t i = 0;
        for (simdjson::dom::element item : a) {
          if (!Convert(item, depth + 1, &arr.values[i++])) return false;
        }
        *out = model::AnyValue(std::move(arr));
        return true;
      }
      case simdjson::dom::element_type::OBJECT: {
        simdjson::dom::object o = e.get_object().value_unsafe();
        model::KeyValueList kv;
        kv.values.reserve(o.size());
        // nlohmann's ordered_json keeps a duplicate key at its first
        // position with its last value; so does this. Small objects are
        // searched linearly, large ones through an index.
        std::unordered_map<std::string_view, size_t> index;
        const bool indexed = o.size() > 16;
        for (simdjson::dom::key_value_pair field : o) {
          size_t at = kv.values.size();
          if (indexed) {
            auto [it, inserted] = index.emplace(field.key, at);
            if (!inserted) at = it->second;
          } else {
            for (size_t i = 0; i < kv.values.size(); ++i) {
              if (kv.values[i].key == field.key) {
                at = i;
                break;
              }
            }
          }
          if (at == kv.values.size()) kv.values.push_back({std::string(field.key), model::AnyValue()});
          if (!Convert(field.value, depth + 1, &kv.values[at].value)) return false;
        }
        *out = model::AnyValue(std::move(kv));
        return true;
      }
    }
    return false;
  }
};

bool ParseFast(std::string_view text, model::AnyValue* out) {
  // One parser per thread: it keeps its buffers between calls, and
  // NormalizeSpan may run on several threads.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root) != simdjson::SUCCESS) {
    return false;
  }
  return FastConverter().Convert(root, 0, out);
}

}  // namespace

Result<model::AnyValue> ParseJson(std::string_view text) {
  model::AnyValue fast;
  if (ParseFast(text, &fast)) return fast;
  try {
    Json j = Json::parse(text.begin(), text.end());
    return FromJson(j, 0);
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("invalid JSON: ") + e.what());
  }
}

model::AnyValue Structured(const model::AnyValue& value) {
  const std::string* s = value.AsString();
  if (s == nullptr || !LooksLikeJson(*s)) return value;
  Result<model::AnyValue> parsed = ParseJson(*s);
  if (!parsed.ok()) return value;
  return std::move(parsed).value();
}

}  // namespace loupe::genai
