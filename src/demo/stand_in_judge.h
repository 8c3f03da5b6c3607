// A STAND-IN for an LLM judge, for the demo only: no model behind it. It
// speaks the Anthropic Messages API (POST /v1/messages, forced tool use
// answered with a tool_use block whose input carries {"scores": ...}) and,
// for OpenAI-compatible judges, POST /v1/chat/completions, so Loupe's real
// evaluation path runs against it. Scores are a deterministic function of
// the judged text: answers carrying kWorsePromptMarker (support_chat v4)
// score low on accuracy and relevance, answers that try to instruct the
// judge score low everywhere; everything else scores 4-5. Every
// reply says it is a stand-in (reasoning prefix, id, response header).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace loupe::ingest {
class HttpServer;
}

namespace loupe::demo {

inline constexpr std::string_view kStandInReasoningPrefix = "[stand-in judge, not a model]";

// Dimensions scored when the request's tool schema does not name any
// (the blueprint's QualityScore).
const std::vector<std::string>& DefaultJudgeDimensions();

// The score of `dimension` on a 1..5 scale for the judged text (the whole
// judge request: prompt, question, answer, context).
int StandInScore(std::string_view judged_text, std::string_view dimension);

// Reply bodies for one request body. The payload follows the request's
// tool input_schema: properties.scores as an object of numbers, an object
// of {score, reasoning} objects, or an array of {name|dimension, score,
// reasoning}; a flat schema of numeric properties (what Loupe's evaluator
// sends); or, with no schema at all, a text block holding the blueprint's
// {"accuracy", "relevance", "safety", "reasoning"}. Scales come
// from the schema's minimum/maximum (default 1..5). InvalidArgument when
// the body is not a JSON object with messages.
Result<std::string> AnswerAnthropicMessages(std::string_view request_body);
Result<std::string> AnswerChatCompletions(std::string_view request_body);

// The HTTP server. Thread-safe.
class StandInJudge {
 public:
  // `addr` is host:port (port 0: any); `log` (may be null) gets one line at
  // start and a line per scored request (the first 5, then every 50th).
  StandInJudge(std::string addr, std::ostream* log);
  ~StandInJudge();  // Shutdown()

  Status Start();
  uint16_t port() const;
  void Shutdown();  // safe without Start() and twice
  int64_t requests() const;

 private:
  void Log(const std::string& line);

  std::string addr_;
  std::ostream* log_;
  std::unique_ptr<ingest::HttpServer> server_;
  mutable std::mutex mu_;
  int64_t requests_ = 0;  // GUARDED_BY(mu_)
};

}  // namespace loupe::demo
