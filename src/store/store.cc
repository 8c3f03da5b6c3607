#include "store/store.h"

#include "store/sqlite/sqlite_store.h"

namespace loupe::store {

Status StoreConfig::Validate() const {
  if (index_batch_limit == 0) return Status::InvalidArgument("store.index_batch_limit: must be at least 1");
  if (index_poll.count() <= 0) return Status::InvalidArgument("store.index_poll: must be positive");
  if (retention_spans.count() <= 0) return Status::InvalidArgument("retention.spans: must be positive");
  if (retention_content.count() < 0) return Status::InvalidArgument("retention.content: must not be negative");
  if (retention_content > retention_spans) {
    return Status::InvalidArgument("retention.content: must not be longer than retention.spans (content lives in the span files)");
  }
  if (retention_rollups < retention_spans) {
    return Status::InvalidArgument("retention.rollups: must be at least retention.spans");
  }
  if (maintenance_interval.count() <= 0) return Status::InvalidArgument("retention.check_interval: must be positive");
  if (seal_after.count() < 0) return Status::InvalidArgument("rollups.seal_after: must not be negative");
  return Status::Ok();
}

std::string_view DimensionName(Dimension d) {
  switch (d) {
    case Dimension::kTeam: return "team";
    case Dimension::kFeature: return "feature";
    case Dimension::kModel: return "model";
    case Dimension::kProvider: return "provider";
    case Dimension::kPromptVersion: return "prompt_version";
    case Dimension::kService: return "service";
    case Dimension::kEnvironment: return "environment";
    case Dimension::kStatus: return "status";
    case Dimension::kUser: return "user";
    case Dimension::kSession: return "session";
  }
  return "";
}

bool ParseDimension(std::string_view name, Dimension* out) {
  for (int i = 0; i <= static_cast<int>(Dimension::kSession); ++i) {
    auto d = static_cast<Dimension>(i);
    if (DimensionName(d) == name) {
      *out = d;
      return true;
    }
  }
  return false;
}

Result<std::unique_ptr<Store>> OpenStore(const StoreConfig& config) {
  Status s = config.Validate();
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(std::make_unique<sqlite::SqliteStore>(config));
}

std::string_view ScoreSourceName(ScoreSource s) {
  switch (s) {
    case ScoreSource::kJudge: return "judge";
    case ScoreSource::kBuiltin: return "builtin";
    case ScoreSource::kHuman: return "human";
  }
  return "";
}

bool ParseScoreSource(std::string_view name, ScoreSource* out) {
  for (ScoreSource s : {ScoreSource::kJudge, ScoreSource::kBuiltin, ScoreSource::kHuman}) {
    if (ScoreSourceName(s) == name) {
      *out = s;
      return true;
    }
  }
  return false;
}

std::string_view EvalStateName(EvalState s) {
  switch (s) {
    case EvalState::kPending: return "pending";
    case EvalState::kDone: return "done";
    case EvalState::kFailed: return "failed";
    case EvalState::kSkipped: return "skipped";
  }
  return "";
}

}  // namespace loupe::store
