// Contract tests of the query API: a real ephemeral store and the real
// HTTP server on 127.0.0.1:0, asked over HTTP like any client would.
#include "api/query_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/handlers.h"
#include "ingest/http_server.h"
#include "ingest/test_http_client.h"
#include "pricing/pricer.h"
#include "store/store.h"
#include "store/test_util.h"

namespace loupe::api {
namespace {

using nlohmann::json;
using store::testing::LlmSpan;
using store::testing::LlmSpec;
using store::testing::PlainSpan;
using store::testing::TraceIdOf;

constexpr uint64_t kMin = 60'000'000'000ull;
// 2025-06-15T15:06:00Z, a whole minute.
constexpr uint64_t kT0 = store::testing::kTestEpoch - 40'000'000'000ull;

std::string Hex(uint64_t trace) { return model::ToHex(TraceIdOf(trace)); }

// Three traces:
//  1: "handle /chat" root + two gpt-4o calls (team search, feature answer,
//     user u1, session s1, prompt v1), at T0.
//  2: one claude call that failed (team billing, user u2, session s2,
//     prompt v2), 3 s long, at T0+10m.
//  3: one gpt-4o-mini call about Berlin (team search, feature rerank,
//     session s1, prompt v2), at T0+20m.
std::vector<model::SpanRecord> Spans() {
  std::vector<model::SpanRecord> out;
  model::SpanRecord root = PlainSpan(1, 1, 0, kT0, "handle /chat");
  root.span.attributes.Add("http.route", "/chat");
  model::Event event;
  event.time_unix_nano = kT0 + 1000;
  event.name = "cache.miss";
  event.attributes.Add("key", "k1");
  root.span.events.push_back(event);
  root.span.end_time_unix_nano = kT0 + 2'000'000;
  out.push_back(root);
  LlmSpec a{.trace = 1, .span = 2, .parent = 1, .start_ns = kT0 + 100};
  out.push_back(LlmSpan(a));
  out.back().llm->cost.price_entry = "openai/gpt-4o";
  out.back().llm->cost.input_nanos = 1000;
  out.back().llm->cost.output_nanos = 500;
  LlmSpec b{.trace = 1, .span = 3, .parent = 1, .start_ns = kT0 + 200, .input = 50, .output = 10};
  out.push_back(LlmSpan(b));
  LlmSpec c{.trace = 2, .span = 4, .start_ns = kT0 + 10 * kMin, .duration_ns = 3'000'000'000,
            .service = "billing-api", .team = "billing", .feature = "summarize", .model = "claude-haiku-4-5",
            .provider = "anthropic", .user = "u2", .session = "s2", .prompt_version = "v2",
            .input = 1000, .output = 200, .cost_nanos = 9000, .error = true};
  out.push_back(LlmSpan(c));
  out.back().span.status.message = "rate limited";
  LlmSpec d{.trace = 3, .span = 5, .start_ns = kT0 + 20 * kMin, .feature = "rerank", .model = "gpt-4o-mini",
            .prompt_version = "v2", .input = 40, .output = 5, .cost_nanos = 500,
            .prompt = "Tell me about Berlin"};
  out.push_back(LlmSpan(d));
  return out;
}

// Judge accuracy scores: trace 1's first call 4, trace 2's call 2; a
// human thumbs-up (1) on trace 3.
std::vector<store::Score> Scores() {
  auto score = [](uint64_t trace, uint64_t span, std::string evaluator, std::string dimension, double value) {
    store::Score s;
    s.trace_id = TraceIdOf(trace);
    s.span_id = store::testing::SpanIdOf(span);
    s.evaluator = std::move(evaluator);
    s.dimension = std::move(dimension);
    s.value = value;
    s.source = s.evaluator == "human" ? store::ScoreSource::kHuman : store::ScoreSource::kJudge;
    s.reasoning = "because";
    s.created_ns = kT0 + 30 * kMin;
    return s;
  };
  return {score(1, 2, "judge/default", "accuracy", 4), score(2, 4, "judge/default", "accuracy", 2),
          score(3, 5, "human", "thumbs", 1)};
}

struct Reply {
  int status = 0;
  json body;
};

class QueryApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store::StoreConfig config;  // empty data_dir: ephemeral
    config.clock = store::testing::PinnedClock();
    store_ = std::move(store::OpenStore(config)).value().release();
    ASSERT_TRUE(store_->Start().ok());
    model::Batch batch;
    batch.spans = Spans();
    model::Batch* batches[] = {&batch};
    ASSERT_TRUE(store_->Consume(batches).ok());
    ASSERT_TRUE(store_->WaitForIndexer(std::chrono::seconds(10)).ok());
    ASSERT_TRUE(store_->PutScores(Scores(), /*new_version=*/false).ok());
    pricer_ = std::move(pricing::Pricer::Create(pricing::PricingConfig{})).value().release();
    clock_ = new ManualClock(kT0 + 60 * kMin);
    api_ = new QueryApi(store_, &pricer_->catalog(), clock_);
    server_ = new ingest::HttpServer(ingest::HttpServerConfig{}, "api", nullptr);
    api_->Register(*server_);
    ASSERT_TRUE(server_->Start().ok());
  }
  static void TearDownTestSuite() {
    server_->Shutdown();
    delete server_;
    delete api_;
    delete clock_;
    delete pricer_;
    store_->Shutdown();
    delete store_;
  }

