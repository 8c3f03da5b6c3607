// Protobuf decoding: round trips through the generated classes, partial
// rejection, malformed bodies, invalid UTF-8, size and depth limits, and
// the gRPC path (FromProto).
#include <gtest/gtest.h>

#include <chrono>

#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "otlp/decode.h"
#include "otlp/from_proto.h"

namespace loupe::otlp {
namespace {

namespace pb = opentelemetry::proto;
using pb::collector::trace::v1::ExportTraceServiceRequest;

const std::string kTraceId("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16);
const std::string kSpanId("\x11\x12\x13\x14\x15\x16\x17\x18", 8);
const std::string kParentId("\x21\x22\x23\x24\x25\x26\x27\x28", 8);

pb::trace::v1::Span* AddSpan(pb::trace::v1::ScopeSpans* ss, const std::string& name, char last_id_byte = 0x18) {
  auto* span = ss->add_spans();
  span->set_trace_id(kTraceId);
  std::string id = kSpanId;
  id[7] = last_id_byte;
  span->set_span_id(id);
  span->set_name(name);
  span->set_start_time_unix_nano(1000);
  span->set_end_time_unix_nano(2000);
  return span;
}

void SetString(pb::common::v1::KeyValue* kv, const std::string& key, const std::string& value) {
  kv->set_key(key);
  kv->mutable_value()->set_string_value(value);
}

DecodedTraces DecodeOk(const ExportTraceServiceRequest& req) {
  Result<DecodedTraces> r = DecodeTraces(req.SerializeAsString(), Encoding::kProtobuf);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : DecodedTraces{};
}

TEST(ProtoDecodeTest, RoundTripKeepsEveryField) {
  ExportTraceServiceRequest req;
  auto* rs = req.add_resource_spans();
  SetString(rs->mutable_resource()->add_attributes(), "service.name", "chat-api");
  rs->mutable_resource()->set_dropped_attributes_count(2);
  rs->set_schema_url("https://opentelemetry.io/schemas/1.26.0");
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("openinference.instrumentation.openai");
  ss->mutable_scope()->set_version("0.1.2");
  SetString(ss->mutable_scope()->add_attributes(), "scope.attr", "v");
  ss->set_schema_url("scope-schema");

  auto* span = AddSpan(ss, "ChatCompletion");
  span->set_parent_span_id(kParentId);
  span->set_trace_state("vendor=x");
  span->set_flags(0x101);
  span->set_kind(pb::trace::v1::Span::SPAN_KIND_CLIENT);
  span->set_start_time_unix_nano(1718000000000000000ULL);
  span->set_end_time_unix_nano(1718000001500000000ULL);
  SetString(span->add_attributes(), "gen_ai.request.model", "gpt-4o");
  auto* tokens = span->add_attributes();
  tokens->set_key("gen_ai.usage.input_tokens");
  tokens->mutable_value()->set_int_value(1234);
  auto* temp = span->add_attributes();
  temp->set_key("gen_ai.request.temperature");
  temp->mutable_value()->set_double_value(0.25);
  auto* stream = span->add_attributes();
  stream->set_key("stream");
  stream->mutable_value()->set_bool_value(true);
  auto* raw = span->add_attributes();
  raw->set_key("raw");
  raw->mutable_value()->set_bytes_value(std::string("\x00\xff", 2));
  auto* arr = span->add_attributes();
  arr->set_key("gen_ai.response.finish_reasons");
  arr->mutable_value()->mutable_array_value()->add_values()->set_string_value("stop");
  arr->mutable_value()->mutable_array_value()->add_values()->set_int_value(7);
  auto* kvl = span->add_attributes();
  kvl->set_key("map");
  SetString(kvl->mutable_value()->mutable_kvlist_value()->add_values(), "inner", "x");
  span->add_attributes()->set_key("empty");
  span->set_dropped_attributes_count(3);
  auto* ev = span->add_events();
  ev->set_time_unix_nano(1718000000500000000ULL);
  ev->set_name("gen_ai.content.prompt");
  SetString(ev->add_attributes(), "gen_ai.prompt", "hello");
  ev->set_dropped_attributes_count(1);
  span->set_dropped_events_count(4);
  auto* link = span->add_links();
  link->set_trace_id(kTraceId);
  link->set_span_id(kParentId);
  link->set_trace_state("l=1");
  SetString(link->add_attributes(), "link.attr", "y");
  link->set_dropped_attributes_count(5);
  link->set_flags(1);
  span->set_dropped_links_count(6);
  span->mutable_status()->set_code(pb::trace::v1::Status::STATUS_CODE_ERROR);
  span->mutable_status()->set_message("rate limited");

  AddSpan(ss, "second", 0x19);
  auto* ss2 = rs->add_scope_spans();
  AddSpan(ss2, "other scope", 0x1a);
  auto* rs2 = req.add_resource_spans();
  AddSpan(rs2->add_scope_spans(), "other resource", 0x1b);

  DecodedTraces d = DecodeOk(req);
  EXPECT_EQ(d.rejected_spans, 0);
  EXPECT_EQ(d.rejection_message, "");
  EXPECT_EQ(d.sanitized_strings, 0);
  EXPECT_TRUE(d.batch.logs.empty());
  ASSERT_EQ(d.batch.spans.size(), 4u);
  const model::Span& s = d.batch.spans[0].span;
  EXPECT_FALSE(d.batch.spans[0].llm.has_value());
  EXPECT_EQ(model::ToHex(s.trace_id), "0102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(model::ToHex(s.span_id), "1112131415161718");
  EXPECT_EQ(model::ToHex(s.parent_span_id), "2122232425262728");
  EXPECT_FALSE(s.is_root());
  EXPECT_EQ(s.trace_state, "vendor=x");
  EXPECT_EQ(s.flags, 0x101u);
  EXPECT_EQ(s.name, "ChatCompletion");
  EXPECT_EQ(s.kind, model::SpanKind::kClient);
  EXPECT_EQ(s.start_time_unix_nano, 1718000000000000000ULL);
  EXPECT_EQ(s.end_time_unix_nano, 1718000001500000000ULL);
  EXPECT_FALSE(s.clock_skew);
  ASSERT_EQ(s.attributes.size(), 8u);
  EXPECT_EQ(*s.attributes.Find("gen_ai.request.model")->AsString(), "gpt-4o");
  EXPECT_EQ(*s.attributes.Find("gen_ai.usage.input_tokens")->AsInt(), 1234);
  EXPECT_EQ(*s.attributes.Find("gen_ai.request.temperature")->AsDouble(), 0.25);
  EXPECT_EQ(*s.attributes.Find("stream")->AsBool(), true);
  EXPECT_EQ(s.attributes.Find("raw")->v, model::AnyValue::Variant(model::Bytes{std::string("\x00\xff", 2)}));
  const model::ArrayValue* reasons = s.attributes.Find("gen_ai.response.finish_reasons")->AsArray();
  ASSERT_NE(reasons, nullptr);
  EXPECT_EQ(reasons->values, (std::vector<model::AnyValue>{model::AnyValue("stop"), model::AnyValue(7)}));
  const model::KeyValueList* map = s.attributes.Find("map")->AsKvList();
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(map->values, (std::vector<model::KeyValue>{{"inner", model::AnyValue("x")}}));
  EXPECT_TRUE(s.attributes.Find("empty")->empty());
  EXPECT_EQ(s.dropped_attributes_count, 3u);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].time_unix_nano, 1718000000500000000ULL);
  EXPECT_EQ(s.events[0].name, "gen_ai.content.prompt");
  EXPECT_EQ(*s.events[0].attributes.Find("gen_ai.prompt")->AsString(), "hello");
  EXPECT_EQ(s.events[0].dropped_attributes_count, 1u);
  EXPECT_EQ(s.dropped_events_count, 4u);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(model::ToHex(s.links[0].trace_id), "0102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(model::ToHex(s.links[0].span_id), "2122232425262728");
  EXPECT_EQ(s.links[0].trace_state, "l=1");
  EXPECT_EQ(*s.links[0].attributes.Find("link.attr")->AsString(), "y");
  EXPECT_EQ(s.links[0].dropped_attributes_count, 5u);
  EXPECT_EQ(s.links[0].flags, 1u);
  EXPECT_EQ(s.dropped_links_count, 6u);
  EXPECT_EQ(s.status.code, model::StatusCode::kError);
  EXPECT_EQ(s.status.message, "rate limited");

  ASSERT_NE(s.resource, nullptr);
  ASSERT_NE(s.scope, nullptr);
  EXPECT_EQ(*s.resource->attributes.Find("service.name")->AsString(), "chat-api");
  EXPECT_EQ(s.resource->dropped_attributes_count, 2u);
  EXPECT_EQ(s.resource->schema_url, "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(s.scope->name, "openinference.instrumentation.openai");
  EXPECT_EQ(s.scope->version, "0.1.2");
  EXPECT_EQ(*s.scope->attributes.Find("scope.attr")->AsString(), "v");
  EXPECT_EQ(s.scope->schema_url, "scope-schema");

  // Sharing: same ScopeSpans -> same objects; new scope or resource -> new.
  const auto& spans = d.batch.spans;
  EXPECT_EQ(spans[1].span.name, "second");
  EXPECT_EQ(spans[1].span.resource.get(), s.resource.get());
  EXPECT_EQ(spans[1].span.scope.get(), s.scope.get());
  EXPECT_EQ(spans[2].span.resource.get(), s.resource.get());
  EXPECT_NE(spans[2].span.scope.get(), s.scope.get());
  EXPECT_NE(spans[3].span.resource.get(), s.resource.get());
  // Absent resource and scope still decode to (empty) objects.
  ASSERT_NE(spans[3].span.resource, nullptr);
  ASSERT_NE(spans[3].span.scope, nullptr);
  EXPECT_TRUE(spans[3].span.resource->attributes.empty());
  EXPECT_TRUE(spans[3].span.is_root());
  EXPECT_EQ(spans[3].span.kind, model::SpanKind::kUnspecified);
}

TEST(ProtoDecodeTest, ClockSkewedSpanIsKeptAndFlagged) {
  ExportTraceServiceRequest req;
  auto* span = AddSpan(req.add_resource_spans()->add_scope_spans(), "skewed");
  span->set_start_time_unix_nano(5000);
  span->set_end_time_unix_nano(4000);
  DecodedTraces d = DecodeOk(req);
  ASSERT_EQ(d.batch.spans.size(), 1u);
  EXPECT_TRUE(d.batch.spans[0].span.clock_skew);
  EXPECT_EQ(d.batch.spans[0].span.duration_nanos(), 0u);
  EXPECT_EQ(d.rejected_spans, 0);
}

TEST(ProtoDecodeTest, InvalidIdsRejectOnlyTheirSpan) {
  ExportTraceServiceRequest req;
  auto* ss = req.add_resource_spans()->add_scope_spans();
  AddSpan(ss, "good", 0x01);
  AddSpan(ss, "short span id")->set_span_id(std::string(7, '\x01'));
  AddSpan(ss, "zero trace id")->set_trace_id(std::string(16, '\0'));
  AddSpan(ss, "bad parent")->set_parent_span_id("abc");
  AddSpan(ss, "no trace id")->clear_trace_id();
  AddSpan(ss, "zero span id")->set_span_id(std::string(8, '\0'));
  AddSpan(ss, "root with zero parent", 0x02)->set_parent_span_id(std::string(8, '\0'));
  AddSpan(ss, "also good", 0x03);

  DecodedTraces d = DecodeOk(req);
  ASSERT_EQ(d.batch.spans.size(), 3u);
  EXPECT_EQ(d.batch.spans[0].span.name, "good");
  EXPECT_EQ(d.batch.spans[1].span.name, "root with zero parent");
  EXPECT_TRUE(d.batch.spans[1].span.is_root());
  EXPECT_EQ(d.batch.spans[2].span.name, "also good");
  EXPECT_EQ(d.rejected_spans, 5);
  EXPECT_EQ(d.rejection_message,
            "span 1 (name \"short span id\"): span_id has 7 bytes, want 8; "
            "span 2 (name \"zero trace id\"): trace_id is all zeros; "
            "span 3 (name \"bad parent\"): parent_span_id has 3 bytes, want 8; "
            "span 4 (name \"no trace id\"): trace_id has 0 bytes, want 16; "
            "span 5 (name \"zero span id\"): span_id is all zeros");
}

TEST(ProtoDecodeTest, RejectionMessageKeepsTheFirstFive) {
  ExportTraceServiceRequest req;
  auto* ss = req.add_resource_spans()->add_scope_spans();
  for (int i = 0; i < 8; ++i) AddSpan(ss, "s")->set_span_id("x");
  DecodedTraces d = DecodeOk(req);
  EXPECT_EQ(d.rejected_spans, 8);
  EXPECT_TRUE(d.batch.spans.empty());
  EXPECT_NE(d.rejection_message.find("span 4 (name \"s\")"), std::string::npos);
  EXPECT_EQ(d.rejection_message.find("span 5 "), std::string::npos);
  EXPECT_NE(d.rejection_message.find("(and 3 more)"), std::string::npos) << d.rejection_message;
}

TEST(ProtoDecodeTest, LinkWithInvalidIdsIsDroppedAndCounted) {
  ExportTraceServiceRequest req;
  auto* span = AddSpan(req.add_resource_spans()->add_scope_spans(), "linked");
  span->set_dropped_links_count(1);
  auto* bad = span->add_links();
  bad->set_trace_id("short");
  bad->set_span_id(kSpanId);
  auto* good = span->add_links();
  good->set_trace_id(kTraceId);
  good->set_span_id(kParentId);
  DecodedTraces d = DecodeOk(req);
  ASSERT_EQ(d.batch.spans.size(), 1u);
  EXPECT_EQ(d.batch.spans[0].span.links.size(), 1u);
  EXPECT_EQ(d.batch.spans[0].span.dropped_links_count, 2u);
}

TEST(ProtoDecodeTest, GarbageAndTruncatedBodiesAreInvalidArgument) {
  ExportTraceServiceRequest req;
  auto* span = AddSpan(req.add_resource_spans()->add_scope_spans(), "a span with a name long enough");
  SetString(span->add_attributes(), "k", "v");
  std::string body = req.SerializeAsString();
  for (size_t cut : {body.size() - 1, body.size() / 2, size_t{3}}) {
    Result<DecodedTraces> r = DecodeTraces(std::string_view(body).substr(0, cut), Encoding::kProtobuf);
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("protobuf: truncated or malformed ExportTraceServiceRequest"),
              std::string::npos)
        << r.status().message();
  }
  for (std::string garbage : {std::string("\xff\xff\xff\xff\xff"), std::string("hello, world"),
                              std::string("{\"resourceSpans\":[]}")}) {
    Result<DecodedTraces> r = DecodeTraces(garbage, Encoding::kProtobuf);
    EXPECT_FALSE(r.ok()) << garbage;
  }
  Result<DecodedLogs> logs = DecodeLogs("\x0a\xff\xff\xff", Encoding::kProtobuf);
  ASSERT_FALSE(logs.ok());
  EXPECT_NE(logs.status().message().find("ExportLogsServiceRequest"), std::string::npos);
  EXPECT_FALSE(DecodeMetrics("\x0a\x05\x01", Encoding::kProtobuf).ok());
}

TEST(ProtoDecodeTest, EmptyBodyIsAnEmptyRequest) {
  Result<DecodedTraces> r = DecodeTraces("", Encoding::kProtobuf);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->batch.spans.empty());
  EXPECT_EQ(r->rejected_spans, 0);
}

TEST(ProtoDecodeTest, InvalidUtf8IsRepairedNotRejected) {
  ExportTraceServiceRequest req;
  auto* span = AddSpan(req.add_resource_spans()->add_scope_spans(), "chat \xff");
  SetString(span->add_attributes(), "gen_ai.prompt", "caf\xc3");  // cut inside "é"
  SetString(span->add_attributes(), "k\x80", "fine");
  SetString(span->add_attributes(), "ok", "na\xc3\xafve");
  DecodedTraces d = DecodeOk(req);
  ASSERT_EQ(d.batch.spans.size(), 1u);
  const model::Span& s = d.batch.spans[0].span;
  EXPECT_EQ(s.name, "chat \xEF\xBF\xBD");
  EXPECT_EQ(*s.attributes.Find("gen_ai.prompt")->AsString(), "caf\xEF\xBF\xBD");
  EXPECT_NE(s.attributes.Find("k\xEF\xBF\xBD"), nullptr);
  EXPECT_EQ(*s.attributes.Find("ok")->AsString(), "na\xc3\xafve");
  EXPECT_EQ(d.sanitized_strings, 3);
}

TEST(ProtoDecodeTest, TenThousandAttributesDecodeQuickly) {
  ExportTraceServiceRequest req;
  auto* span = AddSpan(req.add_resource_spans()->add_scope_spans(), "wide");
  for (int i = 0; i < 10000; ++i) SetString(span->add_attributes(), "key." + std::to_string(i), "value");
  std::string body = req.SerializeAsString();
  auto start = std::chrono::steady_clock::now();
  Result<DecodedTraces> r = DecodeTraces(body, Encoding::kProtobuf);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->batch.spans[0].span.attributes.size(), 10000u);
  EXPECT_EQ(r->batch.spans[0].span.attributes.items()[9999].key, "key.9999");
  // Linear work is a few milliseconds even under sanitizers; quadratic
  // work (10^8 steps) would take far longer.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

// An attribute whose value is `depth` AnyValues nested through arrays.
void NestArrays(pb::common::v1::AnyValue* v, int depth) {
  for (int i = 1; i < depth; ++i) v = v->mutable_array_value()->add_values();
  v->set_int_value(42);
}

TEST(ProtoDecodeTest, DeepNestingIsBounded) {
  {
    ExportTraceServiceRequest req;
    auto* span = AddSpan(req.add_resource_spans()->add_scope_spans(), "nested");
    auto* kv = span->add_attributes();
    kv->set_key("deep");
    NestArrays(kv->mutable_value(), 40);
    DecodedTraces d = DecodeOk(req);
    ASSERT_EQ(d.batch.spans.size(), 1u);
  }
  {
    // 60 AnyValues are 120+ nested messages: over protobuf's limit of 100.
    ExportTraceServiceRequest req;
    auto* span = AddSpan(req.add_resource_spans()->add_scope_spans(), "nested");
    auto* kv = span->add_attributes();
    kv->set_key("deep");
    NestArrays(kv->mutable_value(), 60);
    Result<DecodedTraces> r = DecodeTraces(req.SerializeAsString(), Encoding::kProtobuf);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("nested deeper than 100"), std::string::npos);
  }
}

TEST(FromProtoTest, OverDeepValueInMemoryRejectsItsSpan) {
  ExportTraceServiceRequest req;
  auto* ss = req.add_resource_spans()->add_scope_spans();
  auto* span = AddSpan(ss, "too deep");
  auto* kv = span->add_attributes();
  kv->set_key("deep");
  NestArrays(kv->mutable_value(), kMaxAnyValueDepth + 1);
  auto* ok = AddSpan(ss, "at the limit", 0x33);
  auto* kv2 = ok->add_attributes();
  kv2->set_key("deep");
  NestArrays(kv2->mutable_value(), kMaxAnyValueDepth);
  DecodedTraces d = FromProto(req);
  ASSERT_EQ(d.batch.spans.size(), 1u);
  EXPECT_EQ(d.batch.spans[0].span.name, "at the limit");
  EXPECT_EQ(d.rejected_spans, 1);
  EXPECT_EQ(d.rejection_message, "span 0 (name \"too deep\"): a value nests deeper than 64 levels");
}

TEST(ProtoDecodeLogsTest, LogsKeepIdsEventNameAndBody) {
  pb::collector::logs::v1::ExportLogsServiceRequest req;
  auto* rl = req.add_resource_logs();
  SetString(rl->mutable_resource()->add_attributes(), "service.name", "chat-api");
  auto* sl = rl->add_scope_logs();
  sl->mutable_scope()->set_name("opentelemetry.instrumentation.openai_v2");
  auto* log = sl->add_log_records();
  log->set_time_unix_nano(111);
  log->set_observed_time_unix_nano(222);
  log->set_severity_number(pb::logs::v1::SEVERITY_NUMBER_INFO);
  log->set_severity_text("INFO");
  log->set_event_name("gen_ai.user.message");
  SetString(log->mutable_body()->mutable_kvlist_value()->add_values(), "content", "Hi \xff");
  SetString(log->add_attributes(), "gen_ai.system", "openai");
  log->set_dropped_attributes_count(1);
  log->set_flags(1);
  log->set_trace_id(kTraceId);
  log->set_span_id(kSpanId);
  auto* plain = sl->add_log_records();
  plain->mutable_body()->set_string_value("no ids");
  auto* bad = sl->add_log_records();
  bad->set_event_name("gen_ai.choice");
  bad->set_span_id("1234");

  Result<DecodedLogs> r = DecodeLogs(req.SerializeAsString(), Encoding::kProtobuf);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->logs.size(), 2u);
  const model::LogRecord& l = r->logs[0];
  EXPECT_EQ(l.time_unix_nano, 111u);
  EXPECT_EQ(l.observed_time_unix_nano, 222u);
  EXPECT_EQ(l.severity_number, 9);
  EXPECT_EQ(l.severity_text, "INFO");
  EXPECT_EQ(l.event_name, "gen_ai.user.message");
  ASSERT_NE(l.body.AsKvList(), nullptr);
  EXPECT_EQ(l.body.AsKvList()->values[0].value, model::AnyValue("Hi \xEF\xBF\xBD"));
  EXPECT_EQ(*l.attributes.Find("gen_ai.system")->AsString(), "openai");
  EXPECT_EQ(l.dropped_attributes_count, 1u);
  EXPECT_EQ(l.flags, 1u);
  EXPECT_EQ(model::ToHex(l.trace_id), "0102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(model::ToHex(l.span_id), "1112131415161718");
  EXPECT_EQ(*l.resource->attributes.Find("service.name")->AsString(), "chat-api");
  EXPECT_EQ(l.scope->name, "opentelemetry.instrumentation.openai_v2");
  EXPECT_EQ(r->logs[1].body, model::AnyValue("no ids"));
  EXPECT_TRUE(model::IsZero(r->logs[1].trace_id));
  EXPECT_EQ(r->logs[1].resource.get(), l.resource.get());
  EXPECT_EQ(r->rejected_log_records, 1);
  EXPECT_EQ(r->rejection_message, "log record 2 (name \"gen_ai.choice\"): span_id has 4 bytes, want 8");
  EXPECT_EQ(r->sanitized_strings, 1);
}

TEST(ProtoDecodeMetricsTest, CountsDataPointsOfEveryType) {
  pb::collector::metrics::v1::ExportMetricsServiceRequest req;
  auto* sm = req.add_resource_metrics()->add_scope_metrics();
  auto* gauge = sm->add_metrics();
  gauge->set_name("g");
  gauge->mutable_gauge()->add_data_points()->set_as_double(1);
  gauge->mutable_gauge()->add_data_points()->set_as_int(2);
  sm->add_metrics()->mutable_sum()->add_data_points();
  sm->add_metrics()->mutable_histogram()->add_data_points();
  sm->add_metrics()->mutable_exponential_histogram()->add_data_points();
  sm->add_metrics()->mutable_summary()->add_data_points();
  sm->add_metrics()->set_name("no data");
  Result<DecodedMetrics> r = DecodeMetrics(req.SerializeAsString(), Encoding::kProtobuf);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data_points, 6);
  EXPECT_EQ(r->rejected_data_points, 0);
}

