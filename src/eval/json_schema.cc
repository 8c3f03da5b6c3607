#include "eval/json_schema.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace loupe::eval {
namespace {

using nlohmann::json;

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsWhole(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool TypeMatches(const std::string& type, const json& v) {
  if (type == "integer") return IsWhole(v);
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return false;
}

std::string Short(const json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

Status CheckSchema(const json& s, const std::string& path) {
  if (s.is_boolean()) return Status::Ok();
  if (!s.is_object()) return Status::InvalidArgument(path + ": a schema must be an object");
  if (auto it = s.find("type"); it != s.end()) {
    std::vector<json> types = it->is_array() ? it->get<std::vector<json>>() : std::vector<json>{*it};
    static const char* kNames[] = {"object", "array", "string", "integer", "number", "boolean", "null"};
    for (const json& t : types) {
      bool known = false;
      for (const char* n : kNames) known |= t.is_string() && t.get<std::string>() == n;
      if (!known) return Status::InvalidArgument(path + ".type: unknown type " + Short(t));
    }
  }
  for (const char* k : {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}) {
    if (auto it = s.find(k); it != s.end() && !it->is_number()) {
      return Status::InvalidArgument(path + "." + k + ": must be a number");
    }
  }
  for (const char* k : {"minLength", "maxLength", "minItems", "maxItems"}) {
    if (auto it = s.find(k); it != s.end() && !(it->is_number_unsigned() || (it->is_number_integer() && *it >= 0))) {
      return Status::InvalidArgument(path + "." + k + ": must be a non-negative integer");
    }
  }
  if (auto it = s.find("required"); it != s.end()) {
    if (!it->is_array()) return Status::InvalidArgument(path + ".required: must be a list of names");
    for (const json& n : *it) {
      if (!n.is_string()) return Status::InvalidArgument(path + ".required: must be a list of names");
    }
  }
  if (auto it = s.find("enum"); it != s.end() && !it->is_array()) {
    return Status::InvalidArgument(path + ".enum: must be a list");
  }
  if (auto it = s.find("properties"); it != s.end()) {
    if (!it->is_object()) return Status::InvalidArgument(path + ".properties: must be an object");
    for (const auto& [name, sub] : it->items()) {
      LOUPE_RETURN_IF_ERROR(CheckSchema(sub, path + ".properties." + name));
    }
  }
  if (auto it = s.find("additionalProperties"); it != s.end()) {
    LOUPE_RETURN_IF_ERROR(CheckSchema(*it, path + ".additionalProperties"));
  }
  if (auto it = s.find("items"); it != s.end()) LOUPE_RETURN_IF_ERROR(CheckSchema(*it, path + ".items"));
  return Status::Ok();
}

class Validator {
 public:
  explicit Validator(size_t max) : max_(max) {}
  std::vector<std::string> problems;

  void Check(const json& s, const json& v, const std::string& path) {
    if (problems.size() >= max_) return;
    if (s.is_boolean()) {
      if (!s.get<bool>()) Add(path, "no value is allowed here");
      return;
    }
    if (auto it = s.find("type"); it != s.end()) {
      bool ok = false;
      std::string want;
      auto check = [&](const json& t) {
        ok |= TypeMatches(t.get<std::string>(), v);
        want += (want.empty() ? "" : " or ") + t.get<std::string>();
      };
      if (it->is_array()) {
        for (const json& t : *it) check(t);
      } else {
        check(*it);
      }
      if (!ok) return Add(path, "expected " + want + ", got " + JsonTypeName(v));
    }
    if (auto it = s.find("const"); it != s.end() && *it != v) Add(path, "must be " + Short(*it));
    if (auto it = s.find("enum"); it != s.end()) {
      bool found = false;
      for (const json& e : *it) found |= e == v;
      if (!found) Add(path, Short(v) + " is not one of " + Short(*it));
    }
    if (v.is_number()) CheckNumber(s, v.get<double>(), path);
    if (v.is_string()) {
      const size_t n = CodePoints(v.get_ref<const std::string&>());
      if (auto it = s.find("minLength"); it != s.end() && n < it->get<uint64_t>()) {
        Add(path, "shorter than minLength " + it->dump());
      }
      if (auto it = s.find("maxLength"); it != s.end() && n > it->get<uint64_t>()) {
        Add(path, "longer than maxLength " + it->dump());
      }
    }
    if (v.is_array()) {
      if (auto it = s.find("minItems"); it != s.end() && v.size() < it->get<uint64_t>()) {
        Add(path, "fewer than minItems " + it->dump());
      }
      if (auto it = s.find("maxItems"); it != s.end() && v.size() > it->get<uint64_t>()) {
        Add(path, "more than maxItems " + it->dump());
      }
      if (auto it = s.find("items"); it != s.end()) {
        for (size_t i = 0; i < v.size(); ++i) Check(*it, v[i], path + "[" + std::to_string(i) + "]");
      }
    }
    if (v.is_object()) CheckObject(s, v, path);
  }

 private:
  void Add(const std::string& path, const std::string& what) {
    if (problems.size() < max_) problems.push_back(path + ": " + what);
  }

  void CheckNumber(const json& s, double d, const std::string& path) {
    const std::string shown = FormatNumber(d);
    if (auto it = s.find("minimum"); it != s.end() && d < it->get<double>()) {
      Add(path, shown + " is below minimum " + it->dump());
    }
    if (auto it = s.find("maximum"); it != s.end() && d > it->get<double>()) {
      Add(path, shown + " is above maximum " + it->dump());
    }
    if (auto it = s.find("exclusiveMinimum"); it != s.end() && d <= it->get<double>()) {
      Add(path, shown + " is not above exclusiveMinimum " + it->dump());
    }
    if (auto it = s.find("exclusiveMaximum"); it != s.end() && d >= it->get<double>()) {
      Add(path, shown + " is not below exclusiveMaximum " + it->dump());
    }
  }

  static std::string FormatNumber(double d) {
    json j = d;
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e15) j = static_cast<int64_t>(d);
    return j.dump();
  }

  void CheckObject(const json& s, const json& v, const std::string& path) {
    if (auto it = s.find("required"); it != s.end()) {
      for (const json& name : *it) {
        if (!v.contains(name.get<std::string>())) Add(path + "." + name.get<std::string>(), "missing");
      }
    }
    const json* props = nullptr;
    if (auto it = s.find("properties"); it != s.end()) props = &*it;
    const json* extra = nullptr;
    if (auto it = s.find("additionalProperties"); it != s.end()) extra = &*it;
    for (const auto& [name, value] : v.items()) {
      if (props && props->contains(name)) {
        Check((*props)[name], value, path + "." + name);
      } else if (extra) {
        if (extra->is_boolean() && !extra->get<bool>()) {
          Add(path + "." + name, "unexpected property");
        } else {
          Check(*extra, value, path + "." + name);
        }
      }
    }
  }

  size_t max_;
};

}  // namespace

std::string JsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "boolean";
    case json::value_t::null: return "null";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    default: return "number";
  }
}

Result<JsonSchema> JsonSchema::Parse(std::string_view text) {
  json schema = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (schema.is_discarded()) return Status::InvalidArgument("json_schema: not valid JSON");
  return FromJson(schema);
}

Result<JsonSchema> JsonSchema::FromJson(const json& schema) {
  if (!schema.is_object()) return Status::InvalidArgument("json_schema: a schema must be an object");
  LOUPE_RETURN_IF_ERROR(CheckSchema(schema, "json_schema"));
  return JsonSchema(std::make_shared<const json>(schema));
}

std::vector<std::string> JsonSchema::Validate(const json& doc, size_t max_problems) const {
  Validator v(max_problems);
  v.Check(*schema_, doc, "$");
  return std::move(v.problems);
}

}  // namespace loupe::eval
