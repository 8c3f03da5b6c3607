// Forwarder against a fake OTLP/HTTP endpoint (ingest::HttpServer) that
// answers from a script, and against Loupe's own OTLP/gRPC receiver.
#include "fanout/forwarder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "fanout/encode.h"
#include "fanout/test_util.h"
#include "ingest/http_server.h"
#include "otlp/decode.h"

namespace loupe::fanout {
namespace {

using testing::MakeResource;
using testing::MakeScope;
using testing::MakeSpan;

// Answers POST /v1/traces with the next scripted status (200 once the
// script is empty) and records every request and the span names accepted.
class FakeEndpoint {
 public:
  FakeEndpoint() : server_(Config(), "fake", nullptr) {
    server_.Handle("POST", "/v1/traces", [this](ingest::HttpRequest req, ingest::HttpResponder responder) {
      std::lock_guard<std::mutex> lock(mu_);
      ++requests_;
      ingest::HttpResponse resp;
      resp.status = 200;
      if (!script_.empty()) {
        resp.status = script_.front().first;
        if (!script_.front().second.empty()) resp.headers.push_back({"Retry-After", script_.front().second});
        script_.pop_front();
      }
      if (resp.status == 200) {
        std::string body = req.body;
        if (req.Header("content-encoding") == "gzip") body = *otlp::Gunzip(body, 64 << 20);
        bool json = req.Header("content-type") == "application/json";
        content_types_.insert(std::string(req.Header("content-type")));
        auto decoded = otlp::DecodeTraces(body, json ? otlp::Encoding::kJson : otlp::Encoding::kProtobuf);
        if (!decoded.ok()) {
          resp.status = 400;
        } else {
          for (const auto& r : decoded->batch.spans) names_.push_back(r.span.name);
          if (!req.Header("x-tenant").empty()) tenant_ = std::string(req.Header("x-tenant"));
        }
      }
      responder.Send(std::move(resp));
    });
    EXPECT_TRUE(server_.Start().ok());
  }
  ~FakeEndpoint() { server_.Shutdown(); }

  static ingest::HttpServerConfig Config() {
    ingest::HttpServerConfig c;
    c.addr = "127.0.0.1:0";
    c.threads = 1;
    return c;
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  void Script(int status, std::string retry_after = "", int times = 1) {
    std::lock_guard<std::mutex> lock(mu_);
    for (int i = 0; i < times; ++i) script_.push_back({status, retry_after});
  }
  int requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::vector<std::string> names() {
    std::lock_guard<std::mutex> lock(mu_);
    return names_;
  }
  std::set<std::string> content_types() {
    std::lock_guard<std::mutex> lock(mu_);
    return content_types_;
  }
  std::string tenant() {
    std::lock_guard<std::mutex> lock(mu_);
    return tenant_;
  }

 private:
  ingest::HttpServer server_;
  std::mutex mu_;
  std::deque<std::pair<int, std::string>> script_;
  int requests_ = 0;
  std::vector<std::string> names_;
  std::set<std::string> content_types_;
  std::string tenant_;
};

template <typename F>
bool WaitFor(F f, double seconds = 10) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return f();
}

class ForwarderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("fanout-fwd-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  EndpointConfig Endpoint(const std::string& url) {
    EndpointConfig c;
    c.name = "down";
    c.endpoint = url;
    c.initial_backoff_seconds = 0.05;
    c.max_backoff_seconds = 0.2;
    c.timeout_seconds = 2;
    c.fsync = false;
    return c;
  }

  std::unique_ptr<Forwarder> Make(EndpointConfig c) {
    auto f = Forwarder::Create(std::move(c), dir_.string(), registry_);
    EXPECT_TRUE(f.ok()) << f.status().message();
    return f.ok() ? std::move(f).value() : nullptr;
  }

  // A batch of `n` spans named span-<first>.. span-<first+n-1>.
  model::Batch Spans(int first, int n) {
    model::Batch b;
    for (int i = 0; i < n; ++i) b.spans.push_back(MakeSpan(static_cast<uint8_t>(first + i), resource_, scope_));
    return b;
  }

  Status Feed(Forwarder& f, model::Batch batch) {
    model::Batch* ptr = &batch;
    return f.Consume(std::span<model::Batch* const>(&ptr, 1));
  }

  double Metric(std::string_view series) {
    std::string text = registry_.Render();
    size_t pos = text.find(std::string(series) + " ");
    if (pos == std::string::npos) return -1;
    return std::stod(text.substr(pos + series.size() + 1));
  }

