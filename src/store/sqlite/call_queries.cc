// Questions answered from the day files' LLM calls rather than from the
// rollup tables: aggregates by user or session, and the session list.
#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>

#include "store/sqlite/queries.h"

namespace loupe::store::sqlite {
namespace {

constexpr size_t kMaxLimit = 1000;
constexpr int64_t kNanosPerMinute = 60'000'000'000;
constexpr int64_t kNanosPerDay = 86'400'000'000'000;

// The llm_calls/spans expression of a dimension, as the indexer keys
// the per-minute rollups (indexer.cc).
std::string CallColumn(Dimension d) {
  switch (d) {
    case Dimension::kTeam: return "l.team";
    case Dimension::kFeature: return "l.feature";
    case Dimension::kModel: return "l.model";
    case Dimension::kProvider: return "l.provider";
    case Dimension::kPromptVersion: return "l.prompt_version";
    case Dimension::kService: return "s.service";
    case Dimension::kEnvironment: return "l.environment";
    case Dimension::kStatus: return "(CASE WHEN s.is_error THEN 'error' ELSE 'ok' END)";
    case Dimension::kUser: return "l.user_id";
    case Dimension::kSession: return "l.session_id";
  }
  return "''";
}

bool DayOverlaps(int64_t day, uint64_t start_ns, uint64_t end_ns) {
  const uint64_t lo = static_cast<uint64_t>(day * kNanosPerDay), hi = lo + static_cast<uint64_t>(kNanosPerDay);
  return (!end_ns || lo < end_ns) && hi > start_ns;
}

}  // namespace

Result<std::vector<RollupRow>> QueryCallRollups(const std::vector<DayReader>& days, const RollupQuery& q) {
  // Whole minutes whose start lies in [start, end), as the rollups count.
  auto ceil_minute = [](uint64_t ns) { return (ns + kNanosPerMinute - 1) / kNanosPerMinute * kNanosPerMinute; };
  const int64_t lo = static_cast<int64_t>(ceil_minute(q.start_ns));
  const int64_t hi = q.end_ns ? static_cast<int64_t>(ceil_minute(q.end_ns)) : INT64_MAX;
  std::string dims;
  for (Dimension d : q.group_by) dims += CallColumn(d) + ", ";
  std::string sql = "SELECT " + dims +
                    "COUNT(*), SUM(s.is_error), SUM(l.input_tokens), SUM(l.cache_read_tokens), "
                    "SUM(l.cache_write_tokens), SUM(l.output_tokens), SUM(l.reasoning_tokens), SUM(l.cost_nanos), "
                    "SUM(l.cost_nanos IS NULL), loupe_hist_add(l.duration_ns) "
                    "FROM llm_calls l JOIN spans s ON s.id = l.span_row "
                    "WHERE l.counts_usage AND l.start_ns >= ?1 AND l.start_ns < ?2";
  int param = 3;
  for (const auto& w : q.where) {
    // The "!= ''" repeats the partial indexes' condition so they apply.
    if (w.first == Dimension::kUser) sql += " AND l.user_id != ''";
    if (w.first == Dimension::kSession) sql += " AND l.session_id != ''";
    sql += " AND " + CallColumn(w.first) + " = ?" + std::to_string(param++);
  }
  if (!q.group_by.empty()) sql += " GROUP BY " + dims.substr(0, dims.size() - 2);
  std::map<std::vector<std::string>, RollupRow> rows;
  const int n = static_cast<int>(q.group_by.size());
  for (const DayReader& d : days) {
    if (!DayOverlaps(d.day, static_cast<uint64_t>(lo), static_cast<uint64_t>(hi == INT64_MAX ? 0 : hi))) continue;
    auto st = d.db->Prepare(sql);
    if (!st.ok()) return st.status();
    st->Bind(1, lo).Bind(2, hi);
    param = 3;
    for (const auto& w : q.where) st->Bind(param++, std::string_view(w.second));
    Status s;
    while (st->Step(&s)) {
      if (st->Int(n) == 0) continue;  // no calls (the ungrouped row)
      std::vector<std::string> key;
      for (int i = 0; i < n; ++i) key.emplace_back(st->Text(i));
      RollupRow& row = rows[key];
      row.key = key;
      int64_t* measures[] = {&row.requests, &row.errors, &row.input_tokens, &row.cache_read_tokens,
                             &row.cache_write_tokens, &row.output_tokens, &row.reasoning_tokens, &row.cost_nanos,
                             &row.unpriced_requests};
      for (int i = 0; i < 9; ++i) *measures[i] += st->Int(n + i);
      LatencyHistogram h;
      if (!h.Decode(st->Blob(n + 9))) return Status::Internal(d.db->path() + ": bad latency histogram");
      row.latency.Merge(h);
    }
    LOUPE_RETURN_IF_ERROR(s);
  }
  std::vector<RollupRow> out;
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  std::stable_sort(out.begin(), out.end(),
                   [](const RollupRow& a, const RollupRow& b) { return a.cost_nanos > b.cost_nanos; });
  return out;
}

namespace {

// Cursor: "<last_ns>:<session id>" of the last session of the page.
bool ParseSessionCursor(const std::string& c, int64_t* last, std::string* id) {
  auto colon = c.find(':');
  if (colon == std::string::npos) return false;
  auto [p, ec] = std::from_chars(c.data(), c.data() + colon, *last);
  if (ec != std::errc() || p != c.data() + colon) return false;
  *id = c.substr(colon + 1);
  return true;
}

// The calls filter shared by both phases: time range and user.
std::string CallFilter(const SessionQuery& q) {
  std::string sql;
  if (q.start_ns) sql += " AND l.start_ns >= " + std::to_string(q.start_ns);
  if (q.end_ns) sql += " AND l.start_ns < " + std::to_string(q.end_ns);
  if (!q.user.empty()) sql += " AND l.user_id != '' AND l.user_id = ?2";
  return sql;
}

}  // namespace

Result<SessionPage> ListSessions(const std::vector<DayReader>& days, const SessionQuery& q) {
  int64_t cursor_last = INT64_MAX;
  std::string cursor_id;
  if (!q.cursor.empty() && !ParseSessionCursor(q.cursor, &cursor_last, &cursor_id)) {
    return Status::InvalidArgument("cursor: not one this store issued");
  }
  const size_t limit = std::clamp<size_t>(q.limit, 1, kMaxLimit);
  auto before_cursor = [&](int64_t last, const std::string& id) {
    return q.cursor.empty() || last < cursor_last || (last == cursor_last && id < cursor_id);
  };
  // Phase 1: find the sessions by latest activity, newest day first.
  // Once a day is read, every session seen so far has its final "last"
  // (older days only hold earlier calls), so we stop as soon as a page
  // past the cursor is certain.
  std::map<std::string, int64_t> last_by_session;
  const std::string filter = CallFilter(q);
  for (const DayReader& d : days) {
    if (!DayOverlaps(d.day, q.start_ns, q.end_ns)) continue;
    auto st = d.db->Prepare(
        "SELECT l.session_id, MAX(l.start_ns + l.duration_ns) FROM llm_calls l WHERE l.session_id != ''" + filter +
        " GROUP BY l.session_id");
    if (!st.ok()) return st.status();
    if (!q.user.empty()) st->Bind(2, std::string_view(q.user));
    Status s;
    while (st->Step(&s)) {
      int64_t& last = last_by_session[std::string(st->Text(0))];
      last = std::max(last, st->Int(1));
    }
    LOUPE_RETURN_IF_ERROR(s);
    size_t past_cursor = 0;
    for (const auto& [id, last] : last_by_session) past_cursor += before_cursor(last, id) ? 1 : 0;
    if (past_cursor > limit) break;
  }
  std::vector<std::pair<int64_t, std::string>> order;
  for (const auto& [id, last] : last_by_session) {
    if (before_cursor(last, id)) order.push_back({last, id});
  }
  std::sort(order.begin(), order.end(), std::greater<>());
  SessionPage page;
  if (order.size() > limit) {
    order.resize(limit);
    page.next_cursor = std::to_string(order.back().first) + ":" + order.back().second;
  }
  // Phase 2: each session's totals over every day in range (its index).
  struct Acc {
    SessionSummary sum;
    std::set<std::string> traces;
    int64_t user_start = -1;
  };
  std::vector<Acc> acc(order.size());
  for (const DayReader& d : days) {
    if (!DayOverlaps(d.day, q.start_ns, q.end_ns)) continue;
    auto st = d.db->Prepare(
        "SELECT l.start_ns, l.duration_ns, l.counts_usage, l.total_tokens, l.cost_nanos, l.user_id, s.trace_id "
        "FROM llm_calls l JOIN spans s ON s.id = l.span_row WHERE l.session_id != '' AND l.session_id = ?1" +
        filter);
    if (!st.ok()) return st.status();
    for (size_t i = 0; i < order.size(); ++i) {
      SessionSummary& sum = acc[i].sum;
      st->Bind(1, std::string_view(order[i].second));
      if (!q.user.empty()) st->Bind(2, std::string_view(q.user));
      Status s;
      while (st->Step(&s)) {
        const int64_t start = st->Int(0), end = start + st->Int(1);
        sum.first_ns = sum.llm_calls == 0 ? static_cast<uint64_t>(start)
                                          : std::min(sum.first_ns, static_cast<uint64_t>(start));
        sum.last_ns = std::max(sum.last_ns, static_cast<uint64_t>(end));
        ++sum.llm_calls;
        if (st->Int(2)) {
          sum.tokens += st->Int(3);
          sum.cost_nanos += st->Int(4);
        }
        if (!st->Text(5).empty() && start >= acc[i].user_start) {
          acc[i].user_start = start;
          sum.user = st->Text(5);
        }
        acc[i].traces.emplace(st->Blob(6));
      }
      st->Reset();
      LOUPE_RETURN_IF_ERROR(s);
    }
  }
  for (size_t i = 0; i < order.size(); ++i) {
    acc[i].sum.session_id = order[i].second;
    acc[i].sum.traces = static_cast<int64_t>(acc[i].traces.size());
    page.sessions.push_back(std::move(acc[i].sum));
  }
  return page;
}

}  // namespace loupe::store::sqlite
