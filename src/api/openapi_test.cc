// OpenApiSpec: merging module fragments into the served document, every
// way a fragment can be refused, and the server fragment against the
// routes server.cc registers.
#include "api/openapi.h"

#include <gtest/gtest.h>

#include "api/handlers.h"
#include "api/llm_call_json.h"
#include "api/openapi_testing.h"
#include "api/query_api.h"
#include "ingest/http_server.h"
#include "ingest/test_http_client.h"

namespace loupe::api {
namespace {

using nlohmann::json;

constexpr const char* kWidgets = R"({
  "paths": {"/api/v1/widgets": {"get": {"summary": "Widgets", "responses": {
    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}},
    "400": {"$ref": "#/components/responses/BadRequest"}}}}},
  "components": {"schemas": {"Widget": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}
})";

TEST(OpenApiSpecTest, StartsFromTheQueryApiDocument) {
  OpenApiSpec spec;
  EXPECT_EQ(spec.text(), internal::OpenApiDocument());
  json doc = json::parse(spec.text());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_TRUE(doc["paths"].contains("/api/v1/traces"));
}

TEST(OpenApiSpecTest, MergesPathsAndComponents) {
  OpenApiSpec spec;
  ASSERT_TRUE(spec.Add("widgets", kWidgets).ok());
  json doc = json::parse(spec.text());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_TRUE(doc["paths"].contains("/api/v1/traces"));  // the base stays
  EXPECT_EQ(doc["paths"]["/api/v1/widgets"]["get"]["summary"], "Widgets");
  EXPECT_EQ(doc["components"]["schemas"]["Widget"]["required"], json::array({"id"}));
  EXPECT_TRUE(doc["components"]["schemas"].contains("Error"));
  // Another method on a documented path joins it.
  ASSERT_TRUE(spec.Add("more", R"({"paths": {"/api/v1/widgets": {"post": {"responses": {"201": {"description": "made"}}}}}})").ok());
  doc = json::parse(spec.text());
  EXPECT_TRUE(doc["paths"]["/api/v1/widgets"].contains("get"));
  EXPECT_TRUE(doc["paths"]["/api/v1/widgets"].contains("post"));
}

