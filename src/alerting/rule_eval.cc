#include "alerting/rule_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <set>

namespace loupe::alerting {
namespace {

constexpr uint64_t kSecond = 1'000'000'000ull;
constexpr uint64_t kDay = 86'400 * kSecond;

uint64_t Nanos(double seconds) { return static_cast<uint64_t>(std::llround(seconds * 1e9)); }

struct BaselinePlan {
  std::vector<EvalRange> ranges;
  double windows = 1;  // how many judged windows the baseline spans (cost averages)
  std::string description;
};

BaselinePlan PlanBaseline(const Rule& r, EvalRange judged) {
  BaselinePlan p;
  const uint64_t w = judged.end_ns - judged.start_ns;
  auto shifted = [&](uint64_t by) {
    return EvalRange{judged.start_ns > by ? judged.start_ns - by : 0, judged.end_ns > by ? judged.end_ns - by : 0};
  };
  switch (r.baseline) {
    case BaselineKind::kNone:
      break;
    case BaselineKind::kPrevious: {
      uint64_t bw = Nanos(r.baseline_window_seconds);
      p.ranges.push_back({judged.start_ns > bw ? judged.start_ns - bw : 0, judged.start_ns});
      p.windows = static_cast<double>(bw) / static_cast<double>(w);
      p.description = "the preceding " + FormatDuration(r.baseline_window_seconds);
      break;
    }
    case BaselineKind::kDayAgo:
      p.ranges.push_back(shifted(kDay));
      p.description = "the same " + FormatDuration(r.window_seconds) + " a day earlier";
      break;
    case BaselineKind::kWeekAgo:
      p.ranges.push_back(shifted(7 * kDay));
      p.description = "the same " + FormatDuration(r.window_seconds) + " a week earlier";
      break;
    case BaselineKind::kSeasonal:
      for (int k = 1; k <= r.seasonal_days; ++k) p.ranges.push_back(shifted(static_cast<uint64_t>(k) * kDay));
      p.windows = r.seasonal_days;
      p.description = "the same " + FormatDuration(r.window_seconds) + " over the last " +
                      std::to_string(r.seasonal_days) + " days";
      break;
  }
  return p;
}

// Groups by key over one or more ranges. A single range points into the
// cached answer (no copies: a latency histogram is ~1.5 KB); several
// ranges are merged into owned copies.
class Grouped {
 public:
  void Add(const std::vector<GroupStats>& rows) {
    for (const auto& row : rows) {
      auto [it, fresh] = index_.try_emplace(row.key, &row);
      if (fresh) continue;
      if (!owned_set_.contains(it->second)) {  // first merge into this key: copy it
        owned_.push_back(*it->second);
        it->second = &owned_.back();
        owned_set_.insert(it->second);
      }
      GroupStats& g = const_cast<GroupStats&>(*it->second);  // points into owned_
      g.requests += row.requests;
      g.errors += row.errors;
      g.cost_nanos += row.cost_nanos;
      g.unpriced_requests += row.unpriced_requests;
      g.latency.Merge(row.latency);
      g.score_count += row.score_count;
      g.score_sum += row.score_sum;
    }
  }
  const GroupStats* Find(const std::vector<std::string>& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : it->second;
  }
  const std::map<std::vector<std::string>, const GroupStats*>& index() const { return index_; }
  // Makes sure `key` is present (a group only the baseline has).
  void Ensure(const std::vector<std::string>& key) {
    if (index_.contains(key)) return;
    owned_.push_back(GroupStats{.key = key});
    index_.emplace(key, &owned_.back());
  }

