// One evaluation round of the alerting engine: 100 rules over 1,000
// groups (team x feature x model), against a data source that answers
// instantly, so the numbers are the engine's own cost (rule maths, state
// machine, label sets). The store's query time is measured by
// bench/store/ (rollup query).
//
// BM_Evaluate/shapes:N: the 100 rules fall into N distinct query shapes
// (window, group_by, filters); rules of one shape share one query.
// Also reported: data-source queries made per round.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "alerting/engine.h"

namespace loupe::alerting {
namespace {

constexpr uint64_t kSec = 1'000'000'000ull;
constexpr uint64_t kNow = 1'750'032'000ull * kSec;

// 1,000 groups with a latency histogram, cost and scores; a tenth of them
// regressing in the judged window (so alerts fire and are tracked).
class SyntheticSource : public DataSource {
 public:
  explicit SyntheticSource(size_t groups) {
    for (size_t i = 0; i < groups; ++i) {
      GroupStats g;
      g.key = {"team" + std::to_string(i % 10), "feature" + std::to_string(i / 10 % 10),
               "model" + std::to_string(i / 100)};
      g.requests = 500;
      g.errors = 5;
      g.cost_nanos = 2'000'000'000;
      g.score_count = 50;
      g.score_sum = 200;
      for (int k = 0; k < 500; ++k) g.latency.Add((800 + static_cast<uint64_t>(k)) * 1'000'000);
      GroupStats base = g;
      base.cost_nanos *= 150;  // a baseline spanning ~150 judged windows: same spend per window
      base_.push_back(std::move(base));
      if (i % 10 == 0) {
        for (int k = 0; k < 500; ++k) g.latency.Add(4 * kSec);
        g.cost_nanos *= 30;
      }
      now_.push_back(std::move(g));
    }
  }
  Result<std::vector<GroupStats>> Calls(const WindowQuery& q) override {
    ++queries;
    return q.end_ns == kNow ? now_ : base_;
  }
  Result<std::vector<GroupStats>> Scores(const WindowQuery& q) override { return Calls(q); }
  size_t queries = 0;

 private:
  std::vector<GroupStats> now_, base_;
};

std::vector<Rule> Rules(int shapes) {
  std::vector<Rule> rules;
  const auto defaults = DefaultRules();
  for (int i = 0; i < 100; ++i) {
    Rule r = defaults[static_cast<size_t>(i) % defaults.size()];
    r.name = "Rule" + std::to_string(i);
    r.group_by = {"team", "feature", "model"};
    // Distinct windows make distinct shapes.
    r.window_seconds = 600 + 60.0 * (i % shapes);
    r.ratio = 1.5 + 0.01 * i;
    rules.push_back(std::move(r));
  }
  return rules;
}

void BM_Evaluate(benchmark::State& state) {
  SyntheticSource source(1000);
  EngineOptions options;
  options.lag_seconds = 0;
  options.find_examples = false;
  Engine engine(options, nullptr);
  engine.SetRules(Rules(static_cast<int>(state.range(0))));
  uint64_t now = kNow;
  size_t firing = 0;
  for (auto _ : state) {
    auto r = engine.Evaluate(now, source);
    firing = r.notify.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["firing_alerts"] = static_cast<double>(firing);
  state.counters["queries_per_round"] =
      static_cast<double>(source.queries) / static_cast<double>(state.iterations());
  state.counters["group_evals_per_s"] = benchmark::Counter(100.0 * 1000.0, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Evaluate)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace loupe::alerting

BENCHMARK_MAIN();
