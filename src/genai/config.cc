#include "genai/config.h"

#include <set>

namespace loupe::genai {
namespace {

Status ValidateKeys(const std::vector<std::string>& keys, const std::string& path) {
  std::set<std::string> seen;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& k = keys[i];
    std::string where = path + "[" + std::to_string(i) + "]";
    if (k.empty()) return Status::InvalidArgument(where + ": empty attribute key");
    if (k.front() == ' ' || k.back() == ' ' || k.find_first_of("\t\n\r") != std::string::npos) {
      return Status::InvalidArgument(where + ": attribute key \"" + k + "\" has surrounding blanks");
    }
    if (!seen.insert(k).second) {
      return Status::InvalidArgument(where + ": attribute key \"" + k + "\" is listed twice");
    }
  }
  return Status::Ok();
}

}  // namespace

Status AttributionConfig::Validate() const {
  LOUPE_RETURN_IF_ERROR(ValidateKeys(team_keys, "attribution.team_keys"));
  LOUPE_RETURN_IF_ERROR(ValidateKeys(feature_keys, "attribution.feature_keys"));
  LOUPE_RETURN_IF_ERROR(ValidateKeys(user_keys, "attribution.user_keys"));
  LOUPE_RETURN_IF_ERROR(ValidateKeys(session_keys, "attribution.session_keys"));
  LOUPE_RETURN_IF_ERROR(ValidateKeys(prompt_name_keys, "attribution.prompt_name_keys"));
  LOUPE_RETURN_IF_ERROR(ValidateKeys(prompt_version_keys, "attribution.prompt_version_keys"));
  LOUPE_RETURN_IF_ERROR(ValidateKeys(environment_keys, "attribution.environment_keys"));
  if (default_team.empty()) return Status::InvalidArgument("attribution.default_team: must not be empty");
  return Status::Ok();
}

Status NormalizerConfig::Validate() const {
  LOUPE_RETURN_IF_ERROR(attribution.Validate());
  for (const auto& [service, includes] : input_includes_cache_by_service) {
    if (service.empty()) {
      return Status::InvalidArgument("input_includes_cache_by_service: empty service name");
    }
  }
  if (dedup_trace_capacity == 0) return Status::InvalidArgument("dedup_trace_capacity: must be at least 1");
  if (dedup_spans_per_trace == 0) return Status::InvalidArgument("dedup_spans_per_trace: must be at least 1");
  if (!(early_logs_max_age_seconds >= 0)) {
    return Status::InvalidArgument("normalization.early_logs_max_age: must not be negative");
  }
  return Status::Ok();
}

}  // namespace loupe::genai
