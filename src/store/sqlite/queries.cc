#include "store/sqlite/queries.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

#include "store/batch_codec.h"

namespace loupe::store::sqlite {
namespace {

constexpr size_t kMaxLimit = 1000;

std::string_view AsBlob(const auto& id) { return {reinterpret_cast<const char*>(id.data()), id.size()}; }

template <size_t N>
bool CopyId(std::string_view blob, std::array<uint8_t, N>* id) {
  if (blob.size() != N) return false;
  std::copy(blob.begin(), blob.end(), id->begin());
  return true;
}

// ---- loupe_hist_merge ----
void HistStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto** slot = static_cast<LatencyHistogram**>(sqlite3_aggregate_context(ctx, sizeof(LatencyHistogram*)));
  if (!slot) return sqlite3_result_error_nomem(ctx);
  if (!*slot) *slot = new LatencyHistogram();
  const auto* p = static_cast<const char*>(sqlite3_value_blob(argv[0]));
  LatencyHistogram h;
  if (!h.Decode(std::string_view(p ? p : "", static_cast<size_t>(sqlite3_value_bytes(argv[0]))))) {
    return sqlite3_result_error(ctx, "corrupt latency histogram", -1);
  }
  (*slot)->Merge(h);
}

// loupe_hist_add(duration_ns): a histogram of raw durations.
void HistAddStep(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto** slot = static_cast<LatencyHistogram**>(sqlite3_aggregate_context(ctx, sizeof(LatencyHistogram*)));
  if (!slot) return sqlite3_result_error_nomem(ctx);
  if (!*slot) *slot = new LatencyHistogram();
  sqlite3_int64 v = sqlite3_value_int64(argv[0]);
  (*slot)->Add(v > 0 ? static_cast<uint64_t>(v) : 0);
}

void HistFinal(sqlite3_context* ctx) {
  auto** slot = static_cast<LatencyHistogram**>(sqlite3_aggregate_context(ctx, 0));
  std::string encoded = slot && *slot ? (*slot)->Encode() : std::string();
  if (slot) delete *slot;
  sqlite3_result_blob64(ctx, encoded.data(), encoded.size(), SQLITE_TRANSIENT);
}

// Cursor: "<start_ns>:<trace id hex>".
std::string MakeCursor(int64_t start, const model::TraceId& id) { return std::to_string(start) + ":" + model::ToHex(id); }
bool ParseCursor(const std::string& cursor, int64_t* start, model::TraceId* id) {
  auto colon = cursor.find(':');
  if (colon == std::string::npos) return false;
  auto [p, ec] = std::from_chars(cursor.data(), cursor.data() + colon, *start);
  return ec == std::errc() && p == cursor.data() + colon && model::ParseHex(cursor.substr(colon + 1), id);
}

// Adds what `db` holds of trace t->trace_id to *t (several days may
// hold parts of one trace). *root_rank tracks the best root candidate.
Status Summarize(Db* db, TraceSummary* t, std::pair<int, int64_t>* root_rank) {
  auto st = db->Prepare(
      "SELECT MIN(s.start_ns), MAX(s.end_ns), COUNT(*), COUNT(l.span_row), "
      "TOTAL(CASE WHEN l.counts_usage THEN l.cost_nanos END), TOTAL(CASE WHEN l.counts_usage THEN l.total_tokens END), "
      "MAX(s.is_error) FROM spans s LEFT JOIN llm_calls l ON l.span_row = s.id WHERE s.trace_id = ?");
  if (!st.ok()) return st.status();
  st->BindBlob(1, AsBlob(t->trace_id));
  Status s;
  if (st->Step(&s) && st->Int(2) > 0) {
    uint64_t start = static_cast<uint64_t>(st->Int(0)), end = static_cast<uint64_t>(st->Int(1));
    t->start_ns = t->spans == 0 ? start : std::min(t->start_ns, start);
    t->end_ns = std::max(t->end_ns, end);
    t->spans += st->Int(2);
    t->llm_calls += st->Int(3);
    t->cost_nanos += static_cast<int64_t>(st->Double(4));
    t->tokens += static_cast<int64_t>(st->Double(5));
    t->has_error = t->has_error || st->Int(6) != 0;
  }
  LOUPE_RETURN_IF_ERROR(s);
  auto root = db->Prepare(
      "SELECT name, service, parent_span_id = zeroblob(8), start_ns FROM spans WHERE trace_id = ? "
      "ORDER BY parent_span_id = zeroblob(8) DESC, start_ns LIMIT 1");
  if (!root.ok()) return root.status();
  root->BindBlob(1, AsBlob(t->trace_id));
  if (root->Step(&s)) {
    // Rank: a real root beats any span; then the earliest start.
    std::pair<int, int64_t> rank{root->Int(2) ? 0 : 1, root->Int(3)};
    if (rank < *root_rank) {
      *root_rank = rank;
      t->root_name = root->Int(2) ? std::string(root->Text(0)) : std::string();
      t->service = root->Text(1);
    }
  }
  return s;
}

}  // namespace

