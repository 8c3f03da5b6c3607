#include "store/sqlite/schema.h"

#include <string>
#include <vector>

namespace loupe::store::sqlite {
namespace {

// Never edit a shipped migration; append a new one.
const std::vector<const char*>& LogMigrations() {
  static const std::vector<const char*> m = {
      // 0 -> 1. AUTOINCREMENT so sequence numbers never go back once the
      // indexed prefix is deleted (the indexer's cursor depends on it).
      R"sql(
      CREATE TABLE raw_batches(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        received_ns INTEGER NOT NULL,
        spans INTEGER NOT NULL,
        payload BLOB NOT NULL);
      )sql",
  };
  return m;
}

const std::vector<const char*>& IndexMigrations() {
  static const std::vector<const char*> m = {
      // 0 -> 1
      R"sql(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta VALUES('indexed_seq', 0);

      CREATE TABLE spans(
        id INTEGER PRIMARY KEY,
        trace_id BLOB NOT NULL,
        span_id BLOB NOT NULL,
        parent_span_id BLOB NOT NULL,
        name TEXT NOT NULL,
        service TEXT NOT NULL,
        start_ns INTEGER NOT NULL,
        end_ns INTEGER NOT NULL,
        status_code INTEGER NOT NULL,
        is_error INTEGER NOT NULL,
        body BLOB NOT NULL);
      CREATE UNIQUE INDEX spans_by_id ON spans(trace_id, span_id);
      CREATE INDEX spans_by_start ON spans(start_ns);
      CREATE INDEX spans_by_service ON spans(service, start_ns);

      CREATE TABLE llm_calls(
        span_row INTEGER PRIMARY KEY,
        start_ns INTEGER NOT NULL,
        duration_ns INTEGER NOT NULL,
        dialect TEXT NOT NULL, provider TEXT NOT NULL, operation TEXT NOT NULL,
        request_model TEXT NOT NULL, response_model TEXT NOT NULL, model TEXT NOT NULL,
        service_tier TEXT NOT NULL,
        team TEXT NOT NULL, feature TEXT NOT NULL, prompt_name TEXT NOT NULL,
        prompt_version TEXT NOT NULL, environment TEXT NOT NULL,
        user_id TEXT NOT NULL, session_id TEXT NOT NULL,
        input_tokens INTEGER, cache_read_tokens INTEGER, cache_write_tokens INTEGER,
        output_tokens INTEGER, reasoning_tokens INTEGER, total_tokens INTEGER,
        counts_usage INTEGER NOT NULL,
        cost_nanos INTEGER, cost_source INTEGER NOT NULL, reported_cost_nanos INTEGER,
        error_type TEXT NOT NULL, finish_reasons TEXT NOT NULL, ttft_ns INTEGER);
      CREATE INDEX llm_by_user ON llm_calls(user_id, start_ns) WHERE user_id != '';
      CREATE INDEX llm_by_session ON llm_calls(session_id, start_ns) WHERE session_id != '';

      CREATE TABLE content(span_row INTEGER PRIMARY KEY, data BLOB NOT NULL);
      CREATE VIRTUAL TABLE content_fts USING fts5(text, content='');

      CREATE TABLE logs(
        id INTEGER PRIMARY KEY,
        hash INTEGER NOT NULL,
        trace_id BLOB NOT NULL,
        span_id BLOB NOT NULL,
        time_ns INTEGER NOT NULL,
        body BLOB NOT NULL);
      CREATE UNIQUE INDEX logs_by_hash ON logs(hash);
      CREATE INDEX logs_by_trace ON logs(trace_id);

      CREATE TABLE rollup_minute(
        minute INTEGER NOT NULL,
        team TEXT NOT NULL, feature TEXT NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
        prompt_version TEXT NOT NULL, service TEXT NOT NULL, environment TEXT NOT NULL,
        status TEXT NOT NULL,
        requests INTEGER NOT NULL, errors INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_nanos INTEGER NOT NULL, unpriced INTEGER NOT NULL,
        latency BLOB NOT NULL,
        PRIMARY KEY(minute, team, feature, model, provider, prompt_version, service, environment, status))
        WITHOUT ROWID;
      )sql",
      // 1 -> 2: spans, content, logs and per-minute rollups move to one
      // file per UTC day (days/YYYY-MM-DD.db, kind loupe-day); index.db
      // keeps the cursor and the hourly/daily rollups that outlive the
      // day files. The v1 data tables stay until MoveV1Data has copied
      // them into day files and drops them (crash-safe: re-copying is a
      // no-op thanks to the dedup key).
      R"sql(
      CREATE TABLE rollup_hour(
        hour INTEGER NOT NULL,
        team TEXT NOT NULL, feature TEXT NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
        prompt_version TEXT NOT NULL, service TEXT NOT NULL, environment TEXT NOT NULL,
        status TEXT NOT NULL,
        requests INTEGER NOT NULL, errors INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_nanos INTEGER NOT NULL, unpriced INTEGER NOT NULL,
        latency BLOB NOT NULL,
        PRIMARY KEY(hour, team, feature, model, provider, prompt_version, service, environment, status))
        WITHOUT ROWID;
      CREATE TABLE rollup_day(
        day INTEGER NOT NULL,
        team TEXT NOT NULL, feature TEXT NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
        prompt_version TEXT NOT NULL, service TEXT NOT NULL, environment TEXT NOT NULL,
        status TEXT NOT NULL,
        requests INTEGER NOT NULL, errors INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_nanos INTEGER NOT NULL, unpriced INTEGER NOT NULL,
        latency BLOB NOT NULL,
        PRIMARY KEY(day, team, feature, model, provider, prompt_version, service, environment, status))
        WITHOUT ROWID;
      -- day -> the day file's rollup version the hour/day rows were built from.
      CREATE TABLE sealed_days(day INTEGER PRIMARY KEY, version INTEGER NOT NULL);
      )sql",
  };
  return m;
}

