// GET /api/v1/stats: aggregates from the store's rollups, grouped by any
// rollup dimension, optionally as time series.
#include <algorithm>
#include <map>

#include "api/handlers.h"

namespace loupe::api::internal {
namespace {

constexpr uint64_t kMinute = 60'000'000'000ull;
constexpr uint64_t kDay = 1440 * kMinute;

const std::vector<std::string>& Dimensions() {
  static const std::vector<std::string> dims = {"team",    "feature",     "model",  "provider", "prompt_version",
                                                "service", "environment", "status", "user",     "session"};
  return dims;
}

// One measure of a rollup row; null when it has no value (a rate or a
// percentile over no requests, a cost per request with nothing priced).
json Measure(const std::string& name, const store::RollupRow& r) {
  const int64_t priced = r.requests - r.unpriced_requests;
  if (name == "requests") return r.requests;
  if (name == "errors") return r.errors;
  if (name == "error_rate") return r.requests ? json(static_cast<double>(r.errors) / r.requests) : json(nullptr);
  if (name == "input_tokens") return r.input_tokens;
  if (name == "output_tokens") return r.output_tokens;
  if (name == "cache_read_tokens") return r.cache_read_tokens;
  if (name == "cache_write_tokens") return r.cache_write_tokens;
  if (name == "reasoning_tokens") return r.reasoning_tokens;
  if (name == "cost_usd") return static_cast<double>(r.cost_nanos) / 1e9;
  if (name == "cost_nanos") return r.cost_nanos;
  if (name == "unpriced_requests") return r.unpriced_requests;
  if (name == "cost_per_request") return priced > 0 ? json(static_cast<double>(r.cost_nanos) / 1e9 / priced) : json(nullptr);
  if (r.latency.count() == 0) return nullptr;
  if (name == "p50_ms") return r.p50_ms();
  if (name == "p95_ms") return r.p95_ms();
  if (name == "p99_ms") return r.p99_ms();
  return nullptr;
}

std::vector<store::Dimension> ToDimensions(const std::vector<std::string>& names) {
  std::vector<store::Dimension> out;
  for (const auto& n : names) {
    store::Dimension d;
    if (store::ParseDimension(n, &d)) out.push_back(d);
  }
  return out;
}

// Orders rows by a measure (nulls last), then by key for a stable answer.
void Order(std::vector<store::RollupRow>* rows, const std::string& order_by) {
  std::string measure = order_by.substr(0, order_by.find(':'));
  const bool asc = order_by.size() > measure.size() && order_by.substr(measure.size() + 1) == "asc";
  std::stable_sort(rows->begin(), rows->end(), [&](const store::RollupRow& a, const store::RollupRow& b) {
    json va = Measure(measure, a), vb = Measure(measure, b);
    if (va.is_null() != vb.is_null()) return vb.is_null();
    if (!va.is_null() && va != vb) {
      double x = va.get<double>(), y = vb.get<double>();
      return asc ? x < y : x > y;
    }
    return a.key < b.key;
  });
}

// score_avg and score_count are objects keyed by score dimension, so
// they cannot order groups.
bool IsScoreMeasure(std::string_view m) { return m == "score_avg" || m == "score_count"; }

bool WantsScores(const StatsRequest& r) {
  return std::any_of(r.measures.begin(), r.measures.end(), [](const std::string& m) { return IsScoreMeasure(m); });
}

// The scores of [start, end) by group key, then by dimension. Scores of
// the same dimension from different evaluators are merged; narrow them
// with score_evaluator.
using ScoresByKey = std::map<std::vector<std::string>, std::map<std::string, store::ScoreAggregateRow>>;
Result<ScoresByKey> ScoresOf(const Context& c, const StatsRequest& r, const store::RollupQuery& q) {
  store::ScoreAggregateQuery sq;
  sq.start_ns = q.start_ns;
  sq.end_ns = q.end_ns;
  sq.group_by = q.group_by;
  sq.where = q.where;
  sq.evaluator = r.score_evaluator;
  sq.dimension = r.score_dimension;
  auto rows = c.store->AggregateScores(sq);
  if (!rows.ok()) return rows.status();
  ScoresByKey out;
  for (const auto& row : *rows) {
    store::ScoreAggregateRow& into = out[row.key][row.dimension];
    if (into.count == 0) {
      into = row;
    } else {
      into.min = std::min(into.min, row.min);
      into.max = std::max(into.max, row.max);
      into.count += row.count;
      into.sum += row.sum;
      into.sum_squares += row.sum_squares;
    }
  }
  return out;
}

// Adds score_avg / score_count objects ({"accuracy": 4.2, ...}) to `out`.
void AddScoreMeasures(const StatsRequest& r, const std::map<std::string, store::ScoreAggregateRow>* scores, json* out) {
  for (const auto& m : r.measures) {
    if (!IsScoreMeasure(m)) continue;
    json by_dimension = json::object();
    if (scores) {
      for (const auto& [dimension, agg] : *scores) {
        by_dimension[dimension] = m == "score_avg" ? json(agg.mean()) : json(agg.count);
      }
    }
    (*out)[m] = std::move(by_dimension);
  }
}

const std::map<std::string, store::ScoreAggregateRow>* Find(const ScoresByKey& scores,
                                                            const std::vector<std::string>& key) {
  auto it = scores.find(key);
  return it == scores.end() ? nullptr : &it->second;
}

bool ValidOrder(std::string_view v) {
  std::string_view measure = v.substr(0, v.find(':'));
  if (measure.size() < v.size()) {
    std::string_view dir = v.substr(measure.size() + 1);
    if (dir != "asc" && dir != "desc") return false;
  }
  const auto& all = StatsMeasures();
  return !IsScoreMeasure(measure) && std::find(all.begin(), all.end(), measure) != all.end();
}

}  // namespace

const std::vector<std::string>& StatsMeasures() {
  static const std::vector<std::string> measures = {
      "requests",       "errors",           "error_rate",        "input_tokens", "output_tokens",
      "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost_usd",     "cost_nanos",
      "unpriced_requests", "cost_per_request", "p50_ms",           "p95_ms",       "p99_ms",
      "score_avg",      "score_count"};
  return measures;
}

ParamTable StatsParams(uint64_t now_ns, StatsRequest* r) {
  ParamTable t(now_ns);
  t.Time("since", &r->since).Time("until", &r->until);
  for (const auto& dim : Dimensions()) {
    store::Dimension d;
    store::ParseDimension(dim, &d);
    t.Custom(dim, dim == "status" ? "ok or error" : "a non-empty string", [r, d, dim](std::string_view v) {
      if (v.empty() || (dim == "status" && v != "ok" && v != "error")) return false;
      r->where.emplace_back(d, std::string(v));
      return true;
    });
  }
  std::string dims;
  for (const auto& d : Dimensions()) dims += (dims.empty() ? "" : ", ") + d;
  t.String("score_evaluator", &r->score_evaluator)
      .String("score_dimension", &r->score_dimension)
      .Unsupported("min_cost_usd", "rollups aggregate calls; filter single calls with /api/v1/traces")
      .Unsupported("min_duration_ms", "rollups aggregate calls; filter traces with /api/v1/traces")
      .Unsupported("q", "full-text search is on /api/v1/traces")
      .Custom("group_by",
              "a comma-separated list of " + dims,
              [r](std::string_view v) {
                while (true) {
                  std::string_view item = v.substr(0, v.find(','));
                  const auto& all = Dimensions();
                  if (std::find(all.begin(), all.end(), item) == all.end()) return false;
                  if (std::find(r->group_by.begin(), r->group_by.end(), item) == r->group_by.end()) {
                    r->group_by.emplace_back(item);
                  }
                  if (item.size() == v.size()) return true;
                  v = v.substr(item.size() + 1);
                }
              })
      .ListOf("measures", StatsMeasures(), &r->measures)
      .Duration("step", &r->step_ns)
      .Custom("order_by", "a measure name, optionally followed by :asc or :desc (default desc)",
              [r](std::string_view v) {
                if (!ValidOrder(v)) return false;
                r->order_by = std::string(v);
                return true;
              })
      .Count("limit", &r->limit, 1, 1000);
  return t;
}

ingest::HttpResponse HandleStats(const Context& c, const ingest::HttpRequest& req) {
  const uint64_t now = c.clock->NowUnixNanos();
  StatsRequest r;
  r.since = now > kDay ? now - kDay : 0;  // default: the last 24 hours
  if (auto e = StatsParams(now, &r).Apply(req.query)) return ParamErrorResponse(*e);
  if (r.until && r.until <= r.since) {
    return ErrorResponse(400, "until", "parameter \"until\": expected a time after \"since\"");
  }
  if (!r.until && r.since >= now) {
    return ErrorResponse(400, "since", "parameter \"since\": expected a time before now (or give \"until\")");
  }
  if (r.measures.empty()) r.measures = {"requests", "errors", "input_tokens", "output_tokens", "cost_usd"};
  if (r.order_by.empty()) r.order_by = r.measures.front();

  store::RollupQuery q;
  q.start_ns = r.since;
  q.end_ns = r.until;
  q.group_by = ToDimensions(r.group_by);
  q.where = r.where;
  auto rows = c.store->QueryRollups(q);
  if (!rows.ok()) return StoreErrorResponse(rows.status());
  std::vector<store::RollupRow> groups = std::move(rows).value();
  Order(&groups, r.order_by);
  if (groups.size() > r.limit) groups.resize(r.limit);
  const bool wants_scores = WantsScores(r);
  if (wants_scores && std::find(r.group_by.begin(), r.group_by.end(), "status") != r.group_by.end()) {
    return ErrorResponse(400, "group_by", "parameter \"group_by\": score measures cannot be grouped by status");
  }
  ScoresByKey scores;
  if (wants_scores) {
    auto got = ScoresOf(c, r, q);
    if (!got.ok()) return StoreErrorResponse(got.status());
    scores = std::move(got).value();
  }

  // Time series: one rollup query per step, so percentiles stay exact
  // per point (the store has no bucketed query yet).
  std::map<std::vector<std::string>, json> series;
  std::vector<uint64_t> starts;
  if (r.step_ns) {
    if (r.step_ns % kMinute != 0) {
      return ErrorResponse(400, "step", "parameter \"step\": expected a whole number of minutes (rollups are per minute)");
    }
    const uint64_t end = r.until ? r.until : now;
    const uint64_t points = end > r.since ? (end - r.since + r.step_ns - 1) / r.step_ns : 0;
    if (points > c.options.max_series_points) {
      return ErrorResponse(400, "step", "parameter \"step\": gives " + std::to_string(points) + " points; at most " +
                                            std::to_string(c.options.max_series_points) + " per series");
    }
    for (uint64_t t = r.since; t < end; t += r.step_ns) starts.push_back(t);
    for (const auto& g : groups) series[g.key] = json::array();
    for (uint64_t t : starts) {
      store::RollupQuery bucket = q;
      bucket.start_ns = t;
      bucket.end_ns = std::min(t + r.step_ns, end);
      auto brows = c.store->QueryRollups(bucket);
      if (!brows.ok()) return StoreErrorResponse(brows.status());
      ScoresByKey bucket_scores;
      if (wants_scores) {
        auto got = ScoresOf(c, r, bucket);
        if (!got.ok()) return StoreErrorResponse(got.status());
        bucket_scores = std::move(got).value();
      }
      std::map<std::vector<std::string>, const store::RollupRow*> by_key;
      for (const auto& row : *brows) by_key[row.key] = &row;
      for (auto& [key, points_json] : series) {
        store::RollupRow empty;
        auto it = by_key.find(key);
        const store::RollupRow& row = it == by_key.end() ? empty : *it->second;
        json point = {{"start", FormatRfc3339(t)}, {"start_time_unix_nano", t}};
        for (const auto& m : r.measures) point[m] = Measure(m, row);
        AddScoreMeasures(r, Find(bucket_scores, key), &point);
        points_json.push_back(std::move(point));
      }
    }
  }

  json out_groups = json::array();
  for (const auto& g : groups) {
    json key = json::object();
    for (size_t i = 0; i < r.group_by.size() && i < g.key.size(); ++i) key[r.group_by[i]] = g.key[i];
    json row = {{"key", std::move(key)}};
    for (const auto& m : r.measures) row[m] = Measure(m, g);
    AddScoreMeasures(r, Find(scores, g.key), &row);
    if (r.step_ns) row["series"] = std::move(series[g.key]);
    out_groups.push_back(std::move(row));
  }
  json out = {{"since", FormatRfc3339(r.since)}, {"groups", std::move(out_groups)}};
  out["until"] = r.until ? json(FormatRfc3339(r.until)) : json(nullptr);
  if (r.step_ns) out["step_seconds"] = r.step_ns / 1'000'000'000ull;
  return JsonResponse(200, out);
}

}  // namespace loupe::api::internal