  static Reply Get(const std::string& target) {
    ingest::testing::TestClient client(server_->port());
    auto r = client.Request("GET", target);
    Reply out;
    out.status = r.status;
    out.body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(out.body.is_discarded()) << target << ": not JSON: " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/json") << target;
    return out;
  }

  // The trace ids of a search, in answer order.
  static std::vector<std::string> Ids(const std::string& query) {
    Reply r = Get("/api/v1/traces" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body.dump();
    std::vector<std::string> out;
    for (const auto& t : r.body["traces"]) out.push_back(t["trace_id"]);
    return out;
  }

  static json Group(const json& stats, const json& key) {
    for (const auto& g : stats["groups"]) {
      if (g["key"] == key) return g;
    }
    return nullptr;
  }

  static inline store::Store* store_ = nullptr;
  static inline pricing::Pricer* pricer_ = nullptr;
  static inline ManualClock* clock_ = nullptr;
  static inline QueryApi* api_ = nullptr;
  static inline ingest::HttpServer* server_ = nullptr;
};

// --- /api/v1/traces --------------------------------------------------------

TEST_F(QueryApiTest, SearchReturnsSummariesNewestFirst) {
  Reply r = Get("/api/v1/traces");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["traces"].size(), 3u);
  EXPECT_TRUE(r.body["next_cursor"].is_null());
  const json& oldest = r.body["traces"][2];
  EXPECT_EQ(oldest["trace_id"], Hex(1));
  EXPECT_EQ(oldest["root_name"], "handle /chat");
  EXPECT_EQ(oldest["service"], "chat-api");
  EXPECT_EQ(oldest["start"], "2025-06-15T15:06:00Z");
  EXPECT_EQ(oldest["spans"], 3);
  EXPECT_EQ(oldest["llm_calls"], 2);
  EXPECT_EQ(oldest["tokens"], 180);
  EXPECT_EQ(oldest["cost_nanos"], 3000);
  EXPECT_DOUBLE_EQ(oldest["cost_usd"].get<double>(), 3e-6);
  EXPECT_DOUBLE_EQ(oldest["duration_ms"].get<double>(), 2.0);
  EXPECT_EQ(oldest["status"], "ok");
  EXPECT_TRUE(oldest["scores"].is_array());
  EXPECT_EQ(r.body["traces"][1]["status"], "error");
}

