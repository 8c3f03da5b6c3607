// GET /api/v1/traces, /api/v1/traces/{id}, /api/v1/sessions and
// /api/v1/sessions/{id}.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "api/handlers.h"

namespace loupe::api::internal {
namespace {

// The trace-level conditions the store cannot apply itself: "ok" means no
// span failed, which a span-level filter cannot say; the duration is
// checked again over the whole trace (the store measures it within one
// day file).
bool PassesPostFilters(const TraceSearchRequest& r, const store::TraceSummary& t) {
  if (r.status == "ok" && t.has_error) return false;
  if (r.min_duration_ns && (t.end_ns < t.start_ns || t.end_ns - t.start_ns < r.min_duration_ns)) return false;
  return true;
}

bool NeedsPostFilter(const TraceSearchRequest& r) { return r.status == "ok"; }

// "accuracy:3" or "accuracy:2.5".
bool ParseScoreBelow(std::string_view v, std::optional<store::ScoreBelow>* out) {
  size_t colon = v.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == v.size()) return false;
  std::string number(v.substr(colon + 1));
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(value)) return false;
  store::ScoreBelow below;
  below.dimension = std::string(v.substr(0, colon));
  below.value = value;
  *out = std::move(below);
  return true;
}

// Every trace the query matches, up to `max` (for sessions).
Result<std::vector<store::TraceSummary>> AllTraces(store::Store* store, store::TraceQuery q, size_t max, bool* complete) {
  std::vector<store::TraceSummary> out;
  q.limit = 1000;
  *complete = false;
  while (out.size() < max) {
    auto page = store->SearchTraces(q);
    if (!page.ok()) return page.status();
    for (auto& t : page->traces) out.push_back(std::move(t));
    if (page->next_cursor.empty()) {
      *complete = true;
      break;
    }
    q.cursor = page->next_cursor;
  }
  return out;
}

json SessionJson(const std::string& id, std::vector<store::TraceSummary>* traces, bool with_traces) {
  std::sort(traces->begin(), traces->end(),
            [](const auto& a, const auto& b) { return std::tie(a.start_ns, a.trace_id) < std::tie(b.start_ns, b.trace_id); });
  uint64_t start = traces->empty() ? 0 : traces->front().start_ns, end = 0;
  int64_t llm_calls = 0, tokens = 0, cost = 0, errors = 0;
  json rows = json::array();
  for (const auto& t : *traces) {
    end = std::max(end, t.end_ns);
    llm_calls += t.llm_calls;
    tokens += t.tokens;
    cost += t.cost_nanos;
    errors += t.has_error ? 1 : 0;
    if (with_traces) rows.push_back(TraceSummaryJson(t));
  }
  json out = {{"session_id", id},
              {"start", FormatRfc3339(start)},
              {"end", FormatRfc3339(end)},
              {"duration_ms", end > start ? static_cast<double>(end - start) / 1e6 : 0.0},
              {"traces_count", traces->size()},
              {"llm_calls", llm_calls},
              {"tokens", tokens},
              {"cost_nanos", cost},
              {"cost_usd", static_cast<double>(cost) / 1e9},
              {"error_traces", errors}};
  if (with_traces) out["traces"] = std::move(rows);
  return out;
}

}  // namespace

ParamTable TraceSearchParams(uint64_t now_ns, TraceSearchRequest* r) {
  store::TraceQuery& q = r->query;
  ParamTable t(now_ns);
  t.Time("since", &q.start_ns)
      .Time("until", &q.end_ns)
      .String("service", &q.service)
      .String("environment", &q.environment)
      .String("team", &q.team)
      .String("feature", &q.feature)
      .String("model", &q.model)
      .String("provider", &q.provider)
      .String("prompt_version", &q.prompt_version)
      .String("user", &q.user)
      .String("session", &q.session)
      .OneOf("status", {"ok", "error"}, &r->status)
      .Usd("min_cost_usd", &q.min_cost_nanos)
      .Millis("min_duration_ms", &r->min_duration_ns)
      .Custom("score_below", "DIMENSION:VALUE, e.g. accuracy:3 (traces with a score on that dimension below VALUE)",
              [r](std::string_view v) { return ParseScoreBelow(v, &r->score_below); })
      .String("score_evaluator", &r->score_evaluator)
      .String("q", &q.text)
      .Count("limit", &q.limit, 1, 1000)
      .String("cursor", &q.cursor);
  return t;
}

ingest::HttpResponse HandleTraceSearch(const Context& c, const ingest::HttpRequest& req) {
  TraceSearchRequest r;
  if (auto e = TraceSearchParams(c.clock->NowUnixNanos(), &r).Apply(req.query)) return ParamErrorResponse(*e);
  if (r.query.start_ns && r.query.end_ns && r.query.end_ns <= r.query.start_ns) {
    return ErrorResponse(400, "until", "parameter \"until\": expected a time after \"since\"");
  }
  if (r.min_duration_ns) r.query.min_duration_ns = r.min_duration_ns;
  if (r.score_below) {
    r.score_below->evaluator = r.score_evaluator;
    r.query.score_below = r.score_below;
  } else if (!r.score_evaluator.empty()) {
    return ErrorResponse(400, "score_evaluator", "parameter \"score_evaluator\": only meaningful with score_below");
  }
  r.query.status = r.status == "error" ? store::StatusFilter::kError
                   : r.status == "ok"  ? store::StatusFilter::kOk
                                       : store::StatusFilter::kAny;
  const size_t want = r.query.limit;
  json rows = json::array();
  std::string next;
  size_t scanned = 0;
  store::TraceQuery q = r.query;
  // With post-filters, each store page asks for exactly the rows still
  // missing, so a page is consumed whole and its cursor stays exact.
  while (true) {
    q.limit = want - rows.size();
    auto page = c.store->SearchTraces(q);
    if (!page.ok()) return StoreErrorResponse(page.status());
    scanned += page->traces.size();
    for (const auto& t : page->traces) {
      if (PassesPostFilters(r, t)) rows.push_back(TraceSummaryJson(t));
    }
    next = page->next_cursor;
    if (!NeedsPostFilter(r) || next.empty() || rows.size() >= want || scanned >= c.options.max_scan_traces) break;
    q.cursor = next;
  }
  json out = {{"traces", std::move(rows)}};
  out["next_cursor"] = next.empty() ? json(nullptr) : json(next);
  return JsonResponse(200, out);
}

