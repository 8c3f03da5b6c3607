// Scenario mix, ids, and the shared bits of Generator; the scenarios
// themselves are in generator_scenarios.cc.
#include "demo/generator.h"

#include <array>

namespace loupe::demo {

std::string_view ScenarioName(Scenario scenario) {
  static constexpr std::array<std::string_view, kScenarioCount> kNames = {
      "support_chat", "support_tool_call", "rag_answer", "summarize",   "classify",          "copy_chat",
      "agent",        "rate_limited",      "timeout",    "slow_outlier", "expensive_outlier"};
  return kNames[static_cast<size_t>(scenario)];
}

void ShiftTrace(GeneratedTrace* trace, int64_t delta_nanos) {
  auto shift = [delta_nanos](uint64_t* t) { *t = static_cast<uint64_t>(static_cast<int64_t>(*t) + delta_nanos); };
  shift(&trace->start_unix_nanos);
  shift(&trace->end_unix_nanos);
  for (model::Span& s : trace->spans) {
    shift(&s.start_time_unix_nano);
    shift(&s.end_time_unix_nano);
    for (model::Event& e : s.events) shift(&e.time_unix_nano);
  }
}

Generator::Generator(GeneratorOptions options) : options_(options), rng_(Mix64(options.seed)) {}

uint64_t Generator::IdSeed(uint64_t start) const {
  // The start time is mixed in so that two runs with the same seed at
  // different times send different ids (Loupe drops a repeated span).
  return Mix64(Mix64(options_.seed ^ 0x5eedull) ^ Mix64(count_) ^ start);
}

std::string Generator::PickUser(std::string_view prefix, int population) {
  // Skewed: a few heavy users, a long tail, so "top users by spend" means something.
  double u = rng_.Uniform();
  int index = static_cast<int>(population * u * u * u);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*s-%03d", static_cast<int>(prefix.size()), prefix.data(), index + 1);
  return buf;
}

std::string Generator::PickEnvironment() { return rng_.Chance(0.06) ? "staging" : "production"; }

GeneratedTrace Generator::Next(uint64_t start_unix_nanos) {
  static const std::vector<double> kWeights = {
      22,   // support_chat
      8,    // support_tool_call
      18,   // rag_answer
      12,   // summarize
      16,   // classify
      12,   // copy_chat
      6,    // agent
      2.5,  // rate_limited
      1.5,  // timeout
      1,    // slow_outlier
      0.5,  // expensive_outlier: about $1.50 each
  };
  Scenario scenario = count_ < kScenarioCount ? static_cast<Scenario>(count_)
                                              : static_cast<Scenario>(rng_.Weighted(kWeights));
  GeneratedTrace t;
  t.scenario = scenario;
  t.start_unix_nanos = start_unix_nanos;
  switch (scenario) {
    case Scenario::kSupportChat: SupportTurn(&t, false); break;
    case Scenario::kSupportToolCall: SupportTurn(&t, true); break;
    case Scenario::kRagAnswer: RagAnswer(&t, false); break;
    case Scenario::kSummarize: Summarize(&t, false); break;
    case Scenario::kClassify: Classify(&t); break;
    case Scenario::kCopyChat: CopyChat(&t, false); break;
    case Scenario::kAgent: Agent(&t, false); break;
    case Scenario::kRateLimited: CopyChat(&t, true); break;
    case Scenario::kTimeout: RagAnswer(&t, true); break;
    case Scenario::kSlowOutlier: Agent(&t, true); break;
    case Scenario::kExpensiveOutlier: Summarize(&t, true); break;
  }
  ++count_;
  return t;
}

}  // namespace loupe::demo
