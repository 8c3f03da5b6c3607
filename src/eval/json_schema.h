// JsonSchema: a small validator for the JSON Schema keywords answers are
// usually described with. Used by the json_schema built-in evaluator and
// to check the judge's structured answers.
//
// Supported keywords: type (a name or a list; "integer" accepts 3.0),
// enum, const, required, properties, additionalProperties (false or a
// schema), items (one schema), minItems, maxItems, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum (numbers), minLength, maxLength (in
// Unicode code points). Every other keyword ($ref, oneOf, pattern,
// format, ...) is ignored, so a schema using them checks less than it
// says; docs/evaluation.md lists this.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace loupe::eval {

class JsonSchema {
 public:
  // InvalidArgument naming the schema path when the schema itself is not
  // JSON, not an object, or a supported keyword has the wrong type.
  static Result<JsonSchema> Parse(std::string_view text);
  static Result<JsonSchema> FromJson(const nlohmann::json& schema);

  // What is wrong with `doc`, one line per problem ("$.items[2].name:
  // expected string, got number"); empty when it matches. Stops after
  // `max_problems`.
  std::vector<std::string> Validate(const nlohmann::json& doc, size_t max_problems = 20) const;

  const nlohmann::json& schema() const { return *schema_; }

 private:
  explicit JsonSchema(std::shared_ptr<const nlohmann::json> schema) : schema_(std::move(schema)) {}
  std::shared_ptr<const nlohmann::json> schema_;
};

// "object", "array", "string", "integer" (whole numbers), "number",
// "boolean", "null": the JSON Schema type name of a value.
std::string JsonTypeName(const nlohmann::json& value);

}  // namespace loupe::eval
