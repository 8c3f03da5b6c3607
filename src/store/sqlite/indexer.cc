#include "store/sqlite/indexer.h"

#include <map>
#include <tuple>

#include "store/batch_codec.h"
#include "store/latency_histogram.h"

namespace loupe::store::sqlite {
namespace {

constexpr int64_t kNanosPerMinute = 60'000'000'000;

std::string_view AsBlob(const auto& id) { return {reinterpret_cast<const char*>(id.data()), id.size()}; }

void BindOpt(Stmt& st, int i, const std::optional<int64_t>& v) {
  if (v) st.Bind(i, *v); else st.BindNull(i);
}

// FNV-1a: dedups log records (they carry no id of their own).
int64_t Hash64(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return static_cast<int64_t>(h);
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out.push_back(',');
    out += s;
  }
  return out;
}

}  // namespace

std::string ServiceOf(const model::Span& span) {
  std::string service;
  if (span.resource) span.resource->attributes.GetText("service.name", &service);
  return service;
}

bool IsError(const model::SpanRecord& rec) {
  return rec.span.status.code == model::StatusCode::kError || (rec.llm && !rec.llm->error_type.empty());
}

// Rollup key: minute, team, feature, model, provider, prompt_version,
// service, environment, status.
using RollupKey = std::tuple<int64_t, std::string, std::string, std::string, std::string, std::string,
                             std::string, std::string, std::string>;

struct Indexer::RollupDelta {
  RollupKey key;
  int64_t requests = 0, errors = 0, input = 0, cache_read = 0, cache_write = 0, output = 0, reasoning = 0;
  int64_t cost_nanos = 0, unpriced = 0;
  LatencyHistogram latency;
};

Result<std::unique_ptr<Indexer>> Indexer::Create(Db* index) {
  std::unique_ptr<Indexer> ix(new Indexer(index));
  struct { Stmt* stmt; const char* sql; } stmts[] = {
      {&ix->insert_span_,
       "INSERT OR IGNORE INTO spans(trace_id, span_id, parent_span_id, name, service, start_ns, end_ns, "
       "status_code, is_error, body) VALUES(?,?,?,?,?,?,?,?,?,?)"},
      {&ix->insert_llm_,
       "INSERT INTO llm_calls VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"},
      {&ix->insert_content_, "INSERT INTO content(span_row, data) VALUES(?,?)"},
      {&ix->insert_fts_, "INSERT INTO content_fts(rowid, text) VALUES(?,?)"},
      {&ix->insert_log_, "INSERT OR IGNORE INTO logs(hash, trace_id, span_id, time_ns, body) VALUES(?,?,?,?,?)"},
      {&ix->read_rollup_,
       "SELECT latency FROM rollup_minute WHERE minute=? AND team=? AND feature=? AND model=? AND provider=? "
       "AND prompt_version=? AND service=? AND environment=? AND status=?"},
      {&ix->upsert_rollup_,
       "INSERT INTO rollup_minute VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
       "ON CONFLICT DO UPDATE SET requests=requests+excluded.requests, errors=errors+excluded.errors, "
       "input_tokens=input_tokens+excluded.input_tokens, "
       "cache_read_tokens=cache_read_tokens+excluded.cache_read_tokens, "
       "cache_write_tokens=cache_write_tokens+excluded.cache_write_tokens, "
       "output_tokens=output_tokens+excluded.output_tokens, "
       "reasoning_tokens=reasoning_tokens+excluded.reasoning_tokens, "
       "cost_nanos=cost_nanos+excluded.cost_nanos, unpriced=unpriced+excluded.unpriced, "
       "latency=excluded.latency"},
      {&ix->bump_version_, "UPDATE meta SET value=value+1 WHERE key='version' RETURNING value"},
  };
  for (auto& s : stmts) {
    auto st = index->Prepare(s.sql);
    if (!st.ok()) return st.status();
    *s.stmt = std::move(*st);
  }
  return ix;
}

