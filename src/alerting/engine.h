// Engine: evaluates the rules against a DataSource, keeps each alert's
// state (alert.h), its silences, and the firing/resolved history.
//
// Evaluate(now, source) is deterministic: time and data are arguments, so
// the state tests are table-driven with a fake clock and a fake source. A
// rule whose evaluation fails is marked unhealthy with its error and the
// other rules keep going. Rules do not know the notifiers: Evaluate
// returns what should be notified and the Dispatcher takes it from there.
//
// Persistence (optional, best effort): alert states that change are
// written to the store's values ("alert.state", key = fingerprint) and
// each firing/resolved transition is appended to the journal (kind
// "alert"); silences live in "alert.silence". A store error is counted
// and logged in persist_error(), never stops evaluation.
//
// Thread safety: all methods may be called from any thread; Evaluate
// holds the engine's lock while it runs.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "alerting/alert.h"
#include "alerting/config.h"
#include "alerting/data_source.h"
#include "alerting/silence.h"
#include "alerting/state_store.h"

namespace loupe::alerting {

class QueryCache;

struct RuleStatus {
  Rule rule;
  std::string health = "unknown";  // "unknown" (not evaluated yet), "ok", "err"
  std::string last_error;
  uint64_t last_eval_ns = 0;
  double last_duration_seconds = 0;
  size_t groups = 0;  // groups seen at the last evaluation
  size_t pending = 0, firing = 0;
};

struct EngineOptions {
  std::string external_url;  // server.external_url: base of generatorURL
  double lag_seconds = 60;
  double resolved_retention_seconds = 3600;
  bool find_examples = true;
};

struct EvaluationResult {
  // Firing alerts that are not silenced, and alerts that resolved in this
  // evaluation (state kResolved).
  std::vector<Alert> notify;
  size_t rules_failed = 0;
  size_t queries = 0, shared_queries = 0;  // DataSource calls made / avoided by sharing
};

class Engine {
 public:
  // `store` may be null (no persistence); not owned, must outlive the engine.
  Engine(EngineOptions options, StateStore* store);

  // Replaces the rule set. Alerts of rules that keep their name keep their
  // state; alerts of removed rules are dropped.
  void SetRules(std::vector<Rule> rules);

  // Loads persisted alert states and silences. Call once before the first
  // Evaluate. A store error is returned (the engine still works).
  Status Restore();

  EvaluationResult Evaluate(uint64_t now_ns, DataSource& source);

  // Pending, firing and recently resolved alerts, rule order then labels.
  std::vector<Alert> Alerts() const;
  std::vector<RuleStatus> Rules() const;

  Result<Silence> AddSilence(Silence silence, uint64_t now_ns);
  // Expires the silence now (it stays listed until it is dropped).
  Status ExpireSilence(const std::string& id, uint64_t now_ns);
  std::vector<Silence> Silences() const;

  std::string persist_error() const;
  uint64_t persist_failures() const;

 private:
  struct RuleEntry {
    RuleStatus status;
    std::map<std::string, Alert> alerts;  // by fingerprint
  };

  void EvaluateRuleLocked(RuleEntry& entry, uint64_t now_ns, QueryCache& cache, DataSource& source,
                          EvaluationResult* result);
  Alert NewAlertLocked(const Rule& rule, const Labels& group) const;
  bool SilencedLocked(const Labels& labels, uint64_t now_ns) const;
  void PersistLocked(const Alert& alert, bool transition);
  void ForgetLocked(const Alert& alert);
  void NotePersistError(const Status& s);
  std::string GeneratorUrl(const Rule& rule, const Labels& group, uint64_t start_ns, uint64_t end_ns) const;

  const EngineOptions options_;
  StateStore* const store_;
  mutable std::mutex mu_;
  std::vector<RuleEntry> rules_;              // GUARDED_BY(mu_)
  std::map<std::string, Alert> restored_;     // GUARDED_BY(mu_): persisted alerts not yet claimed by a rule
  std::map<std::string, Silence> silences_;   // GUARDED_BY(mu_)
  uint64_t next_silence_ = 1;                 // GUARDED_BY(mu_)
  std::string persist_error_;                 // GUARDED_BY(mu_)
  uint64_t persist_failures_ = 0;             // GUARDED_BY(mu_)
};

}  // namespace loupe::alerting
