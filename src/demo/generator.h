// Generator: deterministic, realistic LLM traffic as model::Span traces.
//
// Six features of four teams on four services, seven models of three
// providers, multi-turn conversations (session.id / gen_ai.conversation.id),
// RAG with embeddings and retrieval spans, tool calls, agents, errors (429,
// timeouts), slow and expensive outliers, and a prompt version (support_chat
// v4) that is worse than its predecessor v3. Same options and the same
// sequence of Next() start times give byte-identical traces.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "demo/rng.h"
#include "model/span.h"

namespace loupe::demo {

enum class Scenario : int {
  kSupportChat = 0,   // a support conversation turn (v3, or the worse v4)
  kSupportToolCall,   // a support turn that looks an order up first
  kRagAnswer,         // embeddings + retrieval (documents as content) + answer
  kSummarize,         // ticket summary
  kClassify,          // feedback routing
  kCopyChat,          // the growth team's copywriting assistant, multi-turn
  kAgent,             // invoke_agent: several LLM calls and tools
  kRateLimited,       // 429 on the first attempt (sometimes on the retry too)
  kTimeout,           // the answer call times out: error.type = timeout
  kSlowOutlier,       // an agent run looping for a minute
  kExpensiveOutlier,  // a 240k-token transcript summarised by a large model
};
inline constexpr int kScenarioCount = 11;
std::string_view ScenarioName(Scenario scenario);

struct GeneratorOptions {
  uint64_t seed = 1;
  // support_chat conversations started before this time use v3; after it,
  // worse_prompt_share of them use v4. 0: every conversation is "after".
  uint64_t worse_prompt_rollout_unix_nanos = 0;
  double worse_prompt_share = 0.8;
};

struct GeneratedTrace {
  Scenario scenario = Scenario::kSupportChat;
  std::string service, team, feature, prompt_version, user, session, environment;
  bool failed = false;    // the root span's status is ERROR
  int llm_calls = 0;      // spans with a model call (embeddings included)
  uint64_t start_unix_nanos = 0, end_unix_nanos = 0;
  std::vector<model::Span> spans;  // the root first, parents before children
};

// Moves every timestamp of the trace (spans and events) by `delta_nanos`.
void ShiftTrace(GeneratedTrace* trace, int64_t delta_nanos);

// Not thread-safe.
class Generator {
 public:
  explicit Generator(GeneratorOptions options);

  // The next trace, its root starting at `start_unix_nanos`. The first
  // kScenarioCount traces visit every scenario once, so even a short run
  // shows each; after that scenarios are drawn by weight.
  GeneratedTrace Next(uint64_t start_unix_nanos);

  uint64_t traces_generated() const { return count_; }

 private:
  // An open multi-turn conversation.
  struct Conversation {
    std::string session, user, prompt_version, order, environment, model;
    size_t topic = 0;
    int turn = 0, max_turns = 1;
    bool looks_up_order = false;
    nlohmann::json history = nlohmann::json::array();  // prior messages
  };

  void SupportTurn(GeneratedTrace* t, bool tool_call);
  void RagAnswer(GeneratedTrace* t, bool timeout);
  void Summarize(GeneratedTrace* t, bool expensive);
  void Classify(GeneratedTrace* t);
  void CopyChat(GeneratedTrace* t, bool rate_limited);
  void Agent(GeneratedTrace* t, bool slow);

  Conversation NewSupportConversation(uint64_t start, bool looks_up_order);
  std::string PickUser(std::string_view prefix, int population);
  std::string PickEnvironment();
  uint64_t IdSeed(uint64_t start) const;

  GeneratorOptions options_;
  Rng rng_;
  uint64_t count_ = 0;
  std::vector<Conversation> support_open_;
  std::vector<Conversation> copy_open_;
};

}  // namespace loupe::demo
