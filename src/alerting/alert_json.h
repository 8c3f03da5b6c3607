// JSON forms of alerts and rule status: what GET /api/v1/alerts and
// /api/v1/alert-rules return, and how alert states are persisted.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "alerting/alert.h"
#include "alerting/engine.h"

namespace loupe::alerting {

nlohmann::json AlertJson(const Alert& alert);
// The inverse of AlertJson().dump(); errors name the field.
Result<Alert> AlertFromJson(const std::string& text);

nlohmann::json RuleJson(const RuleStatus& rule);
nlohmann::json SilenceJson(const Silence& silence, uint64_t now_ns);

}  // namespace loupe::alerting