 private:
  std::map<std::vector<std::string>, const GroupStats*> index_;
  std::deque<GroupStats> owned_;  // stable addresses
  std::set<const GroupStats*> owned_set_;
};

WindowQuery MakeQuery(const Rule& r, EvalRange range, bool scores) {
  WindowQuery q;
  q.start_ns = range.start_ns;
  q.end_ns = range.end_ns;
  q.group_by = r.group_by;
  q.where = r.filters;
  if (scores) {
    q.evaluator = r.evaluator;
    q.dimension = r.dimension;
  }
  return q;
}

Status Fetch(const Rule& r, const std::vector<EvalRange>& ranges, bool scores, QueryCache& cache, Grouped* out) {
  for (const auto& range : ranges) {
    WindowQuery q = MakeQuery(r, range, scores);
    const auto& rows = scores ? cache.Scores(q) : cache.Calls(q);
    if (!rows.ok()) return rows.status();
    out->Add(*rows);
  }
  return Status::Ok();
}

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string Seconds(double s) { return s < 1 ? Fmt("%.0f ms", s * 1000) : Fmt("%.2f s", s); }
std::string Usd(double usd) { return Fmt("$%.2f", usd); }

std::string GroupText(const Labels& group) {
  std::string out;
  for (const auto& [k, v] : group) {
    if (!out.empty()) out += ' ';
    out += k + "=" + (v.empty() ? "(none)" : v);
  }
  return out.empty() ? "all traffic" : out;
}

uint64_t StartOfPeriod(const std::string& period, uint64_t end_ns) {
  using namespace std::chrono;
  sys_days day = floor<days>(sys_seconds(seconds(end_ns / kSecond)));
  if (period == "month") {
    year_month_day ymd(day);
    day = sys_days(ymd.year() / ymd.month() / 1);
  }
  return static_cast<uint64_t>(duration_cast<seconds>(day.time_since_epoch()).count()) * kSecond;
}

double Percentile(const store::LatencyHistogram& h, double q) { return h.QuantileNanos(q) / 1e9; }

}  // namespace

const Result<std::vector<GroupStats>>& QueryCache::Calls(const WindowQuery& q) {
  auto it = calls_.find(q);
  if (it != calls_.end()) {
    ++hits_;
    return it->second;
  }
  ++queries_;
  return calls_.emplace(q, source_->Calls(q)).first->second;
}

const Result<std::vector<GroupStats>>& QueryCache::Scores(const WindowQuery& q) {
  auto it = scores_.find(q);
  if (it != scores_.end()) {
    ++hits_;
    return it->second;
  }
  ++queries_;
  return scores_.emplace(q, source_->Scores(q)).first->second;
}

std::string FormatDuration(double seconds) {
  auto s = static_cast<int64_t>(std::llround(seconds));
  if (s <= 0) return Fmt("%.3gs", seconds);
  static constexpr std::pair<int64_t, const char*> kUnits[] = {{604800, "w"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  std::string out;
  for (const auto& [n, u] : kUnits) {
    if (s >= n) {
      out += std::to_string(s / n) + u;
      s %= n;
    }
  }
  return out;
}

EvalRange JudgedRange(const Rule& r, uint64_t end_ns) {
  if (r.kind == RuleKind::kBudget) return {StartOfPeriod(r.period, end_ns), end_ns};
  uint64_t w = Nanos(r.window_seconds);
  return {end_ns > w ? end_ns - w : 0, end_ns};
}

Result<std::vector<Sample>> EvaluateRule(const Rule& r, uint64_t end_ns, QueryCache& cache) {
  const EvalRange judged = JudgedRange(r, end_ns);
  const bool scores = r.kind == RuleKind::kQualityRegression;
  const BaselinePlan plan = PlanBaseline(r, judged);
  Grouped now, base;
  LOUPE_RETURN_IF_ERROR(Fetch(r, {judged}, scores, cache, &now));
  LOUPE_RETURN_IF_ERROR(Fetch(r, plan.ranges, scores, cache, &base));
  for (const auto& [key, g] : base.index()) now.Ensure(key);  // groups that went quiet

  const std::string window = FormatDuration(r.window_seconds);
  std::vector<Sample> out;
  out.reserve(now.index().size());
  const GroupStats empty;
  for (const auto& [key, cur_ptr] : now.index()) {
    const GroupStats& cur = *cur_ptr;
    Sample s;
    for (size_t i = 0; i < r.group_by.size() && i < key.size(); ++i) s.group[r.group_by[i]] = key[i];
    const GroupStats* bp = base.Find(key);
    const GroupStats& b = bp ? *bp : empty;
    // Summaries only for active samples: most groups are quiet, and
    // formatting 100 rules x 1,000 groups of text every round is the
    // engine's largest cost otherwise.
    auto who_text = [&s] { return GroupText(s.group); };
    switch (r.kind) {
      case RuleKind::kLatencyRegression: {
        s.has_data = cur.requests >= r.min_samples && b.requests >= r.min_samples && cur.latency.count() > 0 &&
                     b.latency.count() > 0;
        s.value = Percentile(cur.latency, r.percentile);
        s.baseline = Percentile(b.latency, r.percentile);
        s.threshold = r.ratio * s.baseline;
        s.active = s.has_data && s.value > s.threshold;
        const double x = s.baseline > 0 ? s.value / s.baseline : 0;
        if (s.active) s.summary = "p" + Fmt("%g", r.percentile * 100) + " latency of " + who_text() + " is " + Seconds(s.value) + ", " +
                    Fmt("%.1fx", x) + " its baseline of " + Seconds(s.baseline) + " (" + plan.description +
                    "; threshold " + Fmt("%gx", r.ratio) + ", window " + window + ")";
        break;
      }
      case RuleKind::kQualityRegression: {
        const bool absolute = r.baseline == BaselineKind::kNone;
        s.value = cur.score_mean();
        s.has_data = cur.score_count >= r.min_samples && (absolute || b.score_count >= r.min_samples);
        s.baseline = absolute ? 0 : b.score_mean();
        s.threshold = absolute ? r.threshold : s.baseline - r.max_drop;
        s.active = s.has_data && s.value < s.threshold;
        if (!s.active) break;
        s.summary = "mean quality score of " + who_text() + " is " + Fmt("%.2f", s.value) + " over " + window;
        s.summary += absolute ? " (" + std::to_string(cur.score_count) + " scores), below the threshold of " +
                                    Fmt("%.2f", s.threshold)
                              : ", down from " + Fmt("%.2f", s.baseline) + " in " + plan.description +
                                    " (allowed drop " + Fmt("%.2f", r.max_drop) + ")";
        break;
      }
      case RuleKind::kCostSpike: {
        s.has_data = cur.requests >= r.min_samples && b.requests >= r.min_samples;
        s.value = static_cast<double>(cur.cost_nanos) / 1e9;
        s.baseline = static_cast<double>(b.cost_nanos) / 1e9 / plan.windows;
        s.threshold = std::max(r.factor * s.baseline, r.min_usd);
        s.active = s.has_data && s.value > r.factor * s.baseline && s.value >= r.min_usd;
        const double x = s.baseline > 0 ? s.value / s.baseline : 0;
        if (s.active) s.summary = "spend of " + who_text() + " over " + window + " is " + Usd(s.value) + ", " + Fmt("%.1fx", x) +
                    " its average of " + Usd(s.baseline) + " per " + window + " over " + plan.description +
                    " (threshold " + Fmt("%gx", r.factor) + ", floor " + Usd(r.min_usd) + ")";
        break;
      }
      case RuleKind::kErrorRate: {
        s.has_data = cur.requests >= r.min_samples && cur.requests > 0;
        s.value = cur.requests > 0 ? static_cast<double>(cur.errors) / static_cast<double>(cur.requests) : 0;
        s.threshold = r.threshold;
        s.active = s.has_data && s.value > s.threshold;
        if (s.active) s.summary = "error rate of " + who_text() + " is " + Fmt("%.1f%%", s.value * 100) + " over " + window + " (" +
                    std::to_string(cur.errors) + " of " + std::to_string(cur.requests) + "), above " +
                    Fmt("%.1f%%", s.threshold * 100);
        break;
      }
      case RuleKind::kBudget: {
        s.has_data = cur.requests > 0;
        s.value = static_cast<double>(cur.cost_nanos) / 1e9;
        s.threshold = r.amount_usd;
        s.active = s.has_data && s.value > s.threshold;
        if (s.active) s.summary = "spend of " + who_text() + " since the start of the " + r.period + " (UTC) is " + Usd(s.value) +
                    ", above the budget of " + Usd(s.threshold);
        break;
      }
    }
    out.push_back(std::move(s));
  }
  // Per-user rules watch only the top spenders (or slowest, ...): the
  // user dimension is unbounded.
  if (std::find(r.group_by.begin(), r.group_by.end(), "user") != r.group_by.end() && out.size() > r.top_k) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.top_k), out.end(),
                      [](const Sample& a, const Sample& b) { return a.value > b.value; });
    out.resize(r.top_k);
  }
  return out;
}

}  // namespace loupe::alerting
