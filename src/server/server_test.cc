// Boots the whole server in-process on ephemeral ports and checks its
// answers and its own metrics, as a user's client would see them.
#include "server/server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "ingest/test_http_client.h"

namespace loupe::server {
namespace {

using ingest::testing::TestClient;

Config EphemeralConfig() {
  Config c;
  c.server.api_addr = "127.0.0.1:0";
  c.server.metrics_addr = "127.0.0.1:0";
  c.receivers.grpc_addr = "127.0.0.1:0";
  c.receivers.http_addr = "127.0.0.1:0";
  return c;
}

// One blueprint-style LLM span in OTLP/JSON: claude-haiku-4-5 with 1000
// input and 200 output tokens.
constexpr char kBlueprintSpan[] = R"({"resourceSpans":[{
  "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"chat-api"}}]},
  "scopeSpans":[{"scope":{"name":"ai.llm","version":"1.0.0"},"spans":[{
    "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
    "name":"llm.call","kind":1,
    "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601500000000",
    "attributes":[
      {"key":"gen_ai.system","value":{"stringValue":"anthropic"}},
      {"key":"gen_ai.request.model","value":{"stringValue":"claude-haiku-4-5-20251001"}},
      {"key":"ai.feature","value":{"stringValue":"summarize"}},
      {"key":"ai.team","value":{"stringValue":"search"}},
      {"key":"ai.prompt_version","value":{"stringValue":"v7"}},
      {"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},
      {"key":"gen_ai.usage.output_tokens","value":{"intValue":200}}],
    "status":{"code":1}}]}]}]})";

TEST(ServerTest, AcceptsPricesAndServesAnLlmCall) {
  Server server(EphemeralConfig());
  ASSERT_TRUE(server.Start().ok());
  ASSERT_NE(server.otlp_http_port(), 0);
  ASSERT_NE(server.otlp_grpc_port(), 0);

  TestClient api(server.api_port());
  EXPECT_EQ(api.Request("GET", "/readyz").status, 200);
  EXPECT_EQ(api.Request("GET", "/healthz").status, 200);

  TestClient otlp(server.otlp_http_port());
  auto res = otlp.Request("POST", "/v1/traces", kBlueprintSpan, {{"Content-Type", "application/json"}});
  ASSERT_EQ(res.status, 200) << res.body;

  auto recent = nlohmann::json::parse(api.Request("GET", "/api/v1/llm-calls/recent?limit=5").body);
  ASSERT_EQ(recent["calls"].size(), 1u);
  const auto& call = recent["calls"][0];
  EXPECT_EQ(call["provider"], "anthropic");
  EXPECT_EQ(call["team"], "search");
  EXPECT_EQ(call["feature"], "summarize");
  EXPECT_EQ(call["prompt_version"], "v7");
  EXPECT_EQ(call["service"], "chat-api");
  EXPECT_EQ(call["tokens"]["input"], 1000);
  EXPECT_EQ(call["tokens"]["output"], 200);
  // Claude Haiku 4.5: $1 / $5 per million tokens.
  EXPECT_EQ(call["cost"]["source"], "catalog");
  EXPECT_EQ(call["cost"]["input_nanos"], 1000 * 1000);
  EXPECT_EQ(call["cost"]["output_nanos"], 200 * 5000);
  EXPECT_EQ(call["cost"]["total_nanos"], 2000000);

  std::string metrics = TestClient(server.metrics_port()).Request("GET", "/metrics").body;
  EXPECT_NE(metrics.find("loupe_receiver_accepted_spans_total"), std::string::npos);
  server.Shutdown();
}

