// `loupe rules export --format prometheus`: the rules as a Prometheus
// alerting-rules file over Loupe's own metrics (docs/metrics.md), for
// teams that alert with Prometheus + Alertmanager. A rule PromQL cannot
// say exactly (a budget since the start of the day or month, a seasonal
// latency baseline, per-user groups) becomes a comment saying why,
// never an approximation.
#pragma once

#include <string>
#include <vector>

#include "alerting/config.h"

namespace loupe::alerting {

// The Prometheus label a Loupe dimension is exported under
// ("team" -> "ai_team", "model" -> "gen_ai_request_model"); "" when none.
std::string PrometheusLabel(const std::string& dimension);

// YAML text: `groups: [{name: loupe-alerts, rules: [...]}]`.
std::string ExportPrometheusRules(const std::vector<Rule>& rules);

}  // namespace loupe::alerting
