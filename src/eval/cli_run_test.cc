// `loupe eval run` against a real HTTP server with the evaluation API, an
// evaluator and the fake judge: the CI gate's exit codes.
#include "eval/cli_run.h"

#include <gtest/gtest.h>

#include <sstream>

#include "eval/evaluator.h"
#include "eval/http_api.h"
#include "eval/http_transport.h"
#include "eval/testing/fake_judge_process.h"
#include "eval/testing/memory_store.h"
#include "eval/testing/spans.h"
#include "ingest/http_server.h"

namespace loupe::eval {
namespace {

constexpr uint64_t kSec = 1'000'000'000ull;

class CliRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.Control(R"({"default": {"mode": "ok", "scores": {"accuracy": 3, "relevance": 4, "safety": 5}}})");
    EvalConfig c;
    c.enabled = true;
    c.default_rate = 0;
    c.burst.enabled = false;
    c.builtins_enabled = false;
    c.poll_seconds = 0.01;
    c.judge.base_url = fake_.base_url();
    c.judge.canary = false;
    Evaluator::Deps deps;
    deps.store = &store_;
    auto e = Evaluator::Create(c, deps);
    ASSERT_TRUE(e.ok());
    evaluator_ = std::move(*e);
    ASSERT_TRUE(evaluator_->Start().ok());
    api_ = std::make_unique<EvalHttpApi>(&store_, evaluator_.get(), &SystemClock::Get());
    ingest::HttpServerConfig hc;
    hc.addr = "127.0.0.1:0";
    server_ = std::make_unique<ingest::HttpServer>(hc, "api", nullptr);
    api_->Register(*server_);
    ASSERT_TRUE(server_->Start().ok());
    const uint64_t now = SystemClock::Get().NowUnixNanos();
    std::vector<model::SpanRecord> calls;
    for (uint64_t i = 1; i <= 4; ++i) calls.push_back(testing::MakeCall({.trace = i, .start_ns = now - 60 * kSec}));
    calls.push_back(testing::MakeCall({.trace = 9, .start_ns = now - 60 * kSec, .feature = "search"}));
    store_.Add(calls);
  }
  void TearDown() override {
    server_->Shutdown();
    evaluator_->Shutdown();
  }

  int Run(EvalRunOptions o, std::string* out_text = nullptr, std::string* err_text = nullptr) {
    o.url = "http://127.0.0.1:" + std::to_string(server_->port());
    o.poll_seconds = 0.05;
    o.timeout_seconds = 20;
    std::ostringstream out, err;
    auto t = NewCurlTransport();
    int code = RunEval(o, *t, out, err);
    if (out_text) *out_text = out.str();
    if (err_text) *err_text = err.str();
    return code;
  }

  testing::FakeJudgeProcess fake_;
  testing::MemoryStore store_;
  std::unique_ptr<Evaluator> evaluator_;
  std::unique_ptr<EvalHttpApi> api_;
  std::unique_ptr<ingest::HttpServer> server_;
};

TEST_F(CliRunTest, ScoresTheSliceAndPassesTheGate) {
  EvalRunOptions o;
  o.feature = "chat";
  o.min_mean = 2.5;
  std::string out, err;
  EXPECT_EQ(Run(o, &out, &err), kEvalOk) << out << err;
  EXPECT_NE(out.find("4 calls to score"), std::string::npos) << out;
  EXPECT_NE(out.find("scored 4, failed 0"), std::string::npos) << out;
  EXPECT_NE(out.find("accuracy"), std::string::npos);
}

TEST_F(CliRunTest, FailsTheGateBelowTheThreshold) {
  EvalRunOptions o;
  o.feature = "chat";
  o.min_mean = 3.5;  // accuracy is 3
  std::string err;
  EXPECT_EQ(Run(o, nullptr, &err), kEvalBelowThreshold);
  EXPECT_NE(err.find("accuracy mean 3 is below --min-mean 3.5"), std::string::npos) << err;
  o.dimension = "safety";  // 5: passes when only safety is gated
  EXPECT_EQ(Run(o), kEvalOk);
  o.feature = "nothing-here";
  EXPECT_EQ(Run(o), kEvalBelowThreshold);  // nothing scored cannot pass a gate
}

TEST_F(CliRunTest, Errors) {
  EvalRunOptions o;
  o.rubric = "nope";
  std::string err;
  EXPECT_EQ(Run(o, nullptr, &err), kEvalError);
  EXPECT_NE(err.find("unknown rubric"), std::string::npos) << err;
  o = EvalRunOptions();
  o.url = "http://127.0.0.1:1";
  auto t = NewCurlTransport();
  std::ostringstream out, e2;
  EXPECT_EQ(RunEval(o, *t, out, e2), kEvalError);
  EXPECT_NE(e2.str().find("cannot reach"), std::string::npos);
}

}  // namespace
}  // namespace loupe::eval
