#include "otlp_encode.h"

#include <type_traits>

#include "proto_writer.h"

namespace loupe::client {
namespace {

// Field numbers from the OTLP protos (common, resource, trace, collector).
namespace f {
constexpr uint32_t kRequestResourceSpans = 1;
constexpr uint32_t kResourceSpansResource = 1, kResourceSpansScopeSpans = 2;
constexpr uint32_t kResourceAttributes = 1;
constexpr uint32_t kScopeSpansScope = 1, kScopeSpansSpans = 2;
constexpr uint32_t kScopeName = 1, kScopeVersion = 2;
constexpr uint32_t kSpanTraceId = 1, kSpanSpanId = 2, kSpanParentSpanId = 4, kSpanName = 5,
                   kSpanKind = 6, kSpanStart = 7, kSpanEnd = 8, kSpanAttributes = 9,
                   kSpanEvents = 11, kSpanStatus = 15, kSpanFlags = 16;
constexpr uint32_t kEventTime = 1, kEventName = 2, kEventAttributes = 3;
constexpr uint32_t kStatusMessage = 2, kStatusCode = 3;
constexpr uint32_t kKeyValueKey = 1, kKeyValueValue = 2;
constexpr uint32_t kAnyString = 1, kAnyBool = 2, kAnyInt = 3, kAnyDouble = 4, kAnyArray = 5;
constexpr uint32_t kArrayValues = 1;
}  // namespace f

// W3C trace flags "sampled" plus SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK
// (0x100) with the is-remote bit clear: the span was made here.
constexpr uint32_t kSpanFlags = 0x01 | 0x100;

ProtoWriter AnyValue(const AttrValue& value) {
  ProtoWriter w;
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.Bytes(f::kAnyString, v);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          w.Int64(f::kAnyInt, v);
        } else if constexpr (std::is_same_v<T, double>) {
          w.Double(f::kAnyDouble, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          w.Bool(f::kAnyBool, v);
        } else {
          ProtoWriter array;
          for (const std::string& s : v) {
            ProtoWriter item;
            item.Bytes(f::kAnyString, s);
            array.Message(f::kArrayValues, item);
          }
          w.Message(f::kAnyArray, array);
        }
      },
      value);
  return w;
}

void KeyValue(ProtoWriter& out, uint32_t field, const std::string& key, const AttrValue& value) {
  ProtoWriter kv;
  kv.Bytes(f::kKeyValueKey, key);
  kv.Message(f::kKeyValueValue, AnyValue(value));
  out.Message(field, kv);
}

std::string_view Bytes(const auto& array) {
  return {reinterpret_cast<const char*>(array.data()), array.size()};
}

bool AllZero(const auto& array) {
  for (uint8_t b : array) {
    if (b != 0) return false;
  }
  return true;
}

ProtoWriter Span(const SpanData& s) {
  ProtoWriter w;
  w.Bytes(f::kSpanTraceId, Bytes(s.context.trace_id));
  w.Bytes(f::kSpanSpanId, Bytes(s.context.span_id));
  if (!AllZero(s.parent_span_id)) w.Bytes(f::kSpanParentSpanId, Bytes(s.parent_span_id));
  w.Bytes(f::kSpanName, s.name);
  w.Varint(f::kSpanKind, static_cast<uint64_t>(s.kind));
  w.Fixed64(f::kSpanStart, s.start_unix_nano);
  w.Fixed64(f::kSpanEnd, s.end_unix_nano);
  for (const auto& [key, value] : s.attributes) KeyValue(w, f::kSpanAttributes, key, value);
  for (const SpanEvent& e : s.events) {
    ProtoWriter ev;
    ev.Fixed64(f::kEventTime, e.time_unix_nano);
    ev.Bytes(f::kEventName, e.name);
    for (const auto& [key, value] : e.attributes) KeyValue(ev, f::kEventAttributes, key, value);
    w.Message(f::kSpanEvents, ev);
  }
  if (s.status_code != StatusCode::kUnset || !s.status_message.empty()) {
    ProtoWriter st;
    if (!s.status_message.empty()) st.Bytes(f::kStatusMessage, s.status_message);
    st.Varint(f::kStatusCode, static_cast<uint64_t>(s.status_code));
    w.Message(f::kSpanStatus, st);
  }
  w.Fixed32(f::kSpanFlags, kSpanFlags);
  return w;
}

}  // namespace

std::string EncodeExportRequest(const ResourceInfo& resource, const std::vector<SpanData>& spans) {
  ProtoWriter res;
  for (const auto& [key, value] : resource.attributes) KeyValue(res, f::kResourceAttributes, key, value);
  ProtoWriter scope;
  scope.Bytes(f::kScopeName, resource.scope_name);
  scope.Bytes(f::kScopeVersion, resource.scope_version);
  ProtoWriter scope_spans;
  scope_spans.Message(f::kScopeSpansScope, scope);
  for (const SpanData& s : spans) scope_spans.Message(f::kScopeSpansSpans, Span(s));
  ProtoWriter resource_spans;
  resource_spans.Message(f::kResourceSpansResource, res);
  resource_spans.Message(f::kResourceSpansScopeSpans, scope_spans);
  ProtoWriter request;
  request.Message(f::kRequestResourceSpans, resource_spans);
  return request.Release();
}

}  // namespace loupe::client
