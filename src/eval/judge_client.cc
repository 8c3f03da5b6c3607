#include "eval/judge_client.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace loupe::eval {
namespace {

using nlohmann::json;

constexpr char kToolName[] = "record_evaluation";
constexpr size_t kMaxKeptBody = 8 * 1024;

std::string TrimBase(std::string base, const std::string& fallback) {
  if (base.empty()) base = fallback;
  while (!base.empty() && base.back() == '/') base.pop_back();
  // {base}/v1/...: accept a base that already ends in /v1 (as Ollama and
  // LiteLLM document theirs).
  if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0) base.resize(base.size() - 3);
  return base;
}

std::string ApiKey(const JudgeConfig& c, const char* fallback_env) {
  const std::string env = c.api_key_env.empty() ? fallback_env : c.api_key_env;
  const char* v = std::getenv(env.c_str());
  return v ? v : "";
}

// Shared HTTP outcome classification.
bool Classify(const HttpReply& reply, JudgeExchange* out) {
  out->http_status = reply.status;
  out->raw_body = reply.body.substr(0, kMaxKeptBody);
  if (!reply.error.ok()) {
    out->status = reply.error.code() == Status::Code::kTooLarge ? Status::Unavailable(reply.error.message()) : reply.error;
    return false;
  }
  out->retry_after_seconds = ParseRetryAfter(reply.Header("retry-after"));
  const int s = reply.status;
  if (s == 200) return true;
  std::string what = "judge answered HTTP " + std::to_string(s) + ": " + reply.body.substr(0, 300);
  if (s == 429 || s == 529 || s == 408 || s >= 500) out->status = Status::Unavailable(what);
  else out->status = Status::FailedPrecondition(what);
  return false;
}

json ParseEnvelope(const std::string& body, JudgeExchange* out) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    out->status = Status::Unavailable("judge answered 200 with a body that is not a JSON object");
    return json();
  }
  return j;
}

