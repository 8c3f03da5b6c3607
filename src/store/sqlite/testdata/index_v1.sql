-- index.db as Loupe wrote it at schema version 1 (before day files).
-- A fixture for the upgrade test: never edit; add a file per version.
CREATE TABLE schema_version(kind TEXT NOT NULL, version INTEGER NOT NULL);
INSERT INTO schema_version VALUES('loupe-index', 1);
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
