// Protobuf messages -> model types. The string fields are `bytes` in
// Loupe's .proto copy (see proto/opentelemetry/proto/common/v1/common.proto),
// so every string is repaired to valid UTF-8 here.
#include "otlp/from_proto.h"

#include <memory>
#include <utility>

#include "otlp/utf8.h"
#include "otlp/validate.h"

namespace loupe::otlp {
namespace {

namespace pb_common = opentelemetry::proto::common::v1;
namespace pb_trace = opentelemetry::proto::trace::v1;
namespace pb_logs = opentelemetry::proto::logs::v1;
namespace pb_resource = opentelemetry::proto::resource::v1;
namespace pb_metrics = opentelemetry::proto::metrics::v1;
using google::protobuf::RepeatedPtrField;

std::string TooDeep() {
  return "a value nests deeper than " + std::to_string(kMaxAnyValueDepth) + " levels";
}

// State of one conversion: counts repaired strings and remembers whether
// the item being converted nested too deep.
class Converter {
 public:
  int64_t sanitized() const { return sanitized_; }

  std::string Str(const std::string& s) {
    std::string out;
    if (SanitizeUtf8(s, &out)) ++sanitized_;
    return out;
  }

  // Returns false when a value nests deeper than kMaxAnyValueDepth.
  bool Attributes(const RepeatedPtrField<pb_common::KeyValue>& in, model::Attributes* out,
                  int depth = 0) {
    auto& items = out->mutable_items();
    items.reserve(items.size() + in.size());
    for (const pb_common::KeyValue& kv : in) {
      model::KeyValue& item = items.emplace_back();
      item.key = Str(kv.key());
      if (!Value(kv.value(), &item.value, depth + 1)) return false;
    }
    return true;
  }

  bool Value(const pb_common::AnyValue& in, model::AnyValue* out, int depth) {
    if (depth > kMaxAnyValueDepth) return false;
    switch (in.value_case()) {
      case pb_common::AnyValue::kStringValue: out->v = Str(in.string_value()); return true;
      case pb_common::AnyValue::kBoolValue: out->v = in.bool_value(); return true;
      case pb_common::AnyValue::kIntValue: out->v = static_cast<int64_t>(in.int_value()); return true;
      case pb_common::AnyValue::kDoubleValue: out->v = in.double_value(); return true;
      case pb_common::AnyValue::kBytesValue: out->v = model::Bytes{in.bytes_value()}; return true;
      case pb_common::AnyValue::kArrayValue: {
        model::ArrayValue arr;
        arr.values.resize(in.array_value().values_size());
        for (int i = 0; i < in.array_value().values_size(); ++i) {
          if (!Value(in.array_value().values(i), &arr.values[i], depth + 1)) return false;
        }
        out->v = std::move(arr);
        return true;
      }
      case pb_common::AnyValue::kKvlistValue: {
        model::Attributes kvs;
        if (!Attributes(in.kvlist_value().values(), &kvs, depth)) return false;
        out->v = model::KeyValueList{std::move(kvs.mutable_items())};
        return true;
      }
      case pb_common::AnyValue::VALUE_NOT_SET: out->v = std::monostate{}; return true;
    }
    return true;
  }

  // A Resource or Scope whose attributes nest too deep keeps none of them:
  // it is shared by many items, and rejecting them all would be worse.
  std::shared_ptr<const model::Resource> Resource(const pb_resource::Resource& in,
                                                  const std::string& schema_url) {
    auto r = std::make_shared<model::Resource>();
    if (!Attributes(in.attributes(), &r->attributes)) r->attributes = {};
    r->dropped_attributes_count = in.dropped_attributes_count();
    r->schema_url = Str(schema_url);
    return r;
  }

  std::shared_ptr<const model::Scope> Scope(const pb_common::InstrumentationScope& in,
                                            const std::string& schema_url) {
    auto s = std::make_shared<model::Scope>();
    s->name = Str(in.name());
    s->version = Str(in.version());
    if (!Attributes(in.attributes(), &s->attributes)) s->attributes = {};
    s->schema_url = Str(schema_url);
    return s;
  }

  // Returns "" or the reason the span is rejected.
  std::string Span(const pb_trace::Span& in, model::Span* out) {
    std::string problem = SpanIdProblem(IdBytes::Of(in.trace_id()), IdBytes::Of(in.span_id()),
                                        IdBytes::Of(in.parent_span_id()));
    if (!problem.empty()) return problem;
    out->trace_id = IdBytes::Of(in.trace_id()).To<16>();
    out->span_id = IdBytes::Of(in.span_id()).To<8>();
    if (!in.parent_span_id().empty()) out->parent_span_id = IdBytes::Of(in.parent_span_id()).To<8>();
    out->trace_state = Str(in.trace_state());
    out->flags = in.flags();
    int kind = in.kind();
    out->kind = kind >= 0 && kind <= 5 ? static_cast<model::SpanKind>(kind) : model::SpanKind::kUnspecified;
    out->start_time_unix_nano = in.start_time_unix_nano();
    out->end_time_unix_nano = in.end_time_unix_nano();
    out->clock_skew = out->end_time_unix_nano < out->start_time_unix_nano;
    if (!Attributes(in.attributes(), &out->attributes)) return TooDeep();
    out->dropped_attributes_count = in.dropped_attributes_count();
    out->events.reserve(in.events_size());
    for (const pb_trace::Span::Event& e : in.events()) {
      model::Event& ev = out->events.emplace_back();
      ev.time_unix_nano = e.time_unix_nano();
      ev.name = Str(e.name());
      if (!Attributes(e.attributes(), &ev.attributes)) return TooDeep();
      ev.dropped_attributes_count = e.dropped_attributes_count();
    }
    out->dropped_events_count = in.dropped_events_count();
    out->dropped_links_count = in.dropped_links_count();
    out->links.reserve(in.links_size());
    for (const pb_trace::Span::Link& l : in.links()) {
      // A link to an invalid span context cannot be followed; it is dropped
      // and counted where OTLP counts dropped links, keeping the span.
      if (!LinkIdProblem(IdBytes::Of(l.trace_id()), IdBytes::Of(l.span_id())).empty()) {
        ++out->dropped_links_count;
        continue;
      }
      model::Link& link = out->links.emplace_back();
      link.trace_id = IdBytes::Of(l.trace_id()).To<16>();
      link.span_id = IdBytes::Of(l.span_id()).To<8>();
      link.trace_state = Str(l.trace_state());
      if (!Attributes(l.attributes(), &link.attributes)) return TooDeep();
      link.dropped_attributes_count = l.dropped_attributes_count();
      link.flags = l.flags();
    }
    int code = in.status().code();
    out->status.code = code >= 0 && code <= 2 ? static_cast<model::StatusCode>(code) : model::StatusCode::kUnset;
    out->status.message = Str(in.status().message());
    return "";
  }

