// Internal to eval/'s HTTP endpoints: answers, JSON builders, handlers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/clock.h"
#include "eval/evaluator.h"
#include "ingest/http_server.h"
#include "store/store.h"

namespace loupe::eval::http {

using nlohmann::json;

struct Context {
  store::Store* store = nullptr;
  Evaluator* evaluator = nullptr;  // null: evaluation disabled
  const Clock* clock = nullptr;
};

ingest::HttpResponse Json(int status, const json& body);
// {"error": {"status": 400, "<kind>": "<name>", "message": "..."}}; kind is
// "parameter" for the query string and "field" for JSON bodies.
ingest::HttpResponse Error(int status, const std::string& kind, const std::string& name, const std::string& message);
ingest::HttpResponse StoreError(const Status& status);

std::string Rfc3339(uint64_t ns);
json ScoreJson(const store::Score& s);
json TaskJson(const store::EvalTask& t);

ingest::HttpResponse HandlePostScores(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleGetScores(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleEvaluations(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleStatus(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleCompare(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleAgreement(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandlePostRun(const Context& c, const ingest::HttpRequest& req);
ingest::HttpResponse HandleGetRun(const Context& c, const ingest::HttpRequest& req);

}  // namespace loupe::eval::http