int64_t IntAt(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string StrAt(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

class AnthropicClient final : public JudgeClient {
 public:
  AnthropicClient(const JudgeConfig& c, std::shared_ptr<HttpTransport> t)
      : config_(c), transport_(std::move(t)), url_(TrimBase(c.base_url, "https://api.anthropic.com") + "/v1/messages"),
        key_(ApiKey(c, "ANTHROPIC_API_KEY")), provider_("anthropic") {}

  JudgeExchange Send(const JudgeRequest& req, const std::atomic<bool>* cancel) override {
    json body = {{"model", config_.model}, {"max_tokens", config_.max_tokens}, {"temperature", 0}};
    if (!req.system.empty()) body["system"] = req.system;
    json messages = json::array();
    for (const auto& m : req.messages) messages.push_back({{"role", m.role}, {"content", m.text}});
    body["messages"] = messages;
    if (config_.structured_output && !req.schema_json.empty()) {
      json schema = json::parse(req.schema_json, nullptr, false);
      if (!schema.is_discarded()) {
        body["tools"] = json::array({{{"name", kToolName},
                                      {"description", "Record the evaluation scores and reasoning."},
                                      {"input_schema", schema}}});
        body["tool_choice"] = {{"type", "tool"}, {"name", kToolName}};
      }
    }
    HttpCall call;
    call.url = url_;
    call.headers = {{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"}, {"x-api-key", key_}};
    call.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    call.timeout_seconds = config_.timeout_seconds;
    call.cancel = cancel;
    JudgeExchange out;
    HttpReply reply = transport_->Do(call);
    if (!Classify(reply, &out)) return out;
    json j = ParseEnvelope(reply.body, &out);
    if (!out.status.ok()) return out;
    out.model = StrAt(j, "model");
    out.stop_reason = StrAt(j, "stop_reason");
    if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
      out.input_tokens = IntAt(*u, "input_tokens");
      out.output_tokens = IntAt(*u, "output_tokens");
      out.cache_read_tokens = IntAt(*u, "cache_read_input_tokens");
      out.cache_write_tokens = IntAt(*u, "cache_creation_input_tokens");
    }
    auto content = j.find("content");
    if (content == j.end() || !content->is_array()) {
      out.status = Status::Unavailable("judge answer has no content list");
      return out;
    }
    std::string text;
    for (const json& block : *content) {
      if (!block.is_object()) continue;
      const std::string type = StrAt(block, "type");
      if (type == "tool_use" && block.contains("input")) {
        out.text = block["input"].dump(-1, ' ', false, json::error_handler_t::replace);
        out.structured = true;
        return out;
      }
      if (type == "text") text += StrAt(block, "text");
    }
    out.text = std::move(text);
    return out;
  }

  const std::string& model() const override { return config_.model; }
  const std::string& provider() const override { return provider_; }

 private:
  const JudgeConfig config_;
  std::shared_ptr<HttpTransport> transport_;
  const std::string url_, key_, provider_;
};

class OpenAiClient final : public JudgeClient {
 public:
  OpenAiClient(const JudgeConfig& c, std::shared_ptr<HttpTransport> t)
      : config_(c), transport_(std::move(t)),
        url_(TrimBase(c.base_url, "https://api.openai.com") + "/v1/chat/completions"),
        key_(ApiKey(c, "OPENAI_API_KEY")), provider_("openai") {
    mode_ = c.structured_output ? kJsonSchema : kPlain;
  }

  JudgeExchange Send(const JudgeRequest& req, const std::atomic<bool>* cancel) override {
    for (;;) {
      const int mode = mode_.load();
      JudgeExchange out = SendOnce(req, cancel, mode);
      // An endpoint that rejects json_schema (older vLLM / Ollama) is asked
      // with json_object, then with no response_format; remembered.
      if (out.http_status == 400 && mode != kPlain &&
          (out.raw_body.find("response_format") != std::string::npos ||
           out.raw_body.find("json_schema") != std::string::npos)) {
        int expected = mode;
        mode_.compare_exchange_strong(expected, mode + 1);
        continue;
      }
      return out;
    }
  }

  const std::string& model() const override { return config_.model; }
  const std::string& provider() const override { return provider_; }

 private:
  enum Mode { kJsonSchema = 0, kJsonObject = 1, kPlain = 2 };

  JudgeExchange SendOnce(const JudgeRequest& req, const std::atomic<bool>* cancel, int mode) {
    json messages = json::array();
    if (!req.system.empty()) messages.push_back({{"role", "system"}, {"content", req.system}});
    for (const auto& m : req.messages) messages.push_back({{"role", m.role}, {"content", m.text}});
    json body = {{"model", config_.model}, {"messages", messages}, {"max_tokens", config_.max_tokens}, {"temperature", 0}};
    json schema = req.schema_json.empty() ? json() : json::parse(req.schema_json, nullptr, false);
    if (mode == kJsonSchema && schema.is_object()) {
      body["response_format"] = {{"type", "json_schema"},
                                 {"json_schema", {{"name", "evaluation"}, {"strict", true}, {"schema", schema}}}};
    } else if (mode == kJsonObject) {
      body["response_format"] = {{"type", "json_object"}};
    }
    HttpCall call;
    call.url = url_;
    call.headers = {{"content-type", "application/json"}};
    if (!key_.empty()) call.headers.emplace_back("authorization", "Bearer " + key_);
    call.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    call.timeout_seconds = config_.timeout_seconds;
    call.cancel = cancel;
    JudgeExchange out;
    HttpReply reply = transport_->Do(call);
    if (!Classify(reply, &out)) return out;
    json j = ParseEnvelope(reply.body, &out);
    if (!out.status.ok()) return out;
    out.model = StrAt(j, "model");
    if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
      int64_t cached = 0;
      if (auto d = u->find("prompt_tokens_details"); d != u->end() && d->is_object()) cached = IntAt(*d, "cached_tokens");
      out.input_tokens = IntAt(*u, "prompt_tokens") - cached;
      out.cache_read_tokens = cached;
      out.output_tokens = IntAt(*u, "completion_tokens");
    }
    auto choices = j.find("choices");
    if (choices == j.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
      out.status = Status::Unavailable("judge answer has no choices");
      return out;
    }
    const json& choice = (*choices)[0];
    out.stop_reason = StrAt(choice, "finish_reason");
    if (auto msg = choice.find("message"); msg != choice.end() && msg->is_object()) out.text = StrAt(*msg, "content");
    out.structured = mode == kJsonSchema;
    return out;
  }

  const JudgeConfig config_;
  std::shared_ptr<HttpTransport> transport_;
  const std::string url_, key_, provider_;
  std::atomic<int> mode_{kJsonSchema};
};

}  // namespace

double ParseRetryAfter(std::string_view value) {
  if (value.empty() || value.size() > 16) return -1;
  std::string s(value);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !(v >= 0) || v > 86400) return -1;
  return v;
}

std::unique_ptr<JudgeClient> NewJudgeClient(const JudgeConfig& config, std::shared_ptr<HttpTransport> transport) {
  if (config.provider == "openai") return std::make_unique<OpenAiClient>(config, std::move(transport));
  return std::make_unique<AnthropicClient>(config, std::move(transport));
}

}  // namespace loupe::eval