  std::string Log(const pb_logs::LogRecord& in, model::LogRecord* out) {
    std::string problem = LogIdProblem(IdBytes::Of(in.trace_id()), IdBytes::Of(in.span_id()));
    if (!problem.empty()) return problem;
    if (!in.trace_id().empty()) out->trace_id = IdBytes::Of(in.trace_id()).To<16>();
    if (!in.span_id().empty()) out->span_id = IdBytes::Of(in.span_id()).To<8>();
    out->time_unix_nano = in.time_unix_nano();
    out->observed_time_unix_nano = in.observed_time_unix_nano();
    out->severity_number = in.severity_number();
    out->severity_text = Str(in.severity_text());
    out->event_name = Str(in.event_name());
    if (in.has_body() && !Value(in.body(), &out->body, 1)) return TooDeep();
    if (!Attributes(in.attributes(), &out->attributes)) return TooDeep();
    out->dropped_attributes_count = in.dropped_attributes_count();
    out->flags = in.flags();
    return "";
  }

 private:
  int64_t sanitized_ = 0;
};

}  // namespace

DecodedTraces FromProto(const opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest& request) {
  DecodedTraces out;
  Converter conv;
  Rejections rejections;
  size_t total = 0;
  for (const auto& rs : request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) total += ss.spans_size();
  }
  out.batch.spans.reserve(total);
  int64_t index = 0;
  for (const pb_trace::ResourceSpans& rs : request.resource_spans()) {
    auto resource = conv.Resource(rs.resource(), rs.schema_url());
    for (const pb_trace::ScopeSpans& ss : rs.scope_spans()) {
      auto scope = conv.Scope(ss.scope(), ss.schema_url());
      for (const pb_trace::Span& span : ss.spans()) {
        model::SpanRecord& rec = out.batch.spans.emplace_back();
        std::string problem = conv.Span(span, &rec.span);
        if (!problem.empty()) {
          out.batch.spans.pop_back();
          rejections.Add(Rejections::Describe("span", index, conv.Str(span.name())), problem);
        } else {
          rec.span.name = conv.Str(span.name());
          rec.span.resource = resource;
          rec.span.scope = scope;
        }
        ++index;
      }
    }
  }
  out.rejected_spans = rejections.count();
  out.rejection_message = rejections.Message();
  out.sanitized_strings = conv.sanitized();
  return out;
}

DecodedLogs FromProto(const opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest& request) {
  DecodedLogs out;
  Converter conv;
  Rejections rejections;
  int64_t index = 0;
  for (const pb_logs::ResourceLogs& rl : request.resource_logs()) {
    auto resource = conv.Resource(rl.resource(), rl.schema_url());
    for (const pb_logs::ScopeLogs& sl : rl.scope_logs()) {
      auto scope = conv.Scope(sl.scope(), sl.schema_url());
      for (const pb_logs::LogRecord& log : sl.log_records()) {
        model::LogRecord& rec = out.logs.emplace_back();
        std::string problem = conv.Log(log, &rec);
        if (!problem.empty()) {
          out.logs.pop_back();
          rejections.Add(Rejections::Describe("log record", index, conv.Str(log.event_name())), problem);
        } else {
          rec.resource = resource;
          rec.scope = scope;
        }
        ++index;
      }
    }
  }
  out.rejected_log_records = rejections.count();
  out.rejection_message = rejections.Message();
  out.sanitized_strings = conv.sanitized();
  return out;
}

DecodedMetrics FromProto(const opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest& request) {
  DecodedMetrics out;
  for (const pb_metrics::ResourceMetrics& rm : request.resource_metrics()) {
    for (const pb_metrics::ScopeMetrics& sm : rm.scope_metrics()) {
      for (const pb_metrics::Metric& m : sm.metrics()) {
        switch (m.data_case()) {
          case pb_metrics::Metric::kGauge: out.data_points += m.gauge().data_points_size(); break;
          case pb_metrics::Metric::kSum: out.data_points += m.sum().data_points_size(); break;
          case pb_metrics::Metric::kHistogram: out.data_points += m.histogram().data_points_size(); break;
          case pb_metrics::Metric::kExponentialHistogram:
            out.data_points += m.exponential_histogram().data_points_size();
            break;
          case pb_metrics::Metric::kSummary: out.data_points += m.summary().data_points_size(); break;
          case pb_metrics::Metric::DATA_NOT_SET: break;
        }
      }
    }
  }
  return out;
}

}  // namespace loupe::otlp
