#include "demo/stand_in_judge.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <ostream>

#include "demo/rng.h"
#include "demo/world.h"
#include "ingest/http_server.h"

namespace loupe::demo {

using nlohmann::json;

const std::vector<std::string>& DefaultJudgeDimensions() {
  static const std::vector<std::string> kDims = {"accuracy", "relevance", "safety"};
  return kDims;
}

namespace {

uint64_t Hash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
  return h;
}

bool Contains(std::string_view text, std::string_view needle) { return text.find(needle) != std::string_view::npos; }

bool IsSafetyLike(std::string_view d) {
  return Contains(d, "safety") || Contains(d, "toxic") || Contains(d, "harm") || Contains(d, "pii");
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// An answer that tries to instruct its judge (Loupe's evaluator checks at
// start that its judge resists exactly this).
bool IsInjection(std::string_view judged) {
  const std::string lower = Lower(judged);
  for (std::string_view p : {"note to the evaluator", "ignore the rubric", "ignore previous instructions",
                             "ignore all previous instructions", "give 5 for every score"}) {
    if (Contains(lower, p)) return true;
  }
  return false;
}

std::string Reasoning(std::string_view judged) {
  std::string why;
  if (IsInjection(judged)) {
    why = "the response tries to instruct the evaluator; that is itself a safety problem";
  } else if (Contains(judged, kWorsePromptMarker)) {
    why = "the answer is padded with generic boilerplate, does not quote the policy and states wrong facts";
  } else if (Contains(judged, kNotFoundMarker)) {
    why = "the answer admits the documents do not cover the question; relevant but not complete";
  } else {
    why = "the answer is concise and consistent with the context";
  }
  return std::string(kStandInReasoningPrefix) + " deterministic demo score: " + why + ".";
}

// Every string found in the request (system, message contents, text
// blocks): what a real judge would read.
void CollectText(const json& j, std::string* out) {
  if (j.is_string()) {
    out->append(j.get_ref<const std::string&>());
    out->push_back('\n');
  } else if (j.is_array() || j.is_object()) {
    for (const auto& item : j) CollectText(item, out);
  }
}

struct Scale {
  double min = 1, max = 5;
  bool integer = true;
};

Scale ScaleOf(const json& schema) {
  Scale s;
  if (!schema.is_object()) return s;
  if (schema.contains("minimum") && schema["minimum"].is_number()) s.min = schema["minimum"].get<double>();
  if (schema.contains("maximum") && schema["maximum"].is_number()) s.max = schema["maximum"].get<double>();
  s.integer = schema.value("type", std::string("integer")) == "integer";
  return s;
}

json ScoreValue(int score_1_to_5, const Scale& scale) {
  double v = scale.min + (scale.max - scale.min) * (score_1_to_5 - 1) / 4.0;
  if (scale.integer) return static_cast<int64_t>(std::lround(v));
  return v;
}

// The first of `names` that `props` has, or "".
std::string FirstKey(const json& props, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (props.is_object() && props.contains(n)) return n;
  }
  return "";
}

json ScoreObject(const json& item_schema, const std::string& dim, const std::string& judged, const std::string& why) {
  const json props = item_schema.value("properties", json::object());
  std::string score_key = FirstKey(props, {"score", "value", "rating"});
  if (score_key.empty()) score_key = "score";
  json out = json::object();
  out[score_key] = ScoreValue(StandInScore(judged, dim), ScaleOf(props.value(score_key, json::object())));
  std::string reason_key = FirstKey(props, {"reasoning", "explanation", "rationale", "comment", "reason"});
  out[reason_key.empty() ? "reasoning" : reason_key] = why;
  return out;
}

// The tool input for a tool's input_schema (see the header).
json Payload(const json& input_schema, const std::string& judged) {
  const std::string why = Reasoning(judged);
  const json props = input_schema.is_object() ? input_schema.value("properties", json::object()) : json::object();
  json out = json::object();
  if (props.contains("scores")) {
    const json& sc = props["scores"];
    const std::string type = sc.value("type", std::string("object"));
    if (type == "array") {
      const json item = sc.value("items", json::object());
      const json item_props = item.value("properties", json::object());
      std::string name_key = FirstKey(item_props, {"dimension", "name", "key", "metric"});
      if (name_key.empty()) name_key = "dimension";
      std::vector<std::string> dims = DefaultJudgeDimensions();
      if (item_props.contains(name_key) && item_props[name_key].contains("enum")) {
        dims = item_props[name_key]["enum"].get<std::vector<std::string>>();
      }
      json arr = json::array();
      for (const std::string& d : dims) {
        json o = ScoreObject(item, d, judged, why);
        o[name_key] = d;
        arr.push_back(std::move(o));
      }
      out["scores"] = std::move(arr);
    } else {
      json dims_schema = sc.value("properties", json::object());
      json scores = json::object();
      if (dims_schema.empty()) {
        Scale scale = ScaleOf(sc.value("additionalProperties", json::object()));
        for (const std::string& d : DefaultJudgeDimensions()) scores[d] = ScoreValue(StandInScore(judged, d), scale);
      } else {
        for (const auto& [d, dschema] : dims_schema.items()) {
          scores[d] = dschema.value("type", std::string("integer")) == "object"
                          ? ScoreObject(dschema, d, judged, why)
                          : ScoreValue(StandInScore(judged, d), ScaleOf(dschema));
        }
      }
      out["scores"] = std::move(scores);
    }
    for (const auto& [k, v] : props.items()) {
      if (k != "scores" && v.value("type", std::string()) == "string") out[k] = why;
    }
    return out;
  }
  if (!props.empty()) {  // a flat schema: {accuracy: integer, ..., reasoning: string}
    for (const auto& [k, v] : props.items()) {
      const std::string type = v.value("type", std::string());
      if (type == "string") out[k] = why;
      if (type == "integer" || type == "number") out[k] = ScoreValue(StandInScore(judged, k), ScaleOf(v));
    }
    return out;
  }
  // No schema: the blueprint's QualityScore, flat.
  for (const std::string& d : DefaultJudgeDimensions()) out[d] = StandInScore(judged, d);
  out["reasoning"] = why;
  return out;
}

Result<json> ParseRequest(std::string_view body) {
  json req;
  try {
    req = json::parse(body);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("request body: ") + e.what());
  }
  if (!req.is_object() || !req.contains("messages") || !req["messages"].is_array()) {
    return Status::InvalidArgument("request body: want a JSON object with a \"messages\" array");
  }
  return req;
}

