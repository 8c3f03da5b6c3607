// The evaluation endpoints' OpenAPI fragment against the code: the routes
// Register adds, every handler's parameter table and body fields (read
// from the handlers' own "unknown ..." answers), and real answers checked
// against the documented schemas.
#include "eval/openapi.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/openapi.h"
#include "api/openapi_testing.h"
#include "eval/evaluator.h"
#include "eval/http_api.h"
#include "eval/testing/memory_store.h"
#include "eval/testing/spans.h"
#include "ingest/http_server.h"
#include "ingest/test_http_client.h"
#include "pricing/pricer.h"

namespace loupe::eval {
namespace {

using nlohmann::json;
namespace oapi = api::testing;

constexpr uint64_t kSec = 1'000'000'000ull;
const uint64_t kNow = 1'750'000'000 * kSec;

json MergedDocument() {
  api::OpenApiSpec spec;
  Status s = spec.Add("eval", OpenApiPaths());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return json::parse(spec.text());
}

TEST(EvalOpenApiTest, FragmentMergesAndListsExactlyTheRegisteredRoutes) {
  json fragment = json::parse(OpenApiPaths());
  std::set<std::string> in_code = oapi::RoutesInSource("src/eval/http_api.cc");
  ASSERT_EQ(in_code.size(), 8u) << "src/eval/http_api.cc not readable or changed: run from the repository root";
  EXPECT_EQ(oapi::Operations(fragment), in_code);
  json doc = MergedDocument();
  for (const auto& op : in_code) EXPECT_TRUE(oapi::Operations(doc).contains(op)) << op;
}

class EvalOpenApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = MergedDocument();
    auto pricer = pricing::Pricer::Create(pricing::PricingConfig{});
    ASSERT_TRUE(pricer.ok());
    pricer_ = std::move(*pricer);
    EvalConfig c;
    c.enabled = true;
    c.default_rate = 0;
    c.burst.enabled = false;
    c.builtins_enabled = false;
    c.judge.base_url = "http://127.0.0.1:9";  // never called: the evaluator is not started
    c.judge.canary = false;
    Evaluator::Deps deps;
    deps.store = &store_;
    deps.clock = &clock_;
    deps.pricer = pricer_.get();
    auto e = Evaluator::Create(c, deps);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    evaluator_ = std::move(*e);
    api_ = std::make_unique<EvalHttpApi>(&store_, evaluator_.get(), &clock_);
    server_ = std::make_unique<ingest::HttpServer>(ingest::HttpServerConfig{}, "api", nullptr);
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
    return {r.status, json::parse(r.body, nullptr, false)};
  }

  // Sends the request and checks the answer against the document: the
  // status is documented with a JSON body and the body matches it.
  Reply Checked(const std::string& method, const std::string& target, const std::string& body = "") {
    Reply r = Do(method, target, body);
    std::string path = target.substr(0, target.find('?'));
    std::string lower = method;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto errors = oapi::CheckAnswer(doc_, path, lower, r.status, r.body);
    EXPECT_TRUE(errors.empty()) << method << " " << target << " -> " << r.status << " " << r.body.dump() << "\n"
                                << ::testing::PrintToString(errors);
    ++checked_;
    return r;
  }

  json doc_;
  testing::MemoryStore store_;
  ManualClock clock_{kNow};
  std::unique_ptr<pricing::Pricer> pricer_;
  std::unique_ptr<Evaluator> evaluator_;
  std::unique_ptr<EvalHttpApi> api_;
  std::unique_ptr<ingest::HttpServer> server_;
  int checked_ = 0;
};

