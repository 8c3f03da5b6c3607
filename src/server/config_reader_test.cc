#include "server/config_reader.h"

#include <gtest/gtest.h>

namespace loupe::server {
namespace {

std::unique_ptr<ConfigReader> Read(std::string_view yaml) {
  auto r = ConfigReader::FromText(yaml, "loupe.yaml");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

TEST(ConfigReaderTest, ReadsNestedTypedValues) {
  auto r = Read(R"(
server:
  api_addr: 0.0.0.0:9090
receivers:
  otlp_http:
    max_body_bytes: 8MiB
  retry_after: 2m
pricing:
  prefer_reported_cost: true
  azure_deployments: {prod-gpt: gpt-4o}
attribution:
  team_keys: [ai.team, traceloop.association.properties.team]
)");
  std::string api = "127.0.0.1:8080";
  int64_t max_body = 0;
  double retry = 0;
  bool prefer = false;
  std::map<std::string, std::string> azure;
  std::vector<std::string> team_keys;
  std::string untouched = "default";
  r->GetString("server.api_addr", &api);
  r->GetBytes("receivers.otlp_http.max_body_bytes", &max_body);
  r->GetSeconds("receivers.retry_after", &retry);
  r->GetBool("pricing.prefer_reported_cost", &prefer);
  r->GetStringMap("pricing.azure_deployments", &azure);
  r->GetStringList("attribution.team_keys", &team_keys);
  r->GetString("server.data_dir", &untouched);
  EXPECT_EQ(api, "0.0.0.0:9090");
  EXPECT_EQ(max_body, 8 * 1024 * 1024);
  EXPECT_EQ(retry, 120);
  EXPECT_TRUE(prefer);
  EXPECT_EQ(azure.at("prod-gpt"), "gpt-4o");
  EXPECT_EQ(team_keys.size(), 2u);
  EXPECT_EQ(untouched, "default");
  EXPECT_TRUE(r->Errors().empty());
}

TEST(ConfigReaderTest, ReportsWrongTypesAndUnknownKeysWithPaths) {
  auto r = Read("server:\n  api_adr: x\nreceivers:\n  otlp_http:\n    max_body_bytes: lots\n");
  int64_t max_body = 0;
  std::string api;
  r->GetBytes("receivers.otlp_http.max_body_bytes", &max_body);
  r->GetString("server.api_addr", &api);
  auto errors = r->Errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("loupe.yaml:5: receivers.otlp_http.max_body_bytes"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("server.api_adr: unknown key"), std::string::npos) << errors[1];
}

TEST(ConfigReaderTest, SyntaxErrorNamesLine) {
  auto r = ConfigReader::FromText("server:\n  api_addr: [unclosed\n", "bad.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad.yaml:"), std::string::npos);
}

TEST(ConfigReaderTest, ParsesSizesAndDurations) {
  int64_t b = 0;
  EXPECT_TRUE(ParseByteSize("20MiB", &b));
  EXPECT_EQ(b, 20 * 1024 * 1024);
  EXPECT_TRUE(ParseByteSize("512", &b));
  EXPECT_EQ(b, 512);
  EXPECT_FALSE(ParseByteSize("12 parsecs", &b));
  double s = 0;
  EXPECT_TRUE(ParseDurationSeconds("250ms", &s));
  EXPECT_DOUBLE_EQ(s, 0.25);
  EXPECT_TRUE(ParseDurationSeconds("1h", &s));
  EXPECT_DOUBLE_EQ(s, 3600);
  EXPECT_FALSE(ParseDurationSeconds("soon", &s));
}

}  // namespace
}  // namespace loupe::server

namespace loupe::server {
namespace {

TEST(ConfigReaderTest, ReadsListsOfMappingsByIndexAndChecksTheirKeys) {
  auto r = ConfigReader::FromText(R"(
fanout:
  endpoints:
    - name: tempo
      endpoint: http://tempo:4318
      headers: {authorization: Bearer x}
    - name: jaeger
      endpont: http://typo
)",
                                  "loupe.yaml");
  ASSERT_TRUE(r.ok());
  ConfigReader& reader = **r;
  ASSERT_EQ(reader.ListSize("fanout.endpoints"), 2u);
  std::string name0, endpoint0, name1, endpoint1;
  std::map<std::string, std::string> headers;
  reader.GetString("fanout.endpoints[0].name", &name0);
  reader.GetString("fanout.endpoints[0].endpoint", &endpoint0);
  reader.GetStringMap("fanout.endpoints[0].headers", &headers);
  reader.GetString("fanout.endpoints[1].name", &name1);
  reader.GetString("fanout.endpoints[1].endpoint", &endpoint1);
  EXPECT_EQ(name0, "tempo");
  EXPECT_EQ(endpoint0, "http://tempo:4318");
  EXPECT_EQ(headers.at("authorization"), "Bearer x");
  EXPECT_EQ(name1, "jaeger");
  EXPECT_TRUE(endpoint1.empty());
  auto errors = reader.Errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("fanout.endpoints[1].endpont: unknown key"), std::string::npos) << errors[0];
  EXPECT_EQ(reader.ListSize("fanout.missing"), 0u);
}

}  // namespace
}  // namespace loupe::server
