// SqliteStore: state.db (scores, evaluation queue, values, journal), the
// per-call questions (rollups by user/session, the session list) and
// Health.
#include <filesystem>

#include "store/sqlite/sqlite_store.h"

namespace loupe::store::sqlite {
namespace fs = std::filesystem;

namespace {

std::string_view AsBlob(const auto& id) { return {reinterpret_cast<const char*>(id.data()), id.size()}; }

// What the day files say about one scored span or trace.
struct Attribution {
  bool found = false;
  bool llm = false;
  int64_t start_ns = 0;
  std::string fields[9];  // service, environment, team, feature, model, provider, prompt_version, user, session
};

// Looks the span (or, for a zero span id, the trace's first LLM call,
// else its first span) up in one day file; keeps the better answer.
Status LookUp(Db* db, const model::TraceId& trace, const model::SpanId& span, Attribution* a) {
  const bool whole_trace = model::IsZero(span);
  auto st = db->Prepare(std::string(
      "SELECT l.span_row IS NOT NULL, s.start_ns, s.service, l.environment, l.team, l.feature, l.model, l.provider, "
      "l.prompt_version, l.user_id, l.session_id FROM spans s LEFT JOIN llm_calls l ON l.span_row = s.id "
      "WHERE s.trace_id = ?1") + (whole_trace ? " ORDER BY 1 DESC, s.start_ns LIMIT 1" : " AND s.span_id = ?2"));
  if (!st.ok()) return st.status();
  st->BindBlob(1, AsBlob(trace));
  if (!whole_trace) st->BindBlob(2, AsBlob(span));
  Status s;
  if (st->Step(&s)) {
    const bool llm = st->Int(0) != 0;
    const int64_t start = st->Int(1);
    // Better: an LLM call over a plain span, then the earlier start.
    if (!a->found || (llm && !a->llm) || (llm == a->llm && start < a->start_ns)) {
      a->found = true;
      a->llm = llm;
      a->start_ns = start;
      for (int i = 0; i < 9; ++i) a->fields[i] = st->Text(2 + i);
    }
  }
  return s;
}

}  // namespace

Status SqliteStore::OpenState() {
  const std::string path = dir_ + "/state.db";
  Status s;
  auto marker = index_->Prepare("SELECT value FROM meta WHERE key = 'state_db'");
  if (!marker.ok()) return marker.status();
  const bool recorded = marker->Step(&s);
  LOUPE_RETURN_IF_ERROR(s);
  marker = Stmt();
  const bool exists = fs::exists(path);
  if (recorded && !exists) {
    return Status::FailedPrecondition(path + ": data file is missing while " + index_->path() +
                                      " records it (scores, evaluation queue, alert state); restore it from a "
                                      "backup, or move the whole data directory away to start empty");
  }
  auto state = StateStore::Open(path, /*create=*/!exists, ephemeral_ ? "OFF" : (config_.fsync ? "FULL" : "NORMAL"));
  if (!state.ok()) return state.status();
  if (!recorded) LOUPE_RETURN_IF_ERROR(index_->Exec("INSERT INTO meta VALUES('state_db', 1)"));
  std::lock_guard<std::mutex> lock(mu_);
  state_ = std::move(*state);
  return Status::Ok();
}

Result<std::shared_ptr<StateStore>> SqliteStore::State() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!state_ || stopping_) return Status::Unavailable("store: not running");
  return state_;
}

Status SqliteStore::Attribute(std::vector<Score>* scores) {
  const uint64_t now = Now();
  std::map<std::pair<model::TraceId, model::SpanId>, Attribution> cache;
  {
    std::lock_guard<std::mutex> lock(query_mu_);
    if (!reader_) return Status::Unavailable("store: not running");
    std::vector<DayReader> readers;
    for (Score& score : *scores) {
      if (score.created_ns == 0) score.created_ns = now;
      if (score.call_start_ns != 0) continue;  // the caller attributed it
      auto key = std::make_pair(score.trace_id, score.span_id);
      if (cache.count(key)) continue;
      if (readers.empty()) {
        auto r = Readers(DaysSnapshot());
        if (!r.ok()) return r.status();
        readers = std::move(*r);
      }
      Attribution& a = cache[key];
      for (const DayReader& d : readers) {
        LOUPE_RETURN_IF_ERROR(LookUp(d.db, score.trace_id, score.span_id, &a));
        if (a.found && !model::IsZero(score.span_id)) break;  // a span lives in one day
      }
    }
  }
  for (Score& score : *scores) {
    if (score.call_start_ns != 0) continue;
    const Attribution& a = cache[{score.trace_id, score.span_id}];
    // Not indexed (yet, or expired): the score still needs a time for
    // windows, and its creation is the best one known.
    score.call_start_ns = a.found ? static_cast<uint64_t>(a.start_ns) : score.created_ns;
    std::string* fields[] = {&score.service, &score.environment, &score.team, &score.feature, &score.model,
                             &score.provider, &score.prompt_version, &score.user, &score.session};
    for (int i = 0; i < 9; ++i) {
      if (fields[i]->empty()) *fields[i] = a.fields[i];
    }
  }
  return Status::Ok();
}

