// Forwarder: the fan-out to one OTLP endpoint, as a pipeline consumer.
//
// Consume() filters the batch's spans (the content policy was applied
// upstream, before any consumer), encodes them as one protobuf
// ExportTraceServiceRequest and commits it to the endpoint's DiskQueue:
// OK means "durably queued", so the pipeline may acknowledge the client.
// A sender thread drains the queue in batches of up to max_batch_bytes,
// retrying retryable failures with backoff (honouring Retry-After) and
// dropping permanently refused batches (counted). The queue survives
// restarts; beyond max_queue_bytes the oldest entries are dropped (counted).
//
// Metrics (label endpoint=<name>):
//   loupe_fanout_sent_spans_total, loupe_fanout_sent_requests_total,
//   loupe_fanout_failed_requests_total{reason=retryable|permanent},
//   loupe_fanout_dropped_spans_total{reason=rejected|queue_full},
//   loupe_fanout_queued_spans, loupe_fanout_queued_bytes,
//   loupe_fanout_oldest_queued_age_seconds.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/result.h"
#include "fanout/config.h"
#include "fanout/disk_queue.h"
#include "fanout/transport.h"
#include "metrics/registry.h"
#include "model/consumer.h"

namespace loupe::fanout {

// True when `record` goes to an endpoint with this filter.
bool Matches(const EndpointFilter& filter, const model::SpanRecord& record);

class Forwarder final : public model::BatchConsumer {
 public:
  // Opens (or resumes) the queue under <data_dir>/fanout/<config.name>/.
  // REQUIRES: config.Validate() is OK; registry and clock outlive this.
  static Result<std::unique_ptr<Forwarder>> Create(EndpointConfig config, const std::string& data_dir,
                                                   metrics::Registry& registry,
                                                   const Clock& clock = SystemClock::Get());
  ~Forwarder() override;  // Shutdown()

  // Starts the sender thread; what a previous run left queued goes first.
  void Start();
  // Called from one pipeline thread at a time. Unavailable when the entry
  // cannot be written (disk full): the client is then told to retry.
  Status Consume(std::span<model::Batch* const> batches) override;
  // Stops the sender (an export in flight finishes or times out first).
  // Queued data stays on disk for the next run. Safe without Start, twice.
  void Shutdown();

  DiskQueue::Stats queue_stats() const { return queue_->stats(); }
  const EndpointConfig& config() const { return config_; }

 private:
  struct Metrics;
  Forwarder(EndpointConfig config, std::unique_ptr<DiskQueue> queue, std::unique_ptr<Transport> transport,
            metrics::Registry& registry, const Clock& clock);
  void Run();
  void SendOnce(bool* backoff_needed, double* wait_seconds);
  void UpdateGauges();
  // Waits until Stop or `seconds` passed; with wake_on_work, also until
  // Consume queued something. Returns false once stopping.
  bool Wait(double seconds, bool wake_on_work);

  const EndpointConfig config_;
  std::unique_ptr<DiskQueue> queue_;
  std::unique_ptr<Transport> transport_;  // sender thread only
  std::unique_ptr<Metrics> metrics_;
  const Clock& clock_;
  Backoff backoff_;  // sender thread only
  bool failing_ = false;  // sender thread only: logging a recovery once

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;       // GUARDED_BY(mu_)
  bool work_ = false;       // GUARDED_BY(mu_)
  std::thread sender_;
};

}  // namespace loupe::fanout
