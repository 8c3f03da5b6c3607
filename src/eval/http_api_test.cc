// The evaluation endpoints over real HTTP (ingest's HttpServer), on a
// MemoryStore with the store's documented semantics.
#include "eval/http_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "eval/evaluator.h"
#include "eval/testing/fake_judge_process.h"
#include "eval/testing/memory_store.h"
#include "eval/testing/spans.h"
#include "ingest/http_server.h"
#include "ingest/test_http_client.h"
#include "pricing/pricer.h"

namespace loupe::eval {
namespace {

using nlohmann::json;
using testing::CallSpec;
using testing::MakeCall;

constexpr uint64_t kSec = 1'000'000'000ull;
const uint64_t kNow = 1'750'000'000 * kSec;

class HttpApiTest : public ::testing::Test {
 protected:
  void Serve(Evaluator* evaluator) {
    api_ = std::make_unique<EvalHttpApi>(&store_, evaluator, &clock_);
    ingest::HttpServerConfig hc;
    hc.addr = "127.0.0.1:0";
    server_ = std::make_unique<ingest::HttpServer>(hc, "api", nullptr);
    api_->Register(*server_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  struct Reply {
    int status;
    json body;
  };
  Reply Do(const std::string& method, const std::string& target, const std::string& body = "") {
    ingest::testing::TestClient client(server_->port());
    auto r = client.Request(method, target, body, {{"content-type", "application/json"}});
    json j = json::parse(r.body, nullptr, false);
    return {r.status, j};
  }

  // Calls of `version` with the given judge accuracy scores, each costing
  // `cost_nanos` and using 120 tokens.
  void Seed(const std::string& version, const std::vector<double>& values, int64_t cost_nanos, uint64_t first) {
    std::vector<model::SpanRecord> calls;
    std::vector<store::Score> scores;
    for (size_t i = 0; i < values.size(); ++i) {
      auto call = MakeCall({.trace = first + i, .start_ns = kNow - 3600 * kSec, .prompt_version = version});
      call.llm->cost.total_nanos = cost_nanos;
      store::Score s;
      s.trace_id = call.span.trace_id;
      s.span_id = call.span.span_id;
      s.evaluator = "judge/default";
      s.dimension = "accuracy";
      s.value = values[i];
      scores.push_back(s);
      calls.push_back(std::move(call));
    }
    store_.Add(calls);
    ASSERT_TRUE(store_.PutScores(scores, false).ok());
  }

  testing::MemoryStore store_;
  ManualClock clock_{kNow};
  std::unique_ptr<EvalHttpApi> api_;
  std::unique_ptr<ingest::HttpServer> server_;
};

TEST_F(HttpApiTest, PostAndGetHumanScores) {
  Serve(nullptr);
  const std::string trace = model::ToHex(testing::TraceIdOf(1));
  const std::string span = model::ToHex(testing::SpanIdOf(1));
  store_.Add({MakeCall({.trace = 1, .span = 1})});
  auto r = Do("POST", "/api/v1/scores",
              R"({"trace_id": ")" + trace + R"(", "span_id": ")" + span +
                  R"(", "name": "accuracy", "value": 2, "author": "ana", "comment": "wrong city"})");
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["stored"], 1);
  r = Do("POST", "/api/v1/scores",
         R"({"scores": [{"trace_id": ")" + trace + R"(", "name": "thumbs", "value": true},
                        {"trace_id": ")" + trace + R"(", "name": "tone", "value": "friendly", "categories": ["rude", "neutral", "friendly"]},
                        {"trace_id": ")" + trace + R"(", "name": "ci_check", "value": 0.9, "source": "external", "evaluator": "ragas"}]})");
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["stored"], 3);
  // The same identity again is ignored unless a new version is asked for.
  r = Do("POST", "/api/v1/scores", R"({"trace_id": ")" + trace + R"(", "span_id": ")" + span + R"(", "name": "accuracy", "value": 3})");
  EXPECT_EQ(r.body["ignored"], 1);

  r = Do("GET", "/api/v1/scores?trace_id=" + trace + "&source=human");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["scores"].size(), 3u);
  std::map<std::string, json> by_dim;
  for (const auto& s : r.body["scores"]) by_dim[s["dimension"]] = s;
  EXPECT_EQ(by_dim["accuracy"]["value"], 2);
  EXPECT_EQ(by_dim["accuracy"]["reasoning"], "wrong city");
  EXPECT_EQ(by_dim["accuracy"]["feature"], "chat");  // attribution filled from the span
  EXPECT_EQ(by_dim["thumbs"]["label"], "true");
  EXPECT_TRUE(by_dim["thumbs"]["span_id"].is_null());
  EXPECT_EQ(by_dim["tone"]["label"], "friendly");
  EXPECT_EQ(by_dim["tone"]["value"], 2);
  r = Do("GET", "/api/v1/scores?evaluator=external/ragas");
  ASSERT_EQ(r.body["scores"].size(), 1u);
  EXPECT_EQ(r.body["scores"][0]["source"], "builtin");
}