Result<size_t> SqliteStore::PutScores(std::vector<Score> scores, bool new_version) {
  auto state = State();
  if (!state.ok()) return state.status();
  LOUPE_RETURN_IF_ERROR(Attribute(&scores));
  return (*state)->PutScores(scores, new_version);
}

Result<ScorePage> SqliteStore::QueryScores(const ScoreQuery& query) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->QueryScores(query);
}

Result<std::vector<ScoreAggregateRow>> SqliteStore::AggregateScores(const ScoreAggregateQuery& query) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->AggregateScores(query);
}

Result<size_t> SqliteStore::EnqueueEvaluations(std::vector<EvalTask> tasks) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->EnqueueEvaluations(tasks, Now());
}

Result<std::vector<EvalTask>> SqliteStore::DueEvaluations(uint64_t now_ns, size_t limit,
                                                          const std::vector<uint64_t>& exclude) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->DueEvaluations(now_ns, limit, exclude);
}

Status SqliteStore::FinishEvaluation(const EvalTask& task, std::vector<Score> scores) {
  auto state = State();
  if (!state.ok()) return state.status();
  LOUPE_RETURN_IF_ERROR(Attribute(&scores));
  return (*state)->FinishEvaluation(task, scores);
}

Status SqliteStore::DeferEvaluation(const EvalTask& task) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->DeferEvaluation(task);
}

Result<std::vector<EvalTask>> SqliteStore::QueryEvaluations(const EvalTaskQuery& query) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->QueryEvaluations(query);
}

Result<EvalQueueStats> SqliteStore::EvaluationStats() {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->EvaluationStats();
}

Result<std::optional<std::string>> SqliteStore::GetValue(const std::string& ns, const std::string& key) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->GetValue(ns, key);
}

Status SqliteStore::PutValue(const std::string& ns, const std::string& key, const std::string& value) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->PutValue(ns, key, value);
}

Status SqliteStore::DeleteValue(const std::string& ns, const std::string& key) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->DeleteValue(ns, key);
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::ListValues(const std::string& ns) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->ListValues(ns);
}

Result<uint64_t> SqliteStore::AppendJournal(JournalEntry entry) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->AppendJournal(entry, Now());
}

Result<std::vector<JournalEntry>> SqliteStore::QueryJournal(const JournalQuery& query) {
  auto state = State();
  if (!state.ok()) return state.status();
  return (*state)->QueryJournal(query);
}

Result<std::vector<RollupRow>> SqliteStore::QueryCallRollups(const RollupQuery& query) {
  const uint64_t first_kept_ns = static_cast<uint64_t>(FirstKeptDay(Now(), config_.retention_spans) * kNanosPerDay);
  if (query.start_ns < first_kept_ns) {
    std::string dim;
    for (Dimension d : query.group_by) {
      if (dim.empty() && IsPerCallDimension(d)) dim = DimensionName(d);
    }
    for (const auto& w : query.where) {
      if (dim.empty() && IsPerCallDimension(w.first)) dim = DimensionName(w.first);
    }
    return Status::InvalidArgument(
        dim + ": aggregates by " + dim + " come from the stored LLM calls, kept for retention.spans; hour/day "
        "rollups have no " + dim + " dimension, so the range must start at or after " + DayName(DayOf(first_kept_ns)) +
        "T00:00:00Z");
  }
  std::lock_guard<std::mutex> lock(query_mu_);
  if (!reader_) return Status::Unavailable("store: not running");
  auto readers = Readers(DaysSnapshot());
  if (!readers.ok()) return readers.status();
  return sqlite::QueryCallRollups(*readers, query);
}

Result<SessionPage> SqliteStore::ListSessions(const SessionQuery& query) {
  std::lock_guard<std::mutex> lock(query_mu_);
  if (!reader_) return Status::Unavailable("store: not running");
  auto readers = Readers(DaysSnapshot());
  if (!readers.ok()) return readers.status();
  return sqlite::ListSessions(*readers, query);
}

Status SqliteStore::Health() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!started_ || stopping_ || !state_) return Status::Unavailable("store: not running");
  // A data directory removed or unmounted under a running store.
  for (const char* f : {"/log.db", "/index.db", "/state.db"}) {
    std::error_code ec;
    if (!fs::exists(dir_ + f, ec)) return Status::Unavailable(dir_ + f + ": data file has disappeared");
  }
  if (config_.run_indexer && !indexer_running_) return Status::Unavailable("store: the indexer thread has stopped");
  if (!indexer_error_.ok()) return indexer_error_.WithContext("store indexer");
  if (!maintenance_error_.ok()) return maintenance_error_.WithContext("store maintenance");
  return Status::Ok();
}

}  // namespace loupe::store::sqlite
