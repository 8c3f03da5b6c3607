// The OpenAPI 3 document of the API port, assembled from fragments.
//
// QueryApi's own paths are the base. Every other module that registers
// routes on the API server documents them next to its Register code, as
// a fragment, and the server adds it at start-up:
//
//   {"paths": {"/api/v1/scores": {"get": {...}, "post": {...}}},
//    "components": {"schemas": {"EvalScore": {...}}, "parameters": {...}}}
//
// A fragment is OpenAPI 3.0.3; its "$ref"s point into "#/components/..."
// of the merged document (its own components or those of an earlier
// fragment, e.g. the base's "Error"). Checking at start-up rather than in
// a test keeps a broken fragment from ever being served.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace loupe::api {

class OpenApiSpec {
 public:
  // Starts from the query API's own document (traces, sessions, stats,
  // prices, openapi.json).
  OpenApiSpec();

  // Merges one module's fragment. On error the document is unchanged and
  // the Status (InvalidArgument) names `module` and what was wrong: not
  // JSON, not an object of "paths" and "components", a key other than
  // those, an operation (path + method) or a component name that is
  // already documented, an unknown HTTP method, or a "$ref" that resolves
  // to nothing. Not thread-safe: call before the document is served.
  Status Add(std::string_view module, std::string_view fragment);

  // The merged document, as served at /api/v1/openapi.json.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// The routes server/ registers on the API port itself (/healthz, /readyz,
// /metrics, /api/v1/llm-calls/recent, /api/v1/pricing/unpriced, and with a
// store POST /api/v1/admin/backup and DELETE /api/v1/users/{user_id}), as
// a fragment for OpenApiSpec::Add("server", ...).
std::string_view ServerOpenApiPaths();

}  // namespace loupe::api