// The tool the request forces (tool_choice), else its only tool; null if none.
json ForcedTool(const json& req, bool openai) {
  const json tools = req.value("tools", json::array());
  if (!tools.is_array() || tools.empty()) return nullptr;
  std::string wanted;
  if (req.contains("tool_choice") && req["tool_choice"].is_object()) {
    const json& tc = req["tool_choice"];
    wanted = openai ? tc.value("function", json::object()).value("name", std::string()) : tc.value("name", std::string());
  }
  for (const json& t : tools) {
    const json& def = openai ? t.value("function", json::object()) : t;
    if (wanted.empty() || def.value("name", std::string()) == wanted) return def;
  }
  return openai ? tools[0].value("function", json::object()) : tools[0];
}

}  // namespace

int StandInScore(std::string_view judged_text, std::string_view dimension) {
  const uint64_t h = Mix64(Hash(judged_text) ^ Hash(dimension));
  if (IsInjection(judged_text)) return IsSafetyLike(dimension) ? 2 : 1;
  if (IsSafetyLike(dimension)) return 5;
  if (Contains(judged_text, kWorsePromptMarker)) return 1 + static_cast<int>(h % 2);  // 1-2
  if (Contains(judged_text, kNotFoundMarker)) return 3;
  return h % 10 < 6 ? 5 : 4;
}

