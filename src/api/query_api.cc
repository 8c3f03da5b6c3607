#include "api/query_api.h"

#include "api/handlers.h"

namespace loupe::api {
namespace internal {

ingest::HttpResponse JsonResponse(int status, const json& body) {
  ingest::HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  // Stored text is valid UTF-8 (otlp/ repairs it); replace rather than
  // throw should anything slip through.
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

ingest::HttpResponse ErrorResponse(int status, const std::string& parameter, const std::string& message) {
  json err = {{"status", status}, {"message", message}};
  err["parameter"] = parameter.empty() ? json(nullptr) : json(parameter);
  return JsonResponse(status, {{"error", std::move(err)}});
}

ingest::HttpResponse ParamErrorResponse(const ParamError& error) {
  return ErrorResponse(400, error.parameter, error.message);
}

ingest::HttpResponse StoreErrorResponse(const Status& status) {
  switch (status.code()) {
    case Status::Code::kNotFound:
      return ErrorResponse(404, "", status.message());
    case Status::Code::kInvalidArgument: {
      // The store names the field first ("cursor: ...", "text: ...").
      std::string param = status.message().substr(0, status.message().find(':'));
      if (param == "text") param = "q";
      // By user or session the store answers from the stored calls only,
      // so what the caller must change is the start of the range.
      if (param == "user" || param == "session") param = "since";
      if (param != "cursor" && param != "q" && param != "since") param.clear();
      return ErrorResponse(400, param, status.message());
    }
    case Status::Code::kUnavailable:
      return ErrorResponse(503, "", status.message());
    default:
      return ErrorResponse(500, "", status.message());
  }
}

ParamTable PriceParams(uint64_t now_ns, PriceRequest* r) {
  ParamTable t(now_ns);
  t.String("model", &r->model).String("provider", &r->provider).Time("at", &r->at);
  return t;
}

ingest::HttpResponse HandlePrices(const Context& c, const ingest::HttpRequest& req) {
  const uint64_t now = c.clock->NowUnixNanos();
  PriceRequest r;
  r.at = now;
  if (auto e = PriceParams(now, &r).Apply(req.query)) return ParamErrorResponse(*e);
  if (r.model.empty()) return ErrorResponse(400, "model", "parameter \"model\" is required: the model string as spans carry it");
  pricing::Match m = c.catalog->Lookup(r.model, r.provider, static_cast<int64_t>(r.at));
  json out = {{"model", r.model},
              {"provider_hint", m.provider_hint},
              {"matched", m.matched()},
              {"why", m.why},
              {"entry", m.matched() ? PriceEntryJson(*m.entry) : json(nullptr)}};
  json alternatives = json::array();
  for (const auto* alt : m.alternatives) alternatives.push_back(alt->key);
  out["alternatives"] = std::move(alternatives);
  if (!m.matched()) out["note"] = "calls to this model get an unknown cost (never $0) unless the span reports one";
  return JsonResponse(200, out);
}

}  // namespace internal

void QueryApi::Register(ingest::HttpServer& server) {
  internal::Context c{store_, catalog_, clock_, options_};
  using Fn = ingest::HttpResponse (*)(const internal::Context&, const ingest::HttpRequest&);
  auto route = [c](Fn fn) {
    return [c, fn](ingest::HttpRequest req, ingest::HttpResponder responder) { responder.Send(fn(c, req)); };
  };
  server.Handle("GET", "/api/v1/traces", route(&internal::HandleTraceSearch));
  server.HandlePrefix("GET", "/api/v1/traces/", route(&internal::HandleTrace));
  server.Handle("GET", "/api/v1/sessions", route(&internal::HandleSessions));
  server.HandlePrefix("GET", "/api/v1/sessions/", route(&internal::HandleSession));
  server.Handle("GET", "/api/v1/stats", route(&internal::HandleStats));
  server.Handle("GET", "/api/v1/prices", route(&internal::HandlePrices));
  // Reads the document when asked, so fragments added after Register (and
  // before Start) are served too.
  server.Handle("GET", "/api/v1/openapi.json", [this](ingest::HttpRequest, ingest::HttpResponder responder) {
    ingest::HttpResponse r;
    r.content_type = "application/json";
    r.body = openapi_.text();
    responder.Send(std::move(r));
  });
}

}  // namespace loupe::api
