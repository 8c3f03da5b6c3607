// The hand-rolled encoding, decoded by protobuf itself with the repo's
// generated OTLP classes (test-only dependency).
#include "otlp_encode.h"

#include <gtest/gtest.h>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace loupe::client {
namespace {

namespace pb = opentelemetry::proto;

const pb::common::v1::AnyValue* Find(const google::protobuf::RepeatedPtrField<pb::common::v1::KeyValue>& kvs,
                                     const std::string& key) {
  for (const auto& kv : kvs) {
    if (kv.key() == key) return &kv.value();
  }
  return nullptr;
}

SpanData Sample() {
  SpanData s;
  SpanContext::FromHex("0102030405060708090a0b0c0d0e0f10", "a1a2a3a4a5a6a7a8", &s.context);
  s.parent_span_id = {9, 8, 7, 6, 5, 4, 3, 2};
  s.name = "chat gpt-4o";
  s.kind = SpanKind::kClient;
  s.start_unix_nano = 1'700'000'000'000'000'000ULL;
  s.end_unix_nano = 1'700'000'000'250'000'000ULL;
  s.attributes = {{"gen_ai.request.model", std::string("gpt-4o")},
                  {"gen_ai.usage.input_tokens", int64_t{1200}},
                  {"neg", int64_t{-5}},
                  {"ai.cost_usd", 0.0125},
                  {"flag", true},
                  {"gen_ai.response.finish_reasons", std::vector<std::string>{"stop", "length"}}};
  s.events.push_back({"exception", 1'700'000'000'200'000'000ULL, {{"exception.type", std::string("Timeout")}}});
  s.status_code = StatusCode::kError;
  s.status_message = "provider timed out";
  return s;
}

TEST(OtlpEncodeTest, ProtobufDecodesEveryField) {
  ResourceInfo res;
  res.attributes = {{"service.name", "svc"}, {"deployment.environment.name", "prod"}};
  SpanData second = Sample();
  second.name = "second";
  second.parent_span_id = {};
  second.status_code = StatusCode::kOk;
  second.status_message.clear();
  std::string bytes = EncodeExportRequest(res, {Sample(), second});

  pb::collector::trace::v1::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(bytes));
  ASSERT_EQ(req.resource_spans_size(), 1);
  const auto& rs = req.resource_spans(0);
  EXPECT_EQ(Find(rs.resource().attributes(), "service.name")->string_value(), "svc");
  EXPECT_EQ(Find(rs.resource().attributes(), "deployment.environment.name")->string_value(), "prod");
  ASSERT_EQ(rs.scope_spans_size(), 1);
  EXPECT_EQ(rs.scope_spans(0).scope().name(), "loupe_otel_client");
  EXPECT_EQ(rs.scope_spans(0).scope().version(), "0.1.0");
  ASSERT_EQ(rs.scope_spans(0).spans_size(), 2);

  const auto& span = rs.scope_spans(0).spans(0);
  EXPECT_EQ(span.trace_id(), std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16));
  EXPECT_EQ(span.span_id(), "\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8");
  EXPECT_EQ(span.parent_span_id(), "\x09\x08\x07\x06\x05\x04\x03\x02");
  EXPECT_EQ(span.name(), "chat gpt-4o");
  EXPECT_EQ(span.kind(), pb::trace::v1::Span::SPAN_KIND_CLIENT);
  EXPECT_EQ(span.start_time_unix_nano(), 1'700'000'000'000'000'000ULL);
  EXPECT_EQ(span.end_time_unix_nano(), 1'700'000'000'250'000'000ULL);
  EXPECT_EQ(span.flags(), 0x101u);
  ASSERT_EQ(span.attributes_size(), 6);
  EXPECT_EQ(Find(span.attributes(), "gen_ai.request.model")->string_value(), "gpt-4o");
  EXPECT_EQ(Find(span.attributes(), "gen_ai.usage.input_tokens")->int_value(), 1200);
  EXPECT_EQ(Find(span.attributes(), "neg")->int_value(), -5);
  EXPECT_DOUBLE_EQ(Find(span.attributes(), "ai.cost_usd")->double_value(), 0.0125);
  EXPECT_TRUE(Find(span.attributes(), "flag")->bool_value());
  const auto& reasons = Find(span.attributes(), "gen_ai.response.finish_reasons")->array_value();
  ASSERT_EQ(reasons.values_size(), 2);
  EXPECT_EQ(reasons.values(1).string_value(), "length");
  ASSERT_EQ(span.events_size(), 1);
  EXPECT_EQ(span.events(0).name(), "exception");
  EXPECT_EQ(span.events(0).time_unix_nano(), 1'700'000'000'200'000'000ULL);
  EXPECT_EQ(Find(span.events(0).attributes(), "exception.type")->string_value(), "Timeout");
  EXPECT_EQ(span.status().code(), pb::trace::v1::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(span.status().message(), "provider timed out");

  const auto& root = rs.scope_spans(0).spans(1);
  EXPECT_EQ(root.name(), "second");
  EXPECT_TRUE(root.parent_span_id().empty());
  EXPECT_EQ(root.status().code(), pb::trace::v1::Status::STATUS_CODE_OK);
}

TEST(OtlpEncodeTest, ZeroValuesInsideAnyValueAreStillPresent) {
  // proto3 oneof members carry presence: an int 0 or "" must not vanish.
  SpanData s = Sample();
  s.attributes = {{"zero", int64_t{0}}, {"empty", std::string()}, {"no", false}};
  pb::collector::trace::v1::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(EncodeExportRequest({}, {s})));
  const auto& attrs = req.resource_spans(0).scope_spans(0).spans(0).attributes();
  EXPECT_EQ(Find(attrs, "zero")->value_case(), pb::common::v1::AnyValue::kIntValue);
  EXPECT_EQ(Find(attrs, "empty")->value_case(), pb::common::v1::AnyValue::kStringValue);
  EXPECT_EQ(Find(attrs, "no")->value_case(), pb::common::v1::AnyValue::kBoolValue);
}

}  // namespace
}  // namespace loupe::client