TEST_F(QueryApiTest, EveryFilterSelectsTheRightTraces) {
  struct Case {
    std::string query;
    std::vector<std::string> want;
  } cases[] = {
      {"?team=billing", {Hex(2)}},
      {"?team=search", {Hex(3), Hex(1)}},
      {"?feature=rerank", {Hex(3)}},
      {"?model=gpt-4o-mini", {Hex(3)}},
      {"?model=gpt-4o", {Hex(1)}},
      {"?service=billing-api", {Hex(2)}},
      {"?user=u2", {Hex(2)}},
      {"?session=s1", {Hex(3), Hex(1)}},
      {"?status=error", {Hex(2)}},
      {"?status=ok", {Hex(3), Hex(1)}},
      {"?min_cost_usd=0.000005", {Hex(2)}},
      {"?min_cost_usd=0.0000015", {Hex(2), Hex(1)}},
      {"?min_duration_ms=2000", {Hex(2)}},
      {"?min_duration_ms=1.5", {Hex(2), Hex(1)}},
      {"?q=Berlin", {Hex(3)}},
      {"?since=2025-06-15T15:15:00Z", {Hex(3), Hex(2)}},
      {"?until=2025-06-15T15:15:00Z", {Hex(1)}},
      {"?since=55m", {Hex(3), Hex(2)}},  // now is T0+60m
      {"?since=55m&until=45m", {Hex(2)}},
      {"?team=search&feature=answer&user=u1", {Hex(1)}},
      {"?team=nobody", {}},
      {"?provider=anthropic", {Hex(2)}},
      {"?prompt_version=v2", {Hex(3), Hex(2)}},
      {"?environment=test", {Hex(3), Hex(2), Hex(1)}},
      {"?environment=prod", {}},
      {"?score_below=accuracy:3", {Hex(2)}},
      {"?score_below=accuracy:4.5", {Hex(2), Hex(1)}},
      {"?score_below=accuracy:4.5&score_evaluator=human", {}},
      {"?score_below=helpfulness:5", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(Ids(c.query), c.want) << c.query;
}

TEST_F(QueryApiTest, CursorPagingVisitsEveryTraceOnce) {
  for (std::string filter : {"", "&status=ok", "&min_duration_ms=1"}) {
    std::vector<std::string> seen;
    std::string target = "/api/v1/traces?limit=1" + filter;
    for (int pages = 0; pages < 10; ++pages) {
      Reply r = Get(target);
      ASSERT_EQ(r.status, 200) << r.body.dump();
      ASSERT_LE(r.body["traces"].size(), 1u);
      for (const auto& t : r.body["traces"]) seen.push_back(t["trace_id"]);
      if (r.body["next_cursor"].is_null()) break;
      target = "/api/v1/traces?limit=1" + filter + "&cursor=" + r.body["next_cursor"].get<std::string>();
    }
    std::vector<std::string> want = filter == "&status=ok" ? std::vector<std::string>{Hex(3), Hex(1)}
                                                           : std::vector<std::string>{Hex(3), Hex(2), Hex(1)};
    EXPECT_EQ(seen, want) << filter;
  }
}

TEST_F(QueryApiTest, BadParametersAre400NamingTheParameter) {
  struct Case {
    std::string target, param, says;
  } cases[] = {
      {"/api/v1/traces?since=yesterday", "since", "RFC 3339"},
      {"/api/v1/traces?until=2025-99-01", "until", "RFC 3339"},
      {"/api/v1/traces?since=1h&until=2h", "until", "after \"since\""},
      {"/api/v1/traces?limit=0", "limit", "from 1 to 1000"},
      {"/api/v1/traces?limit=1001", "limit", "from 1 to 1000"},
      {"/api/v1/traces?status=broken", "status", "one of ok, error"},
      {"/api/v1/traces?min_cost_usd=-1", "min_cost_usd", "USD amount"},
      {"/api/v1/traces?min_duration_ms=fast", "min_duration_ms", "milliseconds"},
      {"/api/v1/traces?team=", "team", "non-empty"},
      {"/api/v1/traces?score_below=0.5", "score_below", "DIMENSION:VALUE"},
      {"/api/v1/traces?score_below=accuracy:high", "score_below", "DIMENSION:VALUE"},
      {"/api/v1/traces?score_evaluator=judge", "score_evaluator", "only meaningful with score_below"},
      {"/api/v1/traces?colour=red", "colour", "unknown parameter"},
      {"/api/v1/traces?team=a&team=b", "team", "more than once"},
      {"/api/v1/traces?cursor=garbage", "cursor", "cursor"},
      {"/api/v1/traces?team=%zz", "team", "%-escape"},
      {"/api/v1/traces/abc", "trace_id", "32 hex digits"},
      {"/api/v1/traces/" + std::string(32, '0'), "trace_id", "not all zero"},
      {"/api/v1/traces/" + Hex(1) + "?x=1", "x", "unknown parameter"},
      {"/api/v1/sessions?limit=201", "limit", "from 1 to 200"},
      {"/api/v1/sessions?team=x", "team", "unknown parameter"},
      {"/api/v1/sessions/s1?since=later", "since", "RFC 3339"},
      {"/api/v1/sessions/a/b", "session_id", "path segment"},
      {"/api/v1/stats?group_by=team,colour", "group_by", "comma-separated list"},
      {"/api/v1/stats?since=2020-01-01&group_by=user", "since", "user:"},
      {"/api/v1/stats?group_by=status&measures=score_avg", "group_by", "cannot be grouped by status"},
      {"/api/v1/stats?order_by=score_avg", "order_by", "a measure name"},
      {"/api/v1/stats?q=Berlin", "q", "not supported yet"},
      {"/api/v1/stats?min_cost_usd=1", "min_cost_usd", "not supported yet"},
      {"/api/v1/stats?min_duration_ms=1", "min_duration_ms", "not supported yet"},
      {"/api/v1/stats?measures=requests,vibes", "measures", "comma-separated list of requests"},
      {"/api/v1/stats?order_by=vibes", "order_by", "a measure name"},
      {"/api/v1/stats?order_by=cost_usd:up", "order_by", "a measure name"},
      {"/api/v1/stats?step=5", "step", "duration"},
      {"/api/v1/stats?step=30s", "step", "whole number of minutes"},
      {"/api/v1/stats?since=7d&step=1m", "step", "at most 500"},
      {"/api/v1/stats?status=maybe", "status", "ok or error"},
      {"/api/v1/stats?limit=0", "limit", "from 1 to 1000"},
      {"/api/v1/stats?since=1h&until=2h", "until", "after \"since\""},
      {"/api/v1/stats?since=2099-01-01&step=1h", "since", "before now"},
      {"/api/v1/prices", "model", "required"},
      {"/api/v1/prices?model=gpt-4o&at=never", "at", "RFC 3339"},
  };
  for (const auto& c : cases) {
    Reply r = Get(c.target);
    EXPECT_EQ(r.status, 400) << c.target << ": " << r.body.dump();
    EXPECT_EQ(r.body["error"]["status"], 400) << c.target;
    EXPECT_EQ(r.body["error"]["parameter"], c.param) << c.target << ": " << r.body.dump();
    std::string message = r.body["error"]["message"].is_string() ? r.body["error"]["message"].get<std::string>() : "";
    EXPECT_NE(message.find(c.says), std::string::npos) << c.target << ": " << message;
  }
}

// --- /api/v1/traces/{id} ---------------------------------------------------

TEST_F(QueryApiTest, TraceDetailHasTreeAttributesEventsStatusAndPricedCalls) {
  Reply r = Get("/api/v1/traces/" + Hex(1));
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const json& spans = r.body["spans"];
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0]["name"], "handle /chat");
  EXPECT_EQ(spans[0]["depth"], 0);
  EXPECT_TRUE(spans[0]["parent_span_id"].is_null());
  EXPECT_EQ(spans[0]["attributes"]["http.route"], "/chat");
  EXPECT_EQ(spans[0]["resource"]["service.name"], "chat-api");
  ASSERT_EQ(spans[0]["events"].size(), 1u);
  EXPECT_EQ(spans[0]["events"][0]["name"], "cache.miss");
  EXPECT_EQ(spans[0]["events"][0]["attributes"]["key"], "k1");
  EXPECT_TRUE(spans[0]["llm_call"].is_null());
  // Children by start time, under the root.
  EXPECT_EQ(spans[1]["span_id"], model::ToHex(store::testing::SpanIdOf(2)));
  EXPECT_EQ(spans[2]["span_id"], model::ToHex(store::testing::SpanIdOf(3)));
  EXPECT_EQ(spans[1]["depth"], 1);
  EXPECT_EQ(spans[1]["parent_span_id"], spans[0]["span_id"]);
  EXPECT_EQ(spans[1]["status"]["code"], "STATUS_CODE_UNSET");
  EXPECT_EQ(spans[1]["kind"], "SPAN_KIND_CLIENT");
  EXPECT_EQ(spans[1]["attributes"]["gen_ai.usage.input_tokens"], 100);

  const json& call = spans[1]["llm_call"];
  EXPECT_EQ(call["tokens"]["input"], 100);
  EXPECT_EQ(call["tokens"]["output"], 20);
  EXPECT_EQ(call["cost"]["source"], "catalog");
  EXPECT_EQ(call["cost"]["total_nanos"], 1500);
  EXPECT_EQ(call["cost"]["input_nanos"], 1000);
  EXPECT_EQ(call["cost"]["output_nanos"], 500);
  EXPECT_EQ(call["input_messages"][0]["role"], "user");
  EXPECT_EQ(call["input_messages"][0]["parts"][0]["content"], "What is the capital of France?");
  EXPECT_EQ(call["team"], "search");
  // The price entry used, as the catalog holds it.
  ASSERT_TRUE(call["price"].is_object()) << call.dump();
  EXPECT_EQ(call["price"]["key"], "openai/gpt-4o");
  EXPECT_EQ(call["price"]["in_catalog"], true);
  const pricing::PriceEntry* entry = pricer_->catalog().FindKey("openai/gpt-4o");
  ASSERT_NE(entry, nullptr);
  const pricing::PriceVersion* v = entry->VersionAt(static_cast<int64_t>(kT0));
  ASSERT_NE(v, nullptr);
  EXPECT_DOUBLE_EQ(call["price"]["version"]["usd_per_mtok"]["input"].get<double>(),
                   static_cast<double>(*v->standard.base.input) / 1e9);
  EXPECT_TRUE(spans[2]["llm_call"]["price"].is_null());  // no price entry recorded

  EXPECT_EQ(r.body["totals"]["llm_calls"], 2);
  EXPECT_EQ(r.body["totals"]["tokens"], 180);
  EXPECT_EQ(r.body["totals"]["cost_nanos"], 3000);
  EXPECT_TRUE(r.body["scores"].is_array());
}

