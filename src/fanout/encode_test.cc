#include "fanout/encode.h"

#include <gtest/gtest.h>

#include <vector>

#include "fanout/test_util.h"
#include "otlp/decode.h"

namespace loupe::fanout {
namespace {

using testing::MakeResource;
using testing::MakeScope;
using testing::MakeSpan;

// Two resources, two scopes in the first, every kind of field set.
model::Batch RichBatch() {
  auto res_a = MakeResource("svc-a");
  auto res_b = std::make_shared<model::Resource>();
  res_b->attributes.Add("service.name", "svc-b");
  res_b->dropped_attributes_count = 2;
  res_b->schema_url = "https://opentelemetry.io/schemas/1.26.0";
  auto scope_1 = MakeScope("scope.one");
  auto scope_2 = std::make_shared<model::Scope>();
  scope_2->name = "scope.two";
  scope_2->attributes.Add("lib", "x");
  model::Batch batch;
  batch.spans.push_back(MakeSpan(1, res_a, scope_1));
  batch.spans.push_back(MakeSpan(2, res_b, scope_1));
  batch.spans.push_back(MakeSpan(3, res_a, scope_2));
  batch.spans.push_back(MakeSpan(4, res_a, scope_1));

  model::Span& s = batch.spans[0].span;
  s.parent_span_id.fill(0xCC);
  s.trace_state = "k=v";
  s.flags = 0x301;
  s.status = {model::StatusCode::kError, "boom \"quoted\"\n"};
  s.attributes.Add("str", "h\xC3\xA9llo");
  s.attributes.Add("bool", true);
  s.attributes.Add("double", 2.5);
  s.attributes.Add("bytes", model::Bytes{std::string("\x00\x01\xFFz", 4)});
  s.attributes.Add("array", model::ArrayValue{{model::AnyValue("a"), model::AnyValue(int64_t{7})}});
  s.attributes.Add("map", model::KeyValueList{{{"inner", model::AnyValue(false)}}});
  s.attributes.Add("empty", model::AnyValue());
  s.dropped_attributes_count = 3;
  s.events.push_back({s.start_time_unix_nano + 5, "gen_ai.choice", model::Attributes({{"i", int64_t{1}}}), 1});
  s.dropped_events_count = 4;
  model::Link link;
  link.trace_id.fill(0x11);
  link.span_id.fill(0x22);
  link.trace_state = "a=b";
  link.attributes.Add("why", "retry");
  link.flags = 1;
  s.links.push_back(link);
  s.dropped_links_count = 5;
  return batch;
}

std::vector<const model::Span*> Pointers(const model::Batch& batch) {
  std::vector<const model::Span*> out;
  for (const auto& r : batch.spans) out.push_back(&r.span);
  return out;
}

// Spans come back grouped by resource, then scope.
void ExpectSameSpans(const model::Batch& want, const model::Batch& got) {
  ASSERT_EQ(got.spans.size(), want.spans.size());
  for (const model::SpanRecord& w : want.spans) {
    const model::Span* g = nullptr;
    for (const auto& r : got.spans) {
      if (r.span.span_id == w.span.span_id) g = &r.span;
    }
    ASSERT_NE(g, nullptr) << w.span.name;
    const model::Span& a = w.span;
    EXPECT_EQ(g->trace_id, a.trace_id);
    EXPECT_EQ(g->parent_span_id, a.parent_span_id);
    EXPECT_EQ(g->trace_state, a.trace_state);
    EXPECT_EQ(g->flags, a.flags);
    EXPECT_EQ(g->name, a.name);
    EXPECT_EQ(g->kind, a.kind);
    EXPECT_EQ(g->start_time_unix_nano, a.start_time_unix_nano);
    EXPECT_EQ(g->end_time_unix_nano, a.end_time_unix_nano);
    EXPECT_EQ(g->attributes, a.attributes) << a.name;
    EXPECT_EQ(g->dropped_attributes_count, a.dropped_attributes_count);
    ASSERT_EQ(g->events.size(), a.events.size());
    for (size_t i = 0; i < a.events.size(); ++i) {
      EXPECT_EQ(g->events[i].time_unix_nano, a.events[i].time_unix_nano);
      EXPECT_EQ(g->events[i].name, a.events[i].name);
      EXPECT_EQ(g->events[i].attributes, a.events[i].attributes);
      EXPECT_EQ(g->events[i].dropped_attributes_count, a.events[i].dropped_attributes_count);
    }
    EXPECT_EQ(g->dropped_events_count, a.dropped_events_count);
    ASSERT_EQ(g->links.size(), a.links.size());
    for (size_t i = 0; i < a.links.size(); ++i) {
      EXPECT_EQ(g->links[i].trace_id, a.links[i].trace_id);
      EXPECT_EQ(g->links[i].span_id, a.links[i].span_id);
      EXPECT_EQ(g->links[i].trace_state, a.links[i].trace_state);
      EXPECT_EQ(g->links[i].attributes, a.links[i].attributes);
      EXPECT_EQ(g->links[i].flags, a.links[i].flags);
    }
    EXPECT_EQ(g->dropped_links_count, a.dropped_links_count);
    EXPECT_EQ(g->status.code, a.status.code);
    EXPECT_EQ(g->status.message, a.status.message);
    ASSERT_NE(g->resource, nullptr);
    EXPECT_EQ(g->resource->attributes, a.resource->attributes);
    EXPECT_EQ(g->resource->dropped_attributes_count, a.resource->dropped_attributes_count);
    EXPECT_EQ(g->resource->schema_url, a.resource->schema_url);
    ASSERT_NE(g->scope, nullptr);
    EXPECT_EQ(g->scope->name, a.scope->name);
    EXPECT_EQ(g->scope->version, a.scope->version);
    EXPECT_EQ(g->scope->attributes, a.scope->attributes);
  }
}

TEST(EncodeTest, ProtobufRoundTripsThroughDecodeTraces) {
  model::Batch batch = RichBatch();
  auto decoded = otlp::DecodeTraces(EncodeTracesProtobuf(Pointers(batch)), otlp::Encoding::kProtobuf);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->rejected_spans, 0);
  EXPECT_EQ(decoded->sanitized_strings, 0);
  ExpectSameSpans(batch, decoded->batch);
  // Grouping: resource a (scope one: spans 1 and 4; scope two: 3), then b.
  const auto& spans = decoded->batch.spans;
  EXPECT_EQ(spans[0].span.name, "span-1");
  EXPECT_EQ(spans[1].span.name, "span-4");
  EXPECT_EQ(spans[2].span.name, "span-3");
  EXPECT_EQ(spans[3].span.name, "span-2");
  EXPECT_EQ(spans[0].span.resource, spans[2].span.resource);  // shared again after decoding
}

TEST(EncodeTest, JsonRoundTripsThroughDecodeTraces) {
  model::Batch batch = RichBatch();
  std::string json = EncodeTracesJson(Pointers(batch));
  auto decoded = otlp::DecodeTraces(json, otlp::Encoding::kJson);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message() << "\n" << json;
  ExpectSameSpans(batch, decoded->batch);
}

TEST(EncodeTest, ConcatenatedRequestsAreOneRequestAndConvertToJson) {
  model::Batch batch = RichBatch();
  auto all = Pointers(batch);
  std::string first = EncodeTracesProtobuf(std::span(all).subspan(0, 2));
  std::string second = EncodeTracesProtobuf(std::span(all).subspan(2));
  auto decoded = otlp::DecodeTraces(first + second, otlp::Encoding::kProtobuf);
  ASSERT_TRUE(decoded.ok());
  ExpectSameSpans(batch, decoded->batch);

  auto json = ProtobufToJson(first + second);
  ASSERT_TRUE(json.ok());
  auto from_json = otlp::DecodeTraces(*json, otlp::Encoding::kJson);
  ASSERT_TRUE(from_json.ok()) << from_json.status().message();
  ExpectSameSpans(batch, from_json->batch);

  EXPECT_FALSE(ProtobufToJson("\xff\xff\xff").ok());
}

TEST(EncodeTest, EmptyInputIsAnEmptyRequest) {
  EXPECT_EQ(EncodeTracesProtobuf({}), "");
  EXPECT_EQ(EncodeTracesJson({}), "{\"resourceSpans\":[]}");
}

}  // namespace
}  // namespace loupe::fanout
