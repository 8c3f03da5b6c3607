#include "genai/fixture.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace loupe::genai::testing {
namespace {

using Json = nlohmann::ordered_json;

template <size_t N>
std::array<uint8_t, N> IdFor(std::string_view name, uint8_t salt) {
  // FNV-1a over the name, spread over the id's bytes.
  std::array<uint8_t, N> id{};
  uint64_t h = 1469598103934665603ULL ^ salt;
  for (size_t i = 0; i < N; ++i) {
    for (char c : name) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ULL;
    h = (h ^ i) * 1099511628211ULL;
    id[i] = static_cast<uint8_t>(h >> 56);
  }
  id[0] |= 1;  // never all zero
  return id;
}

model::AnyValue ToAnyValue(const Json& j) {
  switch (j.type()) {
    case Json::value_t::string: return model::AnyValue(j.get<std::string>());
    case Json::value_t::boolean: return model::AnyValue(j.get<bool>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return model::AnyValue(j.get<int64_t>());
    case Json::value_t::number_float: return model::AnyValue(j.get<double>());
    case Json::value_t::array: {
      model::ArrayValue a;
      for (const auto& e : j) a.values.push_back(ToAnyValue(e));
      return model::AnyValue(std::move(a));
    }
    case Json::value_t::object: {
      // {"$json": X}: the attribute is X serialised as a JSON string, the
      // way most SDKs send message lists.
      if (j.size() == 1 && j.contains("$json")) return model::AnyValue(j["$json"].dump());
      model::KeyValueList kv;
      for (auto it = j.begin(); it != j.end(); ++it) kv.values.push_back({it.key(), ToAnyValue(it.value())});
      return model::AnyValue(std::move(kv));
    }
    default: return model::AnyValue();
  }
}

model::Attributes ToAttributes(const Json& j) {
  model::Attributes attrs;
  if (!j.is_object()) return attrs;
  for (auto it = j.begin(); it != j.end(); ++it) attrs.Add(it.key(), ToAnyValue(it.value()));
  return attrs;
}

uint64_t Millis(const Json& obj, const char* key, uint64_t base) {
  if (!obj.contains(key)) return 0;
  return base + static_cast<uint64_t>(obj[key].get<double>() * 1e6);
}

model::SpanKind KindOf(const std::string& k) {
  if (k == "client") return model::SpanKind::kClient;
  if (k == "server") return model::SpanKind::kServer;
  if (k == "internal") return model::SpanKind::kInternal;
  if (k == "producer") return model::SpanKind::kProducer;
  if (k == "consumer") return model::SpanKind::kConsumer;
  return model::SpanKind::kUnspecified;
}

std::shared_ptr<const model::Scope> ScopeOf(const Json& j) {
  auto scope = std::make_shared<model::Scope>();
  if (j.is_object()) {
    scope->name = j.value("name", "");
    scope->version = j.value("version", "");
  }
  return scope;
}

// Base time of every fixture: 2025-01-01T00:00:00Z.
constexpr uint64_t kBase = 1735689600ULL * 1000000000ULL;

void ApplyConfig(const Json& c, NormalizerConfig* config) {
  if (!c.is_object()) return;
  auto list = [&](const char* key, std::vector<std::string>* out) {
    if (c.contains(key)) *out = c[key].get<std::vector<std::string>>();
  };
  list("team_keys", &config->attribution.team_keys);
  list("feature_keys", &config->attribution.feature_keys);
  list("user_keys", &config->attribution.user_keys);
  list("session_keys", &config->attribution.session_keys);
  list("prompt_version_keys", &config->attribution.prompt_version_keys);
  list("environment_keys", &config->attribution.environment_keys);
  if (c.contains("default_team")) config->attribution.default_team = c["default_team"].get<std::string>();
  if (c.contains("input_includes_cache_by_service")) {
    config->input_includes_cache_by_service = c["input_includes_cache_by_service"].get<std::map<std::string, bool>>();
  }
  if (c.contains("dedup_trace_capacity")) config->dedup_trace_capacity = c["dedup_trace_capacity"].get<size_t>();
}

Result<Fixture> Parse(const std::string& path, const Json& root) {
  Fixture f;
  f.path = path;
  f.description = root.value("description", "");
  ApplyConfig(root.value("config", Json::object()), &f.config);
  if (Status s = f.config.Validate(); !s.ok()) return s.WithContext(path + ": config");

  auto default_resource = std::make_shared<model::Resource>();
  default_resource->attributes = ToAttributes(root.value("resource", Json::object()));
  auto default_scope = ScopeOf(root.value("scope", Json::object()));

  std::map<std::string, std::pair<model::TraceId, model::SpanId>> ids;
  const Json& spans = root.at("spans");
  for (const auto& js : spans) {
    std::string id = js.at("id").get<std::string>();
    ids[id] = {TraceIdFor(js.value("trace", "t")), SpanIdFor(id)};
  }
  for (const auto& js : spans) {
    std::string id = js.at("id").get<std::string>();
    size_t batch = js.value("batch", 0u);
    if (batch > 64) return Status::InvalidArgument(path + ": span " + id + ": batch index too large");
    if (f.batches.size() <= batch) f.batches.resize(batch + 1);
    model::Span span;
    span.trace_id = ids[id].first;
    span.span_id = ids[id].second;
    if (js.contains("parent")) {
      std::string parent = js["parent"].get<std::string>();
      span.parent_span_id = ids.count(parent) ? ids[parent].second : SpanIdFor(parent);
    }
    span.name = js.value("name", "");
    span.kind = KindOf(js.value("kind", ""));
    span.start_time_unix_nano = kBase + Millis(js, "start_ms", 0);
    span.end_time_unix_nano = js.contains("end_ms") ? kBase + Millis(js, "end_ms", 0) : span.start_time_unix_nano;
    span.attributes = ToAttributes(js.value("attributes", Json::object()));
    std::string status = js.value("status", "");
    if (status == "error") span.status.code = model::StatusCode::kError;
    if (status == "ok") span.status.code = model::StatusCode::kOk;
    if (js.contains("resource")) {
      auto r = std::make_shared<model::Resource>();
      r->attributes = ToAttributes(js["resource"]);
      span.resource = r;
    } else {
      span.resource = default_resource;
    }
    span.scope = js.contains("scope") ? ScopeOf(js["scope"]) : default_scope;
    for (const auto& je : js.value("events", Json::array())) {
      model::Event e;
      e.name = je.at("name").get<std::string>();
      e.time_unix_nano = kBase + Millis(je, "time_ms", 0);
      e.attributes = ToAttributes(je.value("attributes", Json::object()));
      span.events.push_back(std::move(e));
    }
    if (js.contains("expect")) {
      f.expectations.push_back({id, batch, f.batches[batch].spans.size(), js["expect"].dump()});
    }
    f.batches[batch].spans.push_back({std::move(span), std::nullopt});
  }
  for (const auto& jl : root.value("logs", Json::array())) {
    model::LogRecord log;
    std::string span = jl.value("span", "");
    size_t batch = jl.value("batch", 0u);
    if (batch > 64) return Status::InvalidArgument(path + ": log: batch index too large");
    if (f.batches.size() <= batch) f.batches.resize(batch + 1);
    if (!span.empty()) {
      if (!ids.count(span)) return Status::InvalidArgument(path + ": log names unknown span \"" + span + "\"");
      log.trace_id = ids[span].first;
      log.span_id = ids[span].second;
    }
    log.event_name = jl.value("event_name", "");
    log.time_unix_nano = kBase + Millis(jl, "time_ms", 0);
    if (jl.contains("body")) log.body = ToAnyValue(jl["body"]);
    log.attributes = ToAttributes(jl.value("attributes", Json::object()));
    log.resource = default_resource;
    log.scope = default_scope;
    f.batches[batch].logs.push_back(std::move(log));
  }
  return f;
}

// ---- expectations

std::string Show(const Json& j) { return j.dump(); }

void CheckString(const Json& e, const char* key, const std::string& actual, std::vector<std::string>* out) {
  if (!e.contains(key)) return;
  std::string want = e[key].is_string() ? e[key].get<std::string>() : e[key].dump();
  if (want != actual) out->push_back(std::string(key) + ": want \"" + want + "\", got \"" + actual + "\"");
}

void CheckOptInt(const Json& e, const char* key, const std::optional<int64_t>& actual, const std::string& label,
                 std::vector<std::string>* out) {
  if (!e.contains(key)) return;
  std::optional<int64_t> want;
  if (!e[key].is_null()) want = e[key].get<int64_t>();
  if (want != actual) {
    out->push_back(label + ": want " + (want ? std::to_string(*want) : "unset") + ", got " +
                   (actual ? std::to_string(*actual) : "unset"));
  }
}

void CheckParts(const Json& want, const std::vector<model::MessagePart>& parts, const std::string& where,
                std::vector<std::string>* out) {
  if (want.size() != parts.size()) {
    out->push_back(where + ": want " + std::to_string(want.size()) + " parts, got " + std::to_string(parts.size()));
    return;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& w = want[i];
    const auto& p = parts[i];
    std::string at = where + "[" + std::to_string(i) + "].";
    std::vector<std::string> sub;
    CheckString(w, "type", p.type, &sub);
    CheckString(w, "content", p.content, &sub);
    CheckString(w, "id", p.id, &sub);
    CheckString(w, "name", p.name, &sub);
    CheckString(w, "arguments", p.arguments, &sub);
    CheckString(w, "response", p.response, &sub);
    CheckString(w, "mime_type", p.mime_type, &sub);
    for (auto& s : sub) out->push_back(at + s);
  }
}

void CheckMessages(const Json& want, const std::vector<model::Message>& msgs, const std::string& where,
                   std::vector<std::string>* out) {
  if (want.size() != msgs.size()) {
    out->push_back(where + ": want " + std::to_string(want.size()) + " messages, got " + std::to_string(msgs.size()));
    return;
  }
  for (size_t i = 0; i < msgs.size(); ++i) {
    std::string at = where + "[" + std::to_string(i) + "]";
    std::vector<std::string> sub;
    CheckString(want[i], "role", msgs[i].role, &sub);
    CheckString(want[i], "name", msgs[i].name, &sub);
    CheckString(want[i], "finish_reason", msgs[i].finish_reason, &sub);
    for (auto& s : sub) out->push_back(at + "." + s);
    if (want[i].contains("parts")) CheckParts(want[i]["parts"], msgs[i].parts, at + ".parts", out);
  }
}

}  // namespace

model::Span MakeSpan(std::string_view id, std::string_view name, model::Attributes attrs,
                     std::string_view scope_name, std::string_view scope_version, model::Attributes resource) {
  model::Span span;
  span.trace_id = TraceIdFor("t");
  span.span_id = SpanIdFor(id);
  span.name = std::string(name);
  span.start_time_unix_nano = kBase;
  span.end_time_unix_nano = kBase + 1000000;
  span.attributes = std::move(attrs);
  auto scope = std::make_shared<model::Scope>();
  scope->name = std::string(scope_name);
  scope->version = std::string(scope_version);
  span.scope = scope;
  auto r = std::make_shared<model::Resource>();
  r->attributes = std::move(resource);
  span.resource = r;
  return span;
}

model::TraceId TraceIdFor(std::string_view name) { return IdFor<16>(name, 1); }
model::SpanId SpanIdFor(std::string_view name) { return IdFor<8>(name, 2); }

Result<Fixture> LoadFixture(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return Parse(path, Json::parse(ss.str()));
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(path + ": " + e.what());
  }
}

