// Dispatcher: turns each evaluation's alerts into notifications. Routes
// by label matchers; for Alertmanager, re-sends firing alerts every
// resend_interval and sends endsAt on resolution (Alertmanager groups and
// dedups itself); for direct notifiers (webhook, Slack, PagerDuty), groups
// alerts by the notifier's group_by labels, notifies a group when an
// alert joins or resolves, and repeats a still-firing group after
// repeat_interval.
//
// Thread safety: Dispatch is called by the evaluation loop only; Stats
// from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "alerting/alert.h"
#include "alerting/config.h"
#include "alerting/matcher.h"
#include "alerting/notify/notifier.h"

namespace loupe::alerting {

class Dispatcher {
 public:
  // `poster` and `registry` (nullable) are not owned and must outlive the
  // dispatcher. REQUIRES: the config was validated (routes name notifiers).
  Dispatcher(const AlertingConfig& config, HttpPoster* poster, metrics::Registry* registry);
  ~Dispatcher();

  void Start();
  void Shutdown(double grace_seconds = 2);

  // `alerts`: firing (unsilenced) alerts and those resolved just now, as
  // Engine::Evaluate returns them.
  void Dispatch(const std::vector<Alert>& alerts, uint64_t now_ns);

  struct Target {
    std::string name;
    NotifierKind kind;
    NotifierStats stats;
  };
  std::vector<Target> Stats() const;

 private:
  struct Group {
    std::set<std::string> notified;  // fingerprints sent as firing
    uint64_t last_notified_ns = 0;
  };
  struct Target_ {
    std::unique_ptr<Notifier> notifier;
    std::map<std::string, uint64_t> am_sent;  // alertmanager: fingerprint -> last sent
    std::map<std::string, Group> groups;      // direct: group key -> state
  };
  struct CompiledRoute {
    std::vector<Matcher> matchers;
    std::vector<size_t> targets;
  };

  void ToAlertmanager(Target_& t, const std::vector<const Alert*>& alerts, uint64_t now_ns);
  void ToDirect(Target_& t, const std::vector<const Alert*>& alerts, uint64_t now_ns);
  HttpPost MakePost(const NotifierConfig& c, std::string url, std::string body) const;

  std::string external_url_;
  std::vector<Target_> targets_;
  std::vector<CompiledRoute> routes_;
};

}  // namespace loupe::alerting
