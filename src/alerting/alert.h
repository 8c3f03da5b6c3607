// Alert: one rule's verdict for one group (team/feature/model...), and the
// state machine it moves through, as in Prometheus's rules package:
//
//   inactive --active--> pending --active for `for`--> firing
//   pending  --inactive--> inactive (dropped, never notified)
//   firing   --inactive (for longer than keep_firing_for)--> resolved
//   resolved --active--> pending (or firing when for = 0): a new episode
//
// With for = 0 an active alert goes straight to firing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "alerting/data_source.h"
#include "alerting/matcher.h"

namespace loupe::alerting {

enum class AlertState { kInactive, kPending, kFiring, kResolved };
std::string_view AlertStateName(AlertState s);
bool ParseAlertState(std::string_view name, AlertState* out);

struct Alert {
  std::string fingerprint;  // stable id of the label set (16 hex digits)
  std::string rule;
  Labels labels;       // alertname, severity, the group's dimensions, rule labels
  Labels annotations;  // summary, description, value, baseline, threshold, examples
  AlertState state = AlertState::kInactive;
  uint64_t active_at_ns = 0;    // when this episode became active
  uint64_t fired_at_ns = 0;     // when it started firing (0: not yet)
  uint64_t resolved_at_ns = 0;  // when it resolved (0: not resolved)
  uint64_t last_active_ns = 0;  // last evaluation that found it active
  uint64_t last_eval_ns = 0;
  double value = 0, baseline = 0, threshold = 0;
  std::string summary;
  std::string generator_url;
  Examples examples;
  bool silenced = false;
};

// What one evaluation found for an alert's group.
enum class Verdict { kActive, kInactive, kKeep };

// Moves `alert` one evaluation forward. Returns true when the state
// changed (the caller persists and journals those).
bool StepAlert(Verdict verdict, uint64_t now_ns, double for_seconds, double keep_firing_for_seconds,
               Alert* alert);

// Stable fingerprint of a label set (FNV-1a 64, hex).
std::string Fingerprint(const Labels& labels);

}  // namespace loupe::alerting