TEST(ServerTest, UnknownModelIsUnpricedNotFree) {
  Server server(EphemeralConfig());
  ASSERT_TRUE(server.Start().ok());
  std::string body = kBlueprintSpan;
  body.replace(body.find("claude-haiku-4-5-20251001"), 25, "acme-secret-model-9");
  TestClient otlp(server.otlp_http_port());
  ASSERT_EQ(otlp.Request("POST", "/v1/traces", body, {{"Content-Type", "application/json"}}).status, 200);
  TestClient api(server.api_port());
  auto recent = nlohmann::json::parse(api.Request("GET", "/api/v1/llm-calls/recent").body);
  ASSERT_EQ(recent["calls"].size(), 1u);
  EXPECT_EQ(recent["calls"][0]["cost"]["source"], "unknown");
  EXPECT_TRUE(recent["calls"][0]["cost"]["total_nanos"].is_null());
  auto unpriced = nlohmann::json::parse(api.Request("GET", "/api/v1/pricing/unpriced").body);
  ASSERT_EQ(unpriced["models"].size(), 1u);
  EXPECT_EQ(unpriced["models"][0]["model"], "acme-secret-model-9");
}

TEST(ServerTest, ShutdownIsSafeWithoutStartAndTwice) {
  Server server(EphemeralConfig());
  server.Shutdown();
  server.Shutdown();
}

TEST(ServerTest, BusyPortIsAClearStartError) {
  Server first(EphemeralConfig());
  ASSERT_TRUE(first.Start().ok());
  Config c = EphemeralConfig();
  c.server.api_addr = "127.0.0.1:" + std::to_string(first.api_port());
  Server second(c);
  Status s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("api server"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace loupe::server

namespace loupe::server {
namespace {

TEST(ServerTest, BackupAndDeleteUserThroughTheAdminApi) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("loupe-server-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Config c = EphemeralConfig();
  c.server.data_dir = (dir / "data").string();
  Server server(c);
  ASSERT_TRUE(server.Start().ok());
  std::string body = kBlueprintSpan;
  body.insert(body.find("\"attributes\":[") + 14, R"({"key":"user.id","value":{"stringValue":"alice@example.com"}},)");
  // A span from now: one from long ago would be past retention.spans.
  const uint64_t now = SystemClock::Get().NowUnixNanos();
  body.replace(body.find("1767225600000000000"), 19, std::to_string(now - 2'000'000'000));
  body.replace(body.find("1767225601500000000"), 19, std::to_string(now - 500'000'000));
  TestClient otlp(server.otlp_http_port());
  ASSERT_EQ(otlp.Request("POST", "/v1/traces", body, {{"Content-Type", "application/json"}}).status, 200);

  TestClient api(server.api_port());
  auto backup = api.Request("POST", "/api/v1/admin/backup?dir=" + (dir / "copy").string());
  EXPECT_EQ(backup.status, 200) << backup.body;
  EXPECT_TRUE(fs::exists(dir / "copy"));
  EXPECT_EQ(api.Request("POST", "/api/v1/admin/backup").status, 400);

  auto erased = api.Request("DELETE", "/api/v1/users/alice%40example.com");
  ASSERT_EQ(erased.status, 200) << erased.body;
  auto j = nlohmann::json::parse(erased.body);
  EXPECT_EQ(j["user"], "alice@example.com");
  EXPECT_EQ(j["spans_erased"], 1);
  server.Shutdown();
  fs::remove_all(dir);
}

TEST(ServerTest, StoreAndRetentionKeysAreRead) {
  auto r = LoadConfigText("retention: {spans: 7d, content: 1d, max_disk_bytes: 1GiB}\nstore: {fsync: false}\n",
                          "loupe.yaml");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(r.config.store.retention_spans, std::chrono::hours(24 * 7));
  EXPECT_EQ(r.config.store.retention_content, std::chrono::hours(24));
  EXPECT_EQ(r.config.store.max_disk_bytes, 1ull << 30);
  EXPECT_FALSE(r.config.store.fsync);
  auto bad = LoadConfigText("retention: {spans: 1d, rollups: 1h}\n", "loupe.yaml");
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_NE(bad.errors[0].find("retention.rollups"), std::string::npos) << bad.errors[0];
}

}  // namespace
}  // namespace loupe::server
