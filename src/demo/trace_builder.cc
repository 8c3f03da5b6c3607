#include "demo/trace_builder.h"

#include <map>
#include <mutex>
#include <utility>

#include "demo/rng.h"

namespace loupe::demo {

using nlohmann::json;

json TextPart(const std::string& text) { return {{"type", "text"}, {"content", text}}; }

json ToolCallPart(const std::string& id, const std::string& name, json arguments) {
  return {{"type", "tool_call"}, {"id", id}, {"name", name}, {"arguments", std::move(arguments)}};
}

json ToolResponsePart(const std::string& id, json response) {
  return {{"type", "tool_call_response"}, {"id", id}, {"response", std::move(response)}};
}

json ReasoningPart(const std::string& text) { return {{"type", "reasoning"}, {"content", text}}; }

json Message(const std::string& role, json parts, const std::string& finish_reason) {
  if (!parts.is_array()) parts = json::array({std::move(parts)});
  json m = {{"role", role}, {"parts", std::move(parts)}};
  if (!finish_reason.empty()) m["finish_reason"] = finish_reason;
  return m;
}

int64_t Tokens(const std::string& text) { return std::max<int64_t>(1, static_cast<int64_t>(text.size() + 3) / 4); }

std::shared_ptr<const model::Resource> ServiceResource(const std::string& service, const std::string& environment) {
  static std::mutex mu;
  static std::map<std::pair<std::string, std::string>, std::shared_ptr<const model::Resource>> cache;
  std::lock_guard lock(mu);
  auto& slot = cache[{service, environment}];
  if (!slot) {
    auto r = std::make_shared<model::Resource>();
    r->attributes.Add("service.name", service);
    r->attributes.Add("service.version", "2.4.1");
    r->attributes.Add("deployment.environment.name", environment);
    r->attributes.Add("telemetry.sdk.language", "python");
    r->attributes.Add("telemetry.sdk.name", "opentelemetry");
    r->attributes.Add("loupe.demo", true);
    slot = std::move(r);
  }
  return slot;
}

namespace {

std::shared_ptr<const model::Scope> DemoScope() {
  static const auto scope = [] {
    auto s = std::make_shared<model::Scope>();
    s->name = "loupe-demo";
    s->version = "0.1.0";
    return std::shared_ptr<const model::Scope>(std::move(s));
  }();
  return scope;
}

template <size_t N>
void FillId(uint64_t* state, std::array<uint8_t, N>* id) {
  for (size_t i = 0; i < N; i += 8) {
    *state = Mix64(*state);
    for (size_t b = 0; b < 8 && i + b < N; ++b) (*id)[i + b] = static_cast<uint8_t>(*state >> (8 * b));
  }
  (*id)[0] |= 1;  // never all zero
}

}  // namespace

TraceBuilder::TraceBuilder(uint64_t id_seed, std::shared_ptr<const model::Resource> resource)
    : id_state_(id_seed), resource_(std::move(resource)), scope_(DemoScope()) {
  FillId(&id_state_, &trace_id_);
}

size_t TraceBuilder::AddSpan(const std::string& name, model::SpanKind kind, int parent, uint64_t start,
                             uint64_t end) {
  model::Span s;
  s.trace_id = trace_id_;
  FillId(&id_state_, &s.span_id);
  if (parent >= 0) s.parent_span_id = spans_[static_cast<size_t>(parent)].span_id;
  s.name = name;
  s.kind = kind;
  s.start_time_unix_nano = start;
  s.end_time_unix_nano = end;
  s.resource = resource_;
  s.scope = scope_;
  spans_.push_back(std::move(s));
  return spans_.size() - 1;
}

size_t TraceBuilder::AddLlmCall(int parent, const LlmCallSpec& call, const Attribution& who) {
  const ModelInfo& m = *call.model;
  size_t index = AddSpan(call.operation + " " + m.request_model, model::SpanKind::kClient, parent, call.start,
                         call.start + call.duration);
  model::Span& s = spans_[index];
  model::Attributes& a = s.attributes;
  a.Add("gen_ai.operation.name", call.operation);
  a.Add("gen_ai.provider.name", m.provider);
  a.Add("gen_ai.request.model", m.request_model);
  a.Add("server.address", m.server_address);
  a.Add("server.port", 443);
  if (call.operation == "chat") {
    a.Add("gen_ai.request.max_tokens", 1024);
    a.Add("gen_ai.request.temperature", 0.3);
  }
  // Attribution: the blueprint's keys plus the conventions' user/session keys.
  a.Add("ai.team", who.team);
  a.Add("ai.feature", who.feature);
  a.Add("gen_ai.prompt.name", who.feature);
  if (!who.prompt_version.empty()) a.Add("ai.prompt_version", who.prompt_version);
  if (!who.user.empty()) a.Add("user.id", who.user);
  if (!who.session.empty()) {
    a.Add("session.id", who.session);
    a.Add("gen_ai.conversation.id", who.session);
  }
  if (!call.system.empty()) a.Add("gen_ai.system_instructions", json::array({TextPart(call.system)}).dump());
  if (!call.input.empty()) a.Add("gen_ai.input.messages", call.input.dump());

  if (!call.error_type.empty()) {
    a.Add("error.type", call.error_type);
    if (call.http_status != 0) a.Add("http.response.status_code", call.http_status);
    s.status = {model::StatusCode::kError, call.error_message};
    model::Event e;
    e.time_unix_nano = call.start + call.duration;
    e.name = "exception";
    e.attributes.Add("exception.type", call.exception_type);
    e.attributes.Add("exception.message", call.error_message);
    s.events.push_back(std::move(e));
    return index;
  }
  a.Add("gen_ai.response.model", m.response_model);
  a.Add("gen_ai.response.id", "demo-" + model::ToHex(s.span_id));
  if (!call.output.empty()) {
    a.Add("gen_ai.output.messages", call.output.dump());
    model::ArrayValue reasons;
    for (const json& msg : call.output) {
      if (msg.contains("finish_reason")) reasons.values.emplace_back(msg["finish_reason"].get<std::string>());
    }
    if (!reasons.values.empty()) a.Add("gen_ai.response.finish_reasons", std::move(reasons));
  }
  const Usage& u = call.usage;
  a.Add("gen_ai.usage.input_tokens", u.input);
  if (call.operation != "embeddings") a.Add("gen_ai.usage.output_tokens", u.output);
  if (u.cache_read > 0) a.Add("gen_ai.usage.cache_read.input_tokens", u.cache_read);
  if (u.cache_write > 0) a.Add("gen_ai.usage.cache_creation.input_tokens", u.cache_write);
  if (u.reasoning > 0) a.Add("gen_ai.usage.reasoning.output_tokens", u.reasoning);
  if (call.ttft_ms > 0) a.Add("gen_ai.response.time_to_first_chunk", call.ttft_ms / 1000.0);
  s.status.code = model::StatusCode::kOk;
  return index;
}

}  // namespace loupe::demo
