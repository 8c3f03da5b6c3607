#include "ui/ui_files.h"

#include <memory>
#include <string>

namespace loupe::ui {
namespace {

constexpr std::string_view kAssetsPrefix = "/assets/";
// Vite puts a content hash in every file name under /assets/, so a file
// there never changes: cache it for a year and never revalidate.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// index.html names the current hashed files, so browsers must check it
// each time (cheap: a 304 when the ETag still matches).
constexpr std::string_view kRevalidate = "no-cache";

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// If-None-Match holds "*" or a comma-separated list of (possibly weak)
// entity tags; any of them equal to ours means the client's copy is fresh.
bool EtagMatches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (StartsWith(tag, "W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

ingest::HttpResponse NotFound(std::string_view path) {
  ingest::HttpResponse r;
  r.status = 404;
  if (StartsWith(path, "/api/")) {
    // The API's own error shape, so clients of /api get JSON whatever the path.
    r.content_type = "application/json";
    std::string escaped;
    for (char c : path) {
      if (c == '"' || c == '\\') escaped.push_back('\\');
      if (static_cast<unsigned char>(c) < 0x20) continue;
      escaped.push_back(c);
    }
    r.body = R"({"error":{"status":404,"message":"no route for )" + escaped + R"("}})";
  } else {
    r.body = "no route for " + std::string(path) + "\n";
  }
  return r;
}

UiFiles::UiFiles(std::span<const Asset> assets) {
  for (const Asset& a : assets) by_path_.emplace(a.path, &a);
  auto it = by_path_.find(std::string_view("/index.html"));
  if (it != by_path_.end()) index_ = it->second;
}

bool UiFiles::IsReserved(std::string_view path) {
  return StartsWith(path, "/api/") || path == "/api" || StartsWith(path, "/v1/") || path == "/v1" ||
         path == "/metrics" || path == "/healthz" || path == "/readyz";
}

ingest::HttpResponse UiFiles::Answer(const Asset& asset, bool immutable, std::string_view if_none_match) const {
  ingest::HttpResponse r;
  r.content_type = std::string(asset.content_type);
  r.headers.emplace_back("Cache-Control", std::string(immutable ? kImmutable : kRevalidate));
  r.headers.emplace_back("ETag", std::string(asset.etag));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (EtagMatches(if_none_match, asset.etag)) {
    r.status = 304;  // no body: the client keeps its copy
    return r;
  }
  r.body = std::string(asset.body);
  return r;
}

ingest::HttpResponse UiFiles::Serve(std::string_view path, std::string_view if_none_match) const {
  if (IsReserved(path)) return NotFound(path);
  if (path == "/" || path.empty()) path = "/index.html";
  if (auto it = by_path_.find(path); it != by_path_.end()) {
    return Answer(*it->second, StartsWith(path, kAssetsPrefix), if_none_match);
  }
  // A missing hashed file is an old page asking for a previous build's
  // asset: answering with HTML would only fail later as a script error.
  if (StartsWith(path, kAssetsPrefix) || index_ == nullptr) return NotFound(path);
  // Anything else is a client-side route (/traces/abc): the app reads it.
  return Answer(*index_, /*immutable=*/false, if_none_match);
}

void RegisterUi(ingest::HttpServer& server) {
  auto files = std::make_shared<const UiFiles>(EmbeddedAssets());
  server.HandlePrefix("GET", "/", [files](ingest::HttpRequest req, ingest::HttpResponder responder) {
    responder.Send(files->Serve(req.path, req.Header("if-none-match")));
  });
  // Without these, a POST to a path nobody handles would match the "/"
  // prefix and get 405 "allowed: GET"; it is still simply not found.
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    server.HandlePrefix(method, "/", [](ingest::HttpRequest req, ingest::HttpResponder responder) {
      responder.Send(NotFound(req.path));
    });
  }
}

}  // namespace loupe::ui