TEST_F(HttpApiTest, ScoreValidationNamesTheField) {
  Serve(nullptr);
  const std::string t = model::ToHex(testing::TraceIdOf(1));
  struct Case {
    std::string body, field;
  } cases[] = {
      {"not json", ""},
      {R"({"name": "a", "value": 1})", "trace_id"},
      {R"({"trace_id": "xyz", "name": "a", "value": 1})", "trace_id"},
      {R"({"trace_id": ")" + t + R"(", "span_id": "00", "name": "a", "value": 1})", "span_id"},
      {R"({"trace_id": ")" + t + R"(", "value": 1})", "name"},
      {R"({"trace_id": ")" + t + R"(", "name": "bad name!", "value": 1})", "name"},
      {R"({"trace_id": ")" + t + R"(", "name": "a"})", "value"},
      {R"({"trace_id": ")" + t + R"(", "name": "a", "value": [1]})", "value"},
      {R"({"trace_id": ")" + t + R"(", "name": "a", "value": "meh"})", "categories"},
      {R"({"trace_id": ")" + t + R"(", "name": "a", "value": "meh", "categories": ["good"]})", "value"},
      {R"({"trace_id": ")" + t + R"(", "name": "a", "value": 1, "source": "robot"})", "source"},
      {R"({"trace_id": ")" + t + R"(", "name": "a", "value": 1, "data_type": "boolean"})", "data_type"},
      {R"({"trace_id": ")" + t + R"(", "name": "a", "value": 1, "colour": "red"})", "colour"},
      {R"({"scores": [{"trace_id": ")" + t + R"(", "name": "a", "value": 1}, {"trace_id": ")" + t + R"(", "name": "b"}]})",
       "scores[1].value"},
      {R"({"scores": []})", "scores"},
  };
  for (const auto& c : cases) {
    auto r = Do("POST", "/api/v1/scores", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_EQ(r.body["error"]["field"], c.field) << c.body << " -> " << r.body.dump();
  }
  EXPECT_TRUE(store_.AllScores().empty());  // nothing half-stored
  auto r = Do("GET", "/api/v1/scores?source=robots");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["parameter"], "source");
}

TEST_F(HttpApiTest, CompareFindsAKnownDifference) {
  Serve(nullptr);
  Seed("v6", {3, 3, 4, 3, 2, 3, 4, 3, 3, 2, 3, 4}, 2'000'000, 1);
  Seed("v7", {5, 4, 5, 5, 4, 5, 5, 4, 5, 5, 4, 5}, 3'000'000, 100);
  auto r = Do("GET", "/api/v1/compare?feature=chat&dimension=accuracy&a=v6&b=v7");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const json& v = r.body["versions"];
  EXPECT_EQ(v[0]["count"], 12);
  EXPECT_NEAR(v[0]["mean"].get<double>(), 37.0 / 12, 1e-9);
  EXPECT_NEAR(v[1]["mean"].get<double>(), 56.0 / 12, 1e-9);
  EXPECT_LT(v[0]["ci95"][0].get<double>(), v[0]["mean"].get<double>());
  EXPECT_GT(v[0]["ci95"][1].get<double>(), v[0]["mean"].get<double>());
  EXPECT_LT(v[0]["ci95"][1].get<double>(), v[1]["ci95"][0].get<double>());
  EXPECT_NEAR(v[0]["cost_per_request_usd"].get<double>(), 0.002, 1e-12);
  EXPECT_NEAR(v[1]["cost_per_request_usd"].get<double>(), 0.003, 1e-12);
  EXPECT_EQ(v[0]["tokens_per_request"], 120);
  EXPECT_TRUE(r.body["difference"]["significant"]);
  EXPECT_LT(r.body["difference"]["p_value"].get<double>(), 0.001);
  EXPECT_EQ(r.body["verdict"], "v7 scores higher than v6");
}

TEST_F(HttpApiTest, CompareOnDataWithNoDifference) {
  Serve(nullptr);
  Seed("v6", {3, 4, 5, 4, 3, 5, 4, 4, 3, 5}, 1'000'000, 1);
  Seed("v7", {4, 3, 5, 4, 5, 3, 4, 4, 5, 3}, 1'000'000, 100);
  auto r = Do("GET", "/api/v1/compare?feature=chat&dimension=accuracy&a=v6&b=v7");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_FALSE(r.body["difference"]["significant"]);
  EXPECT_GT(r.body["difference"]["p_value"].get<double>(), 0.5);
  EXPECT_EQ(r.body["verdict"], "no significant difference");
  r = Do("GET", "/api/v1/compare?feature=chat&dimension=accuracy&a=v6&b=v99");
  EXPECT_EQ(r.body["versions"][1]["count"], 0);
  EXPECT_TRUE(r.body["versions"][1]["mean"].is_null());
  EXPECT_NE(r.body["verdict"].get<std::string>().find("not enough data"), std::string::npos);
  r = Do("GET", "/api/v1/compare?feature=chat&a=v6&b=v7");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["parameter"], "dimension");
}

