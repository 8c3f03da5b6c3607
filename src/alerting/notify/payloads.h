// The bodies Loupe posts to each kind of target (formats in
// ../shared/reference/protocols.md): Alertmanager API v2, the
// Alertmanager webhook payload (version 4), Slack incoming webhooks and
// PagerDuty Events API v2.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerting/alert.h"

namespace loupe::alerting {

// POST /api/v2/alerts: a JSON array. Firing alerts get endsAt = now +
// `valid_for_seconds` (re-sent before it passes); resolved ones endsAt =
// their resolution time.
std::string AlertmanagerBody(const std::vector<Alert>& alerts, uint64_t now_ns, double valid_for_seconds);

// The Alertmanager webhook payload, version 4, for one group of alerts.
struct WebhookGroup {
  std::string receiver;    // the notifier's name
  Labels group_labels;     // the labels the group shares by the notifier's group_by
  std::string group_key;   // stable id of the group
  std::string external_url;
};
std::string WebhookBody(const WebhookGroup& group, const std::vector<Alert>& alerts);

// A readable Slack message ({"text", "blocks"}).
std::string SlackBody(const Labels& group_labels, const std::vector<Alert>& alerts);

// One PagerDuty event: trigger for a firing alert, resolve for a resolved
// one; dedup_key is stable per alert ("loupe-<fingerprint>").
std::string PagerDutyBody(const Alert& alert, const std::string& routing_key);
std::string PagerDutyDedupKey(const Alert& alert);
// "page"/"critical" -> critical, "error", "warning", else info.
std::string PagerDutySeverity(const std::string& severity);

// Labels every alert of the list shares with the same value.
Labels CommonLabels(const std::vector<const Labels*>& sets);

}  // namespace loupe::alerting
