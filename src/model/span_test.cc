#include "model/span.h"

#include <gtest/gtest.h>

namespace loupe::model {
namespace {

TEST(SpanIdTest, HexRoundTrip) {
  TraceId t{};
  ASSERT_TRUE(ParseHex("5B8EFFF798038103D269B633813FC60C", &t));
  EXPECT_EQ(ToHex(t), "5b8efff798038103d269b633813fc60c");
  SpanId s{};
  EXPECT_FALSE(ParseHex("abc", &s));
  EXPECT_FALSE(ParseHex("zz8efff798038103", &s));
  EXPECT_TRUE(IsZero(SpanId{}));
}

TEST(SpanTest, AttributeFallsBackToResource) {
  auto resource = std::make_shared<Resource>();
  resource->attributes.Add("service.name", "chat-api");
  Span span;
  span.resource = resource;
  span.attributes.Add("ai.team", "search");
  EXPECT_EQ(*span.FindAttribute("ai.team")->AsString(), "search");
  EXPECT_EQ(*span.FindAttribute("service.name")->AsString(), "chat-api");
  EXPECT_EQ(span.FindAttribute("nope"), nullptr);
}

TEST(SpanTest, ClockSkewedDurationIsZero) {
  Span span;
  span.start_time_unix_nano = 200;
  span.end_time_unix_nano = 100;
  EXPECT_EQ(span.duration_nanos(), 0u);
  EXPECT_EQ(SpanKindName(SpanKind::kClient), "SPAN_KIND_CLIENT");
  EXPECT_EQ(StatusCodeName(StatusCode::kError), "STATUS_CODE_ERROR");
}

}  // namespace
}  // namespace loupe::model