TEST(OpenApiSpecTest, RefusesBadFragmentsNamingTheModuleAndLeavesTheDocument) {
  struct Case {
    std::string fragment, want;
  } cases[] = {
      {"{\"paths\": ", "not valid JSON"},
      {"[1, 2]", "want a JSON object"},
      {R"({"paths": {}, "info": {}})", "unknown key \"info\""},
      {R"({"paths": []})", "\"paths\" must be an object"},
      {R"({"paths": {"api/v1/x": {}}})", "must start with /"},
      {R"({"paths": {"/api/v1/traces": {"get": {"responses": {}}}}})", "GET /api/v1/traces is already documented"},
      {R"({"paths": {"/api/v1/x": {"fetch": {"responses": {}}}}})", "\"fetch\" is neither an HTTP method"},
      {R"({"paths": {"/api/v1/x": {"get": {"summary": "no responses"}}}})", "with \"responses\""},
      {R"({"components": {"schemas": {"Error": {"type": "object"}}}})", "components.schemas.Error is already defined"},
      {R"({"components": {"schemas": []}})", "components.schemas must be an object"},
      {R"({"paths": {"/api/v1/x": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}})",
       "\"$ref\": \"#/components/responses/Nope\" at fragment.paths./api/v1/x.get.responses.200 resolves to nothing"},
      {R"({"paths": {"/api/v1/x": {"get": {"responses": {"200": {"$ref": "other.json#/a"}}}}}})", "resolves to nothing"},
  };
  for (const auto& c : cases) {
    OpenApiSpec spec;
    const std::string before = spec.text();
    Status s = spec.Add("alerting", c.fragment);
    ASSERT_FALSE(s.ok()) << c.fragment;
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(s.message().find("openapi fragment of alerting: "), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(c.want), std::string::npos) << s.message();
    EXPECT_EQ(spec.text(), before) << c.fragment;
  }
  // The same fragment twice is a duplicate the second time.
  OpenApiSpec spec;
  ASSERT_TRUE(spec.Add("widgets", kWidgets).ok());
  Status again = spec.Add("widgets2", kWidgets);
  EXPECT_NE(again.message().find("openapi fragment of widgets2: GET /api/v1/widgets is already documented"),
            std::string::npos) << again.message();
}

TEST(OpenApiSpecTest, BaseDocumentListsExactlyTheQueryApiRoutes) {
  json doc = json::parse(internal::OpenApiDocument());
  EXPECT_EQ(testing::Operations(doc), testing::RoutesInSource("src/api/query_api.cc"));
}

TEST(OpenApiSpecTest, ServerFragmentListsExactlyTheServerRoutes) {
  std::set<std::string> in_code = testing::RoutesInSource("src/server/server.cc");
  ASSERT_FALSE(in_code.empty()) << "src/server/server.cc not readable: run from the repository root";
  EXPECT_EQ(testing::Operations(json::parse(ServerOpenApiPaths())), in_code);
  OpenApiSpec spec;
  Status s = spec.Add("server", ServerOpenApiPaths());
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// The live tail's calls, made by the real JSON builder, match the schema.
TEST(OpenApiSpecTest, RecentCallSchemaMatchesTheBuilder) {
  OpenApiSpec spec;
  ASSERT_TRUE(spec.Add("server", ServerOpenApiPaths()).ok());
  json doc = json::parse(spec.text());
  model::SpanRecord full;
  full.span.name = "chat gpt-4o";
  full.span.trace_id[0] = 1;
  full.span.span_id[0] = 2;
  full.span.start_time_unix_nano = 1'750'000'000'000'000'000ull;
  full.span.end_time_unix_nano = full.span.start_time_unix_nano + 1'500'000'000ull;
  full.llm.emplace();
  full.llm->provider = "openai";
  full.llm->request_model = "gpt-4o";
  full.llm->tokens.input = 100;
  full.llm->tokens.output = 20;
  full.llm->cost.total_nanos = 450'000;
  full.llm->cost.source = model::CostSource::kCatalog;
  full.llm->time_to_first_token_nanos = 200'000'000;
  full.llm->finish_reasons = {"stop"};
  full.llm->input_messages = {{"user", {{"text", "hi"}}}};
  full.llm->output_messages = {{"assistant", {{"tool_call", "", "call_1", "search", "{\"q\":1}"}}}};
  model::SpanRecord bare = full;
  bare.llm = model::LlmCall{};  // nothing known: nulls everywhere they may be
  for (const model::SpanRecord* r : {&full, &bare}) {
    json answer = {{"calls", json::array({json::parse(LlmCallToJson(*r))})}};
    auto errors = testing::CheckAnswer(doc, "/api/v1/llm-calls/recent", "get", 200, answer);
    EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
  }
  // And the check is not vacuous: a call without tokens is refused.
  json broken = json::parse(LlmCallToJson(full));
  broken.erase("tokens");
  EXPECT_FALSE(testing::CheckAnswer(doc, "/api/v1/llm-calls/recent", "get", 200, {{"calls", {broken}}}).empty());
}

// QueryApi serves what modules add, even when they add it after Register.
TEST(OpenApiSpecTest, QueryApiServesTheMergedDocument) {
  ManualClock clock(1);
  QueryApi api(nullptr, nullptr, &clock);
  ingest::HttpServer server(ingest::HttpServerConfig{}, "api", nullptr);
  api.Register(server);
  ASSERT_TRUE(api.AddOpenApiPaths("server", ServerOpenApiPaths()).ok());
  ASSERT_TRUE(api.AddOpenApiPaths("widgets", kWidgets).ok());
  Status dup = api.AddOpenApiPaths("widgets-again", kWidgets);
  EXPECT_NE(dup.message().find("widgets-again"), std::string::npos);
  ASSERT_TRUE(server.Start().ok());
  ingest::testing::TestClient client(server.port());
  auto r = client.Request("GET", "/api/v1/openapi.json");
  server.Shutdown();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  json doc = json::parse(r.body);
  for (const char* path : {"/api/v1/traces", "/healthz", "/api/v1/users/{user_id}", "/api/v1/widgets"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
}

}  // namespace
}  // namespace loupe::api
