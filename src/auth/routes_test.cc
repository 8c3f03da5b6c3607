#include "auth/routes.h"

#include <gtest/gtest.h>

namespace loupe::auth {
namespace {

std::string Need(const RoutePolicy& p, std::string_view method, std::string_view path) {
  std::optional<Scope> s = p(method, path);
  if (!s) return "open";
  switch (*s) {
    case Scope::kIngest:
      return "ingest";
    case Scope::kRead:
      return "read";
    case Scope::kAdmin:
      return "admin";
  }
  return "?";
}

TEST(RoutesTest, ApiRoutes) {
  RoutePolicy p = ApiRoutes(/*metrics_open=*/true);
  EXPECT_EQ(Need(p, "GET", "/healthz"), "open");
  EXPECT_EQ(Need(p, "GET", "/readyz"), "open");
  EXPECT_EQ(Need(p, "GET", "/metrics"), "open");
  EXPECT_EQ(Need(p, "GET", "/"), "open");  // UI files
  EXPECT_EQ(Need(p, "GET", "/ui/app.js"), "open");
  EXPECT_EQ(Need(p, "OPTIONS", "/api/v1/traces"), "open");
  EXPECT_EQ(Need(p, "GET", "/api/v1/traces"), "read");
  EXPECT_EQ(Need(p, "HEAD", "/api/v1/stats"), "read");
  EXPECT_EQ(Need(p, "GET", "/api/v1/openapi.json"), "read");
  EXPECT_EQ(Need(p, "POST", "/api/v1/admin/backup"), "admin");
  EXPECT_EQ(Need(p, "DELETE", "/api/v1/users/alice"), "admin");
  EXPECT_EQ(Need(p, "POST", "/api/v1/rules/reload"), "admin");
  EXPECT_EQ(Need(p, "POST", "/-/reload"), "admin");
  EXPECT_EQ(Need(p, "POST", "/api/v1/scores"), "admin");
  EXPECT_EQ(Need(ApiRoutes(false), "GET", "/metrics"), "read");
}

TEST(RoutesTest, IngestRoutesNeedIngestTokens) {
  RoutePolicy p = IngestRoutes();
  EXPECT_EQ(Need(p, "POST", "/v1/traces"), "ingest");
  EXPECT_EQ(Need(p, "POST", "/v1/logs"), "ingest");
  EXPECT_EQ(Need(p, "GET", "/anything"), "ingest");
}

}  // namespace
}  // namespace loupe::auth
