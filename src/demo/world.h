// The demo's cast: services, teams, features, models and the texts their
// users and models exchange. Pure data, no randomness; generator.cc picks
// from it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loupe::demo {

// The phrase every answer of the worse prompt version (support_chat v4)
// carries. The stand-in judge recognises it and scores those answers low.
inline constexpr std::string_view kWorsePromptMarker = "I hope this comprehensive overview helps";
// RAG answers that found nothing carry this; the judge scores them as
// relevant-but-unhelpful.
inline constexpr std::string_view kNotFoundMarker = "I could not find this in the documentation";

// The support_chat prompt versions: v4 replaced v3 and is worse (longer,
// slower, more expensive, less accurate).
inline constexpr std::string_view kGoodPromptVersion = "v3";
inline constexpr std::string_view kWorsePromptVersion = "v4";

struct ModelInfo {
  std::string provider;        // gen_ai.provider.name
  std::string request_model;   // gen_ai.request.model (priced in the catalog)
  std::string response_model;  // gen_ai.response.model (dated snapshot)
  std::string server_address;
  double tokens_per_second;    // output speed, for durations
  double ttft_ms;              // median time to first token
};

// REQUIRES: `request_model` is one of the demo's models (see world.cc).
const ModelInfo& Model(std::string_view request_model);
const std::vector<ModelInfo>& Models();

// A feature and who owns it. Every feature's service has its own resource.
struct FeatureInfo {
  std::string feature;  // ai.feature
  std::string team;     // ai.team
  std::string service;  // service.name
  std::string route;    // the root span's HTTP route
};
const std::vector<FeatureInfo>& Features();
// REQUIRES: `feature` is one of Features().
const FeatureInfo& Feature(std::string_view feature);

// support_chat: a customer question, the v3 answer and the worse v4 answer.
struct SupportTopic {
  std::string question;      // may contain {order}
  std::string good_answer;   // may contain {order}
  std::string worse_answer;  // carries kWorsePromptMarker
  bool looks_up_order;       // answered after a lookup_order tool call
  std::string follow_up;     // the customer's next turn
};
const std::vector<SupportTopic>& SupportTopics();
extern const char* const kSupportSystemPrompt;

struct Document {
  std::string id, title, content;
};
// rag_answer: a docs question, the documents retrieved and the answer.
struct RagTopic {
  std::string question;
  std::vector<Document> documents;
  std::string answer;
};
const std::vector<RagTopic>& RagTopics();
extern const char* const kRagSystemPrompt;

// summarize: a support ticket thread and its summary.
struct Ticket {
  std::string thread, summary;
};
const std::vector<Ticket>& Tickets();

// classify: inbound feedback and its label.
struct Feedback {
  std::string text, label;
};
const std::vector<Feedback>& FeedbackItems();

// chat: the growth team's copywriting assistant.
struct CopyRequest {
  std::string ask, reply, follow_up, follow_up_reply;
};
const std::vector<CopyRequest>& CopyRequests();

// agent: an incident the ops agent triages with tools.
struct Incident {
  std::string alert;       // what paged
  std::string service;     // the affected service, a tool argument
  std::string finding;     // what the logs show
  std::string conclusion;  // the agent's final answer
};
const std::vector<Incident>& Incidents();

// Fills "{order}" placeholders.
std::string Fill(std::string_view text, std::string_view order);

}  // namespace loupe::demo
