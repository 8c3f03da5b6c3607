// /compare (prompt version A vs B) and /agreement (judge vs people).
#include <cmath>
#include <map>

#include "api/params.h"
#include "eval/http_internal.h"
#include "eval/stats.h"

namespace loupe::eval::http {
namespace {

constexpr uint64_t kDayNs = 86'400ull * 1'000'000'000ull;

}  // namespace

ingest::HttpResponse HandleCompare(const Context& c, const ingest::HttpRequest& req) {
  const uint64_t now = c.clock->NowUnixNanos();
  std::string feature, dimension, a, b, evaluator;
  uint64_t since = now - 30 * kDayNs, until = 0;
  std::optional<double> alpha;
  api::ParamTable t(now);
  t.String("feature", &feature)
      .String("dimension", &dimension)
      .String("a", &a)
      .String("b", &b)
      .String("evaluator", &evaluator)
      .Time("since", &since)
      .Time("until", &until)
      .Decimal("alpha", &alpha);
  if (auto e = t.Apply(req.query)) return Error(400, "parameter", e->parameter, e->message);
  for (const auto& [name, v] : {std::pair{"feature", &feature}, {"dimension", &dimension}, {"a", &a}, {"b", &b}}) {
    if (v->empty()) return Error(400, "parameter", name, std::string(name) + ": required");
  }
  const double level = alpha.value_or(0.05);
  if (!(level > 0 && level < 1)) return Error(400, "parameter", "alpha", "alpha: must be in (0, 1)");
  if (evaluator.empty() && c.evaluator) evaluator = JudgeEvaluatorName(c.evaluator->config().default_rubric);
  if (evaluator.empty()) evaluator = JudgeEvaluatorName("default");

  json versions = json::array();
  SampleStats stats[2];
  for (int i = 0; i < 2; ++i) {
    const std::string& version = i == 0 ? a : b;
    store::ScoreAggregateQuery q;
    q.start_ns = since;
    q.end_ns = until;
    q.where = {{store::Dimension::kFeature, feature}, {store::Dimension::kPromptVersion, version}};
    q.evaluator = evaluator;
    q.dimension = dimension;
    auto rows = c.store->AggregateScores(q);
    if (!rows.ok()) return StoreError(rows.status());
    int64_t n = 0;
    double sum = 0, sum2 = 0;
    for (const auto& r : *rows) {
      n += r.count;
      sum += r.sum;
      sum2 += r.sum_squares;
    }
    stats[i] = FromSums(n, sum, sum2);
    store::RollupQuery rq;
    rq.start_ns = since;
    rq.end_ns = until;
    rq.where = q.where;
    auto rollups = c.store->QueryRollups(rq);
    if (!rollups.ok()) return StoreError(rollups.status());
    int64_t requests = 0, cost = 0, tokens = 0, unpriced = 0;
    for (const auto& r : *rollups) {
      requests += r.requests;
      cost += r.cost_nanos;
      unpriced += r.unpriced_requests;
      tokens += r.input_tokens + r.cache_read_tokens + r.cache_write_tokens + r.output_tokens + r.reasoning_tokens;
    }
    const int64_t priced = requests - unpriced;
    versions.push_back(
        {{"prompt_version", version},
         {"count", stats[i].n},
         {"mean", stats[i].n ? json(stats[i].mean) : json(nullptr)},
         {"stddev", stats[i].n > 1 ? json(stats[i].stddev) : json(nullptr)},
         {"ci95", stats[i].ci_low ? json::array({*stats[i].ci_low, *stats[i].ci_high}) : json(nullptr)},
         {"requests", requests},
         {"cost_per_request_usd", priced > 0 ? json(static_cast<double>(cost) / 1e9 / static_cast<double>(priced)) : json(nullptr)},
         {"tokens_per_request", requests > 0 ? json(static_cast<double>(tokens) / static_cast<double>(requests)) : json(nullptr)},
         {"unpriced_requests", unpriced}});
  }
  WelchResult w = WelchTest(stats[0], stats[1], level);
  std::string verdict;
  if (!w.valid) verdict = "not enough data (each version needs at least 2 scores)";
  else if (!w.significant) verdict = "no significant difference";
  else verdict = stats[1].mean > stats[0].mean ? b + " scores higher than " + a : b + " scores lower than " + a;
  json diff = {{"mean_b_minus_a", stats[0].n && stats[1].n ? json(stats[1].mean - stats[0].mean) : json(nullptr)},
               {"test", "welch_t"},
               {"t", w.valid && std::isfinite(w.t) ? json(w.t) : json(nullptr)},
               {"df", w.valid ? json(w.df) : json(nullptr)},
               {"p_value", w.valid ? json(w.p_value) : json(nullptr)},
               {"alpha", level},
               {"significant", w.significant}};
  return Json(200, {{"feature", feature},
                    {"dimension", dimension},
                    {"evaluator", evaluator},
                    {"since", Rfc3339(since)},
                    {"until", Rfc3339(until)},
                    {"versions", versions},
                    {"difference", diff},
                    {"verdict", verdict}});
}

ingest::HttpResponse HandleAgreement(const Context& c, const ingest::HttpRequest& req) {
  const uint64_t now = c.clock->NowUnixNanos();
  std::string feature, dimension;
  uint64_t since = now - 30 * kDayNs, until = 0;
  std::optional<double> tolerance;
  api::ParamTable t(now);
  t.String("feature", &feature).String("dimension", &dimension).Time("since", &since).Time("until", &until)
      .Decimal("tolerance", &tolerance);
  if (auto e = t.Apply(req.query)) return Error(400, "parameter", e->parameter, e->message);
  const double tol = tolerance.value_or(1.0);

  // Human scores first (bounded), then the judge's scores of the same calls.
  store::ScoreQuery hq;
  hq.source = store::ScoreSource::kHuman;
  hq.feature = feature;
  hq.start_ns = since;
  hq.end_ns = until;
  hq.limit = 1000;
  std::vector<store::Score> humans;
  for (int page = 0; page < 5; ++page) {
    auto p = c.store->QueryScores(hq);
    if (!p.ok()) return StoreError(p.status());
    for (auto& s : p->scores) {
      if (dimension.empty() || s.dimension == dimension || s.dimension == "thumbs") humans.push_back(std::move(s));
    }
    if (p->next_cursor.empty()) break;
    hq.cursor = p->next_cursor;
  }
  struct Tally {
    int64_t pairs = 0, exact = 0, within = 0;
    double abs_diff = 0;
  };
  std::map<std::string, Tally> by_dim;
  for (const store::Score& h : humans) {
    store::ScoreQuery jq;
    jq.trace_id = h.trace_id;
    if (!model::IsZero(h.span_id)) jq.span_id = h.span_id;
    jq.source = store::ScoreSource::kJudge;
    jq.limit = 100;
    auto judged = c.store->QueryScores(jq);
    if (!judged.ok()) return StoreError(judged.status());
    if (h.dimension == "thumbs") {
      // A thumb agrees with the judge when the judge's mean over its
      // dimensions is on the same side of the scale's midpoint (3 of 1..5).
      double sum = 0;
      int n = 0;
      for (const auto& j : judged->scores) {
        if (dimension.empty() || j.dimension == dimension) {
          sum += j.value;
          ++n;
        }
      }
      if (n == 0) continue;
      const bool judge_up = sum / n > 3;
      Tally& tl = by_dim["thumbs"];
      ++tl.pairs;
      const bool agree = judge_up == (h.value >= 0.5);
      tl.exact += agree;
      tl.within += agree;
      continue;
    }
    for (const auto& j : judged->scores) {
      if (j.dimension != h.dimension) continue;
      const double d = std::fabs(j.value - h.value);
      Tally& tl = by_dim[h.dimension];
      ++tl.pairs;
      tl.exact += d < 0.5;
      tl.within += d <= tol;
      tl.abs_diff += d;
      break;
    }
  }
  json dims = json::object();
  Tally all;
  for (const auto& [name, tl] : by_dim) {
    all.pairs += tl.pairs;
    all.exact += tl.exact;
    all.within += tl.within;
    auto rate = [&](int64_t k) { return tl.pairs ? json(static_cast<double>(k) / static_cast<double>(tl.pairs)) : json(nullptr); };
    dims[name] = {{"pairs", tl.pairs},
                  {"exact_agreement", rate(tl.exact)},
                  {"within_tolerance", rate(tl.within)},
                  {"mean_abs_difference", name == "thumbs" || !tl.pairs ? json(nullptr) : json(tl.abs_diff / static_cast<double>(tl.pairs))}};
  }
  auto rate = [&](int64_t k) { return all.pairs ? json(static_cast<double>(k) / static_cast<double>(all.pairs)) : json(nullptr); };
  return Json(200, {{"feature", feature},
                    {"human_scores", humans.size()},
                    {"pairs", all.pairs},
                    {"exact_agreement", rate(all.exact)},
                    {"within_tolerance", rate(all.within)},
                    {"tolerance", tol},
                    {"dimensions", dims}});
}

}  // namespace loupe::eval::http
