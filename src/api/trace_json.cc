// JSON for traces (search rows and whole traces) and price entries.
#include <variant>

#include "api/handlers.h"
#include "api/llm_call_json.h"
#include "pricing/money.h"

namespace loupe::api::internal {
namespace {

json AnyValueJson(const model::AnyValue& v);

json AttributesJson(const model::Attributes& attrs) {
  json out = json::object();
  for (const auto& kv : attrs.items()) out[kv.key] = AnyValueJson(kv.value);
  return out;
}

json AnyValueJson(const model::AnyValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, model::Bytes>) {
          return model::AnyValue(x).ToText();
        } else if constexpr (std::is_same_v<T, model::ArrayValue>) {
          json a = json::array();
          for (const auto& e : x.values) a.push_back(AnyValueJson(e));
          return a;
        } else if constexpr (std::is_same_v<T, model::KeyValueList>) {
          json o = json::object();
          for (const auto& kv : x.values) o[kv.key] = AnyValueJson(kv.value);
          return o;
        } else {
          return x;
        }
      },
      v.v);
}

std::string ServiceOf(const model::Span& span) {
  std::string name;
  if (span.resource) span.resource->attributes.GetText("service.name", &name);
  return name;
}

json RatesJson(const pricing::Rates& r) {
  json out = json::object();
  auto add = [&](const char* name, const std::optional<pricing::NanosPerMTok>& v) {
    if (v) out[name] = static_cast<double>(*v) / pricing::kNanosPerUsd;
  };
  add("input", r.input);
  add("output", r.output);
  add("cache_read", r.cache_read);
  add("cache_write_5m", r.cache_write_5m);
  add("cache_write_1h", r.cache_write_1h);
  add("reasoning", r.reasoning);
  return out;
}

json PriceSetJson(const pricing::PriceSet& set) {
  json out = {{"usd_per_mtok", RatesJson(set.base)}, {"above", json::array()}};
  for (const auto& t : set.above) {
    out["above"].push_back({{"above_tokens", t.above_tokens}, {"usd_per_mtok", RatesJson(t.rates)}});
  }
  return out;
}

json PriceVersionJson(const pricing::PriceVersion& v) {
  json out = PriceSetJson(v.standard);
  out["effective_from"] = v.effective_from;
  json tiers = json::object();
  for (const auto& [name, set] : v.service_tiers) tiers[name] = PriceSetJson(set);
  out["service_tiers"] = std::move(tiers);
  return out;
}

// The catalog entry and price version a call's cost came from.
json PriceUsedJson(const model::SpanRecord& r, const pricing::Catalog& catalog) {
  const model::CostBreakdown& cost = r.llm->cost;
  if (cost.price_entry.empty()) return nullptr;
  const pricing::PriceEntry* entry = catalog.FindKey(cost.price_entry);
  if (!entry) return {{"key", cost.price_entry}, {"in_catalog", false}};
  json out = {{"key", entry->key},
              {"provider", entry->provider},
              {"model", entry->model},
              {"origin", entry->origin == pricing::Origin::kOverride ? "override" : "builtin"},
              {"match", cost.price_match},
              {"tier", cost.price_tier},
              {"in_catalog", true}};
  const auto* version = entry->VersionAt(static_cast<int64_t>(r.span.start_time_unix_nano));
  out["version"] = version ? PriceVersionJson(*version) : json(nullptr);
  return out;
}

json SpanJson(const store::Trace::Node& node, const pricing::Catalog& catalog) {
  const model::Span& s = node.record.span;
  json out = {
      {"span_id", model::ToHex(s.span_id)},
      {"parent_span_id", s.is_root() ? json(nullptr) : json(model::ToHex(s.parent_span_id))},
      {"depth", node.depth},
      {"name", s.name},
      {"kind", model::SpanKindName(s.kind)},
      {"service", ServiceOf(s)},
      {"start", FormatRfc3339(s.start_time_unix_nano)},
      {"start_time_unix_nano", s.start_time_unix_nano},
      {"end_time_unix_nano", s.end_time_unix_nano},
      {"duration_ms", static_cast<double>(s.duration_nanos()) / 1e6},
      {"status", {{"code", model::StatusCodeName(s.status.code)}, {"message", s.status.message}}},
      {"attributes", AttributesJson(s.attributes)},
      {"resource", s.resource ? AttributesJson(s.resource->attributes) : json::object()},
      {"scope", {{"name", s.scope ? s.scope->name : ""}, {"version", s.scope ? s.scope->version : ""}}},
  };
  json events = json::array();
  for (const auto& e : s.events) {
    events.push_back({{"time_unix_nano", e.time_unix_nano}, {"name", e.name}, {"attributes", AttributesJson(e.attributes)}});
  }
  out["events"] = std::move(events);
  json links = json::array();
  for (const auto& l : s.links) {
    links.push_back({{"trace_id", model::ToHex(l.trace_id)}, {"span_id", model::ToHex(l.span_id)},
                     {"attributes", AttributesJson(l.attributes)}});
  }
  out["links"] = std::move(links);
  if (node.record.llm) {
    json call = LlmCallObject(node.record);
    call["price"] = PriceUsedJson(node.record, catalog);
    out["llm_call"] = std::move(call);
  } else {
    out["llm_call"] = nullptr;
  }
  return out;
}

