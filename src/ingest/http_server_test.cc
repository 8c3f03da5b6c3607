#include "ingest/http_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "ingest/test_http_client.h"
#include "metrics/registry.h"

namespace loupe::ingest {
namespace {

using testing::TestClient;

HttpServerConfig TestConfig() {
  HttpServerConfig c;
  c.addr = "127.0.0.1:0";
  c.max_body_bytes = 1024;
  c.shutdown_grace_seconds = 2;
  return c;
}

void Echo(HttpRequest req, HttpResponder res) {
  HttpResponse r;
  r.body = req.method + " " + req.path + " q=" + req.query + " body=" + req.body;
  res.Send(std::move(r));
}

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpServerConfig config = TestConfig()) {
    server_ = std::make_unique<HttpServer>(config, "test", &registry_);
    server_->Handle("GET", "/a", Echo);
    server_->Handle("POST", "/a", Echo);
    server_->Handle("PUT", "/only-put", Echo);
    server_->HandlePrefix("GET", "/api/", Echo);
    server_->HandlePrefix("GET", "/api/v2/", [](HttpRequest, HttpResponder r) {
      r.Send(HttpResponse::Text(200, "v2"));
    });
    server_->Handle("POST", "/later", [this](HttpRequest req, HttpResponder r) {
      // Answer from another thread, after the handler returned.
      threads_.emplace_back([req = std::move(req), r] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        r.Send(HttpResponse::Text(202, "later:" + req.body));
      });
    });
    server_->Handle("GET", "/drop", [](HttpRequest, HttpResponder) {});
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override {
    for (auto& t : threads_) t.join();
    if (server_) server_->Shutdown();
  }

  metrics::Registry registry_;
  std::unique_ptr<HttpServer> server_;
  std::vector<std::thread> threads_;
};

TEST_F(HttpServerTest, RoutesByPathAndMethod) {
  StartServer();
  TestClient c(server_->port());
  auto r = c.Request("GET", "/a?x=1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "GET /a q=x=1 body=");
  r = c.Request("POST", "/a", "hello");
  EXPECT_EQ(r.body, "POST /a q= body=hello");
  r = c.Request("DELETE", "/a");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET, POST");
  r = c.Request("GET", "/missing");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("/missing"), std::string::npos);
  r = c.Request("GET", "/api/traces/abc");
  EXPECT_EQ(r.body, "GET /api/traces/abc q= body=");
  r = c.Request("GET", "/api/v2/x");  // longest prefix wins
  EXPECT_EQ(r.body, "v2");
  EXPECT_TRUE(r.keep_alive);  // all of the above on one connection
}

TEST_F(HttpServerTest, AnswersAsynchronouslyFromAnotherThread) {
  StartServer();
  TestClient c(server_->port());
  auto r = c.Request("POST", "/later", "x");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, "later:x");
  // The connection stays usable afterwards.
  EXPECT_EQ(c.Request("GET", "/a").status, 200);
}

TEST_F(HttpServerTest, DechunksChunkedBodies) {
  StartServer();
  TestClient c(server_->port());
  c.SendRaw(
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  auto r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "POST /a q= body=hello world");
}

