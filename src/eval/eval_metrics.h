// The evaluator's metrics: the ai_* quality families (labelled like the
// other ai_* families, docs/metrics.md) and loupe_eval_* for the queue,
// the budget and the judge's own calls. A null registry makes every
// update a no-op, so the evaluator runs without metrics in tests.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "metrics/exposition.h"
#include "metrics/registry.h"
#include "model/batch.h"

namespace loupe::eval {

class EvalMetrics final : public metrics::Collector {
 public:
  explicit EvalMetrics(metrics::Registry* registry);
  ~EvalMetrics() override;  // removes itself from the registry

  // ai_quality_score{<ai labels>, dimension, evaluator}: buckets 1..5.
  void ObserveScore(const model::SpanRecord& call, const std::string& evaluator, const std::string& dimension,
                    double value);
  // ai_evals_total{result, evaluator}: scored | failed | deferred |
  // skipped_budget | skipped_backlog.
  void CountEval(const std::string& result, const std::string& evaluator, uint64_t n = 1);
  // One judge HTTP exchange: loupe_eval_judge_requests_total{status},
  // loupe_eval_judge_tokens_total{type}, ai_eval_cost_usd_total{judge_model}.
  void JudgeCall(int http_status, int64_t input_tokens, int64_t output_tokens, const std::string& model,
                 std::optional<int64_t> cost_nanos);
  void SetQueue(uint64_t pending, uint64_t failed, uint64_t intake);
  void SetBudget(bool paused, int64_t spent_nanos, int64_t limit_nanos);
  void SetCanary(int state);  // 1 passed, 0 failed (the judge obeys injected text), -1 not run
  void SetRunning(int n);

  // ai_eval_cost_usd_total, rendered from integer nano-dollars.
  void Collect(metrics::ExpositionWriter& writer) const override;

  // The labels the ai_* families give this call.
  static metrics::Labels CallLabels(const model::SpanRecord& call);

 private:
  metrics::Registry* registry_;
  mutable std::mutex mu_;
  std::map<std::string, int64_t> cost_nanos_;  // GUARDED_BY(mu_); by judge model
};

}  // namespace loupe::eval
