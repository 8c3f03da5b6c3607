#include "genai/json_value.h"

#include <nlohmann/json.hpp>

#include <string>

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

}  // namespace

Result<model::AnyValue> ParseJson(std::string_view text) {
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
