#include "alerting/notify/payloads.h"

#include <nlohmann/json.hpp>

#include "alerting/time_format.h"

namespace loupe::alerting {

using json = nlohmann::json;

namespace {

constexpr const char* kZeroTime = "0001-01-01T00:00:00Z";  // Alertmanager's "not ended"

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

uint64_t StartsAt(const Alert& a) { return a.fired_at_ns ? a.fired_at_ns : a.active_at_ns; }

std::string Status(const Alert& a) { return a.state == AlertState::kResolved ? "resolved" : "firing"; }

}  // namespace

Labels CommonLabels(const std::vector<const Labels*>& sets) {
  if (sets.empty()) return {};
  Labels common = *sets.front();
  for (size_t i = 1; i < sets.size(); ++i) {
    for (auto it = common.begin(); it != common.end();) {
      auto other = sets[i]->find(it->first);
      if (other == sets[i]->end() || other->second != it->second) {
        it = common.erase(it);
      } else {
        ++it;
      }
    }
  }
  return common;
}

std::string AlertmanagerBody(const std::vector<Alert>& alerts, uint64_t now_ns, double valid_for_seconds) {
  json out = json::array();
  for (const auto& a : alerts) {
    uint64_t ends = a.state == AlertState::kResolved ? a.resolved_at_ns
                                                      : now_ns + static_cast<uint64_t>(valid_for_seconds * 1e9);
    out.push_back({{"labels", a.labels},
                   {"annotations", a.annotations},
                   {"startsAt", Rfc3339(StartsAt(a))},
                   {"endsAt", Rfc3339(ends)},
                   {"generatorURL", a.generator_url}});
  }
  return Dump(out);
}

std::string WebhookBody(const WebhookGroup& g, const std::vector<Alert>& alerts) {
  json list = json::array();
  bool firing = false;
  std::vector<const Labels*> labels, annotations;
  for (const auto& a : alerts) {
    firing = firing || a.state != AlertState::kResolved;
    labels.push_back(&a.labels);
    annotations.push_back(&a.annotations);
    list.push_back({{"status", Status(a)},
                    {"labels", a.labels},
                    {"annotations", a.annotations},
                    {"startsAt", Rfc3339(StartsAt(a))},
                    {"endsAt", a.state == AlertState::kResolved ? Rfc3339(a.resolved_at_ns) : kZeroTime},
                    {"generatorURL", a.generator_url},
                    {"fingerprint", a.fingerprint}});
  }
  json out = {{"version", "4"},
              {"groupKey", g.group_key},
              {"truncatedAlerts", 0},
              {"status", firing ? "firing" : "resolved"},
              {"receiver", g.receiver},
              {"groupLabels", g.group_labels},
              {"commonLabels", CommonLabels(labels)},
              {"commonAnnotations", CommonLabels(annotations)},
              {"externalURL", g.external_url},
              {"alerts", std::move(list)}};
  return Dump(out);
}

std::string SlackBody(const Labels& group_labels, const std::vector<Alert>& alerts) {
  size_t firing = 0;
  for (const auto& a : alerts) firing += a.state != AlertState::kResolved;
  std::string name = group_labels.contains("alertname") ? group_labels.at("alertname") : "Loupe alert";
  std::string title = firing > 0 ? "[FIRING:" + std::to_string(firing) + "] " + name : "[RESOLVED] " + name;
  std::string text = title;
  json blocks = json::array();
  blocks.push_back({{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", title}}}});
  for (const auto& a : alerts) {
    std::string who;
    for (const char* k : {"team", "feature", "model"}) {
      auto it = a.labels.find(k);
      if (it != a.labels.end()) who += std::string(who.empty() ? "" : "  ") + "*" + k + "*: " + it->second;
    }
    std::string line = (a.state == AlertState::kResolved ? ":white_check_mark: resolved: " : ":rotating_light: ") +
                       a.summary;
    std::string block = line + (who.empty() ? "" : "\n" + who);
    if (!a.generator_url.empty()) block += "\n<" + a.generator_url + "|Matching traces in Loupe>";
    text += "\n• " + line;
    blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", block}}}});
  }
  return Dump({{"text", text}, {"blocks", std::move(blocks)}});
}

std::string PagerDutyDedupKey(const Alert& a) { return "loupe-" + a.fingerprint; }

std::string PagerDutySeverity(const std::string& s) {
  if (s == "page" || s == "critical") return "critical";
  if (s == "error") return "error";
  if (s == "warning") return "warning";
  return "info";
}

std::string PagerDutyBody(const Alert& a, const std::string& routing_key) {
  if (a.state == AlertState::kResolved) {
    return Dump({{"routing_key", routing_key}, {"event_action", "resolve"}, {"dedup_key", PagerDutyDedupKey(a)}});
  }
  auto label = [&](const char* k) {
    auto it = a.labels.find(k);
    return it == a.labels.end() ? std::string() : it->second;
  };
  std::string summary = a.summary.empty() ? a.rule : a.summary;
  if (summary.size() > 1024) summary.resize(1024);  // PagerDuty's limit
  json details = {{"labels", a.labels},
                  {"value", a.value},
                  {"baseline", a.baseline},
                  {"threshold", a.threshold},
                  {"example_traces",
                   {{"slowest", a.examples.slowest},
                    {"most_expensive", a.examples.most_expensive},
                    {"lowest_scored", a.examples.lowest_scored}}}};
  json payload = {{"summary", summary},
                  {"source", "loupe"},
                  {"severity", PagerDutySeverity(label("severity"))},
                  {"timestamp", Rfc3339(StartsAt(a))},
                  {"class", a.rule},
                  {"custom_details", std::move(details)}};
  if (!label("feature").empty()) payload["component"] = label("feature");
  if (!label("team").empty()) payload["group"] = label("team");
  json out = {{"routing_key", routing_key},
              {"event_action", "trigger"},
              {"dedup_key", PagerDutyDedupKey(a)},
              {"payload", std::move(payload)}};
  if (!a.generator_url.empty()) out["links"] = json::array({{{"href", a.generator_url}, {"text", "Matching traces in Loupe"}}});
  return Dump(out);
}

}  // namespace loupe::alerting
