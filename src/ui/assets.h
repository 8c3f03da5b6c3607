// The web UI's built files (web/dist), compiled into the binary so a single
// `loupe` is all a user deploys. The table is generated at build time by
// embed_assets.cmake; when web/dist was not built it holds one small page
// saying how to build it.
#pragma once

#include <span>
#include <string_view>

namespace loupe::ui {

struct Asset {
  std::string_view path;          // URL path: "/index.html", "/assets/index-3f9a.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;          // the file's bytes
  std::string_view etag;          // strong, quoted: "\"9f86d081884c7d65\"" (content hash)
};

// Every embedded file. Static storage: valid for the life of the process.
std::span<const Asset> EmbeddedAssets();

// True when web/dist was built and embedded, false for the placeholder page.
bool UiBuilt();

}  // namespace loupe::ui
