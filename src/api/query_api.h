// QueryApi: the read side of Loupe over HTTP (/api/v1/traces, sessions,
// stats, prices and the OpenAPI document). It reads the store through
// store::Store and prices through pricing::Catalog, nothing else.
//
// Threading: handlers run the store query on the HTTP server's thread.
// That is acceptable while queries are fast (the store answers searches
// and rollups from indexes in milliseconds); a slow query holds up that
// server thread, so a later increment moves queries to a worker pool and
// answers through the responder.
#pragma once

#include <cstddef>
#include <string_view>

#include "api/openapi.h"
#include "common/clock.h"
#include "common/status.h"

namespace loupe::ingest {
class HttpServer;
}
namespace loupe::pricing {
class Catalog;
}
namespace loupe::store {
class Store;
}

namespace loupe::api {

struct QueryApiOptions {
  // /sessions/{id} and /traces post-filters read at most this many traces.
  size_t max_scan_traces = 10'000;
  // /stats with `step`: at most this many points per series.
  size_t max_series_points = 500;
};

class QueryApi {
 public:
  // Nothing is owned; all must outlive the server the routes are on.
  QueryApi(store::Store* store, const pricing::Catalog* catalog, const Clock* clock,
           QueryApiOptions options = {})
      : store_(store), catalog_(catalog), clock_(clock), options_(options) {}

  // Adds the GET routes under /api/v1 (see docs/api.md). The
  // openapi.json route reads this object's document: it too must outlive
  // the server.
  // REQUIRES: called before server.Start().
  void Register(ingest::HttpServer& server);

  // Adds another module's routes to the document served at
  // /api/v1/openapi.json (see api/openapi.h). An error names `module` and
  // what is wrong (bad JSON, a path or component documented twice, a
  // dangling $ref); the server refuses to start on it.
  // REQUIRES: called before server.Start().
  Status AddOpenApiPaths(std::string_view module, std::string_view fragment) {
    return openapi_.Add(module, fragment);
  }

 private:
  store::Store* store_;
  const pricing::Catalog* catalog_;
  const Clock* clock_;
  QueryApiOptions options_;
  OpenApiSpec openapi_;
};

}  // namespace loupe::api