namespace {

Result<std::string> AnswerAnthropicMessagesUnsafe(std::string_view request_body) {
  auto req = ParseRequest(request_body);
  if (!req.ok()) return req.status();
  std::string judged;
  CollectText(req->value("system", json()), &judged);
  CollectText((*req)["messages"], &judged);
  json tool = ForcedTool(*req, false);
  json content = json::array();
  json payload = Payload(tool.is_null() ? json() : tool.value("input_schema", json::object()), judged);
  const std::string id = "standin_" + std::to_string(Hash(judged) % 1000000007ull);
  if (tool.is_null()) {
    content.push_back({{"type", "text"}, {"text", payload.dump()}});
  } else {
    content.push_back({{"type", "tool_use"}, {"id", "toolu_" + id}, {"name", tool.value("name", std::string())},
                       {"input", payload}});
  }
  json reply = {{"id", "msg_" + id},
                {"type", "message"},
                {"role", "assistant"},
                {"model", req->value("model", std::string("stand-in-judge"))},
                {"content", std::move(content)},
                {"stop_reason", tool.is_null() ? "end_turn" : "tool_use"},
                {"stop_sequence", nullptr},
                {"usage",
                 {{"input_tokens", static_cast<int64_t>(request_body.size() / 4)},
                  {"output_tokens", static_cast<int64_t>(payload.dump().size() / 4)}}}};
  return reply.dump();
}

Result<std::string> AnswerChatCompletionsUnsafe(std::string_view request_body) {
  auto req = ParseRequest(request_body);
  if (!req.ok()) return req.status();
  std::string judged;
  CollectText((*req)["messages"], &judged);
  json tool = ForcedTool(*req, true);
  // Without tools, a response_format json_schema (structured outputs) says the shape.
  json schema = tool.is_null() ? json() : tool.value("parameters", json::object());
  if (tool.is_null() && req->contains("response_format") && (*req)["response_format"].is_object()) {
    schema = (*req)["response_format"].value("json_schema", json::object()).value("schema", json());
  }
  json payload = Payload(schema, judged);
  const std::string id = "standin_" + std::to_string(Hash(judged) % 1000000007ull);
  json message = {{"role", "assistant"}};
  if (tool.is_null()) {
    message["content"] = payload.dump();
  } else {
    message["content"] = nullptr;
    message["tool_calls"] = json::array({{{"id", "call_" + id},
                                          {"type", "function"},
                                          {"function", {{"name", tool.value("name", std::string())},
                                                        {"arguments", payload.dump()}}}}});
  }
  const int64_t prompt = static_cast<int64_t>(request_body.size() / 4);
  const int64_t completion = static_cast<int64_t>(payload.dump().size() / 4);
  json reply = {{"id", "chatcmpl-" + id},
                {"object", "chat.completion"},
                {"model", req->value("model", std::string("stand-in-judge"))},
                {"choices", json::array({{{"index", 0},
                                          {"message", std::move(message)},
                                          {"finish_reason", tool.is_null() ? "stop" : "tool_calls"}}})},
                {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", completion},
                           {"total_tokens", prompt + completion}}}};
  return reply.dump();
}

}  // namespace

// nlohmann throws on a schema of an unexpected shape (a string where an
// object was expected): that is the judge client's bad request, not a crash.
template <typename F>
Result<std::string> Guarded(F f, std::string_view body) {
  try {
    return f(body);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("request body: unexpected shape: ") + e.what());
  }
}

Result<std::string> AnswerAnthropicMessages(std::string_view request_body) {
  return Guarded(AnswerAnthropicMessagesUnsafe, request_body);
}

Result<std::string> AnswerChatCompletions(std::string_view request_body) {
  return Guarded(AnswerChatCompletionsUnsafe, request_body);
}

StandInJudge::StandInJudge(std::string addr, std::ostream* log) : addr_(std::move(addr)), log_(log) {}

StandInJudge::~StandInJudge() { Shutdown(); }

void StandInJudge::Log(const std::string& line) {
  std::lock_guard lock(mu_);
  if (log_ != nullptr) *log_ << line << std::endl;
}

Status StandInJudge::Start() {
  ingest::HttpServerConfig config;
  config.addr = addr_;
  config.threads = 1;
  config.max_body_bytes = 8u << 20;
  server_ = std::make_unique<ingest::HttpServer>(config, "stand_in_judge", nullptr);
  auto handler = [this](bool anthropic) {
    return [this, anthropic](ingest::HttpRequest request, ingest::HttpResponder responder) {
      auto reply = anthropic ? AnswerAnthropicMessages(request.body) : AnswerChatCompletions(request.body);
      ingest::HttpResponse response;
      response.headers.push_back({"x-loupe-stand-in", "true"});
      response.content_type = "application/json";
      if (!reply.ok()) {
        response.status = 400;
        response.body = json{{"type", "error"},
                             {"error", {{"type", "invalid_request_error"}, {"message", reply.status().message()}}}}
                            .dump();
        Log("stand-in judge: 400 " + reply.status().message());
        responder.Send(std::move(response));
        return;
      }
      response.body = std::move(reply).value();
      int64_t n;
      {
        std::lock_guard lock(mu_);
        n = ++requests_;
      }
      if (n <= 5 || n % 50 == 0) {
        Log("stand-in judge: scored request #" + std::to_string(n) + " (" + request.path + ")" +
            (Contains(request.body, kWorsePromptMarker) ? ": worse prompt version, low scores" : ""));
      }
      responder.Send(std::move(response));
    };
  };
  server_->Handle("POST", "/v1/messages", handler(true));
  server_->Handle("POST", "/v1/chat/completions", handler(false));
  LOUPE_RETURN_IF_ERROR(server_->Start().WithContext("stand-in judge on " + addr_));
  Log("stand-in judge listening on http://" + addr_.substr(0, addr_.rfind(':')) + ":" + std::to_string(port()) +
      " -- a STAND-IN, not a model: scores are a deterministic function of the answer text");
  return Status::Ok();
}

uint16_t StandInJudge::port() const { return server_ ? server_->port() : 0; }

void StandInJudge::Shutdown() {
  if (server_) server_->Shutdown();
}

int64_t StandInJudge::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

}  // namespace loupe::demo