Status RegisterFunctions(Db* db) {
  int rc = sqlite3_create_function_v2(db->raw(), "loupe_hist_merge", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      nullptr, HistStep, HistFinal, nullptr);
  if (rc != SQLITE_OK) return db->Error("registering loupe_hist_merge");
  rc = sqlite3_create_function_v2(db->raw(), "loupe_hist_add", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                  nullptr, HistAddStep, HistFinal, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : db->Error("registering loupe_hist_add");
}

Status AttachState(Db* db, const std::string& state_path) {
  auto has = db->Prepare("SELECT COUNT(*) FROM pragma_database_list WHERE name = 'st'");
  if (!has.ok()) return has.status();
  Status s;
  if (has->Step(&s) && has->Int(0) > 0) return Status::Ok();
  LOUPE_RETURN_IF_ERROR(s);
  has = Stmt();
  auto attach = db->Prepare("ATTACH DATABASE ? AS st");
  if (!attach.ok()) return attach.status();
  return attach->Bind(1, std::string_view(state_path)).Run();
}

void OrderAsTree(std::vector<Trace::Node>* spans) {
  std::map<model::SpanId, size_t> by_id;
  for (size_t i = 0; i < spans->size(); ++i) by_id[(*spans)[i].record.span.span_id] = i;
  std::map<model::SpanId, std::vector<size_t>> children;
  std::vector<size_t> roots;
  for (size_t i = 0; i < spans->size(); ++i) {
    const model::Span& s = (*spans)[i].record.span;
    bool has_parent = !s.is_root() && s.parent_span_id != s.span_id && by_id.count(s.parent_span_id);
    (has_parent ? children[s.parent_span_id] : roots).push_back(i);
  }
  auto by_start = [spans](size_t a, size_t b) {
    const auto& sa = (*spans)[a].record.span;
    const auto& sb = (*spans)[b].record.span;
    return std::tie(sa.start_time_unix_nano, sa.span_id) < std::tie(sb.start_time_unix_nano, sb.span_id);
  };
  std::vector<Trace::Node> out;
  out.reserve(spans->size());
  std::vector<bool> seen(spans->size(), false);
  // Iterative DFS; `seen` guards against parent cycles in bad data.
  std::vector<std::pair<size_t, int>> stack;
  std::sort(roots.begin(), roots.end(), by_start);
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({*it, 0});
  auto drain = [&] {
    while (!stack.empty()) {
      auto [i, depth] = stack.back();
      stack.pop_back();
      if (seen[i]) continue;
      seen[i] = true;
      (*spans)[i].depth = depth;
      out.push_back(std::move((*spans)[i]));
      auto c = children.find(out.back().record.span.span_id);
      if (c == children.end()) continue;
      std::sort(c->second.begin(), c->second.end(), by_start);
      for (auto k = c->second.rbegin(); k != c->second.rend(); ++k) stack.push_back({*k, depth + 1});
    }
  };
  drain();
  for (size_t i = 0; i < spans->size(); ++i) {  // spans only reachable through a cycle
    if (!seen[i]) {
      stack.push_back({i, 0});
      drain();
    }
  }
  *spans = std::move(out);
}

namespace {

Status AddTraceFrom(Db* db, const model::TraceId& trace_id, Trace* trace) {
  auto st = db->Prepare(
      "SELECT s.body, c.data FROM spans s LEFT JOIN content c ON c.span_row = s.id WHERE s.trace_id = ?");
  if (!st.ok()) return st.status();
  st->BindBlob(1, AsBlob(trace_id));
  Status s;
  std::string raw;
  while (st->Step(&s)) {
    Trace::Node node;
    Status d = Decompress(st->Blob(0), &raw);
    if (d.ok()) d = DecodeSpanRecord(raw, &node.record);
    if (d.ok() && !st->IsNull(1) && node.record.llm) {
      d = Decompress(st->Blob(1), &raw);
      if (d.ok()) d = DecodeContent(raw, &*node.record.llm);
    }
    if (!d.ok()) return d.WithContext(db->path() + ": trace " + model::ToHex(trace_id));
    trace->spans.push_back(std::move(node));
  }
  LOUPE_RETURN_IF_ERROR(s);
  auto logs = db->Prepare("SELECT body FROM logs WHERE trace_id = ? ORDER BY time_ns");
  if (!logs.ok()) return logs.status();
  logs->BindBlob(1, AsBlob(trace_id));
  while (logs->Step(&s)) {
    model::LogRecord log;
    Status d = Decompress(logs->Blob(0), &raw);
    if (d.ok()) d = DecodeLog(raw, &log);
    if (!d.ok()) return d.WithContext(db->path() + ": log of trace " + model::ToHex(trace_id));
    trace->logs.push_back(std::move(log));
  }
  return s;
}

}  // namespace

Result<Trace> GetTrace(const std::vector<DayReader>& days, const model::TraceId& trace_id) {
  Trace trace;
  trace.trace_id = trace_id;
  for (const DayReader& d : days) LOUPE_RETURN_IF_ERROR(AddTraceFrom(d.db, trace_id, &trace));
  if (trace.spans.empty()) return Status::NotFound("trace " + model::ToHex(trace_id) + " is not stored");
  OrderAsTree(&trace.spans);
  std::stable_sort(trace.logs.begin(), trace.logs.end(),
                   [](const model::LogRecord& a, const model::LogRecord& b) { return a.time_unix_nano < b.time_unix_nano; });
  return trace;
}

namespace {

// One day's matching traces: (trace id, earliest matching start), at
// most limit + 1 after the cursor, newest first.
Status SearchDay(Db* db, const TraceQuery& q, size_t limit, std::map<model::TraceId, int64_t>* found) {
  std::string sql =
      "SELECT s.trace_id, MIN(s.start_ns) AS t FROM spans s LEFT JOIN llm_calls l ON l.span_row = s.id WHERE 1";
  std::vector<std::function<void(Stmt&, int)>> binds;
  auto add = [&](const char* clause, auto value) {
    sql += clause;
    binds.push_back([value](Stmt& st, int i) { st.Bind(i, value); });
  };
  if (q.start_ns) add(" AND s.start_ns >= ?", static_cast<int64_t>(q.start_ns));
  if (q.end_ns) add(" AND s.start_ns < ?", static_cast<int64_t>(q.end_ns));
  if (!q.service.empty()) add(" AND s.service = ?", std::string_view(q.service));
  if (!q.team.empty()) add(" AND l.team = ?", std::string_view(q.team));
  if (!q.feature.empty()) add(" AND l.feature = ?", std::string_view(q.feature));
  if (!q.provider.empty()) add(" AND l.provider = ?", std::string_view(q.provider));
  if (!q.prompt_version.empty()) add(" AND l.prompt_version = ?", std::string_view(q.prompt_version));
  if (!q.environment.empty()) add(" AND l.environment = ?", std::string_view(q.environment));
  // The "!= ''" terms repeat the partial indexes' conditions: without
  // them SQLite cannot prove llm_by_user/llm_by_session apply and scans.
  if (!q.user.empty()) add(" AND l.user_id != '' AND l.user_id = ?", std::string_view(q.user));
  if (!q.session.empty()) add(" AND l.session_id != '' AND l.session_id = ?", std::string_view(q.session));
  if (!q.model.empty()) {
    add(" AND (l.request_model = ?", std::string_view(q.model));
    add(" OR l.response_model = ?)", std::string_view(q.model));
  }
  if (q.min_cost_nanos) add(" AND l.cost_nanos >= ?", *q.min_cost_nanos);
  if (q.status == StatusFilter::kError) sql += " AND s.is_error = 1";
  if (q.status == StatusFilter::kOk) sql += " AND s.is_error = 0";
  if (!q.text.empty()) add(" AND s.id IN (SELECT rowid FROM content_fts WHERE content_fts MATCH ?)", std::string_view(q.text));
  if (q.score_below) {
    // state.db is attached as "st" (AttachState); the subquery is
    // evaluated once per statement.
    add(" AND s.trace_id IN (SELECT trace_id FROM st.scores WHERE latest = 1 AND dimension = ?",
        std::string_view(q.score_below->dimension));
    if (!q.score_below->evaluator.empty()) add(" AND evaluator = ?", std::string_view(q.score_below->evaluator));
    add(" AND value < ?)", q.score_below->value);
  }
  sql += " GROUP BY s.trace_id";
  if (q.min_duration_ns) {
    // The whole trace's extent (in this day file), not just the matching spans'.
    add(" HAVING (SELECT MAX(x.end_ns) - MIN(x.start_ns) FROM spans x WHERE x.trace_id = s.trace_id) >= ?",
        static_cast<int64_t>(*q.min_duration_ns));
  }
  if (!q.cursor.empty()) {
    int64_t start;
    model::TraceId id;
    if (!ParseCursor(q.cursor, &start, &id)) return Status::InvalidArgument("cursor: not one this store issued");
    sql += q.min_duration_ns ? " AND" : " HAVING";
    sql += " (t < ?1000 OR (t = ?1000 AND s.trace_id < ?1001))";
    binds.push_back([start, id](Stmt& st, int) {
      st.Bind(1000, start);
      st.BindBlob(1001, AsBlob(id));
    });
  }
  sql += " ORDER BY t DESC, s.trace_id DESC LIMIT " + std::to_string(limit + 1);

  auto st = db->Prepare(sql);
  if (!st.ok()) return st.status();
  for (size_t i = 0; i < binds.size(); ++i) binds[i](*st, static_cast<int>(i + 1));
  Status s;
  while (st->Step(&s)) {
    model::TraceId id;
    if (!CopyId(st->Blob(0), &id)) return Status::FailedPrecondition(db->path() + ": bad trace id");
    auto [it, added] = found->emplace(id, st->Int(1));
    if (!added) it->second = std::min(it->second, st->Int(1));
  }
  if (!s.ok()) {
    // A malformed full-text query is the caller's mistake, not the store's.
    if (!q.text.empty() && s.message().find("fts5") != std::string::npos) return Status::InvalidArgument("text: " + s.message());
    return s;
  }
  return Status::Ok();
}

}  // namespace

Result<TracePage> SearchTraces(const std::vector<DayReader>& days, const TraceQuery& q) {
  if (!q.cursor.empty()) {
    int64_t start;
    model::TraceId id;
    if (!ParseCursor(q.cursor, &start, &id)) return Status::InvalidArgument("cursor: not one this store issued");
  }
  const size_t limit = std::clamp<size_t>(q.limit, 1, kMaxLimit);
  std::map<model::TraceId, int64_t> found;
  // Newest day first; once a page is full, one more (older) day is read
  // so traces crossing midnight get their earliest start.
  bool full_after_this = false;
  for (const DayReader& d : days) {
    const int64_t day_start = d.day * 86'400'000'000'000, day_end = day_start + 86'400'000'000'000;
    if (q.end_ns && static_cast<uint64_t>(day_start) >= q.end_ns) continue;
    if (q.start_ns && static_cast<uint64_t>(day_end) <= q.start_ns) continue;
    LOUPE_RETURN_IF_ERROR(SearchDay(d.db, q, limit, &found));
    if (full_after_this) break;
    if (found.size() > limit) full_after_this = true;
  }
  std::vector<std::pair<int64_t, model::TraceId>> order;
  for (const auto& [id, t] : found) order.push_back({t, id});
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a > b; });
  TracePage page;
  for (size_t i = 0; i < order.size() && i < limit; ++i) {
    TraceSummary t;
    t.trace_id = order[i].second;
    page.traces.push_back(t);
  }
  if (order.size() > limit) page.next_cursor = MakeCursor(order[limit - 1].first, order[limit - 1].second);
  for (size_t i = 0; i < page.traces.size(); ++i) {
    TraceSummary& t = page.traces[i];
    const int64_t day = order[i].first / 86'400'000'000'000;
    std::pair<int, int64_t> root_rank{2, 0};
    for (const DayReader& d : days) {
      if (d.day < day - 1 || d.day > day + 1) continue;  // a trace's spans lie within about a day
      LOUPE_RETURN_IF_ERROR(Summarize(d.db, &t, &root_rank));
    }
  }
  return page;
}

}  // namespace loupe::store::sqlite
