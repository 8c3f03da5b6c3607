// Notifier: delivers one target's messages on its own thread, with
// retries and exponential backoff, a bounded queue that drops the oldest
// message first and counts it, a minimum interval between sends (Slack
// takes about one message per second, PagerDuty throttles per routing
// key) and its own metrics:
//   loupe_alert_notifications_total{notifier, kind, result="sent|failed|dropped"}
//   loupe_alert_notification_retries_total{notifier, kind}
//   loupe_alert_notifier_queue_length{notifier, kind}
//   loupe_alert_notification_duration_seconds{notifier, kind}
//
// Thread safety: Enqueue and stats() from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "alerting/config.h"
#include "alerting/notify/http_poster.h"

namespace loupe::metrics {
class Registry;
class Counter;
class Gauge;
class Histogram;
}  // namespace loupe::metrics

namespace loupe::alerting {

struct NotifierStats {
  uint64_t sent = 0, failed = 0, dropped = 0, retries = 0;
  size_t queued = 0;
  std::string last_error;
};

class Notifier {
 public:
  // `poster` is not owned and must outlive the notifier; `registry` may be null.
  Notifier(NotifierConfig config, HttpPoster* poster, metrics::Registry* registry);
  ~Notifier();  // Shutdown()

  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void Start();
  // Stops the thread. Messages still queued are given up to `grace_seconds`
  // to go out (no retries after the grace), then counted as dropped. Safe
  // without Start and twice.
  void Shutdown(double grace_seconds = 2);

  // Queues a message; when the queue is full the oldest one is dropped.
  void Enqueue(HttpPost post);

  const NotifierConfig& config() const { return config_; }
  NotifierStats stats() const;

 private:
  void Run();
  // One message with its retries. Returns true when sent.
  bool Deliver(const HttpPost& post);
  // Waits `seconds` unless shutting down; false when shutdown interrupted it.
  bool SleepFor(double seconds);

  const NotifierConfig config_;
  HttpPoster* const poster_;
  metrics::Counter *sent_c_ = nullptr, *failed_c_ = nullptr, *dropped_c_ = nullptr, *retries_c_ = nullptr;
  metrics::Gauge* queue_g_ = nullptr;
  metrics::Histogram* duration_h_ = nullptr;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<HttpPost> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;       // GUARDED_BY(mu_)
  double grace_deadline_ = 0;   // GUARDED_BY(mu_): steady seconds; after it, no more sends
  std::string last_error_;      // GUARDED_BY(mu_)
  std::atomic<uint64_t> sent_{0}, failed_{0}, dropped_{0}, retries_{0};
  std::thread thread_;
};

}  // namespace loupe::alerting
