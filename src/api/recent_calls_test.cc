#include "api/recent_calls.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace loupe::api {
namespace {

model::Batch BatchWithCalls(int n, int first) {
  model::Batch batch;
  for (int i = 0; i < n; ++i) {
    model::SpanRecord record;
    record.span.name = "chat m" + std::to_string(first + i);
    record.llm.emplace();
    record.llm->request_model = "m" + std::to_string(first + i);
    record.llm->tokens.input = 10;
    record.llm->cost.source = model::CostSource::kCatalog;
    record.llm->cost.total_nanos = 1234;
    batch.spans.push_back(std::move(record));
  }
  model::SpanRecord plain;  // not an LLM call: never listed
  plain.span.name = "GET /";
  batch.spans.push_back(std::move(plain));
  return batch;
}

TEST(RecentCallsTest, KeepsNewestFirstWithinCapacity) {
  RecentCalls recent(3);
  model::Batch a = BatchWithCalls(2, 0), b = BatchWithCalls(2, 2);
  model::Batch* group[] = {&a, &b};
  ASSERT_TRUE(recent.Consume(group).ok());
  EXPECT_EQ(recent.size(), 3u);
  auto j = nlohmann::json::parse(recent.RenderJson(10));
  ASSERT_EQ(j["calls"].size(), 3u);
  EXPECT_EQ(j["calls"][0]["request_model"], "m3");
  EXPECT_EQ(j["calls"][2]["request_model"], "m1");
  EXPECT_EQ(j["calls"][0]["tokens"]["input"], 10);
  EXPECT_TRUE(j["calls"][0]["tokens"]["output"].is_null());
  EXPECT_EQ(j["calls"][0]["cost"]["source"], "catalog");
  EXPECT_EQ(j["calls"][0]["cost"]["total_nanos"], 1234);
}

TEST(RecentCallsTest, LimitApplies) {
  RecentCalls recent(10);
  model::Batch a = BatchWithCalls(5, 0);
  model::Batch* group[] = {&a};
  ASSERT_TRUE(recent.Consume(group).ok());
  auto j = nlohmann::json::parse(recent.RenderJson(2));
  EXPECT_EQ(j["calls"].size(), 2u);
}

TEST(RecentCallsTest, UnknownCostIsNullNotZero) {
  RecentCalls recent(1);
  model::Batch a;
  model::SpanRecord r;
  r.llm.emplace();
  r.llm->request_model = "mystery-model";
  a.spans.push_back(r);
  model::Batch* group[] = {&a};
  ASSERT_TRUE(recent.Consume(group).ok());
  auto j = nlohmann::json::parse(recent.RenderJson(1));
  EXPECT_EQ(j["calls"][0]["cost"]["source"], "unknown");
  EXPECT_TRUE(j["calls"][0]["cost"]["total_nanos"].is_null());
}

}  // namespace
}  // namespace loupe::api

namespace loupe::api {
namespace {

TEST(RecentCallsTest, LateLogsAreJoinedAndContentReRead) {
  int rereads = 0;
  RecentCalls recent(10, 1 << 20, [&rereads](const model::Span& span) {
    ++rereads;
    model::LlmCall call;
    model::Message m;
    m.role = "user";
    m.parts.push_back({.type = "text", .content = span.logs.back().body.ToText()});
    call.input_messages.push_back(m);
    return std::optional<model::LlmCall>(call);
  });
  model::Batch spans = BatchWithCalls(1, 0);
  spans.spans[0].span.span_id[0] = 7;
  spans.spans[0].llm->tokens.output = 3;
  model::Batch* group1[] = {&spans};
  ASSERT_TRUE(recent.Consume(group1).ok());

  model::Batch logs;
  model::LogRecord log;
  log.span_id[0] = 7;
  log.body = "Say hello.";
  logs.logs.push_back(log);
  model::LogRecord other = log;
  other.span_id[0] = 9;  // no such call: ignored
  logs.logs.push_back(other);
  model::Batch* group2[] = {&logs};
  ASSERT_TRUE(recent.Consume(group2).ok());
  EXPECT_EQ(rereads, 1);
  auto j = nlohmann::json::parse(recent.RenderJson(1));
  EXPECT_EQ(j["calls"][0]["input_messages"][0]["parts"][0]["content"], "Say hello.");
  EXPECT_EQ(j["calls"][0]["tokens"]["output"], 3);  // usage untouched
}

TEST(RecentCallsTest, BoundedByBytes) {
  RecentCalls recent(1000, 4096);
  model::Batch big = BatchWithCalls(10, 0);
  for (auto& r : big.spans) r.span.attributes.Add("blob", std::string(1500, 'x'));
  model::Batch* group[] = {&big};
  ASSERT_TRUE(recent.Consume(group).ok());
  EXPECT_LE(recent.size(), 3u);
  EXPECT_GE(recent.size(), 1u);
}

}  // namespace
}  // namespace loupe::api
