#include "fanout/forwarder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "fanout/encode.h"

namespace loupe::fanout {

bool Matches(const EndpointFilter& filter, const model::SpanRecord& record) {
  switch (filter.kind) {
    case EndpointFilter::Kind::kAll: return true;
    case EndpointFilter::Kind::kLlmOnly: return record.llm.has_value();
    case EndpointFilter::Kind::kAttribute: {
      const model::AnyValue* v = record.span.FindAttribute(filter.attribute_key);
      return v != nullptr && v->ToText() == filter.attribute_value;
    }
  }
  return false;
}

struct Forwarder::Metrics {
  Metrics(metrics::Registry& r, const std::string& name)
      : sent_spans(r.GetCounter("loupe_fanout_sent_spans_total", "Spans the endpoint accepted.",
                                {{"endpoint", name}})),
        sent_requests(r.GetCounter("loupe_fanout_sent_requests_total", "Export requests the endpoint accepted.",
                                   {{"endpoint", name}})),
        failed_retryable(r.GetCounter("loupe_fanout_failed_requests_total",
                                      "Export attempts that failed, by whether they are retried.",
                                      {{"endpoint", name}, {"reason", "retryable"}})),
        failed_permanent(r.GetCounter("loupe_fanout_failed_requests_total",
                                      "Export attempts that failed, by whether they are retried.",
                                      {{"endpoint", name}, {"reason", "permanent"}})),
        dropped_rejected(r.GetCounter("loupe_fanout_dropped_spans_total",
                                      "Spans dropped: refused permanently, or oldest beyond the queue bound.",
                                      {{"endpoint", name}, {"reason", "rejected"}})),
        dropped_queue_full(r.GetCounter("loupe_fanout_dropped_spans_total",
                                        "Spans dropped: refused permanently, or oldest beyond the queue bound.",
                                        {{"endpoint", name}, {"reason", "queue_full"}})),
        queued_spans(r.GetGauge("loupe_fanout_queued_spans", "Spans waiting in the disk queue.",
                                {{"endpoint", name}})),
        queued_bytes(r.GetGauge("loupe_fanout_queued_bytes", "Payload bytes waiting in the disk queue.",
                                {{"endpoint", name}})),
        oldest_age(r.GetGauge("loupe_fanout_oldest_queued_age_seconds",
                              "Age of the oldest queued entry; 0 when the queue is empty.",
                              {{"endpoint", name}})) {}

  metrics::Counter& sent_spans;
  metrics::Counter& sent_requests;
  metrics::Counter& failed_retryable;
  metrics::Counter& failed_permanent;
  metrics::Counter& dropped_rejected;
  metrics::Counter& dropped_queue_full;
  metrics::Gauge& queued_spans;
  metrics::Gauge& queued_bytes;
  metrics::Gauge& oldest_age;
};

Result<std::unique_ptr<Forwarder>> Forwarder::Create(EndpointConfig config, const std::string& data_dir,
                                                     metrics::Registry& registry, const Clock& clock) {
  auto queue = DiskQueue::Open(data_dir + "/fanout/" + config.name, config.max_queue_bytes, config.fsync);
  if (!queue.ok()) return queue.status().WithContext("fanout endpoint " + config.name);
  auto transport = MakeTransport(config);
  if (!transport.ok()) return transport.status().WithContext("fanout endpoint " + config.name);
  return std::unique_ptr<Forwarder>(new Forwarder(std::move(config), std::move(queue).value(),
                                                  std::move(transport).value(), registry, clock));
}

Forwarder::Forwarder(EndpointConfig config, std::unique_ptr<DiskQueue> queue, std::unique_ptr<Transport> transport,
                     metrics::Registry& registry, const Clock& clock)
    : config_(std::move(config)),
      queue_(std::move(queue)),
      transport_(std::move(transport)),
      metrics_(std::make_unique<Metrics>(registry, config_.name)),
      clock_(clock),
      backoff_(config_.initial_backoff_seconds, config_.max_backoff_seconds) {
  UpdateGauges();
}

Forwarder::~Forwarder() { Shutdown(); }

void Forwarder::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (sender_.joinable() || stop_) return;
  sender_ = std::thread([this] { Run(); });
}

void Forwarder::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (sender_.joinable()) sender_.join();
}