// One UTC day of spans: everything v1 kept in index.db except the
// cursor, plus the day's own rollup version.
const std::vector<const char*>& DayMigrations() {
  static const std::vector<const char*> m = {
      // 0 -> 1
      R"sql(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta VALUES('version', 0);
      INSERT INTO meta VALUES('content_dropped', 0);

      CREATE TABLE spans(
        id INTEGER PRIMARY KEY,
        trace_id BLOB NOT NULL,
        span_id BLOB NOT NULL,
        parent_span_id BLOB NOT NULL,
        name TEXT NOT NULL,
        service TEXT NOT NULL,
        start_ns INTEGER NOT NULL,
        end_ns INTEGER NOT NULL,
        status_code INTEGER NOT NULL,
        is_error INTEGER NOT NULL,
        body BLOB NOT NULL);
      CREATE UNIQUE INDEX spans_by_id ON spans(trace_id, span_id);
      CREATE INDEX spans_by_start ON spans(start_ns);

      CREATE TABLE llm_calls(
        span_row INTEGER PRIMARY KEY,
        start_ns INTEGER NOT NULL,
        duration_ns INTEGER NOT NULL,
        dialect TEXT NOT NULL, provider TEXT NOT NULL, operation TEXT NOT NULL,
        request_model TEXT NOT NULL, response_model TEXT NOT NULL, model TEXT NOT NULL,
        service_tier TEXT NOT NULL,
        team TEXT NOT NULL, feature TEXT NOT NULL, prompt_name TEXT NOT NULL,
        prompt_version TEXT NOT NULL, environment TEXT NOT NULL,
        user_id TEXT NOT NULL, session_id TEXT NOT NULL,
        input_tokens INTEGER, cache_read_tokens INTEGER, cache_write_tokens INTEGER,
        output_tokens INTEGER, reasoning_tokens INTEGER, total_tokens INTEGER,
        counts_usage INTEGER NOT NULL,
        cost_nanos INTEGER, cost_source INTEGER NOT NULL, reported_cost_nanos INTEGER,
        error_type TEXT NOT NULL, finish_reasons TEXT NOT NULL, ttft_ns INTEGER);
      CREATE INDEX llm_by_user ON llm_calls(user_id, start_ns) WHERE user_id != '';
      CREATE INDEX llm_by_session ON llm_calls(session_id, start_ns) WHERE session_id != '';

      CREATE TABLE content(span_row INTEGER PRIMARY KEY, data BLOB NOT NULL);
      CREATE VIRTUAL TABLE content_fts USING fts5(text, content='');

      CREATE TABLE logs(
        id INTEGER PRIMARY KEY,
        hash INTEGER NOT NULL,
        trace_id BLOB NOT NULL,
        span_id BLOB NOT NULL,
        time_ns INTEGER NOT NULL,
        body BLOB NOT NULL);
      CREATE UNIQUE INDEX logs_by_hash ON logs(hash);
      CREATE INDEX logs_by_trace ON logs(trace_id);

      CREATE TABLE rollup_minute(
        minute INTEGER NOT NULL,
        team TEXT NOT NULL, feature TEXT NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
        prompt_version TEXT NOT NULL, service TEXT NOT NULL, environment TEXT NOT NULL,
        status TEXT NOT NULL,
        requests INTEGER NOT NULL, errors INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_nanos INTEGER NOT NULL, unpriced INTEGER NOT NULL,
        latency BLOB NOT NULL,
        PRIMARY KEY(minute, team, feature, model, provider, prompt_version, service, environment, status))
        WITHOUT ROWID;
      )sql",
  };
  return m;
}

