// The alerting routes' OpenAPI fragment against the code: exactly the
// routes Register adds, self-contained references, and real answers of an
// AlertingService (fake source, poster and state store) checked against
// the documented schemas.
#include "alerting/openapi.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "alerting/http_api.h"
#include "alerting/notify/fake_poster.h"
#include "alerting/service.h"
#include "alerting/test_util.h"
#include "api/openapi_testing.h"
#include "ingest/http_server.h"
#include "ingest/test_http_client.h"

namespace loupe::alerting {
namespace {

using json = nlohmann::json;
using namespace testing;
namespace oapi = api::testing;

// Every "$ref" in `node`, with where it is.
void CollectRefs(const json& node, const std::string& where, std::vector<std::pair<std::string, std::string>>* out) {
  if (node.is_object()) {
    for (const auto& [k, v] : node.items()) {
      if (k == "$ref" && v.is_string()) out->emplace_back(v.get<std::string>(), where);
      else CollectRefs(v, where + "." + k, out);
    }
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) CollectRefs(node[i], where + "[" + std::to_string(i) + "]", out);
  }
}

TEST(AlertingOpenApiTest, FragmentListsExactlyTheRegisteredRoutesAndResolvesItsRefs) {
  json fragment = json::parse(OpenApiPaths());
  std::set<std::string> in_code = oapi::RoutesInSource("src/alerting/http_api.cc");
  ASSERT_EQ(in_code.size(), 7u) << "src/alerting/http_api.cc not readable or changed: run from the repository root";
  EXPECT_EQ(oapi::Operations(fragment), in_code);
  std::vector<std::pair<std::string, std::string>> refs;
  CollectRefs(fragment, "", &refs);
  EXPECT_GT(refs.size(), 10u);
  for (const auto& [ref, where] : refs) {
    ASSERT_TRUE(ref.starts_with("#/components/")) << ref << " at " << where;
    EXPECT_TRUE(fragment.contains(json::json_pointer(ref.substr(1)))) << ref << " at " << where;
  }
}

class AlertingOpenApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = json::parse(OpenApiPaths());
    rules_path_ = ::testing::TempDir() + "/alert_openapi_rules.yaml";
    std::ofstream(rules_path_) << "rules:\n  - {name: Slow, kind: latency_regression, window: 60, baseline_window: 3600,"
                                  " min_samples: 5, severity: page}\n"
                                  "  - {name: Spend, kind: budget, period: month, amount_usd: 5}\n"
                                  "  - {name: Quality, kind: quality_regression, baseline: none, threshold: 3}\n";
    AlertingConfig config;
    config.rules_file = rules_path_;
    config.lag_seconds = 0;
    config.interval_seconds = 3600;  // the test drives evaluations
    config.external_url = "http://loupe.test";
    NotifierConfig am;
    am.name = "am";
    am.kind = NotifierKind::kAlertmanager;
    am.url = "http://am.test:9093";
    config.notifiers = {am};
    auto source = std::make_unique<FakeSource>();
    source_ = source.get();
    service_ = std::make_unique<AlertingService>(config, nullptr, nullptr, &clock_, std::move(source),
                                                 std::make_unique<FakePoster>(), std::make_unique<MemoryStateStore>());
    ASSERT_TRUE(service_->Start().ok());
    server_ = std::make_unique<ingest::HttpServer>(ingest::HttpServerConfig{}, "api", nullptr);
    AlertingHttpApi(service_.get()).Register(*server_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    server_->Shutdown();
    service_->Shutdown();
    std::remove(rules_path_.c_str());
  }

  // Sends the request; the status must be `want`, documented, and the body
  // must match its schema.
  json Checked(const std::string& method, const std::string& target, int want, const std::string& body = "") {
    ingest::testing::TestClient client(server_->port());
    auto r = client.Request(method, target, body, {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, want) << method << " " << target << ": " << r.body;
    json answer = json::parse(r.body, nullptr, false);
    std::string path = target;
    if (method == "DELETE") path = "/api/v1/silences/{silence_id}";
    std::string lower = method;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto errors = oapi::CheckAnswer(doc_, path, lower, r.status, answer);
    EXPECT_TRUE(errors.empty()) << method << " " << target << " -> " << r.body << "\n" << ::testing::PrintToString(errors);
    ++checked_;
    return answer;
  }

  json doc_;
  ManualClock clock_{kT0};
  std::string rules_path_;
  FakeSource* source_ = nullptr;
  std::unique_ptr<AlertingService> service_;
  std::unique_ptr<ingest::HttpServer> server_;
  int checked_ = 0;
};

const std::map<std::string, std::string> kChat = {{"team", "search"}, {"feature", "chat"}, {"model", "gpt-4o"}};

TEST_F(AlertingOpenApiServerTest, AnswersMatchTheDocumentedSchemas) {
  // No data yet: no alerts, every kind of rule listed.
  json rules = Checked("GET", "/api/v1/alert-rules", 200);
  ASSERT_EQ(rules["rules"].size(), 3u);
  Checked("GET", "/api/v1/alerts", 200);

  source_->AddCalls(kT0 - kHour, kT0 - kMin, 600, kChat, kSec);
  source_->AddCalls(kT0 - kMin, kT0, 60, kChat, 5 * kSec);
  json created = Checked("POST", "/api/v1/silences", 200,
                         R"({"matchers": ["feature=chat", {"name": "team", "value": "se.*", "isRegex": true}],
                             "endsAt": "2025-06-16T01:00:00Z", "createdBy": "ana", "comment": "deploy"})");
  service_->EvaluateOnce();
  json alerts = Checked("GET", "/api/v1/alerts", 200);
  ASSERT_FALSE(alerts["alerts"].empty());
  EXPECT_EQ(alerts["alerts"][0]["state"], "firing");
  EXPECT_EQ(alerts["alerts"][0]["silenced"], true);
  EXPECT_FALSE(alerts["history"].empty());
  rules = Checked("GET", "/api/v1/alert-rules", 200);
  EXPECT_EQ(rules["rules"][0]["health"], "ok");
  Checked("GET", "/api/v1/silences", 200);
  Checked("DELETE", "/api/v1/silences/" + created["silenceID"].get<std::string>(), 200);
  Checked("DELETE", "/api/v1/silences/nope", 404);
  Checked("POST", "/api/v1/silences", 400, R"({"matchers": ["feature=chat"]})");
  Checked("POST", "/api/v1/silences", 400, "not json");
  Checked("GET", "/api/v1/alert-notifiers", 200);
  Checked("POST", "/api/v1/alert-rules/reload", 200);
  std::ofstream(rules_path_) << "rules:\n  - {name: A, kind: nonsense}\n";
  Checked("POST", "/api/v1/alert-rules/reload", 400);
  EXPECT_EQ(checked_, 13);
}

}  // namespace
}  // namespace loupe::alerting
