#include "auth/bind_check.h"

#include <gtest/gtest.h>

namespace loupe::auth {
namespace {

TEST(BindCheckTest, Loopback) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("::ffff:127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("::"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.5"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("loupe.example.com"));
}

TEST(BindCheckTest, WarnsOnlyForExposedListeners) {
  std::vector<ListenerInfo> l = {
      {"receivers.otlp_grpc", "127.0.0.1:4317", false, false},  // loopback: fine
      {"receivers.otlp_http", "0.0.0.0:4318", false, false},    // open to all
      {"server.api", "[::]:8080", true, false},                 // tokens in clear
      {"server.metrics", "10.1.2.3:8889", true, true},          // fine
      {"server.bad", "nonsense", false, false},                 // skipped
  };
  std::vector<std::string> w = BindWarnings(l);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_NE(w[0].find("receivers.otlp_http listens on 0.0.0.0:4318"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("requires no token"), std::string::npos);
  EXPECT_NE(w[1].find("server.api"), std::string::npos) << w[1];
  EXPECT_NE(w[1].find("plain text"), std::string::npos);
  EXPECT_TRUE(BindWarnings({{"api", "localhost:8080", false, false}}).empty());
}

}  // namespace
}  // namespace loupe::auth
