#include "eval/eval_metrics.h"

namespace loupe::eval {

EvalMetrics::EvalMetrics(metrics::Registry* registry) : registry_(registry) {
  if (registry_) registry_->AddCollector(this);
}

EvalMetrics::~EvalMetrics() {
  if (registry_) registry_->RemoveCollector(this);
}

metrics::Labels EvalMetrics::CallLabels(const model::SpanRecord& r) {
  metrics::Labels l;
  auto add = [&](const char* name, const std::string& v) {
    if (!v.empty()) l.emplace_back(name, v);
  };
  if (r.llm) {
    const model::LlmCall& c = *r.llm;
    add("gen_ai_provider_name", c.provider);
    add("gen_ai_request_model", c.request_model.empty() ? c.response_model : c.request_model);
    add("ai_team", c.team.empty() ? "default" : c.team);
    add("ai_feature", c.feature);
    add("ai_prompt_version", c.prompt_version.empty() ? "unknown" : c.prompt_version);
    add("deployment_environment_name", c.environment);
  }
  std::string service;
  if (r.span.resource) r.span.resource->attributes.GetText("service.name", &service);
  add("service_name", service);
  return l;
}

void EvalMetrics::ObserveScore(const model::SpanRecord& call, const std::string& evaluator,
                               const std::string& dimension, double value) {
  if (!registry_) return;
  metrics::Labels l = CallLabels(call);
  l.emplace_back("dimension", dimension);
  l.emplace_back("evaluator", evaluator);
  registry_
      ->GetHistogram("ai_quality_score", "Quality scores of LLM calls, by evaluator and dimension.", {1, 2, 3, 4, 5},
                     std::move(l))
      .Observe(value);
}

void EvalMetrics::CountEval(const std::string& result, const std::string& evaluator, uint64_t n) {
  if (!registry_) return;
  registry_
      ->GetCounter("ai_evals_total", "Evaluations by outcome.", {{"result", result}, {"evaluator", evaluator}})
      .Inc(n);
}

void EvalMetrics::JudgeCall(int http_status, int64_t input_tokens, int64_t output_tokens, const std::string& model,
                            std::optional<int64_t> cost_nanos) {
  if (!registry_) return;
  registry_
      ->GetCounter("loupe_eval_judge_requests_total", "HTTP exchanges with the LLM judge, by status.",
                   {{"status", std::to_string(http_status)}})
      .Inc();
  const char* help = "Tokens used by the LLM judge's own calls.";
  if (input_tokens > 0) registry_->GetCounter("loupe_eval_judge_tokens_total", help, {{"type", "input"}}).Inc(input_tokens);
  if (output_tokens > 0) registry_->GetCounter("loupe_eval_judge_tokens_total", help, {{"type", "output"}}).Inc(output_tokens);
  if (cost_nanos) {
    std::lock_guard lock(mu_);
    cost_nanos_[model] += *cost_nanos;
  } else if (http_status == 200) {
    registry_->GetCounter("loupe_eval_judge_unpriced_calls_total", "Judge calls whose model has no price.").Inc();
  }
}

void EvalMetrics::SetQueue(uint64_t pending, uint64_t failed, uint64_t intake) {
  if (!registry_) return;
  registry_->GetGauge("loupe_eval_queue_pending", "Evaluations waiting in the store's queue.").Set(static_cast<double>(pending));
  registry_->GetGauge("loupe_eval_queue_failed", "Evaluations recorded as failed (kept for inspection).").Set(static_cast<double>(failed));
  registry_->GetGauge("loupe_eval_intake_buffered", "Sampled calls not yet written to the queue.").Set(static_cast<double>(intake));
}

void EvalMetrics::SetBudget(bool paused, int64_t spent_nanos, int64_t limit_nanos) {
  if (!registry_) return;
  registry_->GetGauge("loupe_eval_budget_paused", "1 while judge scoring is paused because today's budget is spent.")
      .Set(paused ? 1 : 0);
  registry_->GetGauge("loupe_eval_spend_today_usd", "Judge spend today (UTC), in US dollars.").Set(static_cast<double>(spent_nanos) / 1e9);
  registry_->GetGauge("loupe_eval_budget_usd", "Daily judge budget, in US dollars.").Set(static_cast<double>(limit_nanos) / 1e9);
}

void EvalMetrics::SetCanary(int state) {
  if (!registry_) return;
  registry_->GetGauge("loupe_eval_judge_canary", "1: the judge resisted the injection canary; 0: it obeyed it; -1: not run.")
      .Set(state);
}

void EvalMetrics::SetRunning(int n) {
  if (!registry_) return;
  registry_->GetGauge("loupe_eval_running", "Evaluations running now (at most evaluation.limits.concurrency).").Set(n);
}

void EvalMetrics::Collect(metrics::ExpositionWriter& w) const {
  std::lock_guard lock(mu_);
  if (cost_nanos_.empty()) return;
  w.BeginFamily("ai_eval_cost_usd_total", "Cost of the LLM judge's own calls, in US dollars.", metrics::MetricType::kCounter);
  for (const auto& [model, nanos] : cost_nanos_) {
    w.Sample("ai_eval_cost_usd_total", {{"judge_model", model}}, static_cast<double>(nanos) / 1e9);
  }
}

}  // namespace loupe::eval
