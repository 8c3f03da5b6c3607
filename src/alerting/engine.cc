#include "alerting/engine.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "alerting/alert_json.h"
#include "alerting/rule_eval.h"
#include "alerting/time_format.h"

namespace loupe::alerting {
namespace {

constexpr const char* kStateNs = "alert.state";
constexpr const char* kSilenceNs = "alert.silence";
constexpr const char* kJournalKind = "alert";

uint64_t Nanos(double seconds) { return static_cast<uint64_t>(std::llround(seconds * 1e9)); }

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

Verdict NoDataVerdict(NoDataPolicy p) {
  switch (p) {
    case NoDataPolicy::kResolve: return Verdict::kInactive;
    case NoDataPolicy::kKeepState: return Verdict::kKeep;
    case NoDataPolicy::kAlert: return Verdict::kActive;
  }
  return Verdict::kInactive;
}

}  // namespace

Engine::Engine(EngineOptions options, StateStore* store) : options_(std::move(options)), store_(store) {}

void Engine::SetRules(std::vector<Rule> rules) {
  std::lock_guard lock(mu_);
  std::map<std::string, RuleEntry> old;
  for (auto& e : rules_) old.emplace(e.status.rule.name, std::move(e));
  rules_.clear();
  for (auto& r : rules) {
    RuleEntry entry;
    auto it = old.find(r.name);
    if (it != old.end()) {
      entry = std::move(it->second);
      old.erase(it);
    }
    entry.status.rule = std::move(r);
    rules_.push_back(std::move(entry));
  }
  for (auto& [name, entry] : old) {
    for (auto& [fp, alert] : entry.alerts) ForgetLocked(alert);
  }
}

Status Engine::Restore() {
  if (!store_) return Status::Ok();
  std::lock_guard lock(mu_);
  auto states = store_->ListValues(kStateNs);
  if (!states.ok()) return states.status().WithContext("restoring alert states");
  for (const auto& [fp, text] : *states) {
    auto alert = AlertFromJson(text);
    if (alert.ok()) restored_[fp] = std::move(*alert);
  }
  auto silences = store_->ListValues(kSilenceNs);
  if (!silences.ok()) return silences.status().WithContext("restoring silences");
  for (const auto& [id, text] : *silences) {
    auto s = SilenceFromJson(text);
    if (!s.ok()) continue;
    silences_[id] = std::move(*s);
    // Ids are "s<n>": continue the numbering.
    if (id.size() > 1 && id[0] == 's') {
      uint64_t n = std::strtoull(id.c_str() + 1, nullptr, 10);
      if (n >= next_silence_) next_silence_ = n + 1;
    }
  }
  return Status::Ok();
}

Alert Engine::NewAlertLocked(const Rule& rule, const Labels& group) const {
  Alert a;
  a.rule = rule.name;
  a.labels = rule.labels;
  for (const auto& [k, v] : rule.filters) a.labels[k] = v;
  for (const auto& [k, v] : group) {
    if (!v.empty()) a.labels[k] = v;
  }
  a.labels["alertname"] = rule.name;
  a.labels["severity"] = rule.severity;
  a.fingerprint = Fingerprint(a.labels);
  return a;
}

std::string Engine::GeneratorUrl(const Rule& rule, const Labels& group, uint64_t start_ns, uint64_t end_ns) const {
  std::string base = options_.external_url.empty() ? "http://localhost:8080" : options_.external_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string url = base + "/traces?since=" + UrlEncode(Rfc3339(start_ns)) + "&until=" + UrlEncode(Rfc3339(end_ns));
  Labels filters = rule.filters;
  for (const auto& [k, v] : group) {
    if (!v.empty()) filters[k] = v;
  }
  for (const auto& [k, v] : filters) url += "&" + k + "=" + UrlEncode(v);
  return url;
}

bool Engine::SilencedLocked(const Labels& labels, uint64_t now_ns) const {
  for (const auto& [id, s] : silences_) {
    if (!s.ActiveAt(now_ns)) continue;
    auto matchers = CompileSilence(s);
    if (matchers.ok() && MatchesAll(*matchers, labels)) return true;
  }
  return false;
}

void Engine::NotePersistError(const Status& s) {
  if (s.ok()) return;
  ++persist_failures_;
  persist_error_ = s.ToString();
}

void Engine::PersistLocked(const Alert& a, bool transition) {
  if (!store_) return;
  std::string text = AlertJson(a).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  NotePersistError(store_->PutValue(kStateNs, a.fingerprint, text));
  if (transition && (a.state == AlertState::kFiring || a.state == AlertState::kResolved)) {
    store::JournalEntry e;
    e.kind = kJournalKind;
    e.time_ns = a.state == AlertState::kFiring ? a.fired_at_ns : a.resolved_at_ns;
    e.payload = std::move(text);
    auto seq = store_->AppendJournal(std::move(e));
    if (!seq.ok()) NotePersistError(seq.status());
  }
}

void Engine::ForgetLocked(const Alert& a) {
  if (store_) NotePersistError(store_->DeleteValue(kStateNs, a.fingerprint));
}

void Engine::EvaluateRuleLocked(RuleEntry& entry, uint64_t now, QueryCache& cache, DataSource& source,
                                EvaluationResult* result) {
  const Rule& rule = entry.status.rule;
  RuleStatus& st = entry.status;
  const auto started = std::chrono::steady_clock::now();
  const uint64_t end_ns = now > Nanos(options_.lag_seconds) ? now - Nanos(options_.lag_seconds) : 0;
  const EvalRange judged = JudgedRange(rule, end_ns);
  st.last_eval_ns = now;
  // Persisted alerts of this rule (from before a restart) rejoin it.
  for (auto it = restored_.begin(); it != restored_.end();) {
    if (it->second.rule == rule.name) {
      entry.alerts.try_emplace(it->first, std::move(it->second));
      it = restored_.erase(it);
    } else {
      ++it;
    }
  }
  auto samples = EvaluateRule(rule, end_ns, cache);
  if (!samples.ok()) {
    // Unhealthy: keep the alerts as they are and try again next round.
    st.health = "err";
    st.last_error = samples.status().ToString();
    ++result->rules_failed;
  } else {
    st.health = "ok";
    st.last_error.clear();
    st.groups = samples->size();
    std::set<std::string> seen;
    bool any_data = false;
    for (const Sample& s : *samples) {
      any_data = any_data || s.has_data;
      const Verdict verdict = s.has_data ? (s.active ? Verdict::kActive : Verdict::kInactive) : NoDataVerdict(rule.no_data);
      // The common case, a quiet group of a rule with no alerts: nothing to build.
      if (verdict != Verdict::kActive && entry.alerts.empty()) continue;
      Alert fresh = NewAlertLocked(rule, s.group);
      seen.insert(fresh.fingerprint);
      auto it = entry.alerts.find(fresh.fingerprint);
      if (it == entry.alerts.end()) {
        if (verdict != Verdict::kActive) continue;  // inactive groups are not tracked
        it = entry.alerts.emplace(fresh.fingerprint, std::move(fresh)).first;
      }
      Alert& a = it->second;
      if (s.has_data || verdict == Verdict::kActive) {
        a.value = s.value;
        a.baseline = s.baseline;
        a.threshold = s.threshold;
        if (s.active) a.summary = s.summary;
        if (!s.has_data) a.summary = "no data for " + rule.name + " (too few samples in the window or the baseline)";
        a.generator_url = GeneratorUrl(rule, s.group, judged.start_ns, judged.end_ns);
      }
      const AlertState before = a.state;
      const bool changed = StepAlert(verdict, now, rule.for_seconds, rule.keep_firing_for_seconds, &a);
      if (changed && a.state == AlertState::kFiring && before != AlertState::kFiring && options_.find_examples) {
        ExampleQuery eq;
        eq.start_ns = judged.start_ns;
        eq.end_ns = judged.end_ns;
        eq.where = rule.filters;
        for (const auto& [k, v] : s.group) {
          if (!v.empty()) eq.where[k] = v;
        }
        auto ex = source.FindExamples(eq);
        if (ex.ok()) a.examples = std::move(*ex);
      }
      if (changed) PersistLocked(a, true);
    }
    // Alerts whose group has gone from the data altogether.
    for (auto& [fp, a] : entry.alerts) {
      if (seen.contains(fp)) continue;
      if (StepAlert(NoDataVerdict(rule.no_data), now, rule.for_seconds, rule.keep_firing_for_seconds, &a)) {
        PersistLocked(a, true);
      }
    }
    // no_data: alert, and nothing at all came back: one alert for the rule.
    if (rule.no_data == NoDataPolicy::kAlert && !any_data) {
      Alert fresh = NewAlertLocked(rule, {});
      fresh.labels["nodata"] = "true";
      fresh.fingerprint = Fingerprint(fresh.labels);
      auto [it, inserted] = entry.alerts.try_emplace(fresh.fingerprint, std::move(fresh));
      Alert& a = it->second;
      a.summary = "no data for " + rule.name + " in the last " + FormatDuration(rule.window_seconds);
      a.generator_url = GeneratorUrl(rule, {}, judged.start_ns, judged.end_ns);
      if (StepAlert(Verdict::kActive, now, rule.for_seconds, rule.keep_firing_for_seconds, &a) || inserted) {
        PersistLocked(a, true);
      }
    }
  }
  // Annotations, silences, notifications; drop what is over.
  st.pending = st.firing = 0;
  const uint64_t retention = Nanos(options_.resolved_retention_seconds);
  for (auto it = entry.alerts.begin(); it != entry.alerts.end();) {
    Alert& a = it->second;
    const bool expired = a.state == AlertState::kResolved && now - a.resolved_at_ns >= retention;
    if (a.state == AlertState::kInactive || expired) {
      ForgetLocked(a);
      it = entry.alerts.erase(it);
      continue;
    }
    a.silenced = SilencedLocked(a.labels, now);
    a.annotations = rule.annotations;
    a.annotations["summary"] = a.summary;
    a.annotations["value"] = Num(a.value);
    if (rule.baseline != BaselineKind::kNone) a.annotations["baseline"] = Num(a.baseline);
    a.annotations["threshold"] = Num(a.threshold);
    a.annotations["loupe_url"] = a.generator_url;
    if (!a.examples.slowest.empty()) a.annotations["example_slowest_trace"] = a.examples.slowest;
    if (!a.examples.most_expensive.empty()) a.annotations["example_costliest_trace"] = a.examples.most_expensive;
    if (!a.examples.lowest_scored.empty()) a.annotations["example_lowest_scored_trace"] = a.examples.lowest_scored;
    if (a.state == AlertState::kPending) ++st.pending;
    if (a.state == AlertState::kFiring) ++st.firing;
    const bool just_resolved = a.state == AlertState::kResolved && a.resolved_at_ns == now;
    if (!a.silenced && (a.state == AlertState::kFiring || just_resolved)) result->notify.push_back(a);
    ++it;
  }
  st.last_duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

EvaluationResult Engine::Evaluate(uint64_t now_ns, DataSource& source) {
  std::lock_guard lock(mu_);
  EvaluationResult result;
  QueryCache cache(&source);
  for (auto& entry : rules_) EvaluateRuleLocked(entry, now_ns, cache, source, &result);
  result.queries = cache.queries();
  result.shared_queries = cache.hits();
  // Silences past their end are dropped a day later (kept to be listed).
  for (auto it = silences_.begin(); it != silences_.end();) {
    if (it->second.ends_at_ns + 86'400'000'000'000ull < now_ns) {
      if (store_) NotePersistError(store_->DeleteValue(kSilenceNs, it->first));
      it = silences_.erase(it);
    } else {
      ++it;
    }
  }
  return result;
}

std::vector<Alert> Engine::Alerts() const {
  std::lock_guard lock(mu_);
  std::vector<Alert> out;
  for (const auto& e : rules_) {
    for (const auto& [fp, a] : e.alerts) out.push_back(a);
  }
  return out;
}

std::vector<RuleStatus> Engine::Rules() const {
  std::lock_guard lock(mu_);
  std::vector<RuleStatus> out;
  for (const auto& e : rules_) out.push_back(e.status);
  return out;
}

Result<Silence> Engine::AddSilence(Silence s, uint64_t now_ns) {
  auto compiled = CompileSilence(s);
  if (!compiled.ok()) return compiled.status();
  if (s.starts_at_ns == 0) s.starts_at_ns = now_ns;
  if (s.ends_at_ns <= s.starts_at_ns) return Status::InvalidArgument("endsAt: must be after startsAt");
  if (s.ends_at_ns <= now_ns) return Status::InvalidArgument("endsAt: must be in the future");
  std::lock_guard lock(mu_);
  if (s.id.empty() || !silences_.contains(s.id)) s.id = "s" + std::to_string(next_silence_++);
  if (store_) {
    Status st = store_->PutValue(kSilenceNs, s.id, SilenceToJson(s));
    NotePersistError(st);
  }
  silences_[s.id] = s;
  return s;
}

Status Engine::ExpireSilence(const std::string& id, uint64_t now_ns) {
  std::lock_guard lock(mu_);
  auto it = silences_.find(id);
  if (it == silences_.end()) return Status::NotFound("no silence with id \"" + id + "\"");
  Silence& s = it->second;
  if (s.ends_at_ns > now_ns) s.ends_at_ns = now_ns;
  if (s.starts_at_ns > s.ends_at_ns) s.starts_at_ns = s.ends_at_ns;
  if (store_) NotePersistError(store_->PutValue(kSilenceNs, s.id, SilenceToJson(s)));
  return Status::Ok();
}

std::vector<Silence> Engine::Silences() const {
  std::lock_guard lock(mu_);
  std::vector<Silence> out;
  for (const auto& [id, s] : silences_) out.push_back(s);
  return out;
}

std::string Engine::persist_error() const {
  std::lock_guard lock(mu_);
  return persist_error_;
}

uint64_t Engine::persist_failures() const {
  std::lock_guard lock(mu_);
  return persist_failures_;
}

}  // namespace loupe::alerting
