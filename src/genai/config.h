// Configuration of GenAI normalization: which attributes name the team,
// feature, user, ... of a call, and the per-service cache override.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace loupe::genai {

// Key lists are tried in order, every key on the span before any on the
// resource. The defaults are the GenAI reference's priority lists; a
// config layer adding keys (e.g. traceloop.association.properties.team)
// appends them after the blueprint key, as in the YAML example in README.md.
struct AttributionConfig {
  std::vector<std::string> team_keys = {"ai.team"};
  // After these: service.name, the last resort.
  std::vector<std::string> feature_keys = {"ai.feature", "traceloop.workflow.name", "ai.telemetry.functionId"};
  std::vector<std::string> user_keys = {"user.id",
                                        "langfuse.user.id",
                                        "traceloop.association.properties.user_id",
                                        "ai.telemetry.metadata.userId",
                                        "gen_ai.user.id",
                                        "enduser.id",
                                        "gen_ai.request.user"};
  std::vector<std::string> session_keys = {"session.id",
                                           "gen_ai.conversation.id",
                                           "langfuse.session.id",
                                           "traceloop.association.properties.session_id",
                                           "ai.telemetry.metadata.sessionId",
                                           "gen_ai.session.id"};
  std::vector<std::string> prompt_name_keys = {"gen_ai.prompt.name", "langfuse.observation.prompt.name",
                                               "traceloop.prompt.key"};
  std::vector<std::string> prompt_version_keys = {"ai.prompt_version", "langfuse.observation.prompt.version",
                                                  "traceloop.prompt.version", "llm.prompt_template.version",
                                                  "gen_ai.prompt.version"};
  std::vector<std::string> environment_keys = {"deployment.environment.name", "deployment.environment",
                                               "langfuse.environment"};
  // The team of a call no key names.
  std::string default_team = "default";

  // Every key non-empty, without surrounding blanks, and not repeated in
  // its list; errors name the key path, e.g. "attribution.team_keys[2]".
  Status Validate() const;
};

struct NormalizerConfig {
  AttributionConfig attribution;
  // service.name -> true if that service's input token count already
  // includes cache read/write tokens. Wins over the scope-based rule.
  std::map<std::string, bool> input_includes_cache_by_service;
  // Traces remembered for the double-count rule (least recently used
  // forgotten first), and span ids remembered per trace.
  size_t dedup_trace_capacity = 100000;
  size_t dedup_spans_per_trace = 1024;
  // Log events that arrive before their span wait this long, at most this
  // many, to be joined to it (see early_logs.h).
  size_t early_logs_max_records = 10000;  // normalization.early_logs_max_records
  double early_logs_max_age_seconds = 60;  // normalization.early_logs_max_age

  Status Validate() const;
};

}  // namespace loupe::genai
