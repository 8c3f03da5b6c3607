#include "alerting/http_api.h"

#include <nlohmann/json.hpp>

#include "alerting/alert_json.h"
#include "alerting/service.h"
#include "ingest/http_server.h"

namespace loupe::alerting {
namespace {

using json = nlohmann::json;

ingest::HttpResponse Json(int status, const json& body) {
  ingest::HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

ingest::HttpResponse Error(int status, const std::string& message) {
  return Json(status, {{"error", {{"status", status}, {"message", message}}}});
}

int HttpStatusOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument: return 400;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kUnavailable: return 503;
    default: return 500;
  }
}

}  // namespace

void AlertingHttpApi::Register(ingest::HttpServer& server) {
  AlertingService* svc = service_;

  server.Handle("GET", "/api/v1/alerts", [svc](ingest::HttpRequest, ingest::HttpResponder out) {
    json alerts = json::array();
    for (const auto& a : svc->engine().Alerts()) alerts.push_back(AlertJson(a));
    json body = {{"alerts", std::move(alerts)}};
    json history = json::array();
    if (StateStore* store = svc->state()) {
      store::JournalQuery q;
      q.kind = "alert";
      q.limit = 100;
      auto entries = store->QueryJournal(q);
      if (entries.ok()) {
        for (const auto& e : *entries) {
          json payload = json::parse(e.payload, nullptr, false);
          if (!payload.is_discarded()) history.push_back(std::move(payload));
        }
      } else {
        body["historyError"] = entries.status().ToString();
      }
    }
    body["history"] = std::move(history);
    out.Send(Json(200, body));
  });

  server.Handle("GET", "/api/v1/alert-rules", [svc](ingest::HttpRequest, ingest::HttpResponder out) {
    json rules = json::array();
    for (const auto& r : svc->engine().Rules()) rules.push_back(RuleJson(r));
    out.Send(Json(200, {{"rules", std::move(rules)}}));
  });

  server.Handle("POST", "/api/v1/alert-rules/reload", [svc](ingest::HttpRequest, ingest::HttpResponder out) {
    Status s = svc->Reload();
    if (!s.ok()) return out.Send(Error(400, s.ToString()));
    out.Send(Json(200, {{"status", "reloaded"}, {"rules", svc->engine().Rules().size()}}));
  });

  server.Handle("GET", "/api/v1/silences", [svc](ingest::HttpRequest, ingest::HttpResponder out) {
    const uint64_t now = svc->clock()->NowUnixNanos();
    json list = json::array();
    for (const auto& s : svc->engine().Silences()) list.push_back(SilenceJson(s, now));
    out.Send(Json(200, {{"silences", std::move(list)}}));
  });

  server.Handle("POST", "/api/v1/silences", [svc](ingest::HttpRequest req, ingest::HttpResponder out) {
    auto parsed = SilenceFromJson(req.body);
    if (!parsed.ok()) return out.Send(Error(400, parsed.status().message()));
    auto added = svc->engine().AddSilence(std::move(*parsed), svc->clock()->NowUnixNanos());
    if (!added.ok()) return out.Send(Error(HttpStatusOf(added.status()), added.status().message()));
    out.Send(Json(200, {{"silenceID", added->id}}));
  });

  server.HandlePrefix("DELETE", "/api/v1/silences/", [svc](ingest::HttpRequest req, ingest::HttpResponder out) {
    std::string id = req.path.substr(std::string_view("/api/v1/silences/").size());
    if (id.empty()) return out.Send(Error(400, "silence id missing in the path"));
    Status s = svc->engine().ExpireSilence(id, svc->clock()->NowUnixNanos());
    if (!s.ok()) return out.Send(Error(HttpStatusOf(s), s.message()));
    out.Send(Json(200, {{"status", "expired"}, {"silenceID", id}}));
  });

  server.Handle("GET", "/api/v1/alert-notifiers", [svc](ingest::HttpRequest, ingest::HttpResponder out) {
    json list = json::array();
    for (const auto& t : svc->dispatcher().Stats()) {
      list.push_back({{"name", t.name},
                      {"kind", NotifierKindName(t.kind)},
                      {"sent", t.stats.sent},
                      {"failed", t.stats.failed},
                      {"dropped", t.stats.dropped},
                      {"retries", t.stats.retries},
                      {"queued", t.stats.queued},
                      {"lastError", t.stats.last_error}});
    }
    out.Send(Json(200, {{"notifiers", std::move(list)}}));
  });
}

}  // namespace loupe::alerting