TEST_F(QueryApiTest, TraceDetailErrorStatusAndUnknownTrace) {
  Reply r = Get("/api/v1/traces/" + Hex(2));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["spans"][0]["status"]["code"], "STATUS_CODE_ERROR");
  EXPECT_EQ(r.body["spans"][0]["status"]["message"], "rate limited");
  EXPECT_EQ(r.body["totals"]["error_spans"], 1);
  Reply missing = Get("/api/v1/traces/" + Hex(99));
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.body["error"]["parameter"].is_null());
  // Upper-case hex is the same trace.
  std::string upper = Hex(1);
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(Get("/api/v1/traces/" + upper).status, 200);
}

// --- /api/v1/sessions ------------------------------------------------------

TEST_F(QueryApiTest, ScoresShowInSummariesDetailAndStats) {
  Reply page = Get("/api/v1/traces?team=billing");
  ASSERT_EQ(page.status, 200) << page.body.dump();
  ASSERT_EQ(page.body["traces"][0]["scores"].size(), 1u);
  EXPECT_EQ(page.body["traces"][0]["scores"][0]["dimension"], "accuracy");
  EXPECT_EQ(page.body["traces"][0]["scores"][0]["mean"], 2.0);

  Reply detail = Get("/api/v1/traces/" + Hex(1));
  ASSERT_EQ(detail.body["scores"].size(), 1u);
  EXPECT_EQ(detail.body["scores"][0]["evaluator"], "judge/default");
  EXPECT_EQ(detail.body["scores"][0]["span_id"], model::ToHex(store::testing::SpanIdOf(2)));
  EXPECT_EQ(detail.body["scores"][0]["value"], 4.0);
  EXPECT_EQ(detail.body["scores"][0]["source"], "judge");
  EXPECT_EQ(detail.body["scores"][0]["reasoning"], "because");

  Reply stats = Get("/api/v1/stats?group_by=team&measures=requests,score_avg,score_count&order_by=requests");
  ASSERT_EQ(stats.status, 200) << stats.body.dump();
  std::map<std::string, json> by_team;
  for (const auto& g : stats.body["groups"]) by_team[g["key"]["team"]] = g;
  EXPECT_EQ(by_team["search"]["score_avg"]["accuracy"], 4.0);
  EXPECT_EQ(by_team["search"]["score_avg"]["thumbs"], 1.0);
  EXPECT_EQ(by_team["search"]["score_count"]["accuracy"], 1);
  EXPECT_EQ(by_team["billing"]["score_avg"], json({{"accuracy", 2.0}}));

  Reply narrowed = Get("/api/v1/stats?measures=score_avg&score_dimension=accuracy");
  ASSERT_EQ(narrowed.body["groups"].size(), 1u);
  EXPECT_EQ(narrowed.body["groups"][0]["score_avg"], json({{"accuracy", 3.0}}));
}

