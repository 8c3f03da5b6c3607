// AlertingHttpApi: the alerting routes under /api/v1 (see docs/alerting.md):
//   GET    /api/v1/alerts               active (pending, firing) and recently resolved alerts,
//                                       plus the journal's recent firing/resolved history
//   GET    /api/v1/alert-rules          {"rules": [...]}: health, last evaluation, last error
//   POST   /api/v1/alert-rules/reload   re-reads the rules file (400 with the error, rules unchanged)
//   GET    /api/v1/silences             {"silences": [...]}
//   POST   /api/v1/silences             {"matchers": ["team=search"], "endsAt": RFC 3339, ...} -> {"silenceID"}
//   DELETE /api/v1/silences/{id}        expires it
//   GET    /api/v1/alert-notifiers      each notifier's sent/failed/dropped/queued counts
#pragma once

namespace loupe::ingest {
class HttpServer;
}

namespace loupe::alerting {

class AlertingService;

class AlertingHttpApi {
 public:
  // Not owned; must outlive the server.
  explicit AlertingHttpApi(AlertingService* service) : service_(service) {}

  // REQUIRES: called before server.Start().
  void Register(ingest::HttpServer& server);

 private:
  AlertingService* service_;
};

}  // namespace loupe::alerting