json LogJson(const model::LogRecord& log) {
  return {{"time_unix_nano", log.time_unix_nano},
          {"event_name", log.event_name},
          {"severity_text", log.severity_text},
          {"span_id", model::IsZero(log.span_id) ? json(nullptr) : json(model::ToHex(log.span_id))},
          {"body", AnyValueJson(log.body)},
          {"attributes", AttributesJson(log.attributes)}};
}

}  // namespace

json UsdOrNull(const std::optional<int64_t>& nanos) {
  return nanos ? json(static_cast<double>(*nanos) / 1e9) : json(nullptr);
}

json TraceSummaryJson(const store::TraceSummary& t) {
  return {{"trace_id", model::ToHex(t.trace_id)},
          {"root_name", t.root_name},
          {"service", t.service},
          {"start", FormatRfc3339(t.start_ns)},
          {"start_time_unix_nano", t.start_ns},
          {"duration_ms", t.end_ns > t.start_ns ? static_cast<double>(t.end_ns - t.start_ns) / 1e6 : 0.0},
          {"spans", t.spans},
          {"llm_calls", t.llm_calls},
          {"tokens", t.tokens},
          {"cost_nanos", t.cost_nanos},
          {"cost_usd", static_cast<double>(t.cost_nanos) / 1e9},
          {"status", t.has_error ? "error" : "ok"},
          {"scores", TraceScoresJson(t.scores)}};
}

json TraceScoresJson(const std::vector<store::TraceScore>& scores) {
  json out = json::array();
  for (const auto& s : scores) {
    out.push_back({{"evaluator", s.evaluator}, {"dimension", s.dimension}, {"mean", s.mean}, {"count", s.count}});
  }
  return out;
}

json ScoreJson(const store::Score& s) {
  json out = {{"trace_id", model::ToHex(s.trace_id)},
              {"span_id", model::IsZero(s.span_id) ? json(nullptr) : json(model::ToHex(s.span_id))},
              {"evaluator", s.evaluator},
              {"dimension", s.dimension},
              {"value", s.value},
              {"label", s.label.empty() ? json(nullptr) : json(s.label)},
              {"reasoning", s.reasoning.empty() ? json(nullptr) : json(s.reasoning)},
              {"author", s.author.empty() ? json(nullptr) : json(s.author)},
              {"source", store::ScoreSourceName(s.source)},
              {"judge_model", s.judge_model.empty() ? json(nullptr) : json(s.judge_model)},
              {"judge_cost_usd", UsdOrNull(s.judge_cost_nanos)},
              {"created", FormatRfc3339(s.created_ns)},
              {"version", s.version}};
  return out;
}

json TraceJson(const store::Trace& trace, const pricing::Catalog& catalog) {
  json spans = json::array();
  uint64_t start = UINT64_MAX, end = 0;
  int64_t llm_calls = 0, tokens = 0, cost = 0, errors = 0, unpriced = 0;
  for (const auto& node : trace.spans) {
    const model::Span& s = node.record.span;
    start = std::min(start, s.start_time_unix_nano);
    end = std::max(end, s.end_time_unix_nano);
    if (s.status.code == model::StatusCode::kError) ++errors;
    if (const auto& call = node.record.llm) {
      ++llm_calls;
      if (call->counts_usage) {
        tokens += call->tokens.Sum();
        if (call->cost.total_nanos) cost += *call->cost.total_nanos;
        else ++unpriced;
      }
    }
    spans.push_back(SpanJson(node, catalog));
  }
  json logs = json::array();
  for (const auto& log : trace.logs) logs.push_back(LogJson(log));
  return {{"trace_id", model::ToHex(trace.trace_id)},
          {"start", FormatRfc3339(start)},
          {"duration_ms", end > start ? static_cast<double>(end - start) / 1e6 : 0.0},
          {"totals",
           {{"spans", trace.spans.size()},
            {"llm_calls", llm_calls},
            {"tokens", tokens},
            {"cost_nanos", cost},
            {"cost_usd", static_cast<double>(cost) / 1e9},
            {"unpriced_calls", unpriced},
            {"error_spans", errors}}},
          {"spans", std::move(spans)},
          {"logs", std::move(logs)},
          {"scores", json::array()}};
}

json PriceEntryJson(const pricing::PriceEntry& entry) {
  json versions = json::array();
  for (const auto& v : entry.prices) versions.push_back(PriceVersionJson(v));
  return {{"key", entry.key},
          {"provider", entry.provider},
          {"model", entry.model},
          {"mode", entry.mode},
          {"origin", entry.origin == pricing::Origin::kOverride ? "override" : "builtin"},
          {"prices", std::move(versions)}};
}

}  // namespace loupe::api::internal
