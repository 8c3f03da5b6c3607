// Pipeline: the bounded queue between the receivers and everything
// downstream, and the place acknowledgements come from.
//
// A receiver Submit()s one decoded request as a Batch with a `done`
// callback. One worker thread takes up to max_group_batches queued batches
// at once, runs `prepare` (normalise + price) on each, hands the group to
// every consumer and only then calls each batch's `done`: OK means every
// consumer accepted it (durable, once a store is a consumer), so the
// receiver may answer the client.
//
// Memory is bounded: the queue refuses (ResourceExhausted) once it holds
// max_queue_batches batches or max_queue_bytes estimated bytes; one batch
// is always admitted into an empty queue so an oversize-but-legal request
// cannot be refused forever.
//
// Delivery is at-least-once: when one consumer fails after another
// accepted, the client retries and the accepting consumer sees the batch
// again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "ingest/config.h"
#include "metrics/registry.h"
#include "model/batch.h"
#include "model/consumer.h"

namespace loupe::ingest {

class Pipeline {
 public:
  using PrepareFn = std::function<void(model::Batch&)>;
  // Called exactly once per Submit, from the submitting thread (refusals)
  // or the worker thread (after the consumers). Must be quick and must not
  // call back into the pipeline.
  using DoneFn = std::function<void(Status)>;

  // `prepare` may be empty. Consumers are not owned and must outlive the
  // pipeline; they are called from the worker thread only, one at a time.
  Pipeline(PipelineConfig config, PrepareFn prepare, std::vector<model::BatchConsumer*> consumers,
           metrics::Registry& registry);
  ~Pipeline();  // Shutdown()

  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Starts the worker thread. No-op after Shutdown() began or when started.
  void Start();

  // Refuses new batches, processes and acknowledges every batch accepted so
  // far, then stops the worker. Safe without Start() (drains on the calling
  // thread) and safe to call twice. Blocks until the queue is empty.
  void Shutdown();

  // Queues `batch` (`cost_bytes`: its estimated memory). Refusals call
  // done immediately: ResourceExhausted when the queue is full, Unavailable
  // once shutdown began. Otherwise done(status) follows the consumers:
  // OK, or a retryable error (a consumer's non-retryable error is reported
  // as Unavailable: the data was fine, the server was not).
  void Submit(model::Batch batch, size_t cost_bytes, DoneFn done);

  size_t queued_batches() const;
  size_t queued_bytes() const;

 private:
  struct Item {
    model::Batch batch;
    size_t cost_bytes = 0;
    DoneFn done;
    std::chrono::steady_clock::time_point enqueued;
    uint64_t spans = 0;
    uint64_t logs = 0;
  };
  struct Counts {
    metrics::Counter* batches;
    metrics::Counter* spans;
    metrics::Counter* logs;
  };

  void Run();
  // Takes up to max_group_batches items; false when stopping and empty.
  // `block` waits for work.
  bool TakeGroup(std::vector<Item>* group, bool block);
  void Process(std::vector<Item>& group);
  Status ConsumeGroup(std::vector<Item>& group);
  void Refuse(const Counts& counts, const Item& item, DoneFn& done, Status status);
  Counts CountsFor(std::string_view outcome, std::string_view reason);

  const PipelineConfig config_;
  const PrepareFn prepare_;
  const std::vector<model::BatchConsumer*> consumers_;
  metrics::Registry* const registry_;

  Counts accepted_;
  Counts queue_full_;
  Counts shutting_down_;
  Counts consumer_error_;
  metrics::Gauge& queue_batches_;
  metrics::Gauge& queue_bytes_;
  metrics::Counter& groups_;
  metrics::Histogram& ack_latency_;
  metrics::Histogram& consume_latency_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;      // GUARDED_BY(mu_)
  size_t bytes_ = 0;            // GUARDED_BY(mu_)
  bool stopping_ = false;       // GUARDED_BY(mu_)
  bool started_ = false;        // GUARDED_BY(mu_)
  bool shut_down_ = false;      // GUARDED_BY(shutdown_mu_)
  std::mutex shutdown_mu_;      // serialises Shutdown callers
  std::thread worker_;
};

}  // namespace loupe::ingest