TEST_F(QueryApiTest, StatsGroupByUserAndSession) {
  Reply r = Get("/api/v1/stats?since=2h&group_by=user&measures=requests,cost_nanos&order_by=requests");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  std::map<std::string, json> by_user;
  for (const auto& g : r.body["groups"]) by_user[g["key"]["user"]] = g;
  EXPECT_EQ(by_user["u1"]["requests"], 3);
  EXPECT_EQ(by_user["u2"]["requests"], 1);
  EXPECT_EQ(by_user["u2"]["cost_nanos"], 9000);
  Reply s = Get("/api/v1/stats?since=2h&session=s2&measures=requests");
  ASSERT_EQ(s.body["groups"].size(), 1u);
  EXPECT_EQ(s.body["groups"][0]["requests"], 1);
}

TEST_F(QueryApiTest, SessionsListNewestActivityFirstWithTotals) {
  Reply r = Get("/api/v1/sessions");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["sessions"].size(), 2u);
  const json& s1 = r.body["sessions"][0];
  EXPECT_EQ(s1["session_id"], "s1");
  EXPECT_EQ(s1["traces_count"], 2);
  EXPECT_EQ(s1["llm_calls"], 3);
  EXPECT_EQ(s1["tokens"], 225);
  EXPECT_EQ(s1["cost_nanos"], 3500);
  EXPECT_EQ(s1["user"], "u1");
  EXPECT_EQ(r.body["sessions"][1]["session_id"], "s2");
  EXPECT_TRUE(r.body["next_cursor"].is_null());

  Reply by_user = Get("/api/v1/sessions?user=u2");
  ASSERT_EQ(by_user.body["sessions"].size(), 1u);
  EXPECT_EQ(by_user.body["sessions"][0]["session_id"], "s2");
  Reply first = Get("/api/v1/sessions?limit=1");
  ASSERT_EQ(first.body["sessions"].size(), 1u);
  EXPECT_EQ(first.body["sessions"][0]["session_id"], "s1");
  ASSERT_TRUE(first.body["next_cursor"].is_string());
  Reply second = Get("/api/v1/sessions?limit=1&cursor=" + first.body["next_cursor"].get<std::string>());
  ASSERT_EQ(second.body["sessions"].size(), 1u);
  EXPECT_EQ(second.body["sessions"][0]["session_id"], "s2");
}

