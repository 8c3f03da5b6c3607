// Model -> OTLP protobuf and JSON. JSON is written by hand: the repo's
// .proto copy declares strings as `bytes` (see otlp/README.md), so
// protobuf's JsonUtil would base64 them.
#include "fanout/encode.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/decode.h"

namespace loupe::fanout {
namespace {

namespace pb_collector = opentelemetry::proto::collector::trace::v1;
namespace pb_trace = opentelemetry::proto::trace::v1;
namespace pb_common = opentelemetry::proto::common::v1;

// Spans grouped by resource, then scope, keeping first-seen order.
struct ScopeGroup {
  const model::Scope* scope;
  std::vector<const model::Span*> spans;
};
struct ResourceGroup {
  const model::Resource* resource;
  std::vector<ScopeGroup> scopes;
};

std::vector<ResourceGroup> Group(std::span<const model::Span* const> spans) {
  std::vector<ResourceGroup> groups;
  std::map<const model::Resource*, size_t> resource_index;
  std::map<std::pair<const model::Resource*, const model::Scope*>, size_t> scope_index;
  for (const model::Span* span : spans) {
    const model::Resource* r = span->resource.get();
    const model::Scope* s = span->scope.get();
    auto [rit, rnew] = resource_index.try_emplace(r, groups.size());
    if (rnew) groups.push_back({r, {}});
    ResourceGroup& rg = groups[rit->second];
    auto [sit, snew] = scope_index.try_emplace({r, s}, rg.scopes.size());
    if (snew) rg.scopes.push_back({s, {}});
    rg.scopes[sit->second].spans.push_back(span);
  }
  return groups;
}

// --- protobuf ---------------------------------------------------------------

void ToProto(const model::AnyValue& in, pb_common::AnyValue* out);

void ToProto(const std::vector<model::KeyValue>& in,
             google::protobuf::RepeatedPtrField<pb_common::KeyValue>* out) {
  out->Reserve(static_cast<int>(in.size()));
  for (const model::KeyValue& kv : in) {
    pb_common::KeyValue* item = out->Add();
    item->set_key(kv.key);
    ToProto(kv.value, item->mutable_value());
  }
}

void ToProto(const model::AnyValue& in, pb_common::AnyValue* out) {
  struct Visitor {
    pb_common::AnyValue* out;
    void operator()(std::monostate) const {}
    void operator()(const std::string& s) const { out->set_string_value(s); }
    void operator()(bool b) const { out->set_bool_value(b); }
    void operator()(int64_t i) const { out->set_int_value(i); }
    void operator()(double d) const { out->set_double_value(d); }
    void operator()(const model::Bytes& b) const { out->set_bytes_value(b.data); }
    void operator()(const model::ArrayValue& a) const {
      auto* arr = out->mutable_array_value();
      for (const model::AnyValue& v : a.values) ToProto(v, arr->add_values());
    }
    void operator()(const model::KeyValueList& kv) const {
      ToProto(kv.values, out->mutable_kvlist_value()->mutable_values());
    }
  };
  std::visit(Visitor{out}, in.v);
}

std::string IdBytes(const auto& id) {
  if (model::IsZero(id)) return "";
  return std::string(reinterpret_cast<const char*>(id.data()), id.size());
}

void ToProto(const model::Span& in, pb_trace::Span* out) {
  out->set_trace_id(IdBytes(in.trace_id));
  out->set_span_id(IdBytes(in.span_id));
  out->set_parent_span_id(IdBytes(in.parent_span_id));
  out->set_trace_state(in.trace_state);
  out->set_flags(in.flags);
  out->set_name(in.name);
  out->set_kind(static_cast<pb_trace::Span::SpanKind>(in.kind));
  out->set_start_time_unix_nano(in.start_time_unix_nano);
  out->set_end_time_unix_nano(in.end_time_unix_nano);
  ToProto(in.attributes.items(), out->mutable_attributes());
  out->set_dropped_attributes_count(in.dropped_attributes_count);
  for (const model::Event& e : in.events) {
    pb_trace::Span::Event* pe = out->add_events();
    pe->set_time_unix_nano(e.time_unix_nano);
    pe->set_name(e.name);
    ToProto(e.attributes.items(), pe->mutable_attributes());
    pe->set_dropped_attributes_count(e.dropped_attributes_count);
  }
  out->set_dropped_events_count(in.dropped_events_count);
  for (const model::Link& l : in.links) {
    pb_trace::Span::Link* pl = out->add_links();
    pl->set_trace_id(IdBytes(l.trace_id));
    pl->set_span_id(IdBytes(l.span_id));
    pl->set_trace_state(l.trace_state);
    ToProto(l.attributes.items(), pl->mutable_attributes());
    pl->set_dropped_attributes_count(l.dropped_attributes_count);
    pl->set_flags(l.flags);
  }
  out->set_dropped_links_count(in.dropped_links_count);
  out->mutable_status()->set_code(static_cast<pb_trace::Status::StatusCode>(in.status.code));
  out->mutable_status()->set_message(in.status.message);
}

// --- JSON -------------------------------------------------------------------

using nlohmann::json;

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int k = 3; k >= 0; --k) out.push_back(kAlphabet[(n >> (6 * k)) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

json ToJson(const model::AnyValue& in);

json ToJson(const std::vector<model::KeyValue>& in) {
  json arr = json::array();
  for (const model::KeyValue& kv : in) arr.push_back({{"key", kv.key}, {"value", ToJson(kv.value)}});
  return arr;
}

json ToJson(const model::AnyValue& in) {
  struct Visitor {
    json operator()(std::monostate) const { return json::object(); }
    json operator()(const std::string& s) const { return {{"stringValue", s}}; }
    json operator()(bool b) const { return {{"boolValue", b}}; }
    json operator()(int64_t i) const { return {{"intValue", std::to_string(i)}}; }
    json operator()(double d) const {
      if (std::isnan(d)) return {{"doubleValue", "NaN"}};
      if (std::isinf(d)) return {{"doubleValue", d > 0 ? "Infinity" : "-Infinity"}};
      return {{"doubleValue", d}};
    }
    json operator()(const model::Bytes& b) const { return {{"bytesValue", Base64(b.data)}}; }
    json operator()(const model::ArrayValue& a) const {
      json values = json::array();
      for (const model::AnyValue& v : a.values) values.push_back(ToJson(v));
      return {{"arrayValue", {{"values", values}}}};
    }
    json operator()(const model::KeyValueList& kv) const {
      return {{"kvlistValue", {{"values", ToJson(kv.values)}}}};
    }
  };
  return std::visit(Visitor{}, in.v);
}

json SpanJson(const model::Span& in) {
  json s = {{"traceId", model::ToHex(in.trace_id)},
            {"spanId", model::ToHex(in.span_id)},
            {"name", in.name},
            {"kind", static_cast<int>(in.kind)},
            {"startTimeUnixNano", std::to_string(in.start_time_unix_nano)},
            {"endTimeUnixNano", std::to_string(in.end_time_unix_nano)},
            {"attributes", ToJson(in.attributes.items())}};
  if (!in.is_root()) s["parentSpanId"] = model::ToHex(in.parent_span_id);
  if (!in.trace_state.empty()) s["traceState"] = in.trace_state;
  if (in.flags != 0) s["flags"] = in.flags;
  if (in.dropped_attributes_count != 0) s["droppedAttributesCount"] = in.dropped_attributes_count;
  if (!in.events.empty()) {
    json events = json::array();
    for (const model::Event& e : in.events) {
      json ej = {{"timeUnixNano", std::to_string(e.time_unix_nano)}, {"name", e.name},
                 {"attributes", ToJson(e.attributes.items())}};
      if (e.dropped_attributes_count != 0) ej["droppedAttributesCount"] = e.dropped_attributes_count;
      events.push_back(std::move(ej));
    }
    s["events"] = std::move(events);
  }
  if (in.dropped_events_count != 0) s["droppedEventsCount"] = in.dropped_events_count;
  if (!in.links.empty()) {
    json links = json::array();
    for (const model::Link& l : in.links) {
      json lj = {{"traceId", model::ToHex(l.trace_id)}, {"spanId", model::ToHex(l.span_id)},
                 {"attributes", ToJson(l.attributes.items())}};
      if (!l.trace_state.empty()) lj["traceState"] = l.trace_state;
      if (l.flags != 0) lj["flags"] = l.flags;
      if (l.dropped_attributes_count != 0) lj["droppedAttributesCount"] = l.dropped_attributes_count;
      links.push_back(std::move(lj));
    }
    s["links"] = std::move(links);
  }
  if (in.dropped_links_count != 0) s["droppedLinksCount"] = in.dropped_links_count;
  json status = {{"code", static_cast<int>(in.status.code)}};
  if (!in.status.message.empty()) status["message"] = in.status.message;
  s["status"] = std::move(status);
  return s;
}

}  // namespace

std::string EncodeTracesProtobuf(std::span<const model::Span* const> spans) {
  pb_collector::ExportTraceServiceRequest request;
  for (const ResourceGroup& rg : Group(spans)) {
    pb_trace::ResourceSpans* rs = request.add_resource_spans();
    if (rg.resource != nullptr) {
      ToProto(rg.resource->attributes.items(), rs->mutable_resource()->mutable_attributes());
      rs->mutable_resource()->set_dropped_attributes_count(rg.resource->dropped_attributes_count);
      rs->set_schema_url(rg.resource->schema_url);
    }
    for (const ScopeGroup& sg : rg.scopes) {
      pb_trace::ScopeSpans* ss = rs->add_scope_spans();
      if (sg.scope != nullptr) {
        ss->mutable_scope()->set_name(sg.scope->name);
        ss->mutable_scope()->set_version(sg.scope->version);
        ToProto(sg.scope->attributes.items(), ss->mutable_scope()->mutable_attributes());
        ss->set_schema_url(sg.scope->schema_url);
      }
      for (const model::Span* span : sg.spans) ToProto(*span, ss->add_spans());
    }
  }
  return request.SerializeAsString();
}

std::string EncodeTracesJson(std::span<const model::Span* const> spans) {
  json resource_spans = json::array();
  for (const ResourceGroup& rg : Group(spans)) {
    json rs = json::object();
    if (rg.resource != nullptr) {
      json resource = {{"attributes", ToJson(rg.resource->attributes.items())}};
      if (rg.resource->dropped_attributes_count != 0) {
        resource["droppedAttributesCount"] = rg.resource->dropped_attributes_count;
      }
      rs["resource"] = std::move(resource);
      if (!rg.resource->schema_url.empty()) rs["schemaUrl"] = rg.resource->schema_url;
    }
    json scope_spans = json::array();
    for (const ScopeGroup& sg : rg.scopes) {
      json ss = json::object();
      if (sg.scope != nullptr) {
        ss["scope"] = {{"name", sg.scope->name}, {"version", sg.scope->version},
                       {"attributes", ToJson(sg.scope->attributes.items())}};
        if (!sg.scope->schema_url.empty()) ss["schemaUrl"] = sg.scope->schema_url;
      }
      json list = json::array();
      for (const model::Span* span : sg.spans) list.push_back(SpanJson(*span));
      ss["spans"] = std::move(list);
      scope_spans.push_back(std::move(ss));
    }
    rs["scopeSpans"] = std::move(scope_spans);
    resource_spans.push_back(std::move(rs));
  }
  json request = {{"resourceSpans", std::move(resource_spans)}};
  // Strings were repaired to valid UTF-8 by the decoder; `replace` keeps a
  // stray invalid byte from throwing anyway.
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::string> ProtobufToJson(std::string_view protobuf) {
  auto decoded = otlp::DecodeTraces(protobuf, otlp::Encoding::kProtobuf);
  if (!decoded.ok()) return decoded.status();
  std::vector<const model::Span*> spans;
  spans.reserve(decoded->batch.spans.size());
  for (const model::SpanRecord& r : decoded->batch.spans) spans.push_back(&r.span);
  return EncodeTracesJson(spans);
}

}  // namespace loupe::fanout
