#include "api/llm_call_json.h"

#include <nlohmann/json.hpp>

namespace loupe::api {
namespace {

using nlohmann::json;

json OptionalInt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

json PartsJson(const std::vector<model::MessagePart>& parts) {
  json out = json::array();
  for (const auto& p : parts) {
    json part = {{"type", p.type}};
    if (!p.content.empty()) part["content"] = p.content;
    if (!p.id.empty()) part["id"] = p.id;
    if (!p.name.empty()) part["name"] = p.name;
    if (!p.arguments.empty()) part["arguments"] = p.arguments;
    if (!p.response.empty()) part["response"] = p.response;
    if (!p.mime_type.empty()) part["mime_type"] = p.mime_type;
    out.push_back(std::move(part));
  }
  return out;
}

json MessagesJson(const std::vector<model::Message>& messages) {
  json out = json::array();
  for (const auto& m : messages) {
    json msg = {{"role", m.role}, {"parts", PartsJson(m.parts)}};
    if (!m.name.empty()) msg["name"] = m.name;
    if (!m.finish_reason.empty()) msg["finish_reason"] = m.finish_reason;
    out.push_back(std::move(msg));
  }
  return out;
}

std::string ServiceName(const model::Span& span) {
  std::string name;
  if (span.resource) span.resource->attributes.GetText("service.name", &name);
  return name;
}

}  // namespace

json LlmCallObject(const model::SpanRecord& record) {
  const model::Span& span = record.span;
  const model::LlmCall& call = *record.llm;
  const model::CostBreakdown& cost = call.cost;
  json j = {
      {"trace_id", model::ToHex(span.trace_id)},
      {"span_id", model::ToHex(span.span_id)},
      {"span_name", span.name},
      {"service", ServiceName(span)},
      {"start_time_unix_nano", span.start_time_unix_nano},
      {"duration_ms", static_cast<double>(span.duration_nanos()) / 1e6},
      {"status_code", model::StatusCodeName(span.status.code)},
      {"clock_skew", span.clock_skew},
      {"dialect", call.dialect},
      {"provider", call.provider},
      {"request_model", call.request_model},
      {"response_model", call.response_model},
      {"operation", call.operation},
      {"service_tier", call.service_tier},
      {"counts_usage", call.counts_usage},
      {"tokens",
       {{"input", OptionalInt(call.tokens.input)},
        {"cache_read", OptionalInt(call.tokens.cache_read)},
        {"cache_write", OptionalInt(call.tokens.cache_write)},
        {"output", OptionalInt(call.tokens.output)},
        {"reasoning", OptionalInt(call.tokens.reasoning)},
        {"total", OptionalInt(call.tokens.total)}}},
      {"cost",
       {{"source", model::CostSourceName(cost.source)},
        {"total_nanos", OptionalInt(cost.total_nanos)},
        {"total_usd", cost.total_nanos ? json(static_cast<double>(*cost.total_nanos) / 1e9) : json(nullptr)},
        {"catalog_nanos", OptionalInt(cost.catalog_nanos)},
        {"reported_nanos", OptionalInt(cost.reported_nanos)},
        {"input_nanos", cost.input_nanos},
        {"cache_read_nanos", cost.cache_read_nanos},
        {"cache_write_nanos", cost.cache_write_nanos},
        {"output_nanos", cost.output_nanos},
        {"reasoning_nanos", cost.reasoning_nanos},
        {"price_entry", cost.price_entry},
        {"price_match", cost.price_match},
        {"price_tier", cost.price_tier}}},
      {"team", call.team},
      {"feature", call.feature},
      {"user", call.user},
      {"session", call.session},
      {"prompt_name", call.prompt_name},
      {"prompt_version", call.prompt_version},
      {"environment", call.environment},
      {"finish_reasons", call.finish_reasons},
      {"error_type", call.error_type},
      {"time_to_first_token_ms",
       call.time_to_first_token_nanos ? json(static_cast<double>(*call.time_to_first_token_nanos) / 1e6)
                                      : json(nullptr)},
      {"system_instructions", PartsJson(call.system_instructions)},
      {"input_messages", MessagesJson(call.input_messages)},
      {"output_messages", MessagesJson(call.output_messages)},
  };
  return j;
}

std::string LlmCallToJson(const model::SpanRecord& record) {
  // Invalid UTF-8 never reaches here (otlp/ sanitises), but replace rather
  // than throw if it ever does.
  return LlmCallObject(record).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace loupe::api
