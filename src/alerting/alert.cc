#include "alerting/alert.h"

#include <cstdio>

namespace loupe::alerting {

std::string_view AlertStateName(AlertState s) {
  switch (s) {
    case AlertState::kInactive: return "inactive";
    case AlertState::kPending: return "pending";
    case AlertState::kFiring: return "firing";
    case AlertState::kResolved: return "resolved";
  }
  return "?";
}

bool ParseAlertState(std::string_view name, AlertState* out) {
  for (auto s : {AlertState::kInactive, AlertState::kPending, AlertState::kFiring, AlertState::kResolved}) {
    if (AlertStateName(s) == name) {
      *out = s;
      return true;
    }
  }
  return false;
}

namespace {
uint64_t Nanos(double seconds) { return static_cast<uint64_t>(seconds * 1e9); }
}  // namespace

bool StepAlert(Verdict verdict, uint64_t now, double for_s, double keep_s, Alert* a) {
  const AlertState before = a->state;
  a->last_eval_ns = now;
  if (verdict == Verdict::kKeep) return false;
  const bool active = verdict == Verdict::kActive;
  if (active) a->last_active_ns = now;
  switch (a->state) {
    case AlertState::kInactive:
    case AlertState::kResolved:
      if (!active) break;
      a->active_at_ns = now;
      a->fired_at_ns = 0;
      a->resolved_at_ns = 0;
      a->state = AlertState::kPending;
      [[fallthrough]];
    case AlertState::kPending:
      if (!active) {
        a->state = AlertState::kInactive;
        break;
      }
      if (now - a->active_at_ns >= Nanos(for_s)) {
        a->state = AlertState::kFiring;
        a->fired_at_ns = now;
      }
      break;
    case AlertState::kFiring:
      if (active) break;
      // keep_firing_for: a flapping signal does not resolve and re-page.
      if (keep_s > 0 && now - a->last_active_ns < Nanos(keep_s)) break;
      a->state = AlertState::kResolved;
      a->resolved_at_ns = now;
      break;
  }
  return a->state != before;
}

std::string Fingerprint(const Labels& labels) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  for (const auto& [k, v] : labels) {
    mix(k);
    mix(v);
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace loupe::alerting
