#include "ui/ui_files.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/http_server.h"
#include "ingest/test_http_client.h"

namespace loupe::ui {
namespace {

const Asset kTable[] = {
    {"/index.html", "text/html; charset=utf-8", "<html>app</html>", "\"idx1\""},
    {"/assets/index-abc123.js", "text/javascript; charset=utf-8", "console.log(1)", "\"js1\""},
    {"/assets/style-def456.css", "text/css; charset=utf-8", "body{}", "\"css1\""},
    {"/favicon.svg", "image/svg+xml", "<svg/>", "\"fav1\""},
};

std::string HeaderOf(const ingest::HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(UiFilesTest, IndexIsRevalidatedWithAnEtag) {
  UiFiles files(kTable);
  for (std::string_view path : {"/", "/index.html"}) {
    ingest::HttpResponse r = files.Serve(path, "");
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<html>app</html>");
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
    EXPECT_EQ(HeaderOf(r, "ETag"), "\"idx1\"");
  }
}

TEST(UiFilesTest, MatchingEtagAnswers304WithoutBody) {
  UiFiles files(kTable);
  for (std::string_view inm : {"\"idx1\"", "W/\"idx1\"", "\"old\", \"idx1\"", "*"}) {
    ingest::HttpResponse r = files.Serve("/", inm);
    EXPECT_EQ(r.status, 304) << inm;
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(HeaderOf(r, "ETag"), "\"idx1\"");
  }
  EXPECT_EQ(files.Serve("/", "\"old\"").status, 200);
  EXPECT_EQ(files.Serve("/", "\"idx\"").status, 200);  // a prefix is not a match
}

TEST(UiFilesTest, HashedAssetsAreImmutableForAYear) {
  UiFiles files(kTable);
  ingest::HttpResponse js = files.Serve("/assets/index-abc123.js", "");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(js, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(files.Serve("/assets/style-def456.css", "").content_type, "text/css; charset=utf-8");
  // A file outside /assets/ has no hash in its name: revalidated.
  EXPECT_EQ(HeaderOf(files.Serve("/favicon.svg", ""), "Cache-Control"), "no-cache");
}

TEST(UiFilesTest, ClientRoutesFallBackToIndex) {
  UiFiles files(kTable);
  for (std::string_view path : {"/traces", "/traces/4bf92f3577b34da6a3ce929d0e0e4736", "/sessions/conv.42", "/cost"}) {
    ingest::HttpResponse r = files.Serve(path, "");
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<html>app</html>") << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
  }
}

TEST(UiFilesTest, NeverAnswersApiOtlpOrMetricsPathsWithThePage) {
  UiFiles files(kTable);
  ingest::HttpResponse api = files.Serve("/api/v1/nope", "");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.content_type, "application/json");
  EXPECT_EQ(api.body, R"({"error":{"status":404,"message":"no route for /api/v1/nope"}})");
  for (std::string_view path : {"/api", "/v1/traces", "/v1/logs", "/metrics", "/healthz", "/readyz"}) {
    ingest::HttpResponse r = files.Serve(path, "");
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("<html>"), std::string::npos) << path;
  }
  // Looks like a UI path but is not reserved: the app decides.
  EXPECT_EQ(files.Serve("/apix", "").status, 200);
}

TEST(UiFilesTest, MissingHashedAssetIs404NotHtml) {
  UiFiles files(kTable);
  ingest::HttpResponse r = files.Serve("/assets/index-old999.js", "");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("<html>"), std::string::npos);
}

TEST(UiFilesTest, NotFoundJsonEscapesThePath) {
  ingest::HttpResponse r = NotFound("/api/\"x\\y");
  EXPECT_EQ(r.body, R"({"error":{"status":404,"message":"no route for /api/\"x\\y"}})");
}

TEST(UiFilesTest, WithoutIndexClientRoutesAre404) {
  const Asset only[] = {{"/assets/a.js", "text/javascript; charset=utf-8", "1", "\"a\""}};
  UiFiles files(only);
  EXPECT_EQ(files.Serve("/traces", "").status, 404);
  EXPECT_EQ(files.Serve("/assets/a.js", "").status, 200);
}

TEST(EmbeddedAssetsTest, TableIsWellFormed) {
  // Either the built UI or the placeholder: there is always an index page.
  bool has_index = false;
  for (const Asset& a : EmbeddedAssets()) {
    EXPECT_EQ(a.path.substr(0, 1), "/") << a.path;
    EXPECT_FALSE(a.content_type.empty()) << a.path;
    ASSERT_GE(a.etag.size(), 3u) << a.path;
    EXPECT_EQ(a.etag.front(), '"');
    EXPECT_EQ(a.etag.back(), '"');
    if (a.path == "/index.html") {
      has_index = true;
      EXPECT_NE(a.body.find("<html"), std::string_view::npos);
      if (!UiBuilt()) {
        EXPECT_NE(a.body.find("UI not built: run <code>make ui</code>"), std::string_view::npos);
      }
    }
  }
  EXPECT_TRUE(has_index);
  // Every file the built index names under /assets/ is embedded too.
  if (UiBuilt()) {
    UiFiles files(EmbeddedAssets());
    std::string index(files.Serve("/", "").body);
    size_t at = 0;
    int referenced = 0;
    while ((at = index.find("/assets/", at)) != std::string::npos) {
      size_t end = index.find('"', at);
      ASSERT_NE(end, std::string::npos);
      EXPECT_EQ(files.Serve(index.substr(at, end - at), "").status, 200) << index.substr(at, end - at);
      ++referenced;
      at = end;
    }
    EXPECT_GT(referenced, 0);
  }
}

// Through a real HttpServer: the UI route must not shadow the server's
// other routes, whatever order they were registered in.
TEST(RegisterUiTest, ServesThePageBesideOtherRoutes) {
  ingest::HttpServer server(ingest::HttpServerConfig{}, "api", nullptr);
  RegisterUi(server);
  server.Handle("GET", "/healthz", [](ingest::HttpRequest, ingest::HttpResponder r) {
    r.Send(ingest::HttpResponse::Text(200, "ok\n"));
  });
  server.HandlePrefix("GET", "/api/v1/traces/", [](ingest::HttpRequest, ingest::HttpResponder r) {
    r.Send(ingest::HttpResponse::Text(200, "trace\n"));
  });
  ASSERT_TRUE(server.Start().ok());
  ingest::testing::TestClient client(server.port());

  auto page = client.Request("GET", "/traces/abc?since=24h");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html"), std::string::npos);
  EXPECT_EQ(page.headers["cache-control"], "no-cache");
  std::string etag = page.headers["etag"];
  ASSERT_FALSE(etag.empty());

  auto again = client.Request("GET", "/", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());

  EXPECT_EQ(client.Request("GET", "/healthz").body, "ok\n");
  EXPECT_EQ(client.Request("GET", "/api/v1/traces/x").body, "trace\n");
  auto missing = client.Request("GET", "/api/v1/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers["content-type"], "application/json");
  EXPECT_EQ(client.Request("POST", "/api/v1/nope").status, 404);
  server.Shutdown();
}

}  // namespace
}  // namespace loupe::ui