// Durable state that is not trace data. Scores carry the attribution of
// the scored call (copied in when written), so aggregates need no join
// with the day files; `latest` marks the highest version of an identity.
const std::vector<const char*>& StateMigrations() {
  static const std::vector<const char*> m = {
      // 0 -> 1
      R"sql(
      CREATE TABLE scores(
        id INTEGER PRIMARY KEY,
        trace_id BLOB NOT NULL, span_id BLOB NOT NULL,
        evaluator TEXT NOT NULL, dimension TEXT NOT NULL, version INTEGER NOT NULL,
        latest INTEGER NOT NULL,
        value REAL NOT NULL, label TEXT NOT NULL, reasoning TEXT NOT NULL, author TEXT NOT NULL,
        source INTEGER NOT NULL, judge_model TEXT NOT NULL, judge_cost_nanos INTEGER,
        created_ns INTEGER NOT NULL, call_start_ns INTEGER NOT NULL,
        service TEXT NOT NULL, environment TEXT NOT NULL, team TEXT NOT NULL, feature TEXT NOT NULL,
        model TEXT NOT NULL, provider TEXT NOT NULL, prompt_version TEXT NOT NULL,
        user_id TEXT NOT NULL, session_id TEXT NOT NULL);
      CREATE UNIQUE INDEX scores_by_identity ON scores(trace_id, span_id, evaluator, dimension, version);
      CREATE INDEX scores_by_start ON scores(call_start_ns);
      CREATE INDEX scores_by_feature ON scores(feature, prompt_version, call_start_ns);
      CREATE INDEX scores_by_dimension ON scores(dimension, value) WHERE latest = 1;
      CREATE INDEX scores_by_user ON scores(user_id) WHERE user_id != '';

      CREATE TABLE eval_tasks(
        id INTEGER PRIMARY KEY,
        trace_id BLOB NOT NULL, span_id BLOB NOT NULL, evaluator TEXT NOT NULL, run INTEGER NOT NULL,
        due_ns INTEGER NOT NULL, enqueued_ns INTEGER NOT NULL, state INTEGER NOT NULL,
        attempts INTEGER NOT NULL, reason TEXT NOT NULL, error TEXT NOT NULL, raw_answer TEXT NOT NULL,
        finished_ns INTEGER NOT NULL);
      CREATE UNIQUE INDEX eval_by_identity ON eval_tasks(trace_id, span_id, evaluator, run);
      CREATE INDEX eval_by_due ON eval_tasks(state, due_ns);
      CREATE INDEX eval_by_enqueued ON eval_tasks(enqueued_ns);

      CREATE TABLE kv(ns TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY(ns, key)) WITHOUT ROWID;

      -- AUTOINCREMENT: sequence numbers never go back once retention
      -- deletes the newest rows' predecessors.
      CREATE TABLE journal(
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL, time_ns INTEGER NOT NULL, payload BLOB NOT NULL);
      CREATE INDEX journal_by_kind ON journal(kind, time_ns);
      CREATE INDEX journal_by_time ON journal(time_ns);
      )sql",
  };
  return m;
}

