// HttpServer with bearer-token auth: the API's route policy, refusals
// before the body is read, and the answers' shapes.
#include <gtest/gtest.h>

#include <atomic>

#include "auth/authenticator.h"
#include "auth/routes.h"
#include "ingest/http_server.h"
#include "ingest/test_http_client.h"
#include "metrics/registry.h"

namespace loupe::ingest {
namespace {

using testing::TestClient;

constexpr char kRead[] = "Bearer read-token-0123456789";
constexpr char kAdmin[] = "Bearer admin-token-0123456789";

auth::AuthConfig Tokens() {
  auth::AuthConfig c;
  c.AddApiToken("read-token-0123456789", auth::Role::kRead, "grafana");
  c.AddApiToken("admin-token-0123456789", auth::Role::kAdmin, "ops");
  return c;
}

class HttpServerAuthTest : public ::testing::Test {
 protected:
  void Start(auth::AuthConfig tokens, bool metrics_open = true) {
    auth_ = std::make_unique<auth::Authenticator>(std::move(tokens), &registry_);
    HttpServerConfig c;
    c.max_body_bytes = 1 << 20;
    c.shutdown_grace_seconds = 2;
    server_ = std::make_unique<HttpServer>(c, "api", &registry_);
    auto ok = [this](HttpRequest req, HttpResponder r) {
      ++handled_;
      r.Send(HttpResponse::Text(200, req.method + " " + req.path));
    };
    for (const char* path : {"/healthz", "/readyz", "/metrics", "/api/v1/traces"}) {
      server_->Handle("GET", path, ok);
    }
    server_->Handle("POST", "/api/v1/admin/backup", ok);
    server_->HandlePrefix("DELETE", "/api/v1/users/", ok);
    server_->Handle("POST", "/api/v1/upload", ok);
    server_->RequireAuth(auth_.get(), auth::ApiRoutes(metrics_open));
    ASSERT_TRUE(server_->Start().ok());
  }
  testing::ClientResponse Get(const std::string& path, const char* token = nullptr) {
    TestClient c(server_->port());
    std::map<std::string, std::string> h;
    if (token) h["Authorization"] = token;
    return c.Request("GET", path, "", h);
  }
  uint64_t Failures(const std::string& reason) {
    return registry_
        .GetCounter("loupe_auth_failures_total", "", {{"listener", "api"}, {"reason", reason}})
        .Value();
  }

  metrics::Registry registry_;
  std::unique_ptr<auth::Authenticator> auth_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<int> handled_{0};
};

TEST_F(HttpServerAuthTest, OpenWithoutTokens) {
  Start(auth::AuthConfig{});
  EXPECT_EQ(Get("/api/v1/traces").status, 200);
  TestClient c(server_->port());
  EXPECT_EQ(c.Request("POST", "/api/v1/admin/backup").status, 200);
}

TEST_F(HttpServerAuthTest, MissingAndUnknownTokensGet401WithJson) {
  Start(Tokens());
  auto r = Get("/api/v1/traces");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers["www-authenticate"], "Bearer realm=\"loupe\"");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.body.rfind("{\"error\":{\"status\":401,\"message\":\"missing bearer token", 0), 0u)
      << r.body;
  EXPECT_TRUE(r.keep_alive);  // a GET has no body to skip: the connection stays

  r = Get("/api/v1/traces", "Bearer some-other-token-000000");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("\"message\":\"unknown token"), std::string::npos) << r.body;
  EXPECT_NE(r.headers["www-authenticate"].find("error=\"invalid_token\""), std::string::npos);
  EXPECT_EQ(handled_, 0);
  EXPECT_EQ(Failures("missing"), 1u);
  EXPECT_EQ(Failures("invalid"), 1u);
}

TEST_F(HttpServerAuthTest, RolesPerRoute) {
  Start(Tokens());
  EXPECT_EQ(Get("/api/v1/traces", kRead).status, 200);
  EXPECT_EQ(Get("/api/v1/traces", kAdmin).status, 200);
  TestClient c(server_->port());
  auto r = c.Request("POST", "/api/v1/admin/backup", "", {{"Authorization", kRead}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.headers.count("www-authenticate"), 0u);
  EXPECT_NE(r.body.find("needs an admin token"), std::string::npos) << r.body;
  r = c.Request("DELETE", "/api/v1/users/alice", "", {{"Authorization", kRead}});
  EXPECT_EQ(r.status, 403);
  r = c.Request("POST", "/api/v1/admin/backup", "", {{"Authorization", kAdmin}});
  EXPECT_EQ(r.status, 200);
  r = c.Request("DELETE", "/api/v1/users/alice", "", {{"Authorization", kAdmin}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Failures("forbidden"), 2u);
}

TEST_F(HttpServerAuthTest, ProbesAndMetricsStayOpen) {
  Start(Tokens());
  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_EQ(Get("/readyz").status, 200);
  EXPECT_EQ(Get("/metrics").status, 200);
}

TEST_F(HttpServerAuthTest, MetricsCanRequireAToken) {
  Start(Tokens(), /*metrics_open=*/false);
  EXPECT_EQ(Get("/metrics").status, 401);
  EXPECT_EQ(Get("/metrics", kRead).status, 200);
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(HttpServerAuthTest, RefusesBeforeReadingTheBody) {
  Start(Tokens());
  TestClient c(server_->port());
  // Announce a large body and send none of it: the answer must not wait
  // for it, and the connection closes since the body was left unread.
  c.SendRaw("POST /api/v1/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n");
  auto r = c.Read();
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_EQ(handled_, 0);
  // With Expect: 100-continue the client is told no before sending.
  TestClient e(server_->port());
  e.SendRaw(
      "POST /api/v1/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
      "Expect: 100-continue\r\n\r\n");
  EXPECT_EQ(e.Read().status, 401);
}

TEST_F(HttpServerAuthTest, ErrorFormatterShapesRefusals) {
  auth_ = std::make_unique<auth::Authenticator>(Tokens(), &registry_);
  HttpServerConfig c;
  server_ = std::make_unique<HttpServer>(c, "api", &registry_);
  server_->Handle("GET", "/x", [](HttpRequest, HttpResponder r) { r.Send(HttpResponse{}); });
  server_->SetErrorFormatter([](const HttpRequest&, int status, std::string msg) {
    return HttpResponse::Text(status, "formatted: " + msg);
  });
  server_->RequireAuth(auth_.get(), auth::ApiRoutes(true));
  ASSERT_TRUE(server_->Start().ok());
  auto r = Get("/api/v1/anything");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body.rfind("formatted: missing bearer token", 0), 0u) << r.body;
  EXPECT_EQ(r.headers["www-authenticate"], "Bearer realm=\"loupe\"");
}

}  // namespace
}  // namespace loupe::ingest
