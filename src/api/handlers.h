// Internal to api/: the endpoint handlers behind QueryApi, their
// parameter tables and the JSON builders they share. nlohmann/json is
// used here and in api/*.cc only; nothing outside api/ includes this.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/params.h"
#include "api/query_api.h"
#include "common/clock.h"
#include "ingest/http_server.h"
#include "pricing/catalog.h"
#include "store/query.h"
#include "store/store.h"

namespace loupe::api::internal {

using nlohmann::json;

struct Context {
  store::Store* store = nullptr;
  const pricing::Catalog* catalog = nullptr;
  const Clock* clock = nullptr;
  QueryApiOptions options;
};

// --- answers -------------------------------------------------------------
ingest::HttpResponse JsonResponse(int status, const json& body);
// {"error": {"status": 400, "parameter": "since", "message": "..."}}
ingest::HttpResponse ErrorResponse(int status, const std::string& parameter, const std::string& message);
ingest::HttpResponse ParamErrorResponse(const ParamError& error);
// A store error as an answer: NotFound 404, InvalidArgument 400 (a bad
// cursor or full-text query, named), Unavailable 503, else 500.
ingest::HttpResponse StoreErrorResponse(const Status& status);

// --- JSON builders -------------------------------------------------------
json UsdOrNull(const std::optional<int64_t>& nanos);
json TraceSummaryJson(const store::TraceSummary& t);
json TraceScoresJson(const std::vector<store::TraceScore>& scores);
// One stored score (judge, built-in or human), as /traces/{id} lists them.
json ScoreJson(const store::Score& s);
// The whole trace; LLM calls carry the catalog entry their price came from.
json TraceJson(const store::Trace& trace, const pricing::Catalog& catalog);
// One entry with every price version, in USD per million tokens.
json PriceEntryJson(const pricing::PriceEntry& entry);

// --- parameter tables ----------------------------------------------------
struct TraceSearchRequest {
  store::TraceQuery query;
  std::string status;               // "", ok, error
  uint64_t min_duration_ns = 0;
  std::optional<store::ScoreBelow> score_below;  // score_below=DIMENSION:VALUE
  std::string score_evaluator;                   // narrows score_below to one evaluator
};
ParamTable TraceSearchParams(uint64_t now_ns, TraceSearchRequest* r);

struct SessionListRequest {
  store::SessionQuery query;
};
ParamTable SessionListParams(uint64_t now_ns, SessionListRequest* r);
ParamTable SessionParams(uint64_t now_ns, store::TraceQuery* q);

struct StatsRequest {
  uint64_t since = 0, until = 0;
  std::vector<std::pair<store::Dimension, std::string>> where;
  std::vector<std::string> group_by, measures;
  uint64_t step_ns = 0;
  std::string order_by;
  size_t limit = 100;
  std::string score_evaluator, score_dimension;  // narrow score_avg / score_count
};
ParamTable StatsParams(uint64_t now_ns, StatsRequest* r);

struct PriceRequest {
  std::string model, provider;
  uint64_t at = 0;
};
ParamTable PriceParams(uint64_t now_ns, PriceRequest* r);

// The measures /stats can compute, in documentation order.
const std::vector<std::string>& StatsMeasures();

// --- handlers ------------------------------------------------------------
ingest::HttpResponse HandleTraceSearch(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleTrace(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleSessions(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleSession(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleStats(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandlePrices(const Context& c, const ingest::HttpRequest& req);

// The hand-written OpenAPI 3 document (openapi.cc).
const std::string& OpenApiDocument();

}  // namespace loupe::api::internal
