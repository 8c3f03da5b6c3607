// The alerting HTTP API on a real HttpServer, over an AlertingService
// with a fake source, poster and state store and a manual clock.
#include "alerting/http_api.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "alerting/notify/fake_poster.h"
#include "alerting/service.h"
#include "alerting/test_util.h"
#include "ingest/http_server.h"
#include "ingest/test_http_client.h"
#include "metrics/registry.h"

namespace loupe::alerting {
namespace {

using json = nlohmann::json;
using namespace testing;

class AlertingHttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_path_ = ::testing::TempDir() + "/alert_http_rules.yaml";
    std::ofstream(rules_path_) << "rules:\n  - {name: Slow, kind: latency_regression, window: 60, baseline_window: 3600,"
                                  " min_samples: 5, severity: page}\n";
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
    auto poster = std::make_unique<FakePoster>();
    poster_ = poster.get();
    auto state = std::make_unique<MemoryStateStore>();
    state_ = state.get();
    service_ = std::make_unique<AlertingService>(config, nullptr, &registry_, &clock_, std::move(source),
                                                 std::move(poster), std::move(state));
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

  json Call(const std::string& method, const std::string& target, int want, const std::string& body = "") {
    ingest::testing::TestClient client(server_->port());
    auto r = client.Request(method, target, body, {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, want) << method << " " << target << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/json");
    return json::parse(r.body, nullptr, false);
  }

  ManualClock clock_{kT0};
  metrics::Registry registry_;
  std::string rules_path_;
  FakeSource* source_ = nullptr;
  FakePoster* poster_ = nullptr;
  MemoryStateStore* state_ = nullptr;
  std::unique_ptr<AlertingService> service_;
  std::unique_ptr<ingest::HttpServer> server_;
};

const std::map<std::string, std::string> kChat = {{"team", "search"}, {"feature", "chat"}, {"model", "gpt-4o"}};

TEST_F(AlertingHttpApiTest, AlertsRulesAndHistory) {
  source_->AddCalls(kT0 - kHour, kT0 - kMin, 600, kChat, kSec);
  source_->AddCalls(kT0 - kMin, kT0, 60, kChat, 5 * kSec);
  service_->EvaluateOnce();
  json alerts = Call("GET", "/api/v1/alerts", 200);
  ASSERT_EQ(alerts["alerts"].size(), 1u) << alerts.dump();
  const json& a = alerts["alerts"][0];
  EXPECT_EQ(a["state"], "firing");
  EXPECT_EQ(a["labels"]["feature"], "chat");
  EXPECT_EQ(a["labels"]["severity"], "page");
  EXPECT_TRUE(a["generatorURL"].get<std::string>().starts_with("http://loupe.test/traces?since="));
  ASSERT_EQ(alerts["history"].size(), 1u);
  EXPECT_EQ(alerts["history"][0]["state"], "firing");

  json rules = Call("GET", "/api/v1/alert-rules", 200);
  ASSERT_EQ(rules["rules"].size(), 1u);
  EXPECT_EQ(rules["rules"][0]["name"], "Slow");
  EXPECT_EQ(rules["rules"][0]["health"], "ok");
  EXPECT_EQ(rules["rules"][0]["lastEvaluation"], "2025-06-16T00:00:00Z");
  EXPECT_EQ(rules["rules"][0]["firing"], 1);
  EXPECT_EQ(rules["rules"][0]["lastError"], "");

  // The notifier got it, and says so.
  for (int i = 0; i < 200 && poster_->posts().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(poster_->posts().size(), 1u);
  EXPECT_EQ(poster_->posts()[0].url, "http://am.test:9093/api/v2/alerts");
  json notifiers = Call("GET", "/api/v1/alert-notifiers", 200);
  EXPECT_EQ(notifiers["notifiers"][0]["sent"], 1);
  EXPECT_NE(registry_.Render().find("loupe_alerts{state=\"firing\"} 1"), std::string::npos);
}

TEST_F(AlertingHttpApiTest, ReloadReadsTheRulesFileAndKeepsRulesOnError) {
  std::ofstream(rules_path_) << "rules:\n  - {name: A, kind: error_rate}\n  - {name: B, kind: budget}\n";
  json r = Call("POST", "/api/v1/alert-rules/reload", 200);
  EXPECT_EQ(r["rules"], 2);
  std::ofstream(rules_path_) << "rules:\n  - {name: A, kind: nonsense}\n";
  r = Call("POST", "/api/v1/alert-rules/reload", 400);
  EXPECT_NE(r["error"]["message"].get<std::string>().find("rules[0].kind"), std::string::npos) << r.dump();
  EXPECT_EQ(Call("GET", "/api/v1/alert-rules", 200)["rules"].size(), 2u);
  EXPECT_TRUE(service_->Reload().code() == Status::Code::kInvalidArgument);
}

TEST_F(AlertingHttpApiTest, Silences) {
  json created = Call("POST", "/api/v1/silences", 200,
                      R"({"matchers": ["feature=chat"], "endsAt": "2025-06-16T01:00:00Z", "createdBy": "ana"})");
  std::string id = created["silenceID"];
  EXPECT_FALSE(id.empty());
  json list = Call("GET", "/api/v1/silences", 200);
  ASSERT_EQ(list["silences"].size(), 1u);
  EXPECT_EQ(list["silences"][0]["status"]["state"], "active");
  EXPECT_EQ(list["silences"][0]["createdBy"], "ana");
  EXPECT_TRUE(state_->values["alert.silence"].contains(id));

  source_->AddCalls(kT0 - kHour, kT0 - kMin, 600, kChat, kSec);
  source_->AddCalls(kT0 - kMin, kT0, 60, kChat, 5 * kSec);
  EXPECT_TRUE(service_->EvaluateOnce().notify.empty());  // silenced
  EXPECT_EQ(Call("GET", "/api/v1/alerts", 200)["alerts"][0]["silenced"], true);

  Call("DELETE", "/api/v1/silences/" + id, 200);
  EXPECT_EQ(Call("GET", "/api/v1/silences", 200)["silences"][0]["status"]["state"], "expired");
  clock_.Advance(kSec);
  EXPECT_EQ(service_->EvaluateOnce().notify.size(), 1u);
  Call("DELETE", "/api/v1/silences/nope", 404);

  json bad = Call("POST", "/api/v1/silences", 400, R"({"matchers": ["feature=chat"]})");
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("endsAt"), std::string::npos);
  Call("POST", "/api/v1/silences", 400, "not json");
  Call("POST", "/api/v1/silences", 400, R"({"matchers": ["a=b"], "endsAt": "2020-01-01T00:00:00Z"})");
}

}  // namespace
}  // namespace loupe::alerting
