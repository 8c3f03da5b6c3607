#include "eval/sampler.h"

#include <charconv>
#include <cstring>

namespace loupe::eval {
namespace {

uint64_t Fnv1a(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

// splitmix64's finaliser: FNV alone leaves the high bits poorly mixed.
uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

bool Matches(const std::string& want, const std::string& have) { return want.empty() || want == have; }

std::string ServiceOf(const model::Span& span) {
  std::string service;
  if (span.resource) span.resource->attributes.GetText("service.name", &service);
  return service;
}

}  // namespace

Sampler::Sampler(const EvalConfig& config) : config_(config) {}

size_t Sampler::TraceHash::operator()(const model::TraceId& t) const {
  uint64_t v;
  std::memcpy(&v, t.data() + 8, sizeof v);
  return static_cast<size_t>(v);
}

double Sampler::HashUnit(const std::string& seed, const model::TraceId& trace, const model::SpanId& span,
                         const std::string& rule) {
  uint64_t h = 0xcbf29ce484222325ull;
  h = Fnv1a(h, seed.data(), seed.size());
  h = Fnv1a(h, "\0", 1);
  h = Fnv1a(h, rule.data(), rule.size());
  h = Fnv1a(h, "\0", 1);
  h = Fnv1a(h, trace.data(), trace.size());
  h = Fnv1a(h, span.data(), span.size());
  return static_cast<double>(Mix(h) >> 11) / static_cast<double>(1ull << 53);
}

bool Sampler::Evaluable(const model::SpanRecord& record) {
  if (!record.llm) return false;
  const model::AnyValue* internal = record.span.FindAttribute("loupe.internal");
  if (internal && ((internal->AsBool() && *internal->AsBool()) ||
                   (internal->AsString() && *internal->AsString() == "true"))) {
    return false;
  }
  const model::LlmCall& call = *record.llm;
  if (call.operation == "embeddings") return false;
  return !call.input_messages.empty() || !call.output_messages.empty();
}

std::string Sampler::FirstSeenKey(const std::string& feature, const std::string& version) {
  return feature + '\x1f' + version;
}

void Sampler::LoadFirstSeen(const std::vector<std::pair<std::string, std::string>>& values) {
  std::lock_guard lock(mu_);
  for (const auto& [key, value] : values) {
    FirstSeen fs;
    const size_t space = value.find(' ');
    if (space == std::string::npos) continue;
    auto r1 = std::from_chars(value.data(), value.data() + space, fs.first_ns);
    auto r2 = std::from_chars(value.data() + space + 1, value.data() + value.size(), fs.sampled);
    if (r1.ec != std::errc() || r2.ec != std::errc()) continue;  // unreadable: treat as new
    first_seen_[key] = fs;
  }
}

std::vector<std::pair<std::string, std::string>> Sampler::TakeDirtyFirstSeen() {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, unused] : dirty_) {
    const FirstSeen& fs = first_seen_[key];
    out.emplace_back(key, std::to_string(fs.first_ns) + " " + std::to_string(fs.sampled));
  }
  dirty_.clear();
  return out;
}

bool Sampler::InBurst(const model::LlmCall& call, uint64_t at_ns) {
  if (!config_.burst.enabled || call.prompt_version.empty()) return false;
  const std::string key = FirstSeenKey(call.feature, call.prompt_version);
  std::lock_guard lock(mu_);
  auto [it, inserted] = first_seen_.try_emplace(key, FirstSeen{at_ns, 0});
  if (inserted) dirty_[key] = true;
  FirstSeen& fs = it->second;
  const uint64_t period_ns = static_cast<uint64_t>(config_.burst.seconds * 1e9);
  // Calls replayed from before the first sighting count as inside the burst.
  const bool in_period = at_ns < fs.first_ns || at_ns - fs.first_ns < period_ns;
  if (!in_period || fs.sampled >= config_.burst.calls) return false;
  ++fs.sampled;
  dirty_[key] = true;
  return true;
}

bool Sampler::TraceCapReached(const model::TraceId& trace) {
  auto it = per_trace_.find(trace);
  return it != per_trace_.end() && it->second >= config_.per_trace_cap;
}

void Sampler::CountForTrace(const model::TraceId& trace) {
  auto [it, inserted] = per_trace_.try_emplace(trace, 0);
  ++it->second;
  if (!inserted) return;
  trace_order_.push_back(trace);
  if (trace_order_.size() > kMaxTracked) {
    per_trace_.erase(trace_order_.front());
    trace_order_.pop_front();
  }
}

SampleDecision Sampler::Decide(const model::SpanRecord& record) {
  SampleDecision d;
  if (!Evaluable(record)) return d;
  const model::LlmCall& call = *record.llm;
  const model::Span& span = record.span;

  if (config_.builtins_enabled) {
    if (config_.builtins.empty()) d.builtins = true;
    for (const BuiltinConfig& b : config_.builtins) d.builtins |= Matches(b.feature, call.feature);
  }
  if (TraceCapReached(span.trace_id)) return d;

  const uint64_t at = span.start_time_unix_nano;
  const std::string service = ServiceOf(span);
  const SamplingRule* rule = nullptr;
  for (const SamplingRule& r : config_.rules) {
    if (Matches(r.feature, call.feature) && Matches(r.team, call.team) &&
        (r.model.empty() || r.model == call.request_model || r.model == call.response_model) &&
        Matches(r.prompt_version, call.prompt_version) && Matches(r.environment, call.environment) &&
        Matches(r.service, service)) {
      rule = &r;
      break;
    }
  }
  d.rubric = rule && !rule->rubric.empty() ? rule->rubric : config_.default_rubric;

  for (const AbWindow& w : config_.ab_windows) {
    if (w.feature != call.feature || at < w.start_ns || at >= w.end_ns) continue;
    bool version_ok = w.prompt_versions.empty();
    for (const auto& v : w.prompt_versions) version_ok |= v == call.prompt_version;
    if (!version_ok) continue;
    if (HashUnit(config_.seed, span.trace_id, span.span_id, "ab:" + w.feature) < w.rate) {
      d.judge = true;
      d.reason = "ab window " + w.feature;
    }
    // The window decides for its calls, sampled or not.
    if (d.judge) CountForTrace(span.trace_id);
    return d;
  }
  if (InBurst(call, at)) {
    d.judge = true;
    d.reason = "burst prompt " + call.prompt_version;
  } else {
    const std::string name = rule ? rule->name : "default";
    const double rate = rule ? rule->rate : config_.default_rate;
    if (HashUnit(config_.seed, span.trace_id, span.span_id, name) < rate) {
      d.judge = true;
      d.reason = "rate " + std::to_string(rate).substr(0, 6) + " rule " + name;
    }
  }
  if (d.judge) CountForTrace(span.trace_id);
  return d;
}

}  // namespace loupe::eval
