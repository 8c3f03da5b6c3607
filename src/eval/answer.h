// The judge's answer is untrusted input: this file takes the JSON out of
// it and checks every field, its type and its range against the rubric.
// Nothing here ever clamps or invents a score: an answer is either fully
// valid or rejected with the list of problems (which the judge is shown
// once when asked again).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "eval/config.h"

namespace loupe::eval {

// Answers longer than this are rejected unread (cost and parser safety).
inline constexpr size_t kMaxAnswerBytes = 64 * 1024;

// The JSON object in `text`: the whole text, else the first ```json (or
// bare ```) fence holding an object, else the first balanced {...} in the
// surrounding prose that parses. InvalidArgument saying why when none.
Result<nlohmann::json> ExtractJsonObject(std::string_view text);

// The JSON Schema the judge is asked to fill: one number per dimension in
// [scale_min, scale_max] (integers when the scale is), plus "reasoning".
nlohmann::json AnswerSchema(const Rubric& rubric, const std::vector<std::string>& dimensions);

struct JudgeScores {
  std::vector<std::pair<std::string, double>> values;  // in `dimensions` order
  std::string reasoning;
};

// Parses and checks an answer. On failure the Status message lists every
// problem ("accuracy: 7 is above maximum 5; reasoning: missing").
Result<JudgeScores> ParseJudgeAnswer(std::string_view text, const Rubric& rubric,
                                     const std::vector<std::string>& dimensions);

}  // namespace loupe::eval
