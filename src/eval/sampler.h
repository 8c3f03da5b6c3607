// Sampler: decides which LLM calls get evaluated, deterministically.
//
// A call is judged when the seeded hash of (trace id, span id, rule name)
// falls under the rate of the first matching rule (else default_rate), or
// when an A/B window or a prompt-version burst covers it. The hash mixes
// in the span id and a seed, so decisions do not line up with the
// trace-id sampling clients already do upstream, and the same call always
// gets the same answer (a redelivered span is decided the same way).
//
// Never sampled: spans with attribute loupe.internal=true (Loupe's own
// judge calls, should anyone instrument them), calls without content,
// embeddings. A per-trace cap bounds judge evaluations per trace.
//
// Thread-safety: Decide is called from one thread (the store's indexer
// listener); LoadFirstSeen before that; TakeDirtyFirstSeen from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eval/config.h"
#include "model/batch.h"

namespace loupe::eval {

// The Store::GetValue/PutValue namespace of first-seen prompt versions.
inline constexpr char kFirstSeenNamespace[] = "eval.first_seen";

struct SampleDecision {
  bool judge = false;     // enqueue a judge evaluation with `rubric`
  bool builtins = false;  // enqueue the free built-in evaluators
  std::string rubric;
  std::string reason;     // why judged: "rate 0.1 rule chat", "burst prompt v7", "ab window"
};

class Sampler {
 public:
  explicit Sampler(const EvalConfig& config);

  // Restores first-seen prompt versions (Store::ListValues(kFirstSeenNamespace)).
  void LoadFirstSeen(const std::vector<std::pair<std::string, std::string>>& values);

  SampleDecision Decide(const model::SpanRecord& record);

  // First-seen entries changed since the last call, for Store::PutValue.
  std::vector<std::pair<std::string, std::string>> TakeDirtyFirstSeen();

  // Uniform in [0, 1): the seeded hash of (trace id, span id, rule).
  static double HashUnit(const std::string& seed, const model::TraceId& trace, const model::SpanId& span,
                         const std::string& rule);
  // Whether the call has content a judge can read (and is not internal).
  static bool Evaluable(const model::SpanRecord& record);
  // "feature\x1fversion": the first-seen key.
  static std::string FirstSeenKey(const std::string& feature, const std::string& version);

 private:
  struct FirstSeen {
    uint64_t first_ns = 0;
    uint64_t sampled = 0;
  };
  bool InBurst(const model::LlmCall& call, uint64_t at_ns);  // counts the call when true
  bool TraceCapReached(const model::TraceId& trace);
  void CountForTrace(const model::TraceId& trace);

  const EvalConfig config_;
  std::mutex mu_;
  std::map<std::string, FirstSeen> first_seen_;  // GUARDED_BY(mu_)
  std::map<std::string, bool> dirty_;            // GUARDED_BY(mu_)

  struct TraceHash {
    size_t operator()(const model::TraceId& t) const;
  };
  // Judge evaluations per recent trace; bounded FIFO.
  std::unordered_map<model::TraceId, uint32_t, TraceHash> per_trace_;
  std::deque<model::TraceId> trace_order_;
  static constexpr size_t kMaxTracked = 100'000;
};

}  // namespace loupe::eval