TEST_F(QueryApiTest, SessionShowsItsTracesInOrder) {
  Reply r = Get("/api/v1/sessions/s1");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["traces"].size(), 2u);
  EXPECT_EQ(r.body["traces"][0]["trace_id"], Hex(1));  // oldest first: a conversation reads forward
  EXPECT_EQ(r.body["traces"][1]["trace_id"], Hex(3));
  EXPECT_EQ(r.body["cost_nanos"], 3500);
  EXPECT_EQ(r.body["start"], "2025-06-15T15:06:00Z");
  EXPECT_EQ(r.body["complete"], true);
  EXPECT_EQ(Get("/api/v1/sessions/s1?until=2025-06-15T15:10:00Z").body["traces"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/sessions/nobody").status, 404);
  EXPECT_EQ(Get("/api/v1/sessions/s%31").body["session_id"], "s1");  // %-decoded
  EXPECT_EQ(Get("/api/v1/sessions/s+1").status, 404);                   // '+' is not a space in a path
}

// --- /api/v1/stats ---------------------------------------------------------

TEST_F(QueryApiTest, StatsGroupByTeamWithMeasures) {
  Reply r = Get("/api/v1/stats?group_by=team&measures=requests,errors,error_rate,cost_nanos,cost_usd,"
                "cost_per_request,input_tokens,output_tokens,unpriced_requests,p50_ms");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  ASSERT_EQ(r.body["groups"].size(), 2u);
  const json& search = r.body["groups"][0];  // default order: first measure (requests), descending
  EXPECT_EQ(search["key"], json({{"team", "search"}}));
  EXPECT_EQ(search["requests"], 3);
  EXPECT_EQ(search["errors"], 0);
  EXPECT_DOUBLE_EQ(search["error_rate"].get<double>(), 0.0);
  EXPECT_EQ(search["cost_nanos"], 3500);
  EXPECT_DOUBLE_EQ(search["cost_usd"].get<double>(), 3.5e-6);
  EXPECT_DOUBLE_EQ(search["cost_per_request"].get<double>(), 3.5e-6 / 3);
  EXPECT_EQ(search["input_tokens"], 190);
  EXPECT_EQ(search["output_tokens"], 35);
  EXPECT_EQ(search["unpriced_requests"], 0);
  EXPECT_GT(search["p50_ms"].get<double>(), 0.5);
  EXPECT_LT(search["p50_ms"].get<double>(), 1.5);
  EXPECT_FALSE(search.contains("series"));
  const json& billing = r.body["groups"][1];
  EXPECT_EQ(billing["key"]["team"], "billing");
  EXPECT_EQ(billing["errors"], 1);
  EXPECT_DOUBLE_EQ(billing["error_rate"].get<double>(), 1.0);
}

TEST_F(QueryApiTest, StatsOrderLimitFiltersAndDefaults) {
  Reply by_cost = Get("/api/v1/stats?group_by=team&measures=requests,cost_nanos&order_by=cost_nanos");
  EXPECT_EQ(by_cost.body["groups"][0]["key"]["team"], "billing");
  Reply asc = Get("/api/v1/stats?group_by=team&measures=cost_nanos&order_by=cost_nanos:asc&limit=1");
  ASSERT_EQ(asc.body["groups"].size(), 1u);
  EXPECT_EQ(asc.body["groups"][0]["key"]["team"], "search");

  Reply pv = Get("/api/v1/stats?group_by=prompt_version&measures=requests,input_tokens,cost_nanos&order_by=requests:asc");
  EXPECT_EQ(pv.body["groups"][0]["key"]["prompt_version"], "v1");
  EXPECT_EQ(pv.body["groups"][0]["requests"], 2);
  EXPECT_EQ(Group(pv.body, {{"prompt_version", "v2"}})["cost_nanos"], 9500);

  Reply two = Get("/api/v1/stats?group_by=team,feature&team=search&measures=requests");
  ASSERT_EQ(two.body["groups"].size(), 2u);
  EXPECT_EQ(Group(two.body, {{"team", "search"}, {"feature", "answer"}})["requests"], 2);
  EXPECT_EQ(Group(two.body, {{"team", "search"}, {"feature", "rerank"}})["requests"], 1);

  Reply errors = Get("/api/v1/stats?status=error&measures=requests");
  ASSERT_EQ(errors.body["groups"].size(), 1u);
  EXPECT_EQ(errors.body["groups"][0]["key"], json::object());
  EXPECT_EQ(errors.body["groups"][0]["requests"], 1);

  for (std::string dim : {"model", "provider", "service", "environment", "status"}) {
    Reply g = Get("/api/v1/stats?group_by=" + dim + "&measures=requests");
    ASSERT_EQ(g.status, 200) << dim;
    int64_t total = 0;
    for (const auto& row : g.body["groups"]) total += row["requests"].get<int64_t>();
    EXPECT_EQ(total, 4) << dim;
  }
  EXPECT_EQ(Get("/api/v1/stats?group_by=provider&provider=anthropic&measures=requests").body["groups"][0]["requests"], 1);

  Reply defaults = Get("/api/v1/stats");
  ASSERT_EQ(defaults.status, 200);
  for (const char* m : {"requests", "errors", "input_tokens", "output_tokens", "cost_usd"}) {
    EXPECT_TRUE(defaults.body["groups"][0].contains(m)) << m;
  }
  // The default range is the last 24 hours: nothing a week before T0.
  clock_->Set(kT0 + 8 * 1440 * kMin);
  Reply old = Get("/api/v1/stats?measures=requests");
  clock_->Set(kT0 + 60 * kMin);
  EXPECT_TRUE(old.body["groups"].empty() || old.body["groups"][0]["requests"] == 0) << old.body.dump();
}

TEST_F(QueryApiTest, StatsTimeSeriesHasOnePointPerStep) {
  Reply r = Get("/api/v1/stats?since=2025-06-15T15:06:00Z&until=2025-06-15T15:36:00Z&step=10m"
                "&group_by=team&measures=requests,cost_nanos,p95_ms");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["step_seconds"], 600);
  json search = Group(r.body, {{"team", "search"}});
  ASSERT_EQ(search["series"].size(), 3u);
  EXPECT_EQ(search["series"][0]["start"], "2025-06-15T15:06:00Z");
  EXPECT_EQ(search["series"][1]["start"], "2025-06-15T15:16:00Z");
  EXPECT_EQ(search["series"][0]["requests"], 2);
  EXPECT_EQ(search["series"][1]["requests"], 0);
  EXPECT_TRUE(search["series"][1]["p95_ms"].is_null());
  EXPECT_EQ(search["series"][2]["requests"], 1);
  EXPECT_EQ(search["series"][2]["cost_nanos"], 500);
  json billing = Group(r.body, {{"team", "billing"}});
  EXPECT_EQ(billing["series"][1]["requests"], 1);
  EXPECT_GT(billing["series"][1]["p95_ms"].get<double>(), 2500.0);
}

