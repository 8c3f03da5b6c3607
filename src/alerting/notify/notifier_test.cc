// Notifier: retries with backoff, permanent errors, the drop-oldest queue,
// rate limit, metrics, and the real libcurl poster against a local server.
#include "alerting/notify/notifier.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "alerting/notify/fake_poster.h"
#include "ingest/http_server.h"
#include "metrics/registry.h"

namespace loupe::alerting {
namespace {

using testing::FakePoster;

NotifierConfig Fast() {
  NotifierConfig c;
  c.name = "hook";
  c.kind = NotifierKind::kWebhook;
  c.url = "http://127.0.0.1:1/x";
  c.initial_backoff_seconds = 0.01;
  c.max_backoff_seconds = 0.02;
  c.max_attempts = 3;
  return c;
}

HttpPost Msg(const std::string& body) { return {"http://127.0.0.1:1/x", {}, body, 1}; }

bool WaitFor(const std::function<bool()>& cond) {
  for (int i = 0; i < 500; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

TEST(NotifierTest, RetriesRetryableErrorsThenSends) {
  FakePoster poster;
  poster.Script({{503, "busy", {}}, {0, "refused", {}}, {200, "", {}}});
  metrics::Registry registry;
  Notifier n(Fast(), &poster, &registry);
  n.Start();
  n.Enqueue(Msg("a"));
  ASSERT_TRUE(WaitFor([&] { return n.stats().sent == 1; }));
  EXPECT_EQ(n.stats().retries, 2u);
  EXPECT_EQ(poster.posts().size(), 3u);
  n.Shutdown();
  std::string text = registry.Render();
  EXPECT_NE(text.find(R"(loupe_alert_notifications_total{kind="webhook",notifier="hook",result="sent"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(loupe_alert_notification_retries_total{kind="webhook",notifier="hook"} 2)"), std::string::npos);
}

TEST(NotifierTest, PermanentErrorsAreNotRetried) {
  FakePoster poster;
  poster.Script({{400, "bad payload", {}}});
  Notifier n(Fast(), &poster, nullptr);
  n.Start();
  n.Enqueue(Msg("a"));
  ASSERT_TRUE(WaitFor([&] { return n.stats().failed == 1; }));
  EXPECT_EQ(poster.posts().size(), 1u);
  EXPECT_NE(n.stats().last_error.find("bad payload"), std::string::npos);
}

TEST(NotifierTest, DownTargetRetriesThenGivesUp) {
  FakePoster poster;
  poster.default_status = 0;  // nothing listening
  Notifier n(Fast(), &poster, nullptr);
  n.Start();
  n.Enqueue(Msg("a"));
  n.Enqueue(Msg("b"));
  ASSERT_TRUE(WaitFor([&] { return n.stats().failed == 2; }));
  EXPECT_EQ(poster.posts().size(), 6u);  // 3 attempts each
  EXPECT_EQ(n.stats().retries, 4u);
}

TEST(NotifierTest, FullQueueDropsOldestAndCounts) {
  FakePoster poster;
  NotifierConfig c = Fast();
  c.queue_size = 2;
  metrics::Registry registry;
  Notifier n(c, &poster, &registry);  // not started: everything queues
  for (const char* body : {"1", "2", "3", "4"}) n.Enqueue(Msg(body));
  EXPECT_EQ(n.stats().dropped, 2u);
  EXPECT_EQ(n.stats().queued, 2u);
  n.Start();
  ASSERT_TRUE(WaitFor([&] { return n.stats().sent == 2; }));
  auto posts = poster.posts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].body, "3");  // the newest survive
  EXPECT_EQ(posts[1].body, "4");
  n.Shutdown();
  EXPECT_NE(registry.Render().find(R"(result="dropped"} 2)"), std::string::npos);
}

TEST(NotifierTest, RespectsMinSendInterval) {
  FakePoster poster;
  NotifierConfig c = Fast();
  c.min_send_interval_seconds = 0.2;
  Notifier n(c, &poster, nullptr);
  n.Start();
  auto start = std::chrono::steady_clock::now();
  for (const char* body : {"1", "2", "3"}) n.Enqueue(Msg(body));
  ASSERT_TRUE(WaitFor([&] { return n.stats().sent == 3; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(390));
}

TEST(NotifierTest, ShutdownCountsWhatIsLeft) {
  FakePoster poster;
  poster.default_status = 503;
  NotifierConfig c = Fast();
  c.initial_backoff_seconds = c.max_backoff_seconds = 5;
  Notifier n(c, &poster, nullptr);
  n.Start();
  n.Enqueue(Msg("1"));
  n.Enqueue(Msg("2"));
  ASSERT_TRUE(WaitFor([&] { return !poster.posts().empty(); }));
  auto start = std::chrono::steady_clock::now();
  n.Shutdown(0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));  // the backoff is cut short
  EXPECT_EQ(n.stats().failed + n.stats().dropped, 2u);
}

TEST(CurlPosterTest, PostsJsonToARealServer) {
  ingest::HttpServerConfig config;
  config.addr = "127.0.0.1:0";
  ingest::HttpServer server(config, "test", nullptr);
  std::string got_body, got_type, got_header;
  std::mutex mu;
  server.Handle("POST", "/hook", [&](ingest::HttpRequest req, ingest::HttpResponder out) {
    {
      std::lock_guard lock(mu);
      got_body = req.body;
      got_type = std::string(req.Header("content-type"));
      got_header = std::string(req.Header("x-token"));
    }
    out.Send(ingest::HttpResponse::Text(200, "ok"));
  });
  server.Handle("POST", "/busy", [](ingest::HttpRequest, ingest::HttpResponder out) {
    ingest::HttpResponse r = ingest::HttpResponse::Text(429, "slow down");
    r.headers.emplace_back("Retry-After", "7");
    out.Send(r);
  });
  ASSERT_TRUE(server.Start().ok());
  auto poster = MakeCurlPoster();
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  PostResult r = poster->Post({base + "/hook", {{"X-Token", "t1"}}, R"({"a":1})", 5});
  EXPECT_EQ(r.status, 200) << r.error;
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(got_body, R"({"a":1})");
    EXPECT_EQ(got_type, "application/json");
    EXPECT_EQ(got_header, "t1");
  }
  r = poster->Post({base + "/busy", {}, "{}", 5});
  EXPECT_EQ(r.status, 429);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_DOUBLE_EQ(*r.retry_after, 7);
  EXPECT_TRUE(IsRetryable(r.status));
  server.Shutdown();
  r = poster->Post({base + "/hook", {}, "{}", 2});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(IsRetryable(r.status));
}

}  // namespace
}  // namespace loupe::alerting
