#include "alerting/notify/notifier.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "metrics/registry.h"

namespace loupe::alerting {
namespace {

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

Notifier::Notifier(NotifierConfig config, HttpPoster* poster, metrics::Registry* registry)
    : config_(std::move(config)), poster_(poster) {
  if (registry) {
    const std::string kind(NotifierKindName(config_.kind));
    auto labels = [&](const char* result) {
      metrics::Labels l = {{"notifier", config_.name}, {"kind", kind}};
      if (result) l.emplace_back("result", result);
      return l;
    };
    const char* help = "Alert notifications by outcome: sent, failed (after retries) or dropped (queue full or shutdown).";
    sent_c_ = &registry->GetCounter("loupe_alert_notifications_total", help, labels("sent"));
    failed_c_ = &registry->GetCounter("loupe_alert_notifications_total", help, labels("failed"));
    dropped_c_ = &registry->GetCounter("loupe_alert_notifications_total", help, labels("dropped"));
    retries_c_ = &registry->GetCounter("loupe_alert_notification_retries_total", "Alert notification attempts retried.",
                                       labels(nullptr));
    queue_g_ = &registry->GetGauge("loupe_alert_notifier_queue_length", "Alert notifications waiting to be sent.",
                                   labels(nullptr));
    duration_h_ = &registry->GetHistogram("loupe_alert_notification_duration_seconds",
                                          "Time to deliver one alert notification, retries included.",
                                          metrics::DefaultLatencyBuckets(), labels(nullptr));
  }
}

Notifier::~Notifier() { Shutdown(0); }

void Notifier::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void Notifier::Shutdown(double grace_seconds) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) grace_deadline_ = SteadySeconds() + grace_seconds;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  if (!queue_.empty()) {
    dropped_ += queue_.size();
    if (dropped_c_) dropped_c_->Inc(queue_.size());
    queue_.clear();
    if (queue_g_) queue_g_->Set(0);
  }
}

void Notifier::Enqueue(HttpPost post) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      ++dropped_;
      if (dropped_c_) dropped_c_->Inc();
      return;
    }
    while (queue_.size() >= config_.queue_size) {
      // The newest state of the world matters most: drop the oldest.
      queue_.pop_front();
      ++dropped_;
      if (dropped_c_) dropped_c_->Inc();
    }
    queue_.push_back(std::move(post));
    if (queue_g_) queue_g_->Set(static_cast<double>(queue_.size()));
  }
  cv_.notify_all();
}

NotifierStats Notifier::stats() const {
  NotifierStats s;
  s.sent = sent_;
  s.failed = failed_;
  s.dropped = dropped_;
  s.retries = retries_;
  std::lock_guard lock(mu_);
  s.queued = queue_.size();
  s.last_error = last_error_;
  return s;
}

bool Notifier::SleepFor(double seconds) {
  std::unique_lock lock(mu_);
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  cv_.wait_until(lock, until, [this] { return stopping_ && SteadySeconds() >= grace_deadline_; });
  return !(stopping_ && SteadySeconds() >= grace_deadline_);
}

bool Notifier::Deliver(const HttpPost& post) {
  std::mt19937_64 rng(std::random_device{}());
  const auto started = std::chrono::steady_clock::now();
  for (int attempt = 0;; ++attempt) {
    PostResult r = poster_->Post(post);
    if (IsSuccess(r.status)) {
      if (duration_h_) {
        duration_h_->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      }
      return true;
    }
    {
      std::lock_guard lock(mu_);
      last_error_ = r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error;
      if (stopping_ && SteadySeconds() >= grace_deadline_) return false;
    }
    if (!IsRetryable(r.status) || attempt + 1 >= config_.max_attempts) return false;
    double d = std::min(config_.initial_backoff_seconds * static_cast<double>(1ull << std::min(attempt, 30)),
                        config_.max_backoff_seconds);
    d = std::uniform_real_distribution<double>(d / 2, d)(rng);  // jitter: targets recovering are not stampeded
    if (r.retry_after) d = std::min(std::max(d, *r.retry_after), config_.max_backoff_seconds);
    ++retries_;
    if (retries_c_) retries_c_->Inc();
    if (!SleepFor(d)) return false;
  }
}

void Notifier::Run() {
  double last_send = -1e18;
  for (;;) {
    HttpPost post;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() || (stopping_ && SteadySeconds() >= grace_deadline_)) return;
      post = std::move(queue_.front());
      queue_.pop_front();
      if (queue_g_) queue_g_->Set(static_cast<double>(queue_.size()));
    }
    // Respect the target's rate limit.
    double wait = last_send + config_.min_send_interval_seconds - SteadySeconds();
    if (wait > 0 && !SleepFor(wait)) {
      ++dropped_;
      if (dropped_c_) dropped_c_->Inc();
      continue;
    }
    last_send = SteadySeconds();
    if (Deliver(post)) {
      ++sent_;
      if (sent_c_) sent_c_->Inc();
    } else {
      ++failed_;
      if (failed_c_) failed_c_->Inc();
    }
  }
}

}  // namespace loupe::alerting