std::vector<std::string> CheckExpectation(const std::optional<model::LlmCall>& call, std::string_view expect_json) {
  std::vector<std::string> out;
  try {
    Json e = Json::parse(expect_json);
    if (e.is_null() || (e.contains("llm") && e["llm"] == false)) {
      if (call) out.push_back("want no LlmCall, got one (dialect \"" + call->dialect + "\")");
      return out;
    }
    if (!call) {
      out.push_back("want an LlmCall, got none");
      return out;
    }
    const model::LlmCall& c = *call;
    CheckString(e, "dialect", c.dialect, &out);
    CheckString(e, "provider", c.provider, &out);
    CheckString(e, "operation", c.operation, &out);
    CheckString(e, "request_model", c.request_model, &out);
    CheckString(e, "response_model", c.response_model, &out);
    CheckString(e, "service_tier", c.service_tier, &out);
    CheckString(e, "user", c.user, &out);
    CheckString(e, "session", c.session, &out);
    CheckString(e, "team", c.team, &out);
    CheckString(e, "feature", c.feature, &out);
    CheckString(e, "prompt_name", c.prompt_name, &out);
    CheckString(e, "prompt_version", c.prompt_version, &out);
    CheckString(e, "environment", c.environment, &out);
    CheckString(e, "error_type", c.error_type, &out);
    if (e.contains("counts_usage") && e["counts_usage"].get<bool>() != c.counts_usage) {
      out.push_back(std::string("counts_usage: want ") + Show(e["counts_usage"]) + ", got " +
                    (c.counts_usage ? "true" : "false"));
    }
    if (e.contains("tokens")) {
      const Json& t = e["tokens"];
      CheckOptInt(t, "input", c.tokens.input, "tokens.input", &out);
      CheckOptInt(t, "cache_read", c.tokens.cache_read, "tokens.cache_read", &out);
      CheckOptInt(t, "cache_write", c.tokens.cache_write, "tokens.cache_write", &out);
      CheckOptInt(t, "output", c.tokens.output, "tokens.output", &out);
      CheckOptInt(t, "reasoning", c.tokens.reasoning, "tokens.reasoning", &out);
      CheckOptInt(t, "total", c.tokens.total, "tokens.total", &out);
    }
    CheckOptInt(e, "time_to_first_token_nanos", c.time_to_first_token_nanos, "time_to_first_token_nanos", &out);
    CheckOptInt(e, "reported_cost_nanos", c.reported_cost_nanos, "reported_cost_nanos", &out);
    if (e.contains("finish_reasons")) {
      auto want = e["finish_reasons"].get<std::vector<std::string>>();
      if (want != c.finish_reasons) {
        out.push_back("finish_reasons: want " + Show(e["finish_reasons"]) + ", got " + Json(c.finish_reasons).dump());
      }
    }
    if (e.contains("system_instructions")) {
      CheckParts(e["system_instructions"], c.system_instructions, "system_instructions", &out);
    }
    if (e.contains("input_messages")) CheckMessages(e["input_messages"], c.input_messages, "input_messages", &out);
    if (e.contains("output_messages")) CheckMessages(e["output_messages"], c.output_messages, "output_messages", &out);
  } catch (const Json::exception& ex) {
    out.push_back(std::string("malformed expectation: ") + ex.what());
  }
  return out;
}

}  // namespace loupe::genai::testing