// --- /api/v1/prices and openapi.json ---------------------------------------

TEST_F(QueryApiTest, PricesSayWhatMatchedAndWhy) {
  Reply r = Get("/api/v1/prices?model=gpt-4o-2024-08-06");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["matched"], true);
  EXPECT_FALSE(r.body["why"].get<std::string>().empty());
  EXPECT_EQ(r.body["entry"]["provider"], "openai");
  EXPECT_FALSE(r.body["entry"]["prices"].empty());
  EXPECT_TRUE(r.body["entry"]["prices"][0]["usd_per_mtok"].contains("input"));
  Reply hinted = Get("/api/v1/prices?model=claude-sonnet-4-5&provider=anthropic");
  EXPECT_EQ(hinted.body["provider_hint"], "anthropic");
  Reply none = Get("/api/v1/prices?model=acme-private-llm-7");
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.body["matched"], false);
  EXPECT_TRUE(none.body["entry"].is_null());
  EXPECT_NE(none.body["note"].get<std::string>().find("never $0"), std::string::npos);
}

// Resolves "#/components/..." references in the document.
const json& Resolve(const json& doc, const json& node) {
  if (!node.is_object() || !node.contains("$ref")) return node;
  std::string ref = node["$ref"].get<std::string>().substr(1);
  return doc.at(json::json_pointer(ref));
}

// A small OpenAPI schema check: types, required fields, nullable,
// properties, items, allOf. Adds what is wrong to `errors`.
void Check(const json& doc, const json& schema_in, const json& value, const std::string& where,
           std::vector<std::string>* errors) {
  const json& schema = Resolve(doc, schema_in);
  if (value.is_null()) {
    if (!schema.value("nullable", false)) errors->push_back(where + ": null not allowed");
    return;
  }
  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) Check(doc, part, value, where, errors);
  }
  std::string type = schema.value("type", "");
  bool ok = type.empty() || (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
            (type == "string" && value.is_string()) || (type == "integer" && value.is_number_integer()) ||
            (type == "number" && value.is_number()) || (type == "boolean" && value.is_boolean());
  if (!ok) {
    errors->push_back(where + ": expected " + type + ", got " + value.dump().substr(0, 80));
    return;
  }
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
    errors->push_back(where + ": " + value.dump() + " not in enum");
  }
  if (value.is_object()) {
    for (const auto& r : schema.value("required", json::array())) {
      if (!value.contains(r.get<std::string>())) errors->push_back(where + ": missing " + r.get<std::string>());
    }
    for (const auto& [k, v] : value.items()) {
      if (schema.contains("properties") && schema["properties"].contains(k)) {
        Check(doc, schema["properties"][k], v, where + "." + k, errors);
      } else if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
        Check(doc, schema["additionalProperties"], v, where + "." + k, errors);
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) Check(doc, schema["items"], value[i], where + "[" + std::to_string(i) + "]", errors);
  }
}