  std::filesystem::path dir_;
  metrics::Registry registry_;
  std::shared_ptr<const model::Resource> resource_ = MakeResource("svc");
  std::shared_ptr<const model::Scope> scope_ = MakeScope("scope");
};

TEST_F(ForwarderTest, DeliversEverySpanOnceAndCountsIt) {
  FakeEndpoint endpoint;
  auto f = Make(Endpoint(endpoint.url()));
  f->Start();
  ASSERT_TRUE(Feed(*f, Spans(0, 3)).ok());
  ASSERT_TRUE(Feed(*f, Spans(3, 2)).ok());
  ASSERT_TRUE(WaitFor([&] { return endpoint.names().size() == 5; })) << endpoint.names().size();
  std::vector<std::string> names = endpoint.names();
  std::multiset<std::string> got(names.begin(), names.end());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(got.count("span-" + std::to_string(i)), 1u);
  ASSERT_TRUE(WaitFor([&] { return f->queue_stats().entries == 0; }));
  EXPECT_TRUE(WaitFor([&] { return Metric("loupe_fanout_sent_spans_total{endpoint=\"down\"}") == 5; }));
  EXPECT_EQ(endpoint.content_types(), std::set<std::string>{"application/x-protobuf"});
}

TEST_F(ForwarderTest, RetryableAnswersAreRetriedHonouringRetryAfter) {
  FakeEndpoint endpoint;
  endpoint.Script(503, "1");
  endpoint.Script(429);
  endpoint.Script(502);
  auto f = Make(Endpoint(endpoint.url()));
  f->Start();
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Feed(*f, Spans(0, 2)).ok());
  ASSERT_TRUE(WaitFor([&] { return endpoint.names().size() == 2; }));
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(elapsed, 1.0);  // waited for Retry-After: 1
  EXPECT_EQ(endpoint.requests(), 4);
  EXPECT_EQ(Metric("loupe_fanout_failed_requests_total{endpoint=\"down\",reason=\"retryable\"}"), 3);
  EXPECT_TRUE(WaitFor([&] { return Metric("loupe_fanout_sent_spans_total{endpoint=\"down\"}") == 2; }));
}

TEST_F(ForwarderTest, PermanentRefusalDropsWithoutRetryStorm) {
  FakeEndpoint endpoint;
  endpoint.Script(400, "", 2);
  auto f = Make(Endpoint(endpoint.url()));
  // Two entries queued before the sender starts go out as one request.
  ASSERT_TRUE(Feed(*f, Spans(0, 4)).ok());
  ASSERT_TRUE(Feed(*f, Spans(4, 4)).ok());
  f->Start();
  ASSERT_TRUE(WaitFor([&] { return f->queue_stats().entries == 0; }));
  ASSERT_TRUE(Feed(*f, Spans(8, 1)).ok());
  ASSERT_TRUE(WaitFor([&] { return f->queue_stats().entries == 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a storm would show here
  EXPECT_EQ(endpoint.requests(), 2);
  EXPECT_EQ(Metric("loupe_fanout_dropped_spans_total{endpoint=\"down\",reason=\"rejected\"}"), 9);
  EXPECT_EQ(Metric("loupe_fanout_failed_requests_total{endpoint=\"down\",reason=\"permanent\"}"), 2);
  EXPECT_EQ(Metric("loupe_fanout_sent_spans_total{endpoint=\"down\"}"), 0);
  // The endpoint recovers: later spans flow.
  ASSERT_TRUE(Feed(*f, Spans(9, 1)).ok());
  ASSERT_TRUE(WaitFor([&] { return endpoint.names().size() == 1; }));
}

TEST_F(ForwarderTest, OutageSpillsToDiskAndARestartResumes) {
  std::string url;
  {
    FakeEndpoint gone;
    url = gone.url();
  }  // nothing listens on that port any more
  {
    auto f = Make(Endpoint(url));
    f->Start();
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(Feed(*f, Spans(i * 10, 10)).ok());
    ASSERT_TRUE(WaitFor([&] { return Metric("loupe_fanout_failed_requests_total{endpoint=\"down\",reason=\"retryable\"}") >= 2; }));
    EXPECT_EQ(f->queue_stats().spans, 50);
    EXPECT_EQ(Metric("loupe_fanout_queued_spans{endpoint=\"down\"}"), 50);
    f->Shutdown();
  }
  FakeEndpoint endpoint;
  auto f = Make(Endpoint(endpoint.url()));
  EXPECT_EQ(f->queue_stats().spans, 50);
  f->Start();
  ASSERT_TRUE(WaitFor([&] { return endpoint.names().size() == 50; })) << endpoint.names().size();
  std::vector<std::string> names = endpoint.names();
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), 50u);
  ASSERT_TRUE(WaitFor([&] { return f->queue_stats().entries == 0; }));
}

TEST_F(ForwarderTest, QueueBoundDropsOldestAndCountsQueueFull) {
  std::string url;
  {
    FakeEndpoint gone;
    url = gone.url();
  }
  EndpointConfig c = Endpoint(url);
  c.max_batch_bytes = 1024;
  // Room for three and a half 10-span entries.
  model::Batch sample = Spans(0, 10);
  std::vector<const model::Span*> ptrs;
  for (const auto& r : sample.spans) ptrs.push_back(&r.span);
  int64_t entry = static_cast<int64_t>(EncodeTracesProtobuf(ptrs).size());
  c.max_queue_bytes = 3 * entry + entry / 2;
  ASSERT_GE(c.max_queue_bytes, 1024);
  auto f = Make(c);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Feed(*f, Spans(i * 10, 10)).ok());
  double dropped = Metric("loupe_fanout_dropped_spans_total{endpoint=\"down\",reason=\"queue_full\"}");
  EXPECT_GT(dropped, 0);
  EXPECT_EQ(dropped + static_cast<double>(f->queue_stats().spans), 100);
  EXPECT_LE(f->queue_stats().bytes, c.max_queue_bytes);

  // What is left is the newest.
  FakeEndpoint endpoint;
  c.endpoint = endpoint.url();
  f.reset();
  f = Make(c);
  f->Start();
  ASSERT_TRUE(WaitFor([&] { return f->queue_stats().entries == 0; }));
  std::vector<std::string> names = endpoint.names();
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.back(), "span-99");
  EXPECT_EQ(std::count(names.begin(), names.end(), "span-0"), 0);
}
TEST_F(ForwarderTest, FiltersChooseSpans) {
  model::Batch batch = Spans(0, 4);
  batch.spans[1].llm.emplace();
  batch.spans[2].span.attributes.Add("ai.team", "search");
  EndpointFilter all;
  EndpointFilter llm{EndpointFilter::Kind::kLlmOnly, "", ""};
  EndpointFilter team{EndpointFilter::Kind::kAttribute, "ai.team", "search"};
  EndpointFilter service{EndpointFilter::Kind::kAttribute, "service.name", "svc"};  // resource attribute
  EndpointFilter number{EndpointFilter::Kind::kAttribute, "n", "3"};                // compared as text
  std::vector<std::vector<bool>> want = {{true, true, true, true},
                                         {false, true, false, false},
                                         {false, false, true, false},
                                         {true, true, true, true},
                                         {false, false, false, true}};
  std::vector<EndpointFilter> filters = {all, llm, team, service, number};
  for (size_t f = 0; f < filters.size(); ++f) {
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(Matches(filters[f], batch.spans[i]), want[f][i]) << f << " " << i;
  }

  FakeEndpoint endpoint;
  EndpointConfig c = Endpoint(endpoint.url());
  c.filter = llm;
  auto fwd = Make(c);
  fwd->Start();
  ASSERT_TRUE(Feed(*fwd, Spans(10, 3)).ok());  // nothing matches: nothing queued
  EXPECT_EQ(fwd->queue_stats().entries, 0);
  ASSERT_TRUE(Feed(*fwd, std::move(batch)).ok());
  ASSERT_TRUE(WaitFor([&] { return endpoint.names().size() == 1; }));
  EXPECT_EQ(endpoint.names()[0], "span-1");
}

