// The bodies each target receives, checked field by field.
#include "alerting/notify/payloads.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace loupe::alerting {
namespace {

using json = nlohmann::json;
constexpr uint64_t kT0 = 1'750'032'000'000'000'000ull;  // 2025-06-16T00:00:00Z

Alert Firing(const std::string& feature) {
  Alert a;
  a.rule = "LlmLatencyRegression";
  a.labels = {{"alertname", a.rule}, {"severity", "page"}, {"team", "search"}, {"feature", feature}, {"model", "gpt-4o"}};
  a.fingerprint = Fingerprint(a.labels);
  a.annotations = {{"summary", "p95 latency of feature=" + feature + " is 4.2 s"}, {"runbook", "r"}};
  a.summary = a.annotations["summary"];
  a.state = AlertState::kFiring;
  a.active_at_ns = kT0 - 60'000'000'000ull;
  a.fired_at_ns = kT0;
  a.value = 4.2;
  a.generator_url = "http://loupe:8080/traces?feature=" + feature;
  return a;
}

TEST(PayloadsTest, AlertmanagerV2) {
  Alert resolved = Firing("summarize");
  resolved.state = AlertState::kResolved;
  resolved.resolved_at_ns = kT0 + 120'000'000'000ull;
  json body = json::parse(AlertmanagerBody({Firing("chat"), resolved}, kT0 + 60'000'000'000ull, 240));
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body[0]["labels"]["feature"], "chat");
  EXPECT_EQ(body[0]["labels"]["alertname"], "LlmLatencyRegression");
  EXPECT_EQ(body[0]["annotations"]["summary"], "p95 latency of feature=chat is 4.2 s");
  EXPECT_EQ(body[0]["startsAt"], "2025-06-16T00:00:00Z");
  EXPECT_EQ(body[0]["endsAt"], "2025-06-16T00:05:00Z");  // now + 240 s
  EXPECT_EQ(body[0]["generatorURL"], "http://loupe:8080/traces?feature=chat");
  EXPECT_EQ(body[1]["endsAt"], "2025-06-16T00:02:00Z");  // resolution time
}

TEST(PayloadsTest, WebhookVersion4) {
  Alert resolved = Firing("summarize");
  resolved.state = AlertState::kResolved;
  resolved.resolved_at_ns = kT0 + 1'000'000'000ull;
  json body = json::parse(WebhookBody({"team-hook", {{"alertname", "LlmLatencyRegression"}}, "{alertname=\"X\"}",
                                       "http://loupe:8080"},
                                      {Firing("chat"), resolved}));
  EXPECT_EQ(body["version"], "4");
  EXPECT_EQ(body["status"], "firing");
  EXPECT_EQ(body["receiver"], "team-hook");
  EXPECT_EQ(body["groupKey"], "{alertname=\"X\"}");
  EXPECT_EQ(body["truncatedAlerts"], 0);
  EXPECT_EQ(body["externalURL"], "http://loupe:8080");
  EXPECT_EQ(body["groupLabels"]["alertname"], "LlmLatencyRegression");
  EXPECT_EQ(body["commonLabels"]["team"], "search");
  EXPECT_FALSE(body["commonLabels"].contains("feature"));  // differs between the two
  EXPECT_EQ(body["commonAnnotations"]["runbook"], "r");
  ASSERT_EQ(body["alerts"].size(), 2u);
  EXPECT_EQ(body["alerts"][0]["status"], "firing");
  EXPECT_EQ(body["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z");
  EXPECT_EQ(body["alerts"][0]["fingerprint"], Firing("chat").fingerprint);
  EXPECT_EQ(body["alerts"][1]["status"], "resolved");
  EXPECT_EQ(body["alerts"][1]["endsAt"], "2025-06-16T00:00:01Z");
  body = json::parse(WebhookBody({"r", {}, "k", ""}, {resolved}));
  EXPECT_EQ(body["status"], "resolved");
}

TEST(PayloadsTest, SlackIsReadable) {
  json body = json::parse(SlackBody({{"alertname", "LlmLatencyRegression"}}, {Firing("chat"), Firing("search")}));
  std::string text = body["text"];
  EXPECT_TRUE(text.starts_with("[FIRING:2] LlmLatencyRegression")) << text;
  EXPECT_NE(text.find("p95 latency of feature=chat is 4.2 s"), std::string::npos);
  ASSERT_EQ(body["blocks"].size(), 3u);
  std::string section = body["blocks"][1]["text"]["text"];
  EXPECT_NE(section.find("*team*: search"), std::string::npos) << section;
  EXPECT_NE(section.find("<http://loupe:8080/traces?feature=chat|Matching traces in Loupe>"), std::string::npos);
}

TEST(PayloadsTest, PagerDutyTriggerAndResolveShareTheDedupKey) {
  Alert a = Firing("chat");
  json trigger = json::parse(PagerDutyBody(a, "RKEY"));
  EXPECT_EQ(trigger["routing_key"], "RKEY");
  EXPECT_EQ(trigger["event_action"], "trigger");
  EXPECT_EQ(trigger["dedup_key"], "loupe-" + a.fingerprint);
  EXPECT_EQ(trigger["payload"]["summary"], a.summary);
  EXPECT_EQ(trigger["payload"]["severity"], "critical");  // severity=page
  EXPECT_EQ(trigger["payload"]["source"], "loupe");
  EXPECT_EQ(trigger["payload"]["component"], "chat");
  EXPECT_EQ(trigger["payload"]["group"], "search");
  EXPECT_EQ(trigger["payload"]["timestamp"], "2025-06-16T00:00:00Z");
  EXPECT_EQ(trigger["payload"]["custom_details"]["labels"]["model"], "gpt-4o");
  EXPECT_EQ(trigger["links"][0]["href"], a.generator_url);
  a.state = AlertState::kResolved;
  json resolve = json::parse(PagerDutyBody(a, "RKEY"));
  EXPECT_EQ(resolve["event_action"], "resolve");
  EXPECT_EQ(resolve["dedup_key"], trigger["dedup_key"]);
  EXPECT_FALSE(resolve.contains("payload"));
  EXPECT_EQ(PagerDutySeverity("warning"), "warning");
  EXPECT_EQ(PagerDutySeverity("whatever"), "info");
}

}  // namespace
}  // namespace loupe::alerting
