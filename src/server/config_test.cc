#include "server/config.h"

#include <gtest/gtest.h>

namespace loupe::server {
namespace {

bool HasErrorContaining(const std::vector<std::string>& errors, std::string_view needle) {
  for (const auto& e : errors) {
    if (e.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(ConfigTest, DefaultsAreValid) {
  Config c;
  EXPECT_TRUE(c.Validate().empty());
  EXPECT_EQ(c.server.api_addr, "127.0.0.1:8080");
  EXPECT_EQ(c.server.metrics_addr, "127.0.0.1:8889");
  EXPECT_EQ(c.receivers.grpc_addr, "127.0.0.1:4317");
  EXPECT_EQ(c.receivers.http_addr, "127.0.0.1:4318");
  EXPECT_EQ(c.receivers.max_body_bytes, 20u << 20);
}

TEST(ConfigTest, ReadsEveryStage) {
  auto r = LoadConfigText(R"(
server:
  api_addr: 0.0.0.0:9000
  log_level: debug
receivers:
  otlp_grpc: {addr: "127.0.0.1:14317"}
  otlp_http: {addr: "127.0.0.1:14318", max_body_bytes: 4MiB}
pipeline:
  max_queue_batches: 10
attribution:
  team_keys: [traceloop.association.properties.team]
normalization:
  input_includes_cache_by_service: {legacy-svc: false}
pricing:
  cache_write_default: 1h
  azure_deployments: {prod-gpt4o: gpt-4o}
)",
                          "loupe.yaml");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(r.config.server.api_addr, "0.0.0.0:9000");
  EXPECT_EQ(r.config.receivers.grpc_addr, "127.0.0.1:14317");
  EXPECT_EQ(r.config.receivers.max_body_bytes, 4u << 20);
  EXPECT_EQ(r.config.pipeline.max_queue_batches, 10u);
  // Extra keys come after the built-in ones.
  const auto& team_keys = r.config.normalization.attribution.team_keys;
  ASSERT_EQ(team_keys.size(), 2u);
  EXPECT_EQ(team_keys[0], "ai.team");
  EXPECT_EQ(team_keys[1], "traceloop.association.properties.team");
  EXPECT_FALSE(r.config.normalization.input_includes_cache_by_service.at("legacy-svc"));
  EXPECT_EQ(r.config.pricing.cache_write_default, "1h");
  EXPECT_EQ(r.config.pricing.azure_deployments.at("prod-gpt4o"), "gpt-4o");
}

TEST(ConfigTest, ReportsEveryErrorWithItsKeyPath) {
  auto r = LoadConfigText(R"(
server:
  api_addr: nowhere
  log_level: chatty
receivers:
  otlp_http: {max_body_bytes: huge}
pricing:
  cache_write_default: 2h
  colour: blue
)",
                          "loupe.yaml");
  EXPECT_TRUE(HasErrorContaining(r.errors, "receivers.otlp_http.max_body_bytes")) << r.errors.size();
  EXPECT_TRUE(HasErrorContaining(r.errors, "pricing.colour: unknown key"));
  EXPECT_TRUE(HasErrorContaining(r.errors, "server.api_addr"));
  EXPECT_TRUE(HasErrorContaining(r.errors, "pricing.cache_write_default"));
}

TEST(ConfigTest, ExternalUrlDefaultsToTheApiAddress) {
  Config c;
  EXPECT_EQ(c.server.ExternalUrl(), "http://127.0.0.1:8080");
  auto r = LoadConfigText("server: {external_url: \"https://loupe.example.com/\"}\n", "t.yaml");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(r.config.server.ExternalUrl(), "https://loupe.example.com");
  auto bad = LoadConfigText("server: {external_url: \"loupe.example.com\"}\n", "t.yaml");
  EXPECT_TRUE(HasErrorContaining(bad.errors, "server.external_url: must start with http://"));
}

TEST(ConfigTest, MissingFileIsAnError) {
  auto r = LoadConfigFile("/nonexistent/loupe.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("/nonexistent/loupe.yaml"), std::string::npos);
}

}  // namespace
}  // namespace loupe::server