TEST_F(QueryApiTest, OpenApiDocumentMatchesTheAnswers) {
  Reply r = Get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  const json& doc = r.body;
  EXPECT_EQ(doc["openapi"], "3.0.3");
  struct Case {
    std::string target, path;
    int status;
  } cases[] = {
      {"/api/v1/traces?team=search", "/api/v1/traces", 200},
      {"/api/v1/traces?limit=1", "/api/v1/traces", 200},
      {"/api/v1/traces?since=nope", "/api/v1/traces", 400},
      {"/api/v1/traces/" + Hex(1), "/api/v1/traces/{trace_id}", 200},
      {"/api/v1/traces/" + Hex(99), "/api/v1/traces/{trace_id}", 404},
      {"/api/v1/sessions", "/api/v1/sessions", 200},
      {"/api/v1/sessions/s1", "/api/v1/sessions/{session_id}", 200},
      {"/api/v1/sessions/zz", "/api/v1/sessions/{session_id}", 404},
      {"/api/v1/stats?group_by=team,model&measures=requests,cost_usd,p99_ms,error_rate", "/api/v1/stats", 200},
      {"/api/v1/stats?since=2025-06-15T15:06:00Z&until=2025-06-15T15:36:00Z&step=10m&group_by=team&measures=p50_ms",
       "/api/v1/stats", 200},
      {"/api/v1/stats?since=2020-01-01&group_by=user", "/api/v1/stats", 400},
      {"/api/v1/stats?group_by=user,feature&measures=requests,score_avg,score_count", "/api/v1/stats", 200},
      {"/api/v1/prices?model=gpt-4o", "/api/v1/prices", 200},
      {"/api/v1/prices?model=acme-7", "/api/v1/prices", 200},
  };
  for (const auto& c : cases) {
    Reply answer = Get(c.target);
    ASSERT_EQ(answer.status, c.status) << c.target;
    const json& op = doc["paths"][c.path]["get"];
    ASSERT_TRUE(op.is_object()) << c.path;
    const json& resp = Resolve(doc, op["responses"][std::to_string(c.status)]);
    ASSERT_TRUE(resp.is_object()) << c.path << " documents no " << c.status;
    std::vector<std::string> errors;
    Check(doc, resp["content"]["application/json"]["schema"], answer.body, c.target, &errors);
    EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
  }
}

std::set<std::string> DocumentedQueryParams(const json& doc, const std::string& path) {
  std::set<std::string> out;
  for (const auto& p : doc["paths"][path]["get"]["parameters"]) {
    const json& param = Resolve(doc, p);
    if (param["in"] == "query") out.insert(param["name"].get<std::string>());
  }
  return out;
}

TEST_F(QueryApiTest, OpenApiListsExactlyTheParametersTheHandlersTake) {
  const json doc = json::parse(internal::OpenApiDocument());
  auto names = [](const ParamTable& t) {
    auto v = t.names();
    return std::set<std::string>(v.begin(), v.end());
  };
  internal::TraceSearchRequest traces;
  internal::SessionListRequest sessions;
  store::TraceQuery session;
  internal::StatsRequest stats;
  internal::PriceRequest prices;
  EXPECT_EQ(DocumentedQueryParams(doc, "/api/v1/traces"), names(internal::TraceSearchParams(0, &traces)));
  EXPECT_EQ(DocumentedQueryParams(doc, "/api/v1/sessions"), names(internal::SessionListParams(0, &sessions)));
  EXPECT_EQ(DocumentedQueryParams(doc, "/api/v1/sessions/{session_id}"), names(internal::SessionParams(0, &session)));
  EXPECT_EQ(DocumentedQueryParams(doc, "/api/v1/stats"), names(internal::StatsParams(0, &stats)));
  EXPECT_EQ(DocumentedQueryParams(doc, "/api/v1/prices"), names(internal::PriceParams(0, &prices)));
  EXPECT_TRUE(DocumentedQueryParams(doc, "/api/v1/traces/{trace_id}").empty());
  // Every measure the handler computes is documented.
  std::string measures;
  for (const json& p : doc["paths"]["/api/v1/stats"]["get"]["parameters"]) {
    if (Resolve(doc, p)["name"] == "measures") measures = Resolve(doc, p)["description"];
  }
  for (const auto& m : internal::StatsMeasures()) EXPECT_NE(measures.find(m), std::string::npos) << m;
}

}  // namespace
}  // namespace loupe::api