Status Forwarder::Consume(std::span<model::Batch* const> batches) {
  std::vector<const model::Span*> spans;
  for (const model::Batch* batch : batches) {
    for (const model::SpanRecord& record : batch->spans) {
      if (Matches(config_.filter, record)) spans.push_back(&record.span);
    }
  }
  if (spans.empty()) return Status::Ok();
  std::string payload = EncodeTracesProtobuf(spans);
  DiskQueue::Dropped dropped;
  Status s = queue_->Append(payload, static_cast<int64_t>(spans.size()), clock_.NowUnixNanos(), &dropped);
  if (!s.ok()) {
    spdlog::error("fanout {}: cannot queue {} spans: {}", config_.name, spans.size(), s.message());
    return Status::Unavailable("fanout " + config_.name + ": " + s.message());
  }
  if (dropped.spans > 0) {
    metrics_->dropped_queue_full.Inc(static_cast<uint64_t>(dropped.spans));
    spdlog::warn("fanout {}: queue over {} bytes, dropped the oldest {} spans", config_.name,
                 config_.max_queue_bytes, dropped.spans);
  }
  UpdateGauges();
  {
    std::lock_guard<std::mutex> lock(mu_);
    work_ = true;
  }
  cv_.notify_all();
  return Status::Ok();
}

void Forwarder::UpdateGauges() {
  DiskQueue::Stats stats = queue_->stats();
  metrics_->queued_spans.Set(static_cast<double>(stats.spans));
  metrics_->queued_bytes.Set(static_cast<double>(stats.bytes));
  uint64_t now = clock_.NowUnixNanos();
  double age = stats.oldest_unix_nano == 0 || now < stats.oldest_unix_nano
                   ? 0
                   : static_cast<double>(now - stats.oldest_unix_nano) / 1e9;
  metrics_->oldest_age.Set(age);
}

bool Forwarder::Wait(double seconds, bool wake_on_work) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::duration<double>(seconds), [&] { return stop_ || (wake_on_work && work_); });
  work_ = false;
  return !stop_;
}

void Forwarder::Run() {
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
    bool backoff_needed = false;
    double wait = 0;
    SendOnce(&backoff_needed, &wait);
    UpdateGauges();
    if (wait > 0 && !Wait(wait, /*wake_on_work=*/!backoff_needed)) return;
  }
}

void Forwarder::SendOnce(bool* backoff_needed, double* wait_seconds) {
  std::vector<DiskQueue::Entry> entries;
  Status s = queue_->Peek(config_.max_batch_bytes, &entries);
  if (!s.ok()) {
    spdlog::error("fanout {}: {}", config_.name, s.message());
    *backoff_needed = true;
    *wait_seconds = 1;
    return;
  }
  if (entries.empty()) {
    *wait_seconds = 1;  // wakes early when Consume queues something
    return;
  }
  std::string payload;
  int64_t spans = 0;
  for (const DiskQueue::Entry& e : entries) {
    payload += e.payload;  // concatenated requests are one request
    spans += e.spans;
  }
  SendResult result = transport_->Send(payload);
  switch (result.outcome) {
    case Outcome::kSent:
      metrics_->sent_requests.Inc();
      metrics_->sent_spans.Inc(static_cast<uint64_t>(spans));
      s = queue_->RemoveThrough(entries.back().id);
      backoff_.Reset();
      if (failing_) spdlog::info("fanout {}: endpoint accepts exports again", config_.name);
      failing_ = false;
      break;
    case Outcome::kPermanent:
      metrics_->failed_permanent.Inc();
      metrics_->dropped_rejected.Inc(static_cast<uint64_t>(spans));
      s = queue_->RemoveThrough(entries.back().id);
      spdlog::warn("fanout {}: endpoint refused {} spans permanently ({}); dropped", config_.name, spans,
                   result.detail);
      break;
    case Outcome::kRetryable:
      queue_->Release();
      metrics_->failed_retryable.Inc();
      *backoff_needed = true;
      // A server's Retry-After wins over our own schedule, within reason.
      *wait_seconds = result.retry_after ? std::clamp(*result.retry_after, 0.1, 300.0) : backoff_.Next();
      if (!failing_) {
        spdlog::warn("fanout {}: export failed ({}), retrying in {:.1f}s; data stays queued", config_.name,
                     result.detail, *wait_seconds);
      }
      failing_ = true;
      break;
  }
  if (!s.ok()) spdlog::error("fanout {}: {}", config_.name, s.message());
}

}  // namespace loupe::fanout
