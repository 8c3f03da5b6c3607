// SpanGen: deterministic GenAI traces for the store benchmark. Each trace
// is one agent span (an aggregate: counts_usage false) with three model
// calls under it; spans are about 1 KB encoded with content (a ~600-byte
// prompt), spread over teams, features, models, users and sessions.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/batch.h"

namespace loupe::bench {

struct GenShape {
  int teams = 10, features = 20, users = 20'000;
  size_t prompt_bytes = 600;
  bool content = true;  // false: no prompts/completions at all
};

class SpanGen {
 public:
  SpanGen(GenShape shape, uint64_t seed);

  // Appends the four spans of trace number `trace` (1-based, ids derive
  // from it) starting at `start_ns`.
  void Trace(uint64_t trace, uint64_t start_ns, std::vector<model::SpanRecord>* out);

  static model::TraceId TraceIdOf(uint64_t trace);
  static std::string UserOf(uint64_t n) { return "user-" + std::to_string(n); }

 private:
  model::SpanRecord Call(uint64_t trace, uint64_t span, uint64_t parent, uint64_t start_ns, uint64_t dur_ns,
                         bool counts_usage);

  GenShape shape_;
  std::mt19937_64 rng_;
  std::vector<std::shared_ptr<const model::Resource>> resources_;
  std::shared_ptr<const model::Scope> scope_;
  std::string words_;
};

}  // namespace loupe::bench
