#include "demo/demo.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <mutex>
#include <set>
#include <sstream>

#include "demo/generator.h"
#include "demo/sender.h"
#include "ingest/http_server.h"
#include "otlp/decode.h"

namespace loupe::demo {
namespace {

constexpr uint64_t kSecond = 1'000'000'000ull;

// A fake OTLP/HTTP receiver: answers with the queued statuses first (then
// 200), decodes what it accepted.
class FakeReceiver {
 public:
  FakeReceiver() {
    ingest::HttpServerConfig config;
    config.addr = "127.0.0.1:0";
    server_ = std::make_unique<ingest::HttpServer>(config, "fake", nullptr);
    server_->Handle("POST", "/v1/traces", [this](ingest::HttpRequest req, ingest::HttpResponder responder) {
      std::lock_guard lock(mu_);
      ++attempts_;
      if (!statuses_.empty()) {
        ingest::HttpResponse r = ingest::HttpResponse::Text(statuses_.front(), "no");
        if (statuses_.front() == 429) r.headers.push_back({"Retry-After", "0"});
        statuses_.pop_front();
        responder.Send(std::move(r));
        return;
      }
      auto d = otlp::DecodeTraces(req.body, otlp::Encoding::kProtobuf);
      if (!d.ok() || d->rejected_spans != 0) {
        ++bad_;
        responder.Send(ingest::HttpResponse::Text(400, "bad"));
        return;
      }
      for (auto& r : d->batch.spans) spans_.push_back(std::move(r.span));
      responder.Send(ingest::HttpResponse::Text(200, ""));
    });
    EXPECT_TRUE(server_->Start().ok());
  }
  ~FakeReceiver() { server_->Shutdown(); }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  void Queue(std::initializer_list<int> statuses) {
    std::lock_guard lock(mu_);
    statuses_.insert(statuses_.end(), statuses);
  }
  std::vector<model::Span> spans() {
    std::lock_guard lock(mu_);
    return spans_;
  }
  int attempts() {
    std::lock_guard lock(mu_);
    return attempts_;
  }
  int bad() {
    std::lock_guard lock(mu_);
    return bad_;
  }