// Each GET handler names the parameters it takes when given one it does
// not know: exactly the documented ones.
TEST_F(EvalOpenApiServerTest, QueryParametersAreExactlyTheHandlersTables) {
  int probed = 0;
  for (const auto& [path, item] : doc_["paths"].items()) {
    if (!path.starts_with("/api/v1/") || !item.contains("get") || oapi::Operations(json::parse(OpenApiPaths())).count("GET " + path) == 0) continue;
    Reply r = Checked("GET", path + "?zz_probe=1");
    ASSERT_EQ(r.status, 400) << path;
    EXPECT_EQ(r.body["error"]["parameter"], "zz_probe") << path;
    const std::string message = r.body["error"]["message"];
    std::set<std::string> takes = oapi::ListAfter(message, "this endpoint takes: ");
    takes.erase("no parameters");
    EXPECT_EQ(oapi::QueryParams(doc_, path, "get"), takes) << path << ": " << message;
    ++probed;
  }
  EXPECT_EQ(probed, 6);
}

// The POST handlers name the body fields they know when given another.
TEST_F(EvalOpenApiServerTest, BodyFieldsAreExactlyTheHandlersFields) {
  auto properties = [&](const json& schema) {
    std::set<std::string> out;
    for (const auto& [k, v] : oapi::Resolve(doc_, schema)["properties"].items()) out.insert(k);
    return out;
  };
  const json& scores_body = oapi::Operation(doc_, "/api/v1/scores", "post")["requestBody"]["content"]["application/json"]["schema"]["oneOf"];
  Reply one = Checked("POST", "/api/v1/scores", R"({"trace_id": "0123456789abcdef0123456789abcdef", "zz_probe": 1})");
  ASSERT_EQ(one.status, 400);
  EXPECT_EQ(one.body["error"]["field"], "zz_probe");
  EXPECT_EQ(properties(scores_body[0]), oapi::ListAfter(one.body["error"]["message"], "known: "));
  Reply batch = Checked("POST", "/api/v1/scores", R"({"scores": [], "zz_probe": 1})");
  ASSERT_EQ(batch.status, 400);
  EXPECT_EQ(properties(scores_body[1]), oapi::ListAfter(batch.body["error"]["message"], "known: "));
  Reply run = Checked("POST", "/api/v1/evaluations/run", R"({"zz_probe": 1})");
  ASSERT_EQ(run.status, 400);
  EXPECT_EQ(run.body["error"]["field"], "zz_probe");
  EXPECT_EQ(properties(oapi::Operation(doc_, "/api/v1/evaluations/run", "post")["requestBody"]["content"]["application/json"]["schema"]),
            oapi::ListAfter(run.body["error"]["message"], "known: "));
}

