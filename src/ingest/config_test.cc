#include "ingest/config.h"

#include <gtest/gtest.h>

namespace loupe::ingest {
namespace {

TEST(ConfigTest, ParsesHostPort) {
  auto a = ParseHostPort("127.0.0.1:4318", "k");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 4318);
  auto b = ParseHostPort("[::1]:0", "k");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 0);
}

TEST(ConfigTest, RejectsBadHostPortNamingTheKey) {
  for (const char* bad : {"4318", "host:", ":80", "h:99999", "h:12x", "::1:80"}) {
    auto r = ParseHostPort(bad, "receivers.otlp_http.addr");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("receivers.otlp_http.addr"), std::string::npos);
  }
}

TEST(ConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(ReceiverConfig{}.Validate().ok());
  EXPECT_TRUE(PipelineConfig{}.Validate().ok());
  EXPECT_EQ(ReceiverConfig{}.max_body_bytes, 20u << 20);
  EXPECT_EQ(ReceiverConfig{}.grpc_addr, "127.0.0.1:4317");
  EXPECT_EQ(ReceiverConfig{}.http_addr, "127.0.0.1:4318");
}

TEST(ConfigTest, ValidateNamesTheKeyPath) {
  ReceiverConfig r;
  r.max_body_bytes = 10;
  EXPECT_NE(r.Validate().message().find("receivers.otlp_http.max_body_bytes"), std::string::npos);
  r = ReceiverConfig{};
  r.http_addr = "nope";
  EXPECT_NE(r.Validate().message().find("receivers.otlp_http.addr"), std::string::npos);
  r = ReceiverConfig{};
  r.retry_after_seconds = 0;
  EXPECT_NE(r.Validate().message().find("receivers.retry_after_seconds"), std::string::npos);
  PipelineConfig p;
  p.max_queue_batches = 0;
  EXPECT_NE(p.Validate().message().find("pipeline.max_queue_batches"), std::string::npos);
}

}  // namespace
}  // namespace loupe::ingest