 private:
  std::unique_ptr<ingest::HttpServer> server_;
  std::mutex mu_;
  std::deque<int> statuses_;
  std::vector<model::Span> spans_;
  int attempts_ = 0, bad_ = 0;
};

std::vector<GeneratedTrace> SomeTraces(int n) {
  Generator gen(GeneratorOptions{});
  std::vector<GeneratedTrace> out;
  for (int i = 0; i < n; ++i) out.push_back(gen.Next(1'750'000'000 * kSecond + static_cast<uint64_t>(i) * kSecond));
  return out;
}

TEST(DemoTest, ParsesDurations) {
  EXPECT_DOUBLE_EQ(*ParseDurationFlag("60s"), 60);
  EXPECT_DOUBLE_EQ(*ParseDurationFlag("7d"), 7 * 86400);
  EXPECT_DOUBLE_EQ(*ParseDurationFlag("1h30m"), 5400);
  EXPECT_DOUBLE_EQ(*ParseDurationFlag("2w"), 14 * 86400);
  EXPECT_DOUBLE_EQ(*ParseDurationFlag("500ms"), 0.5);
  EXPECT_DOUBLE_EQ(*ParseDurationFlag("0"), 0);
  EXPECT_DOUBLE_EQ(*ParseDurationFlag("45"), 45);
  for (const char* bad : {"", "s", "7x", "1h30", "-5s", "abc", "1..2s"}) {
    auto r = ParseDurationFlag(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("want e.g."), std::string::npos);
  }
}

TEST(DemoTest, ValidateNamesTheFlag) {
  DemoOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.rate = 0;
  EXPECT_NE(o.Validate().message().find("--rate"), std::string::npos);
  o = DemoOptions{};
  o.otlp_endpoint = "127.0.0.1:4318";
  EXPECT_NE(o.Validate().message().find("--otlp-endpoint"), std::string::npos);
  o = DemoOptions{};
  o.judge_stand_in = "8090";
  EXPECT_NE(o.Validate().message().find("--judge-stand-in"), std::string::npos);
}

TEST(DemoTest, SenderRetriesThrottlingAndDeliversEverySpan) {
  FakeReceiver receiver;
  receiver.Queue({429, 503});
  auto sender = Sender::Create(receiver.endpoint(), nullptr);
  ASSERT_TRUE(sender.ok()) << sender.status().ToString();
  auto traces = SomeTraces(20);
  size_t spans = 0;
  for (const auto& t : traces) spans += t.spans.size();
  ASSERT_TRUE((*sender)->Send(traces).ok());
  EXPECT_EQ(receiver.attempts(), 3);
  EXPECT_EQ((*sender)->stats().retries, 2);
  EXPECT_EQ((*sender)->stats().requests, 1);
  EXPECT_EQ((*sender)->stats().spans, static_cast<int64_t>(spans));
  EXPECT_EQ(receiver.spans().size(), spans);
}

TEST(DemoTest, SenderGivesUpOnRefusalAndOnNobodyListening) {
  FakeReceiver receiver;
  receiver.Queue({400});
  auto sender = Sender::Create(receiver.endpoint(), nullptr);
  ASSERT_TRUE(sender.ok());
  Status s = (*sender)->Send(SomeTraces(2));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("HTTP 400"), std::string::npos);

  // A port bound but not listening (so nobody else can take it) refuses
  // connections: the sender fails after a few quick attempts.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::string dead = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  auto start = std::chrono::steady_clock::now();
  auto unreachable = Sender::Create(dead, nullptr);
  ASSERT_TRUE(unreachable.ok());
  s = (*unreachable)->Send(SomeTraces(1));
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_NE(s.message().find("is Loupe running?"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ::close(fd);
}

TEST(DemoTest, RunsBackfillThenLiveWithTheStandInJudge) {
  FakeReceiver receiver;
  DemoOptions o;
  o.otlp_endpoint = receiver.endpoint();
  o.backfill_seconds = 6 * 3600;
  o.backfill_traces = 150;
  o.duration_seconds = 1.5;
  o.rate = 20;
  o.judge_stand_in = "127.0.0.1:0";
  o.judge_linger_seconds = 0;
  std::ostringstream out;
  Demo demo(o, &out);
  const uint64_t before = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  ASSERT_TRUE(demo.Run().ok()) << out.str();
  EXPECT_EQ(receiver.bad(), 0);

  std::set<model::TraceId> traces, history, live;
  for (const auto& s : receiver.spans()) {
    traces.insert(s.trace_id);
    if (!s.is_root()) continue;
    if (s.end_time_unix_nano < before) {
      EXPECT_GE(s.start_time_unix_nano, before - 6 * 3600 * kSecond - kSecond);
      history.insert(s.trace_id);
    } else {
      live.insert(s.trace_id);
    }
  }
  EXPECT_EQ(history.size(), 150u);
  EXPECT_GE(live.size(), 5u);  // ~30 expected at 20/s for 1.5 s
  EXPECT_EQ(static_cast<int64_t>(traces.size()), demo.stats().traces);
  EXPECT_NE(out.str().find("backfill: 150/150"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("stand-in judge listening"), std::string::npos);
  EXPECT_NE(out.str().find("done: "), std::string::npos);
}

TEST(DemoTest, StopEndsAnEndlessRun) {
  FakeReceiver receiver;
  DemoOptions o;
  o.otlp_endpoint = receiver.endpoint();
  o.duration_seconds = 0;
  o.rate = 50;
  Demo demo(o, nullptr);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    demo.Stop();
  });
  EXPECT_TRUE(demo.Run().ok());
  stopper.join();
  EXPECT_GT(demo.stats().traces, 0);
}

}  // namespace
}  // namespace loupe::demo
