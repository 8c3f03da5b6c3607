// Test-only helpers for checking an OpenAPI document (or one module's
// fragment) against the code: the operations it lists, the routes a source
// file registers, and a small OpenAPI 3.0 schema check for real answers.
// Header-only so each module's openapi_test.cc can use it without a
// library; nothing outside tests includes it.
#pragma once

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace loupe::api::testing {

using nlohmann::json;

// Follows a "#/components/..." reference; other nodes come back as they are.
inline const json& Resolve(const json& doc, const json& node) {
  if (!node.is_object() || !node.contains("$ref")) return node;
  return doc.at(json::json_pointer(node["$ref"].get<std::string>().substr(1)));
}

// "GET /api/v1/scores" for every operation of `doc` (a document or a
// fragment). A trailing path template ("/api/v1/silences/{id}") is written
// as the prefix the server routes ("/api/v1/silences/").
inline std::set<std::string> Operations(const json& doc) {
  std::set<std::string> out;
  const json paths = doc.value("paths", json::object());
  for (const auto& [path, item] : paths.items()) {
    std::string route = path.substr(0, path.find('{'));
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters" || method == "summary" || method == "description" || method == "servers") continue;
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
      out.insert(upper + " " + route);
    }
  }
  return out;
}

// Every `"METHOD", "/path"` pair in a source file: the routes its Handle,
// HandlePrefix (paths ending in '/') and route(...) calls register.
// `relative` is from the repository root (tests run there).
inline std::set<std::string> RoutesInSource(const std::string& relative) {
  std::ifstream in(relative);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  static const std::regex kRoute(R"re("(GET|POST|PUT|DELETE|PATCH|HEAD)",\s*"(/[^"]*)")re");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kRoute); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str() + " " + (*it)[2].str());
  }
  return out;
}

inline const json& Operation(const json& doc, const std::string& path, const std::string& method) {
  return doc.at("paths").at(path).at(method);
}

// Names of the query parameters an operation documents.
inline std::set<std::string> QueryParams(const json& doc, const std::string& path, const std::string& method) {
  std::set<std::string> out;
  for (const auto& p : Operation(doc, path, method).value("parameters", json::array())) {
    const json& param = Resolve(doc, p);
    if (param["in"] == "query") out.insert(param["name"].get<std::string>());
  }
  return out;
}

// The schema of the JSON answer with `status`, or null when not documented.
inline json ResponseSchema(const json& doc, const std::string& path, const std::string& method, int status) {
  const json& responses = Operation(doc, path, method).at("responses");
  const std::string code = std::to_string(status);
  if (!responses.contains(code)) return nullptr;
  const json& r = Resolve(doc, responses[code]);
  if (!r.contains("content") || !r["content"].contains("application/json")) return nullptr;
  return r["content"]["application/json"]["schema"];
}

// The list after `marker` in an error message, up to ')' or the end:
// "unknown field (known: a, b, c)" with marker "known: " gives {a, b, c}.
inline std::set<std::string> ListAfter(const std::string& message, const std::string& marker) {
  std::set<std::string> out;
  size_t at = message.find(marker);
  if (at == std::string::npos) return out;
  std::string rest = message.substr(at + marker.size());
  rest = rest.substr(0, rest.find(')'));
  std::stringstream items(rest);
  for (std::string item; std::getline(items, item, ',');) {
    item.erase(0, item.find_first_not_of(' '));
    if (!item.empty()) out.insert(item);
  }
  return out;
}

// Checks `value` against an OpenAPI 3.0 schema: type, nullable, enum,
// required, properties, additionalProperties, items, allOf, oneOf, anyOf,
// minimum, maximum, pattern. Adds what is wrong to `errors`.
inline void CheckSchema(const json& doc, const json& schema_in, const json& value, const std::string& where,
                        std::vector<std::string>* errors) {
  const json& schema = Resolve(doc, schema_in);
  if (value.is_null() && schema.value("nullable", false)) return;
  if (value.is_null() && !schema.contains("oneOf") && !schema.contains("anyOf")) {
    errors->push_back(where + ": null not allowed");
    return;
  }
  for (const char* combinator : {"oneOf", "anyOf"}) {
    if (!schema.contains(combinator)) continue;
    size_t passing = 0;
    for (const auto& part : schema[combinator]) {
      std::vector<std::string> sub;
      CheckSchema(doc, part, value, where, &sub);
      passing += sub.empty();
    }
    if (passing == 0 || (std::string(combinator) == "oneOf" && passing > 1)) {
      errors->push_back(where + ": " + std::to_string(passing) + " alternatives of " + combinator + " match");
    }
  }
  if (value.is_null()) return;  // an alternative above allowed it, or the error is recorded
  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) CheckSchema(doc, part, value, where, errors);
  }
  const std::string type = schema.value("type", "");
  const bool ok = type.empty() || (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
                  (type == "string" && value.is_string()) || (type == "integer" && value.is_number_integer()) ||
                  (type == "number" && value.is_number()) || (type == "boolean" && value.is_boolean());
  if (!ok) {
    errors->push_back(where + ": expected " + type + ", got " + value.dump().substr(0, 80));
    return;
  }
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
    errors->push_back(where + ": " + value.dump() + " not in enum");
  }
  if (value.is_number() && schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
    errors->push_back(where + ": " + value.dump() + " below the minimum");
  }
  if (value.is_number() && schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
    errors->push_back(where + ": " + value.dump() + " above the maximum");
  }
  if (value.is_string() && schema.contains("pattern") &&
      !std::regex_search(value.get<std::string>(), std::regex(schema["pattern"].get<std::string>()))) {
    errors->push_back(where + ": " + value.dump() + " does not match " + schema["pattern"].get<std::string>());
  }
  if (value.is_object()) {
    for (const auto& r : schema.value("required", json::array())) {
      if (!value.contains(r.get<std::string>())) errors->push_back(where + ": missing " + r.get<std::string>());
    }
    for (const auto& [k, v] : value.items()) {
      if (schema.contains("properties") && schema["properties"].contains(k)) {
        CheckSchema(doc, schema["properties"][k], v, where + "." + k, errors);
      } else if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
        CheckSchema(doc, schema["additionalProperties"], v, where + "." + k, errors);
      } else if (schema.value("additionalProperties", json(true)) == json(false)) {
        errors->push_back(where + ": unexpected field " + k);
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      CheckSchema(doc, schema["items"], value[i], where + "[" + std::to_string(i) + "]", errors);
    }
  }
}

// All problems of `value` against the documented answer of an operation;
// "no schema" when the status is not documented with a JSON body.
inline std::vector<std::string> CheckAnswer(const json& doc, const std::string& path, const std::string& method,
                                            int status, const json& value) {
  json schema = ResponseSchema(doc, path, method, status);
  if (schema.is_null()) return {method + " " + path + ": no JSON answer documented for " + std::to_string(status)};
  std::vector<std::string> errors;
  CheckSchema(doc, schema, value, method + " " + path + " " + std::to_string(status), &errors);
  return errors;
}

}  // namespace loupe::api::testing
