// AlertingService: the alerting stage as the server wires it. Owns the
// engine, the store-backed data source and the notifiers, and runs the
// evaluation loop every alerting.interval on its own thread.
//
//   AlertingService alerting(config.alerting, store, &registry, &SystemClock::Get());
//   alerting.Start();                 // rules, restored state, loop, notifiers
//   AlertingHttpApi(&alerting).Register(api_server);
//   on SIGHUP: alerting.Reload();
//   alerting.Shutdown();              // before the store shuts down
//
// Its own metrics: loupe_alert_evaluations_total,
// loupe_alert_rule_failures_total, loupe_alert_evaluation_duration_seconds,
// loupe_alerts{state="pending|firing"} and the notifiers' (notifier.h).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "alerting/config.h"
#include "alerting/data_source.h"
#include "alerting/engine.h"
#include "alerting/notify/dispatcher.h"
#include "common/clock.h"

namespace loupe::metrics {
class Registry;
}

namespace loupe::alerting {

class AlertingService {
 public:
  // `store` (nullable: no persistence), `registry` (nullable) and `clock`
  // are not owned and must outlive the service. `source` defaults to
  // StoreDataSource(store), `poster` to libcurl and `state` to the
  // store's values and journal; tests pass fakes.
  AlertingService(AlertingConfig config, store::Store* store, metrics::Registry* registry, const Clock* clock,
                  std::unique_ptr<DataSource> source = nullptr, std::unique_ptr<HttpPoster> poster = nullptr,
                  std::unique_ptr<StateStore> state = nullptr);
  ~AlertingService();

  // Loads the rules (inline, rules_file, or the defaults), restores state
  // from the store (a store error is logged, not fatal), starts the
  // notifiers and the loop. A bad rules file is an error.
  Status Start();
  // Stops the loop, then gives queued notifications a short grace. Safe
  // without Start and twice.
  void Shutdown();

  // Re-reads alerting.rules_file (SIGHUP, POST /api/v1/alert-rules/reload).
  // On error the running rules stay and the error is returned.
  Status Reload();

  // Runs one evaluation round now (the loop calls this; tests too).
  EvaluationResult EvaluateOnce();

  Engine& engine() { return engine_; }
  StateStore* state() { return state_.get(); }  // null without a store
  Dispatcher& dispatcher() { return dispatcher_; }
  const Clock* clock() const { return clock_; }
  const AlertingConfig& config() const { return config_; }

 private:
  void Loop();

  const AlertingConfig config_;
  const Clock* clock_;
  metrics::Registry* registry_;
  std::unique_ptr<DataSource> source_;
  std::unique_ptr<HttpPoster> poster_;
  std::unique_ptr<StateStore> state_;
  Engine engine_;
  Dispatcher dispatcher_;
  std::mutex eval_mu_;  // one evaluation round at a time

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  bool started_ = false;   // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace loupe::alerting