Status Indexer::InsertSpan(const model::SpanRecord& rec, bool* inserted) {
  const model::Span& s = rec.span;
  std::string body = Compress(EncodeSpanRecord(rec, /*with_content=*/false));
  bool error = IsError(rec);
  insert_span_.BindBlob(1, AsBlob(s.trace_id)).BindBlob(2, AsBlob(s.span_id)).BindBlob(3, AsBlob(s.parent_span_id));
  insert_span_.Bind(4, s.name).Bind(5, ServiceOf(s));
  insert_span_.Bind(6, static_cast<int64_t>(s.start_time_unix_nano)).Bind(7, static_cast<int64_t>(s.end_time_unix_nano));
  insert_span_.Bind(8, static_cast<int64_t>(s.status.code)).Bind(9, static_cast<int64_t>(error)).BindBlob(10, body);
  LOUPE_RETURN_IF_ERROR(insert_span_.Run());
  *inserted = db_->changes() == 1;
  if (!*inserted || !rec.llm) return Status::Ok();

  int64_t row = db_->last_insert_rowid();
  const model::LlmCall& c = *rec.llm;
  Stmt& st = insert_llm_;
  int i = 1;
  st.Bind(i++, row);
  st.Bind(i++, static_cast<int64_t>(s.start_time_unix_nano));
  st.Bind(i++, static_cast<int64_t>(s.duration_nanos()));
  for (const std::string* v : {&c.dialect, &c.provider, &c.operation, &c.request_model, &c.response_model, &c.model(),
                               &c.service_tier, &c.team, &c.feature, &c.prompt_name, &c.prompt_version, &c.environment,
                               &c.user, &c.session}) {
    st.Bind(i++, *v);
  }
  const auto& t = c.tokens;
  for (const auto* v : {&t.input, &t.cache_read, &t.cache_write, &t.output, &t.reasoning}) BindOpt(st, i++, *v);
  BindOpt(st, i++, t.total ? t.total : (t.any() ? std::optional<int64_t>(t.Sum()) : std::nullopt));
  st.Bind(i++, static_cast<int64_t>(c.counts_usage));
  BindOpt(st, i++, c.cost.total_nanos);
  st.Bind(i++, static_cast<int64_t>(c.cost.source));
  BindOpt(st, i++, c.reported_cost_nanos);
  st.Bind(i++, c.error_type);
  st.Bind(i++, Join(c.finish_reasons));
  BindOpt(st, i++, c.time_to_first_token_nanos);
  LOUPE_RETURN_IF_ERROR(st.Run());

  if (!c.system_instructions.empty() || !c.input_messages.empty() || !c.output_messages.empty()) {
    LOUPE_RETURN_IF_ERROR(insert_content_.Bind(1, row).BindBlob(2, Compress(EncodeContent(c))).Run());
    std::string text = ContentText(c);
    if (!text.empty()) LOUPE_RETURN_IF_ERROR(insert_fts_.Bind(1, row).Bind(2, text).Run());
  }
  return Status::Ok();
}

Status Indexer::InsertLog(const model::LogRecord& log) {
  std::string raw = EncodeLog(log);
  insert_log_.Bind(1, Hash64(raw)).BindBlob(2, AsBlob(log.trace_id)).BindBlob(3, AsBlob(log.span_id));
  insert_log_.Bind(4, static_cast<int64_t>(log.time_unix_nano)).BindBlob(5, Compress(raw));
  return insert_log_.Run();
}

Status Indexer::ApplyRollups(const std::vector<RollupDelta>& deltas) {
  for (const RollupDelta& d : deltas) {
    // The histogram is merged here rather than in SQL: read, add, write.
    LatencyHistogram latency = d.latency;
    Stmt& rd = read_rollup_;
    rd.Bind(1, std::get<0>(d.key));
    std::apply([&rd](int64_t, const auto&... dims) {
      int i = 2;
      (rd.Bind(i++, std::string_view(dims)), ...);
    }, d.key);
    Status s;
    if (rd.Step(&s)) {
      LatencyHistogram old;
      if (!old.Decode(rd.Blob(0))) {
        rd.Reset();
        return Status::FailedPrecondition(db_->path() + ": corrupt latency histogram in rollup_minute");
      }
      latency.Merge(old);
    }
    rd.Reset();
    LOUPE_RETURN_IF_ERROR(s);

    Stmt& up = upsert_rollup_;
    up.Bind(1, std::get<0>(d.key));
    std::apply([&up](int64_t, const auto&... dims) {
      int i = 2;
      (up.Bind(i++, std::string_view(dims)), ...);
    }, d.key);
    int i = 10;
    for (int64_t v : {d.requests, d.errors, d.input, d.cache_read, d.cache_write, d.output, d.reasoning,
                      d.cost_nanos, d.unpriced}) {
      up.Bind(i++, v);
    }
    up.BindBlob(i, latency.Encode());
    LOUPE_RETURN_IF_ERROR(up.Run());
  }
  return Status::Ok();
}

