#include "alerting/notify/dispatcher.h"

#include "alerting/notify/payloads.h"

namespace loupe::alerting {
namespace {

uint64_t Nanos(double s) { return static_cast<uint64_t>(s * 1e9); }

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Dispatcher::Dispatcher(const AlertingConfig& config, HttpPoster* poster, metrics::Registry* registry)
    : external_url_(config.external_url) {
  std::map<std::string, size_t> index;
  for (const auto& nc : config.notifiers) {
    index[nc.name] = targets_.size();
    Target_ t;
    t.notifier = std::make_unique<Notifier>(nc, poster, registry);
    targets_.push_back(std::move(t));
  }
  for (const auto& r : config.routes) {
    CompiledRoute cr;
    for (const auto& m : r.matchers) {
      auto parsed = ParseMatcher(m);
      if (parsed.ok()) cr.matchers.push_back(std::move(*parsed));
    }
    for (const auto& n : r.notifiers) {
      auto it = index.find(n);
      if (it != index.end()) cr.targets.push_back(it->second);
    }
    routes_.push_back(std::move(cr));
  }
}

Dispatcher::~Dispatcher() { Shutdown(0); }

void Dispatcher::Start() {
  for (auto& t : targets_) t.notifier->Start();
}

void Dispatcher::Shutdown(double grace_seconds) {
  for (auto& t : targets_) t.notifier->Shutdown(grace_seconds);
}

HttpPost Dispatcher::MakePost(const NotifierConfig& c, std::string url, std::string body) const {
  HttpPost p;
  p.url = std::move(url);
  p.body = std::move(body);
  p.timeout_seconds = c.timeout_seconds;
  for (const auto& h : c.headers) p.headers.push_back(h);
  return p;
}

void Dispatcher::Dispatch(const std::vector<Alert>& alerts, uint64_t now_ns) {
  std::vector<std::vector<const Alert*>> per_target(targets_.size());
  for (const auto& a : alerts) {
    std::set<size_t> chosen;
    if (routes_.empty()) {
      for (size_t i = 0; i < targets_.size(); ++i) chosen.insert(i);
    }
    for (const auto& r : routes_) {
      if (MatchesAll(r.matchers, a.labels)) chosen.insert(r.targets.begin(), r.targets.end());
    }
    for (size_t i : chosen) per_target[i].push_back(&a);
  }
  for (size_t i = 0; i < targets_.size(); ++i) {
    if (targets_[i].notifier->config().kind == NotifierKind::kAlertmanager) {
      ToAlertmanager(targets_[i], per_target[i], now_ns);
    } else {
      ToDirect(targets_[i], per_target[i], now_ns);
    }
  }
}

void Dispatcher::ToAlertmanager(Target_& t, const std::vector<const Alert*>& alerts, uint64_t now_ns) {
  const NotifierConfig& c = t.notifier->config();
  std::vector<Alert> batch;
  for (const Alert* a : alerts) {
    auto sent = t.am_sent.find(a->fingerprint);
    if (a->state == AlertState::kResolved) {
      if (sent == t.am_sent.end()) continue;  // never told it was firing
      batch.push_back(*a);
      t.am_sent.erase(sent);
    } else if (sent == t.am_sent.end() || now_ns - sent->second >= Nanos(c.resend_interval_seconds)) {
      batch.push_back(*a);
      t.am_sent[a->fingerprint] = now_ns;
    }
  }
  std::set<std::string> present;
  for (const Alert* a : alerts) present.insert(a->fingerprint);
  std::erase_if(t.am_sent, [&](const auto& kv) { return !present.contains(kv.first); });
  if (batch.empty()) return;
  // Valid for 4 re-send intervals, as Prometheus does: a missed re-send
  // does not resolve the alert, a dead Loupe does.
  std::string body = AlertmanagerBody(batch, now_ns, 4 * c.resend_interval_seconds);
  t.notifier->Enqueue(MakePost(c, TrimSlash(c.url) + "/api/v2/alerts", std::move(body)));
}

void Dispatcher::ToDirect(Target_& t, const std::vector<const Alert*>& alerts, uint64_t now_ns) {
  const NotifierConfig& c = t.notifier->config();
  std::map<std::string, std::pair<Labels, std::vector<const Alert*>>> grouped;
  for (const Alert* a : alerts) {
    Labels gl;
    std::string key = "{";
    for (const auto& name : c.group_by) {
      auto it = a->labels.find(name);
      std::string v = it == a->labels.end() ? "" : it->second;
      gl[name] = v;
      key += name + "=\"" + v + "\",";
    }
    key += "}";
    auto& g = grouped[key];
    g.first = std::move(gl);
    g.second.push_back(a);
  }
  for (auto& [key, entry] : grouped) {
    auto& [labels, members] = entry;
    Group& g = t.groups[key];
    bool news = false, repeat = false;
    std::vector<const Alert*> send;
    std::set<std::string> firing;
    for (const Alert* a : members) {
      if (a->state == AlertState::kResolved) {
        if (g.notified.erase(a->fingerprint)) {
          news = true;
          send.push_back(a);
        }
      } else {
        firing.insert(a->fingerprint);
        if (!g.notified.contains(a->fingerprint)) news = true;
        send.push_back(a);
      }
    }
    repeat = !firing.empty() && now_ns - g.last_notified_ns >= Nanos(c.repeat_interval_seconds);
    if (!news && !repeat) continue;
    if (c.kind == NotifierKind::kPagerDuty) {
      // One event per alert: PagerDuty dedups by dedup_key itself.
      const std::string url = TrimSlash(c.url.empty() ? "https://events.pagerduty.com" : c.url) + "/v2/enqueue";
      for (const Alert* a : send) {
        const bool is_new = a->state == AlertState::kResolved || !g.notified.contains(a->fingerprint);
        if (is_new || repeat) t.notifier->Enqueue(MakePost(c, url, PagerDutyBody(*a, c.routing_key)));
      }
    } else {
      std::vector<Alert> copies;
      for (const Alert* a : send) copies.push_back(*a);
      std::string body;
      if (c.kind == NotifierKind::kSlack) {
        body = SlackBody(labels, copies);
      } else {
        body = WebhookBody({c.name, labels, key, external_url_}, copies);
      }
      t.notifier->Enqueue(MakePost(c, c.url, std::move(body)));
    }
    g.notified.insert(firing.begin(), firing.end());
    g.last_notified_ns = now_ns;
  }
  // Alerts that left the list without resolving (silenced, rule removed)
  // are forgotten, and so are groups with nothing firing any more.
  std::set<std::string> present;
  for (const Alert* a : alerts) present.insert(a->fingerprint);
  for (auto it = t.groups.begin(); it != t.groups.end();) {
    std::erase_if(it->second.notified, [&](const std::string& fp) { return !present.contains(fp); });
    it = it->second.notified.empty() ? t.groups.erase(it) : std::next(it);
  }
}

std::vector<Dispatcher::Target> Dispatcher::Stats() const {
  std::vector<Target> out;
  for (const auto& t : targets_) {
    out.push_back({t.notifier->config().name, t.notifier->config().kind, t.notifier->stats()});
  }
  return out;
}

}  // namespace loupe::alerting
