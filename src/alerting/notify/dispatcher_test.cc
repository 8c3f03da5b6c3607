// Dispatcher: routing by labels, Alertmanager re-sends and resolution,
// direct-notifier grouping and repeat interval, PagerDuty per-alert events.
#include "alerting/notify/dispatcher.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "alerting/notify/fake_poster.h"

namespace loupe::alerting {
namespace {

using json = nlohmann::json;
using testing::FakePoster;
constexpr uint64_t kSec = 1'000'000'000ull;
constexpr uint64_t kT0 = 1'750'032'000ull * kSec;

Alert Make(const std::string& feature, const std::string& severity, AlertState state = AlertState::kFiring) {
  Alert a;
  a.rule = "LlmCostSpike";
  a.labels = {{"alertname", a.rule}, {"severity", severity}, {"team", "search"}, {"feature", feature}};
  a.fingerprint = Fingerprint(a.labels);
  a.state = state;
  a.fired_at_ns = kT0;
  if (state == AlertState::kResolved) a.resolved_at_ns = kT0 + 100 * kSec;
  a.summary = "spend of feature=" + feature;
  return a;
}

NotifierConfig Target(const std::string& name, NotifierKind kind, const std::string& url) {
  NotifierConfig c;
  c.name = name;
  c.kind = kind;
  c.url = url;
  c.routing_key = "R";
  c.initial_backoff_seconds = 0.01;
  c.max_backoff_seconds = 0.01;
  c.min_send_interval_seconds = 0;
  c.resend_interval_seconds = 60;
  c.repeat_interval_seconds = 3600;
  return c;
}

std::vector<HttpPost> Drain(Dispatcher& d, FakePoster& p, size_t want) {
  for (int i = 0; i < 300 && p.posts().size() < want; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  (void)d;
  return p.posts();
}

TEST(DispatcherTest, RoutesByLabels) {
  AlertingConfig c;
  c.notifiers = {Target("am", NotifierKind::kAlertmanager, "http://am:9093/"),
                 Target("pd", NotifierKind::kPagerDuty, "http://pd")};
  c.routes = {{{"severity=page"}, {"pd"}}, {{"team=~.+"}, {"am"}}};
  FakePoster poster;
  Dispatcher d(c, &poster, nullptr);
  d.Start();
  d.Dispatch({Make("chat", "page"), Make("copy", "warning")}, kT0);
  auto posts = Drain(d, poster, 2);
  ASSERT_EQ(posts.size(), 2u);
  size_t am = 0, pd = 0;
  for (const auto& p : posts) {
    if (p.url == "http://am:9093/api/v2/alerts") {
      ++am;
      EXPECT_EQ(json::parse(p.body).size(), 2u);  // both alerts match team=~.+
    } else {
      ASSERT_EQ(p.url, "http://pd/v2/enqueue");
      ++pd;
      EXPECT_EQ(json::parse(p.body)["payload"]["component"], "chat");  // only severity=page
    }
  }
  EXPECT_EQ(am, 1u);
  EXPECT_EQ(pd, 1u);
  d.Shutdown();
}

TEST(DispatcherTest, AlertmanagerResendsAndResolves) {
  AlertingConfig c;
  c.notifiers = {Target("am", NotifierKind::kAlertmanager, "http://am:9093")};
  FakePoster poster;
  Dispatcher d(c, &poster, nullptr);
  d.Start();
  Alert a = Make("chat", "warning");
  d.Dispatch({a}, kT0);
  d.Dispatch({a}, kT0 + 30 * kSec);  // within resend_interval: nothing
  d.Dispatch({a}, kT0 + 60 * kSec);  // re-send
  a.state = AlertState::kResolved;
  a.resolved_at_ns = kT0 + 90 * kSec;
  d.Dispatch({a}, kT0 + 90 * kSec);
  d.Dispatch({a}, kT0 + 120 * kSec);  // resolved once only
  auto posts = Drain(d, poster, 3);
  d.Shutdown();
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(json::parse(posts[0].body)[0]["endsAt"], "2025-06-16T00:04:00Z");
  EXPECT_EQ(json::parse(posts[1].body)[0]["endsAt"], "2025-06-16T00:05:00Z");
  EXPECT_EQ(json::parse(posts[2].body)[0]["endsAt"], "2025-06-16T00:01:30Z");
}

TEST(DispatcherTest, WebhookGroupsAndRepeats) {
  AlertingConfig c;
  NotifierConfig hook = Target("hook", NotifierKind::kWebhook, "http://hook/x");
  hook.group_by = {"alertname", "team"};
  hook.repeat_interval_seconds = 600;
  c.notifiers = {hook};
  FakePoster poster;
  Dispatcher d(c, &poster, nullptr);
  d.Start();
  Alert chat = Make("chat", "warning"), copy = Make("copy", "warning");
  d.Dispatch({chat}, kT0);                     // 1: new group
  d.Dispatch({chat}, kT0 + 60 * kSec);         // nothing new
  d.Dispatch({chat, copy}, kT0 + 120 * kSec);  // 2: a new alert joins the group
  d.Dispatch({chat, copy}, kT0 + 720 * kSec);  // 3: repeat_interval
  Alert chat_resolved = Make("chat", "warning", AlertState::kResolved);
  d.Dispatch({chat_resolved, copy}, kT0 + 780 * kSec);  // 4: a resolution
  auto posts = Drain(d, poster, 4);
  d.Shutdown();
  ASSERT_EQ(posts.size(), 4u);
  json first = json::parse(posts[0].body);
  EXPECT_EQ(first["alerts"].size(), 1u);
  EXPECT_EQ(first["groupLabels"], json({{"alertname", "LlmCostSpike"}, {"team", "search"}}));
  EXPECT_EQ(json::parse(posts[1].body)["alerts"].size(), 2u);
  EXPECT_EQ(json::parse(posts[2].body)["alerts"].size(), 2u);
  json last = json::parse(posts[3].body);
  EXPECT_EQ(last["alerts"][0]["status"], "resolved");
  EXPECT_EQ(last["status"], "firing");  // copy still fires
}

TEST(DispatcherTest, PagerDutyOneEventPerAlert) {
  AlertingConfig c;
  c.notifiers = {Target("pd", NotifierKind::kPagerDuty, "")};
  FakePoster poster;
  Dispatcher d(c, &poster, nullptr);
  d.Start();
  d.Dispatch({Make("chat", "page"), Make("copy", "page")}, kT0);
  d.Dispatch({Make("chat", "page", AlertState::kResolved), Make("copy", "page")}, kT0 + 100 * kSec);
  auto posts = Drain(d, poster, 3);
  d.Shutdown();
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].url, "https://events.pagerduty.com/v2/enqueue");
  json resolve = json::parse(posts[2].body);
  EXPECT_EQ(resolve["event_action"], "resolve");
  EXPECT_EQ(resolve["dedup_key"], json::parse(posts[0].body)["dedup_key"]);
}

}  // namespace
}  // namespace loupe::alerting