TEST_F(HttpApiTest, JudgeHumanAgreement) {
  Serve(nullptr);
  Seed("v1", {5, 2, 4, 1}, 1, 1);  // judge accuracy for traces 1..4
  std::string body = R"({"scores": [)";
  const double human[] = {5, 4, 4, 1};  // agrees on 3 of 4 exactly; trace 2 is off by 2
  for (int i = 0; i < 4; ++i) {
    body += std::string(i ? "," : "") + R"({"trace_id": ")" + model::ToHex(testing::TraceIdOf(1 + i)) +
            R"(", "span_id": ")" + model::ToHex(testing::SpanIdOf(1)) + R"(", "name": "accuracy", "value": )" +
            std::to_string(human[i]) + "}";
  }
  body += R"(, {"trace_id": ")" + model::ToHex(testing::TraceIdOf(1)) + R"(", "name": "thumbs", "value": true}]})";
  ASSERT_EQ(Do("POST", "/api/v1/scores", body).status, 201);
  auto r = Do("GET", "/api/v1/agreement?feature=chat");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["dimensions"]["accuracy"]["pairs"], 4);
  EXPECT_DOUBLE_EQ(r.body["dimensions"]["accuracy"]["exact_agreement"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(r.body["dimensions"]["accuracy"]["within_tolerance"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(r.body["dimensions"]["accuracy"]["mean_abs_difference"].get<double>(), 0.5);
  EXPECT_EQ(r.body["dimensions"]["thumbs"]["pairs"], 1);
  EXPECT_DOUBLE_EQ(r.body["dimensions"]["thumbs"]["exact_agreement"].get<double>(), 1.0);
}

TEST_F(HttpApiTest, QueueStatusAndOnDemandRun) {
  testing::FakeJudgeProcess fake;
  fake.Control(R"({"script": [{"mode": "malformed"}, {"mode": "malformed"}], "default": {"mode": "ok", "score": 3}})");
  EvalConfig c;
  c.enabled = true;
  c.default_rate = 0;
  c.burst.enabled = false;
  c.builtins_enabled = false;
  c.poll_seconds = 0.01;
  c.limits.concurrency = 1;
  c.judge.base_url = fake.base_url();
  c.judge.canary = false;
  auto pricer = pricing::Pricer::Create(pricing::PricingConfig{});
  ASSERT_TRUE(pricer.ok());
  Evaluator::Deps deps;
  deps.store = &store_;
  deps.clock = &clock_;
  deps.pricer = pricer->get();
  auto e = Evaluator::Create(c, deps);
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE((*e)->Start().ok());
  Serve(e->get());
  std::vector<model::SpanRecord> calls;
  for (uint64_t i = 1; i <= 3; ++i) calls.push_back(MakeCall({.trace = i, .start_ns = kNow - 600 * kSec}));
  store_.Add(calls);

  auto r = Do("POST", "/api/v1/evaluations/run", R"({"since": "1h", "feature": "chat", "rate": 1.0})");
  ASSERT_EQ(r.status, 202) << r.body.dump();
  EXPECT_EQ(r.body["calls"], 3);
  const std::string id = r.body["id"];
  ASSERT_TRUE((*e)->WaitIdle(std::chrono::seconds(20)));
  r = Do("GET", "/api/v1/evaluations/run?id=" + id);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_TRUE(r.body["complete"]);
  EXPECT_EQ(r.body["done"], 2);
  EXPECT_EQ(r.body["failed"], 1);  // the first call got two malformed answers
  EXPECT_EQ(r.body["dimensions"]["accuracy"]["count"], 2);
  EXPECT_DOUBLE_EQ(r.body["dimensions"]["accuracy"]["mean"].get<double>(), 3);
  EXPECT_NE(r.body["failures"][0]["error"].get<std::string>().find("no JSON object"), std::string::npos);

  r = Do("GET", "/api/v1/evaluations?state=failed");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["evaluations"].size(), 1u);
  EXPECT_NE(r.body["evaluations"][0]["raw_answer"].get<std::string>().find("{broken"), std::string::npos);
  EXPECT_EQ(r.body["queue"]["failed"], 1);

  r = Do("GET", "/api/v1/evaluation/status");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["enabled"], true);
  EXPECT_EQ(r.body["paused"], false);
  EXPECT_GT(r.body["budget"]["spent_today_usd"].get<double>(), 0);
  EXPECT_EQ(r.body["judge"]["model"], "claude-haiku-4-5");

  EXPECT_EQ(Do("POST", "/api/v1/evaluations/run", R"({"rate": 2})").body["error"]["field"], "rate");
  EXPECT_EQ(Do("POST", "/api/v1/evaluations/run", R"({"rubric": "nope"})").body["error"]["field"], "rubric");
  EXPECT_EQ(Do("GET", "/api/v1/evaluations/run?id=run-nope").status, 404);
  server_->Shutdown();
  (*e)->Shutdown();
}

TEST_F(HttpApiTest, DisabledEvaluation) {
  Serve(nullptr);
  auto r = Do("GET", "/api/v1/evaluation/status");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["enabled"], false);
  EXPECT_EQ(Do("POST", "/api/v1/evaluations/run", "{}").status, 503);
}

}  // namespace
}  // namespace loupe::eval