TEST_F(HttpServerTest, KeepsAliveUnlessAskedToClose) {
  StartServer();
  TestClient c(server_->port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.Request("GET", "/a").status, 200);
  auto r = c.Request("GET", "/a", "", {{"Connection", "close"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(c.ServerClosed());
}

TEST_F(HttpServerTest, RefusesOversizeBodiesWith413) {
  StartServer();
  {
    TestClient c(server_->port());  // Content-Length over the limit
    auto r = c.Request("POST", "/a", std::string(2000, 'x'));
    EXPECT_EQ(r.status, 413);
    EXPECT_NE(r.body.find("1024"), std::string::npos);
    EXPECT_TRUE(c.ServerClosed());
  }
  {
    TestClient c(server_->port());  // chunked, over the limit
    std::string chunk(800, 'y');
    c.SendRaw("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" +
              chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
    EXPECT_EQ(c.Read().status, 413);
  }
  TestClient c(server_->port());
  EXPECT_EQ(c.Request("POST", "/a", "small").status, 200);
}

TEST_F(HttpServerTest, SendsContinueForExpect100) {
  StartServer();
  TestClient c(server_->port());
  c.SendRaw("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(c.Read().status, 100);
  c.SendRaw("abc");
  auto r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "POST /a q= body=abc");
}

TEST_F(HttpServerTest, DroppedResponderAnswers500) {
  StartServer();
  TestClient c(server_->port());
  EXPECT_EQ(c.Request("GET", "/drop").status, 500);
}

TEST_F(HttpServerTest, MalformedRequestGets400AndServerKeepsServing) {
  StartServer();
  {
    TestClient c(server_->port());
    c.SendRaw("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n");
    EXPECT_EQ(c.Read().status, 400);
  }
  {
    TestClient c(server_->port());
    c.SendRaw("\x01\x02garbage\r\n\r\n");
    EXPECT_EQ(c.Read().status, 400);
  }
  TestClient c(server_->port());
  EXPECT_EQ(c.Request("GET", "/a").status, 200);
}

TEST_F(HttpServerTest, ErrorFormatterShapesServerAnswers) {
  server_ = std::make_unique<HttpServer>(TestConfig(), "test", &registry_);
  server_->SetErrorFormatter([](const HttpRequest& req, int status, std::string msg) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/json";
    r.body = "{\"ct\":\"" + std::string(req.Header("content-type")) + "\",\"m\":\"" + msg + "\"}";
    return r;
  });
  ASSERT_TRUE(server_->Start().ok());
  TestClient c(server_->port());
  auto r = c.Request("POST", "/nope", "x", {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.body, "{\"ct\":\"application/json\",\"m\":\"no route for /nope\"}");
}

TEST_F(HttpServerTest, BoundsOpenConnections) {
  HttpServerConfig config = TestConfig();
  config.max_connections = 1;
  StartServer(config);
  TestClient first(server_->port());
  EXPECT_EQ(first.Request("GET", "/a").status, 200);
  TestClient second(server_->port());
  EXPECT_TRUE(second.ServerClosed());
  EXPECT_EQ(first.Request("GET", "/a").status, 200);
  EXPECT_NE(registry_.Render().find("loupe_http_rejected_connections_total{server=\"test\"} 1"),
            std::string::npos);
}

TEST_F(HttpServerTest, CountsResponsesByCode) {
  StartServer();
  TestClient c(server_->port());
  c.Request("GET", "/a");
  c.Request("GET", "/missing");
  std::string out = registry_.Render();
  EXPECT_NE(out.find("loupe_http_responses_total{code=\"200\",server=\"test\"} 1"),
            std::string::npos) << out;
  EXPECT_NE(out.find("loupe_http_responses_total{code=\"404\",server=\"test\"} 1"),
            std::string::npos);
}

TEST_F(HttpServerTest, IdleConnectionsTimeOut) {
  HttpServerConfig config = TestConfig();
  config.idle_timeout_seconds = 1;
  StartServer(config);
  TestClient c(server_->port());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ServerClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(HttpServerTest, ShutdownWaitsForInFlightAnswers) {
  StartServer();
  TestClient c(server_->port());
  c.SendRaw("POST /later HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz");
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server_->Shutdown();
  auto r = c.Read();
  EXPECT_EQ(r.status, 202);
  EXPECT_FALSE(r.keep_alive);
}

TEST(HttpServerLifecycleTest, ShutdownWithoutStartAndBadAddress) {
  HttpServer never(TestConfig(), "x", nullptr);
  never.Shutdown();
  HttpServerConfig bad = TestConfig();
  bad.addr = "256.1.1.1:0";
  HttpServer s(bad, "x", nullptr);
  EXPECT_FALSE(s.Start().ok());
}

TEST(HttpServerLifecycleTest, PortInUseIsAnError) {
  HttpServer a(TestConfig(), "a", nullptr);
  ASSERT_TRUE(a.Start().ok());
  HttpServerConfig same = TestConfig();
  same.addr = "127.0.0.1:" + std::to_string(a.port());
  HttpServer b(same, "b", nullptr);
  Status s = b.Start();
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
}

}  // namespace
}  // namespace loupe::ingest
