#include "alerting/service.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "metrics/registry.h"

namespace loupe::alerting {

AlertingService::AlertingService(AlertingConfig config, store::Store* store, metrics::Registry* registry,
                                 const Clock* clock, std::unique_ptr<DataSource> source,
                                 std::unique_ptr<HttpPoster> poster, std::unique_ptr<StateStore> state)
    : config_(std::move(config)),
      clock_(clock),
      registry_(registry),
      source_(source ? std::move(source) : std::make_unique<StoreDataSource>(store)),
      poster_(poster ? std::move(poster) : MakeCurlPoster()),
      state_(state ? std::move(state) : (store ? MakeStoreStateStore(store) : nullptr)),
      engine_(EngineOptions{config_.external_url, config_.lag_seconds, config_.resolved_retention_seconds,
                            config_.examples > 0},
              state_.get()),
      dispatcher_(config_, poster_.get(), registry) {}

AlertingService::~AlertingService() { Shutdown(); }

Status AlertingService::Start() {
  std::vector<Rule> rules;
  LOUPE_RETURN_IF_ERROR(EffectiveRules(config_, &rules));
  engine_.SetRules(std::move(rules));
  Status restored = engine_.Restore();
  if (!restored.ok()) spdlog::warn("alerting: starting without persisted state: {}", restored.ToString());
  dispatcher_.Start();
  std::lock_guard lock(mu_);
  if (started_ || stopping_) return Status::Ok();
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void AlertingService::Shutdown() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  dispatcher_.Shutdown(2);
}

Status AlertingService::Reload() {
  std::vector<Rule> rules;
  Status s = EffectiveRules(config_, &rules);
  if (!s.ok()) {
    spdlog::error("alerting: reload failed, keeping the running rules: {}", s.ToString());
    return s;
  }
  spdlog::info("alerting: reloaded {} rules", rules.size());
  engine_.SetRules(std::move(rules));
  return Status::Ok();
}

EvaluationResult AlertingService::EvaluateOnce() {
  std::lock_guard lock(eval_mu_);
  const auto started = std::chrono::steady_clock::now();
  const uint64_t now = clock_->NowUnixNanos();
  EvaluationResult r = engine_.Evaluate(now, *source_);
  dispatcher_.Dispatch(r.notify, now);
  if (registry_) {
    registry_->GetCounter("loupe_alert_evaluations_total", "Alerting evaluation rounds.").Inc();
    registry_->GetCounter("loupe_alert_rule_failures_total", "Rule evaluations that failed (rule unhealthy).")
        .Inc(r.rules_failed);
    registry_->GetHistogram("loupe_alert_evaluation_duration_seconds", "Time of one evaluation round (all rules).",
                            metrics::DefaultLatencyBuckets())
        .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    size_t pending = 0, firing = 0;
    for (const auto& rule : engine_.Rules()) {
      pending += rule.pending;
      firing += rule.firing;
    }
    const char* help = "Alerts by state.";
    registry_->GetGauge("loupe_alerts", help, {{"state", "pending"}}).Set(static_cast<double>(pending));
    registry_->GetGauge("loupe_alerts", help, {{"state", "firing"}}).Set(static_cast<double>(firing));
  }
  return r;
}

void AlertingService::Loop() {
  const auto interval = std::chrono::duration<double>(config_.interval_seconds);
  for (;;) {
    EvaluationResult r = EvaluateOnce();
    if (r.rules_failed > 0) spdlog::warn("alerting: {} rule(s) failed this round", r.rules_failed);
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, interval, [this] { return stopping_; })) return;
  }
}

}  // namespace loupe::alerting