// Real answers, good and bad, match the documented schemas.
TEST_F(EvalOpenApiServerTest, AnswersMatchTheDocumentedSchemas) {
  std::vector<model::SpanRecord> calls;
  std::vector<store::Score> judged;
  for (uint64_t i = 1; i <= 6; ++i) {
    auto call = testing::MakeCall({.trace = i, .start_ns = kNow - 3600 * kSec, .prompt_version = i <= 3 ? "v1" : "v2"});
    call.llm->cost.total_nanos = 1000;
    store::Score s;
    s.trace_id = call.span.trace_id;
    s.span_id = call.span.span_id;
    s.evaluator = "judge/default";
    s.dimension = "accuracy";
    s.source = store::ScoreSource::kJudge;
    s.value = static_cast<double>(i % 3 + 2);
    s.judge_cost_nanos = 300;
    s.created_ns = kNow - 1800 * kSec;
    judged.push_back(s);
    calls.push_back(std::move(call));
  }
  store_.Add(calls);
  ASSERT_TRUE(store_.PutScores(judged, false).ok());
  const std::string trace = model::ToHex(calls[0].span.trace_id), span = model::ToHex(calls[0].span.span_id);

  EXPECT_EQ(Checked("POST", "/api/v1/scores", R"({"trace_id": ")" + trace + R"(", "span_id": ")" + span +
                                                   R"(", "name": "accuracy", "value": 4, "comment": "fine"})").status, 201);
  EXPECT_EQ(Checked("POST", "/api/v1/scores", R"({"new_version": true, "scores": [{"trace_id": ")" + trace +
                                                   R"(", "name": "thumbs", "value": true}, {"trace_id": ")" + trace +
                                                   R"(", "name": "tone", "value": "warm", "categories": ["cold", "warm"], "source": "external", "evaluator": "lint"}]})").status,
            201);
  EXPECT_EQ(Checked("POST", "/api/v1/scores", "not json").status, 400);
  EXPECT_EQ(Checked("POST", "/api/v1/scores", R"({"trace_id": ")" + trace + R"(", "name": "x", "value": 1, "data_type": "boolean"})").status, 400);
  Reply page = Checked("GET", "/api/v1/scores?trace_id=" + trace + "&all_versions=true&limit=2");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body["scores"].size(), 2u);
  EXPECT_EQ(Checked("GET", "/api/v1/scores?source=judge&since=2h").status, 200);
  EXPECT_EQ(Checked("GET", "/api/v1/scores?trace_id=nothex").status, 400);
  EXPECT_EQ(Checked("GET", "/api/v1/compare?feature=chat&dimension=accuracy&a=v1&b=v2").status, 200);
  EXPECT_EQ(Checked("GET", "/api/v1/compare?feature=chat&dimension=accuracy&a=v1&b=v9").status, 200);  // no data: nulls
  EXPECT_EQ(Checked("GET", "/api/v1/compare?feature=chat").status, 400);
  EXPECT_EQ(Checked("GET", "/api/v1/compare?feature=chat&dimension=a&a=v1&b=v2&alpha=2").status, 400);
  EXPECT_EQ(Checked("GET", "/api/v1/agreement?feature=chat").status, 200);
  EXPECT_EQ(Checked("GET", "/api/v1/agreement?tolerance=-1").status, 400);
  EXPECT_EQ(Checked("GET", "/api/v1/evaluation/status").status, 200);

  Reply run = Checked("POST", "/api/v1/evaluations/run", R"({"since": "2h", "feature": "chat", "max_calls": 10})");
  ASSERT_EQ(run.status, 202);
  EXPECT_EQ(run.body["calls"], 6);
  EXPECT_EQ(Checked("POST", "/api/v1/evaluations/run", R"({"rate": 0})").status, 400);
  EXPECT_EQ(Checked("GET", "/api/v1/evaluations/run?id=" + run.body["id"].get<std::string>()).status, 200);
  EXPECT_EQ(Checked("GET", "/api/v1/evaluations/run?id=run-nope").status, 404);
  EXPECT_EQ(Checked("GET", "/api/v1/evaluations/run").status, 400);
  Reply queue = Checked("GET", "/api/v1/evaluations?state=pending&limit=3");
  EXPECT_EQ(queue.status, 200);
  EXPECT_EQ(queue.body["evaluations"].size(), 3u);
  EXPECT_EQ(Checked("GET", "/api/v1/evaluations?state=lost").status, 400);
  EXPECT_GE(checked_, 20);
}

// Evaluation disabled: status shrinks and runs answer 503, as documented.
TEST_F(EvalOpenApiServerTest, DisabledAnswersMatchToo) {
  server_->Shutdown();
  api_ = std::make_unique<EvalHttpApi>(&store_, nullptr, &clock_);
  server_ = std::make_unique<ingest::HttpServer>(ingest::HttpServerConfig{}, "api", nullptr);
  api_->Register(*server_);
  ASSERT_TRUE(server_->Start().ok());
  Reply status = Checked("GET", "/api/v1/evaluation/status");
  EXPECT_EQ(status.body["enabled"], false);
  EXPECT_EQ(Checked("POST", "/api/v1/evaluations/run", "{}").status, 503);
  EXPECT_EQ(Checked("GET", "/api/v1/evaluations/run?id=x").status, 503);
}

}  // namespace
}  // namespace loupe::eval