TEST_F(ForwarderTest, JsonGzipAndHeaders) {
  FakeEndpoint endpoint;
  EndpointConfig c = Endpoint(endpoint.url() + "/");
  c.protocol = Protocol::kHttpJson;
  c.gzip = true;
  c.headers.push_back({"X-Tenant", "acme"});
  auto f = Make(c);
  f->Start();
  ASSERT_TRUE(Feed(*f, Spans(0, 3)).ok());
  ASSERT_TRUE(WaitFor([&] { return endpoint.names().size() == 3; }));
  EXPECT_EQ(endpoint.content_types(), std::set<std::string>{"application/json"});
  EXPECT_EQ(endpoint.tenant(), "acme");
}

TEST_F(ForwarderTest, OldestQueuedAgeFollowsTheClock) {
  ManualClock clock(1'000'000'000'000);
  std::string url;
  {
    FakeEndpoint gone;
    url = gone.url();
  }
  auto f = Forwarder::Create(Endpoint(url), dir_.string(), registry_, clock);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(Metric("loupe_fanout_oldest_queued_age_seconds{endpoint=\"down\"}"), 0);
  ASSERT_TRUE(Feed(**f, Spans(0, 1)).ok());
  clock.Advance(7'000'000'000);
  ASSERT_TRUE(Feed(**f, Spans(1, 1)).ok());
  EXPECT_EQ(Metric("loupe_fanout_oldest_queued_age_seconds{endpoint=\"down\"}"), 7);
  EXPECT_EQ(Metric("loupe_fanout_queued_spans{endpoint=\"down\"}"), 2);
}

TEST(HttpTracesUrlTest, AppendsTheSignalPathOnlyWithoutAPath) {
  EXPECT_EQ(HttpTracesUrl("http://h:4318"), "http://h:4318/v1/traces");
  EXPECT_EQ(HttpTracesUrl("http://h:4318/"), "http://h:4318/v1/traces");
  EXPECT_EQ(HttpTracesUrl("https://h/otlp/v1/traces"), "https://h/otlp/v1/traces");
}

}  // namespace
}  // namespace loupe::fanout
