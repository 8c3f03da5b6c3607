// Serves the embedded UI on the API server: hashed /assets/* cached for a
// year, index.html revalidated every time (ETag, 304), and client-side
// routes like /traces/abc answered with index.html, never paths that belong
// to the API, OTLP or metrics.
#pragma once

#include <map>
#include <span>
#include <string_view>

#include "ingest/http_server.h"
#include "ui/assets.h"

namespace loupe::ui {

// Immutable after construction, so Serve may be called from any thread.
class UiFiles {
 public:
  // `assets` must outlive this object (EmbeddedAssets() does) and should
  // contain "/index.html"; without it client routes answer 404.
  explicit UiFiles(std::span<const Asset> assets);

  // The answer to GET `path` (no query) given the request's If-None-Match
  // header ("" when absent).
  ingest::HttpResponse Serve(std::string_view path, std::string_view if_none_match) const;

  // Paths the UI never answers with a page: /api/..., /v1/..., /metrics,
  // /healthz, /readyz. Requests for them that reach the UI get 404.
  static bool IsReserved(std::string_view path);

 private:
  ingest::HttpResponse Answer(const Asset& asset, bool immutable, std::string_view if_none_match) const;

  std::map<std::string_view, const Asset*, std::less<>> by_path_;
  const Asset* index_ = nullptr;
};

// 404 for `path`: the API's JSON error shape under /api/, text elsewhere.
ingest::HttpResponse NotFound(std::string_view path);

// Routes GET / (and every path no other route takes) on `server` to the
// embedded UI. Call after the API's own routes, before server.Start(): the
// UI is a prefix route on "/", the shortest there is, so every exact or
// longer route registered on the server still wins.
void RegisterUi(ingest::HttpServer& server);

}  // namespace loupe::ui