const std::vector<const char*>& MigrationsFor(std::string_view kind) {
  if (kind == kLogKind) return LogMigrations();
  if (kind == kDayKind) return DayMigrations();
  if (kind == kStateKind) return StateMigrations();
  return IndexMigrations();
}

}  // namespace

int LatestLogVersion() { return static_cast<int>(LogMigrations().size()); }
int LatestIndexVersion() { return static_cast<int>(IndexMigrations().size()); }
int LatestDayVersion() { return static_cast<int>(DayMigrations().size()); }
int LatestStateVersion() { return static_cast<int>(StateMigrations().size()); }

Result<int> ReadSchemaVersion(Db* db, std::string_view kind) {
  auto count = db->Prepare("SELECT count(*), sum(name = 'schema_version') FROM sqlite_schema");
  if (!count.ok()) return count.status();
  Status s;
  if (!count->Step(&s)) return s.ok() ? Status::Internal(db->path() + ": no schema row") : s;
  int64_t objects = count->Int(0), has_version = count->Int(1);
  if (objects == 0) return 0;
  if (has_version == 0) {
    return Status::FailedPrecondition(db->path() + ": not a Loupe " + std::string(kind) +
                                      " file (no schema_version table)");
  }
  auto q = db->Prepare("SELECT kind, version FROM schema_version");
  if (!q.ok()) return q.status();
  if (!q->Step(&s)) return Status::FailedPrecondition(db->path() + ": empty schema_version table");
  if (q->Text(0) != kind) {
    return Status::FailedPrecondition(db->path() + ": holds a '" + std::string(q->Text(0)) + "' schema, expected '" +
                                      std::string(kind) + "'");
  }
  int version = static_cast<int>(q->Int(1));
  int latest = static_cast<int>(MigrationsFor(kind).size());
  if (version > latest || version < 1) {
    return Status::FailedPrecondition(db->path() + ": schema version " + std::to_string(version) +
                                      " is not one this Loupe knows (it writes version " + std::to_string(latest) +
                                      "); was it written by a newer release?");
  }
  return version;
}

Status Migrate(Db* db, std::string_view kind) {
  auto version = ReadSchemaVersion(db, kind);
  if (!version.ok()) return version.status();
  const auto& migrations = MigrationsFor(kind);
  if (*version == static_cast<int>(migrations.size())) return Status::Ok();
  Transaction txn(db);
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  if (*version == 0) {
    LOUPE_RETURN_IF_ERROR(db->Exec("CREATE TABLE schema_version(kind TEXT NOT NULL, version INTEGER NOT NULL)"));
    auto ins = db->Prepare("INSERT INTO schema_version VALUES(?, 0)");
    if (!ins.ok()) return ins.status();
    LOUPE_RETURN_IF_ERROR(ins->Bind(1, kind).Run());
  }
  for (size_t v = static_cast<size_t>(*version); v < migrations.size(); ++v) {
    Status s = db->Exec(migrations[v]);
    if (!s.ok()) return s.WithContext("migrating " + db->path() + " to version " + std::to_string(v + 1));
  }
  auto upd = db->Prepare("UPDATE schema_version SET version = ?");
  if (!upd.ok()) return upd.status();
  LOUPE_RETURN_IF_ERROR(upd->Bind(1, static_cast<int64_t>(migrations.size())).Run());
  return txn.Commit();
}

}  // namespace loupe::store::sqlite