Status Indexer::Index(const std::vector<const model::SpanRecord*>& spans,
                      const std::vector<const model::LogRecord*>& logs,
                      std::vector<const model::SpanRecord*>* fresh, uint64_t* duplicates, int64_t* version) {
  size_t fresh_before = fresh->size();
  uint64_t dups = 0;
  std::map<RollupKey, RollupDelta> rollups;
  Transaction txn(db_);
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  for (const model::SpanRecord* rec_ptr : spans) {
    const model::SpanRecord& rec = *rec_ptr;
    bool inserted = false;
    LOUPE_RETURN_IF_ERROR(InsertSpan(rec, &inserted));
    if (!inserted) {
      ++dups;
      continue;
    }
    fresh->push_back(&rec);
    // Rollups count real model calls only: aggregate spans repeat
    // their children's usage (LlmCall::counts_usage).
    if (!rec.llm || !rec.llm->counts_usage) continue;
    const model::LlmCall& c = *rec.llm;
    bool error = IsError(rec);
    RollupKey key{static_cast<int64_t>(rec.span.start_time_unix_nano / kNanosPerMinute), c.team, c.feature,
                  c.model(), c.provider, c.prompt_version, ServiceOf(rec.span), c.environment,
                  error ? "error" : "ok"};
    RollupDelta& d = rollups[key];
    d.key = key;
    d.requests += 1;
    d.errors += error ? 1 : 0;
    d.input += c.tokens.input.value_or(0);
    d.cache_read += c.tokens.cache_read.value_or(0);
    d.cache_write += c.tokens.cache_write.value_or(0);
    d.output += c.tokens.output.value_or(0);
    d.reasoning += c.tokens.reasoning.value_or(0);
    if (c.cost.total_nanos) d.cost_nanos += *c.cost.total_nanos; else d.unpriced += 1;
    d.latency.Add(rec.span.duration_nanos());
  }
  for (const model::LogRecord* log : logs) LOUPE_RETURN_IF_ERROR(InsertLog(*log));
  std::vector<RollupDelta> deltas;
  deltas.reserve(rollups.size());
  for (auto& [key, d] : rollups) deltas.push_back(std::move(d));
  Status s = ApplyRollups(deltas);
  int64_t v = -1;
  if (s.ok() && !deltas.empty()) {
    if (bump_version_.Step(&s)) v = bump_version_.Int(0);
    bump_version_.Reset();
  }
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) {
    fresh->resize(fresh_before);  // rolled back: nothing was new
    return s;
  }
  *duplicates += dups;
  if (v >= 0) *version = v;
  return Status::Ok();
}

Status Indexer::RebuildMinutes(const std::set<int64_t>& minutes) {
  auto del = db_->Prepare("DELETE FROM rollup_minute WHERE minute = ?");
  if (!del.ok()) return del.status();
  auto calls = db_->Prepare(
      "SELECT l.duration_ns, l.team, l.feature, l.model, l.provider, l.prompt_version, s.service, l.environment, "
      "s.is_error, l.input_tokens, l.cache_read_tokens, l.cache_write_tokens, l.output_tokens, l.reasoning_tokens, "
      "l.cost_nanos FROM llm_calls l JOIN spans s ON s.id = l.span_row "
      "WHERE l.counts_usage AND l.start_ns >= ? AND l.start_ns < ?");
  if (!calls.ok()) return calls.status();
  std::map<RollupKey, RollupDelta> rollups;
  for (int64_t minute : minutes) {
    LOUPE_RETURN_IF_ERROR(del->Bind(1, minute).Run());
    calls->Bind(1, minute * kNanosPerMinute).Bind(2, (minute + 1) * kNanosPerMinute);
    Status s;
    while (calls->Step(&s)) {
      bool error = calls->Int(8) != 0;
      RollupKey key{minute, std::string(calls->Text(1)), std::string(calls->Text(2)), std::string(calls->Text(3)),
                    std::string(calls->Text(4)), std::string(calls->Text(5)), std::string(calls->Text(6)),
                    std::string(calls->Text(7)), error ? "error" : "ok"};
      RollupDelta& d = rollups[key];
      d.key = key;
      d.requests += 1;
      d.errors += error ? 1 : 0;
      d.input += calls->Int(9);
      d.cache_read += calls->Int(10);
      d.cache_write += calls->Int(11);
      d.output += calls->Int(12);
      d.reasoning += calls->Int(13);
      if (calls->IsNull(14)) d.unpriced += 1; else d.cost_nanos += calls->Int(14);
      d.latency.Add(static_cast<uint64_t>(calls->Int(0)));
    }
    calls->Reset();
    LOUPE_RETURN_IF_ERROR(s);
  }
  std::vector<RollupDelta> deltas;
  for (auto& [key, d] : rollups) deltas.push_back(std::move(d));
  LOUPE_RETURN_IF_ERROR(ApplyRollups(deltas));
  Status s;
  bump_version_.Step(&s);
  bump_version_.Reset();
  return s;
}

}  // namespace loupe::store::sqlite