// The gRPC receiver implements the generated service with FromProto; this
// proves the `bytes` declarations keep the generated service usable.
class TestTraceService final : public pb::collector::trace::v1::TraceService::Service {
 public:
  grpc::Status Export(grpc::ServerContext*, const ExportTraceServiceRequest* request,
                      pb::collector::trace::v1::ExportTraceServiceResponse* response) override {
    DecodedTraces d = FromProto(*request);
    spans_ += static_cast<int64_t>(d.batch.spans.size());
    if (d.rejected_spans > 0) {
      response->mutable_partial_success()->set_rejected_spans(d.rejected_spans);
      response->mutable_partial_success()->set_error_message(d.rejection_message);
    }
    return grpc::Status::OK;
  }
  int64_t spans_ = 0;
};

TEST(FromProtoTest, GeneratedGrpcServiceWorksWithBytesFields) {
  ExportTraceServiceRequest req;
  auto* ss = req.add_resource_spans()->add_scope_spans();
  AddSpan(ss, "ok \xfe");
  AddSpan(ss, "bad")->set_trace_id("x");
  // What a gRPC client sends: serialized, then parsed by the server.
  ExportTraceServiceRequest received;
  ASSERT_TRUE(received.ParseFromString(req.SerializeAsString()));
  TestTraceService service;
  pb::collector::trace::v1::ExportTraceServiceResponse response;
  EXPECT_TRUE(service.Export(nullptr, &received, &response).ok());
  EXPECT_EQ(service.spans_, 1);
  EXPECT_EQ(response.partial_success().rejected_spans(), 1);
  EXPECT_EQ(response.partial_success().error_message(), "span 1 (name \"bad\"): trace_id has 1 bytes, want 16");
}

}  // namespace
}  // namespace loupe::otlp