ingest::HttpResponse HandleTrace(const Context& c, const ingest::HttpRequest& req) {
  std::string_view id = std::string_view(req.path).substr(std::string_view("/api/v1/traces/").size());
  model::TraceId trace_id;
  if (!model::ParseHex(id, &trace_id) || model::IsZero(trace_id)) {
    return ErrorResponse(400, "trace_id", "trace id: expected 32 hex digits (not all zero), got \"" +
                                              std::string(id.substr(0, 64)) + "\"");
  }
  if (auto e = ParamTable(0).Apply(req.query)) return ParamErrorResponse(*e);
  auto trace = c.store->GetTrace(trace_id);
  if (!trace.ok()) return StoreErrorResponse(trace.status());
  json out = TraceJson(*trace, *c.catalog);
  // Every score of the trace, all versions, so a forced re-run and the
  // one it replaced can be compared.
  json scores = json::array();
  store::ScoreQuery sq;
  sq.trace_id = trace_id;
  sq.latest_only = false;
  sq.limit = 1000;
  auto page = c.store->QueryScores(sq);
  if (!page.ok()) return StoreErrorResponse(page.status());
  for (const auto& s : page->scores) scores.push_back(ScoreJson(s));
  out["scores"] = std::move(scores);
  return JsonResponse(200, out);
}

ParamTable SessionParams(uint64_t now_ns, store::TraceQuery* q) {
  ParamTable t(now_ns);
  t.Time("since", &q->start_ns).Time("until", &q->end_ns);
  return t;
}

ingest::HttpResponse HandleSession(const Context& c, const ingest::HttpRequest& req) {
  std::string id(std::string_view(req.path).substr(std::string_view("/api/v1/sessions/").size()));
  // A path segment: %-escapes decode, '+' stays a plus.
  std::string escaped;
  for (char ch : id) escaped += ch == '+' ? std::string("%2B") : std::string(1, ch);
  std::vector<std::pair<std::string, std::string>> decoded;
  if (id.empty() || id.find('/') != std::string::npos || id.find('&') != std::string::npos ||
      DecodeQuery("id=" + escaped, &decoded) || decoded.empty() || decoded[0].second.empty()) {
    return ErrorResponse(400, "session_id", "session id: expected one non-empty, %-encoded path segment");
  }
  store::TraceQuery q;
  if (auto e = SessionParams(c.clock->NowUnixNanos(), &q).Apply(req.query)) return ParamErrorResponse(*e);
  q.session = decoded[0].second;
  bool complete = false;
  auto traces = AllTraces(c.store, q, c.options.max_scan_traces, &complete);
  if (!traces.ok()) return StoreErrorResponse(traces.status());
  if (traces->empty()) return ErrorResponse(404, "", "session \"" + q.session + "\" has no stored traces");
  json out = SessionJson(q.session, &*traces, /*with_traces=*/true);
  out["complete"] = complete;
  return JsonResponse(200, out);
}

ParamTable SessionListParams(uint64_t now_ns, SessionListRequest* r) {
  ParamTable t(now_ns);
  t.Time("since", &r->query.start_ns)
      .Time("until", &r->query.end_ns)
      .String("user", &r->query.user)
      .Count("limit", &r->query.limit, 1, 200)
      .String("cursor", &r->query.cursor);
  return t;
}

// Sessions from the store's session index, newest activity first.
ingest::HttpResponse HandleSessions(const Context& c, const ingest::HttpRequest& req) {
  SessionListRequest r;
  if (auto e = SessionListParams(c.clock->NowUnixNanos(), &r).Apply(req.query)) return ParamErrorResponse(*e);
  auto page = c.store->ListSessions(r.query);
  if (!page.ok()) return StoreErrorResponse(page.status());
  json rows = json::array();
  for (const auto& s : page->sessions) {
    rows.push_back({{"session_id", s.session_id},
                    {"start", FormatRfc3339(s.first_ns)},
                    {"end", FormatRfc3339(s.last_ns)},
                    {"duration_ms", s.last_ns > s.first_ns ? static_cast<double>(s.last_ns - s.first_ns) / 1e6 : 0.0},
                    {"traces_count", s.traces},
                    {"llm_calls", s.llm_calls},
                    {"tokens", s.tokens},
                    {"cost_nanos", s.cost_nanos},
                    {"cost_usd", static_cast<double>(s.cost_nanos) / 1e9},
                    {"user", s.user.empty() ? json(nullptr) : json(s.user)}});
  }
  json out = {{"sessions", std::move(rows)}};
  out["next_cursor"] = page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor);
  return JsonResponse(200, out);
}

}  // namespace loupe::api::internal
