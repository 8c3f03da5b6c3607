// OTLP/JSON ExportTraceServiceRequest -> DecodedTraces.
#include <array>
#include <optional>

#include "otlp/json_decode.h"
#include "otlp/json_reader.h"

namespace loupe::otlp {
namespace {

constexpr std::array<std::string_view, 6> kSpanKinds = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
constexpr std::array<std::string_view, 3> kStatusCodes = {"STATUS_CODE_UNSET", "STATUS_CODE_OK",
                                                          "STATUS_CODE_ERROR"};

class TracesDecoder {
 public:
  Result<DecodedTraces> Decode(std::string_view body) {
    JsonElement root;
    LOUPE_RETURN_IF_ERROR(reader_.Parse(body, &root));
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(root, nullptr, [&](std::string_view key, JsonElement v) {
      if (key != "resourcespans") return Status::Ok();
      return reader_.ForEachItem(v, "resourceSpans", [&](JsonElement rs) { return ResourceSpans(rs); });
    }));
    out_.rejected_spans = rejections_.count();
    out_.rejection_message = rejections_.Message();
    out_.sanitized_strings = reader_.sanitized_strings();
    return std::move(out_);
  }

 private:
  Status ResourceSpans(JsonElement rs) {
    // The resource must exist before the spans that share it, whatever the
    // order of the keys.
    std::optional<JsonElement> resource, schema_url, scope_spans;
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(rs, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "resource") resource = v;
      if (key == "schemaurl") schema_url = v;
      if (key == "scopespans") scope_spans = v;
      return Status::Ok();
    }));
    std::shared_ptr<const model::Resource> r;
    LOUPE_RETURN_IF_ERROR(reader_.Resource(resource ? &*resource : nullptr, schema_url ? &*schema_url : nullptr, &r));
    if (!scope_spans) return Status::Ok();
    return reader_.ForEachItem(*scope_spans, "scopeSpans", [&](JsonElement ss) { return ScopeSpans(ss, r); });
  }

  Status ScopeSpans(JsonElement ss, const std::shared_ptr<const model::Resource>& resource) {
    std::optional<JsonElement> scope, schema_url, spans;
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(ss, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "scope") scope = v;
      if (key == "schemaurl") schema_url = v;
      if (key == "spans") spans = v;
      return Status::Ok();
    }));
    std::shared_ptr<const model::Scope> s;
    LOUPE_RETURN_IF_ERROR(reader_.Scope(scope ? &*scope : nullptr, schema_url ? &*schema_url : nullptr, &s));
    if (!spans) return Status::Ok();
    return reader_.ForEachItem(*spans, "spans", [&](JsonElement span) { return Span(span, resource, s); });
  }

  Status Span(JsonElement e, const std::shared_ptr<const model::Resource>& resource,
              const std::shared_ptr<const model::Scope>& scope) {
    model::SpanRecord& rec = out_.batch.spans.emplace_back();
    model::Span& span = rec.span;
    HexId trace_id, span_id, parent_span_id;
    int32_t kind = 0;
    uint32_t dropped_links = 0;
    int64_t invalid_links = 0;
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(e, nullptr, [&](std::string_view key, JsonElement v) -> Status {
      if (key == "traceid") return reader_.Id(v, "traceId", &trace_id);
      if (key == "spanid") return reader_.Id(v, "spanId", &span_id);
      if (key == "parentspanid") return reader_.Id(v, "parentSpanId", &parent_span_id);
      if (key == "tracestate") return reader_.String(v, "traceState", &span.trace_state);
      if (key == "flags") return reader_.Uint32(v, "flags", &span.flags);
      if (key == "name") return reader_.String(v, "name", &span.name);
      if (key == "kind") return reader_.Enum(v, "kind", kSpanKinds, &kind);
      if (key == "starttimeunixnano") return reader_.Uint64(v, "startTimeUnixNano", &span.start_time_unix_nano);
      if (key == "endtimeunixnano") return reader_.Uint64(v, "endTimeUnixNano", &span.end_time_unix_nano);
      if (key == "attributes") return reader_.Attributes(v, "attributes", &span.attributes);
      if (key == "droppedattributescount") {
        return reader_.Uint32(v, "droppedAttributesCount", &span.dropped_attributes_count);
      }
      if (key == "events") return reader_.ForEachItem(v, "events", [&](JsonElement ev) { return Event(ev, &span); });
      if (key == "droppedeventscount") return reader_.Uint32(v, "droppedEventsCount", &span.dropped_events_count);
      if (key == "links") {
        return reader_.ForEachItem(v, "links", [&](JsonElement l) { return Link(l, &span, &invalid_links); });
      }
      if (key == "droppedlinkscount") return reader_.Uint32(v, "droppedLinksCount", &dropped_links);
      if (key == "status") return ReadStatus(v, &span.status);
      return Status::Ok();
    }));
    int64_t index = next_index_++;
    std::string problem = SpanIdProblem(trace_id.view(), span_id.view(), parent_span_id.view());
    if (!problem.empty()) {
      rejections_.Add(Rejections::Describe("span", index, span.name), problem);
      out_.batch.spans.pop_back();
      return Status::Ok();
    }
    span.trace_id = trace_id.view().To<16>();
    span.span_id = span_id.view().To<8>();
    if (parent_span_id.size != 0) span.parent_span_id = parent_span_id.view().To<8>();
    span.kind = kind >= 0 && kind <= 5 ? static_cast<model::SpanKind>(kind) : model::SpanKind::kUnspecified;
    span.dropped_links_count = dropped_links + static_cast<uint32_t>(invalid_links);
    span.clock_skew = span.end_time_unix_nano < span.start_time_unix_nano;
    span.resource = resource;
    span.scope = scope;
    return Status::Ok();
  }

  Status Event(JsonElement e, model::Span* span) {
    model::Event& ev = span->events.emplace_back();
    return reader_.ForEachMember(e, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "timeunixnano") return reader_.Uint64(v, "timeUnixNano", &ev.time_unix_nano);
      if (key == "name") return reader_.String(v, "name", &ev.name);
      if (key == "attributes") return reader_.Attributes(v, "attributes", &ev.attributes);
      if (key == "droppedattributescount") return reader_.Uint32(v, "droppedAttributesCount", &ev.dropped_attributes_count);
      return Status::Ok();
    });
  }

  // A link with invalid ids is dropped and counted in dropped_links_count
  // (as from_proto.cc does); the span is kept.
  Status Link(JsonElement e, model::Span* span, int64_t* invalid) {
    model::Link& link = span->links.emplace_back();
    HexId trace_id, span_id;
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(e, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "traceid") return reader_.Id(v, "traceId", &trace_id);
      if (key == "spanid") return reader_.Id(v, "spanId", &span_id);
      if (key == "tracestate") return reader_.String(v, "traceState", &link.trace_state);
      if (key == "attributes") return reader_.Attributes(v, "attributes", &link.attributes);
      if (key == "droppedattributescount") {
        return reader_.Uint32(v, "droppedAttributesCount", &link.dropped_attributes_count);
      }
      if (key == "flags") return reader_.Uint32(v, "flags", &link.flags);
      return Status::Ok();
    }));
    if (!LinkIdProblem(trace_id.view(), span_id.view()).empty()) {
      span->links.pop_back();
      ++*invalid;
      return Status::Ok();
    }
    link.trace_id = trace_id.view().To<16>();
    link.span_id = span_id.view().To<8>();
    return Status::Ok();
  }

  Status ReadStatus(JsonElement e, model::SpanStatus* status) {
    int32_t code = 0;
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(e, "status", [&](std::string_view key, JsonElement v) {
      if (key == "message") return reader_.String(v, "message", &status->message);
      if (key == "code") return reader_.Enum(v, "code", kStatusCodes, &code);
      return Status::Ok();
    }));
    status->code = code >= 0 && code <= 2 ? static_cast<model::StatusCode>(code) : model::StatusCode::kUnset;
    return Status::Ok();
  }

  JsonReader reader_;
  DecodedTraces out_;
  Rejections rejections_;
  int64_t next_index_ = 0;
};

}  // namespace

Result<DecodedTraces> DecodeTracesJson(std::string_view body) { return TracesDecoder().Decode(body); }

}  // namespace loupe::otlp
