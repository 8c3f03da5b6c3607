#include "ingest/pipeline.h"

#include <exception>
#include <string>

namespace loupe::ingest {

namespace {

uint64_t CountLogs(const model::Batch& b) {
  uint64_t n = b.logs.size();
  for (const auto& s : b.spans) n += s.span.logs.size();
  return n;
}

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

Pipeline::Counts Pipeline::CountsFor(std::string_view outcome, std::string_view reason) {
  metrics::Registry& r = *registry_;
  if (outcome == "accepted") {
    return {&r.GetCounter("loupe_pipeline_accepted_batches_total",
                          "Batches every consumer accepted (acknowledged OK)."),
            &r.GetCounter("loupe_pipeline_accepted_spans_total",
                          "Spans every consumer accepted."),
            &r.GetCounter("loupe_pipeline_accepted_log_records_total",
                          "Log records every consumer accepted.")};
  }
  metrics::Labels labels = {{"reason", std::string(reason)}};
  return {&r.GetCounter("loupe_pipeline_refused_batches_total",
                        "Batches refused by the pipeline, by reason.", labels),
          &r.GetCounter("loupe_pipeline_refused_spans_total",
                        "Spans refused by the pipeline, by reason.", labels),
          &r.GetCounter("loupe_pipeline_refused_log_records_total",
                        "Log records refused by the pipeline, by reason.", labels)};
}

Pipeline::Pipeline(PipelineConfig config, PrepareFn prepare,
                   std::vector<model::BatchConsumer*> consumers, metrics::Registry& registry)
    : config_(config),
      prepare_(std::move(prepare)),
      consumers_(std::move(consumers)),
      registry_(&registry),
      accepted_(CountsFor("accepted", "")),
      queue_full_(CountsFor("refused", "queue_full")),
      shutting_down_(CountsFor("refused", "shutting_down")),
      consumer_error_(CountsFor("refused", "consumer_error")),
      queue_batches_(registry.GetGauge("loupe_pipeline_queue_batches",
                                       "Batches waiting in the pipeline queue.")),
      queue_bytes_(registry.GetGauge("loupe_pipeline_queue_bytes",
                                     "Estimated bytes of the batches waiting in the queue.")),
      groups_(registry.GetCounter("loupe_pipeline_groups_total",
                                  "Groups of batches handed to the consumers together.")),
      ack_latency_(registry.GetHistogram(
          "loupe_pipeline_ack_latency_seconds",
          "Time from Submit to acknowledgement (queue wait + prepare + consumers).",
          metrics::DefaultLatencyBuckets())),
      consume_latency_(registry.GetHistogram(
          "loupe_pipeline_consume_seconds",
          "Time to prepare one group and have every consumer accept it.",
          metrics::DefaultLatencyBuckets())) {
  registry.GetGauge("loupe_pipeline_queue_capacity_batches",
                    "Configured maximum of queued batches.")
      .Set(static_cast<double>(config_.max_queue_batches));
  registry.GetGauge("loupe_pipeline_queue_capacity_bytes",
                    "Configured maximum of queued estimated bytes.")
      .Set(static_cast<double>(config_.max_queue_bytes));
}

Pipeline::~Pipeline() { Shutdown(); }

void Pipeline::Start() {
  std::lock_guard lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  worker_ = std::thread([this] { Run(); });
}

void Pipeline::Shutdown() {
  std::lock_guard shutdown_lock(shutdown_mu_);
  if (shut_down_) return;
  bool started;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    started = started_;
  }
  cv_.notify_all();
  if (started) {
    worker_.join();
  } else {
    // Never started: drain what was accepted on this thread.
    std::vector<Item> group;
    while (TakeGroup(&group, /*block=*/false)) Process(group);
  }
  shut_down_ = true;
}

void Pipeline::Refuse(const Counts& counts, const Item& item, DoneFn& done, Status status) {
  counts.batches->Inc();
  counts.spans->Inc(item.spans);
  counts.logs->Inc(item.logs);
  if (done) done(std::move(status));
}

void Pipeline::Submit(model::Batch batch, size_t cost_bytes, DoneFn done) {
  Item item;
  item.spans = batch.spans.size();
  item.logs = CountLogs(batch);
  {
    std::unique_lock lock(mu_);
    if (stopping_) {
      lock.unlock();
      Refuse(shutting_down_, item, done,
             Status::Unavailable("Loupe is shutting down; retry against the new instance"));
      return;
    }
    // An empty queue always takes one batch, so a large legal request is
    // never refused forever; memory stays bounded by the limit plus one batch.
    bool full = !queue_.empty() && (queue_.size() >= config_.max_queue_batches ||
                                    bytes_ + cost_bytes > config_.max_queue_bytes);
    if (full) {
      size_t n = queue_.size();
      size_t bytes = bytes_;
      lock.unlock();
      Refuse(queue_full_, item, done,
             Status::ResourceExhausted("ingest queue is full (" + std::to_string(n) +
                                       " batches, " + std::to_string(bytes) +
                                       " bytes queued); retry later"));
      return;
    }
    item.batch = std::move(batch);
    item.cost_bytes = cost_bytes;
    item.done = std::move(done);
    item.enqueued = std::chrono::steady_clock::now();
    bytes_ += cost_bytes;
    queue_.push_back(std::move(item));
    queue_batches_.Set(static_cast<double>(queue_.size()));
    queue_bytes_.Set(static_cast<double>(bytes_));
  }
  cv_.notify_one();
}

size_t Pipeline::queued_batches() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t Pipeline::queued_bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

bool Pipeline::TakeGroup(std::vector<Item>* group, bool block) {
  group->clear();
  std::unique_lock lock(mu_);
  if (block) cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return false;
  while (!queue_.empty() && group->size() < config_.max_group_batches) {
    bytes_ -= queue_.front().cost_bytes;
    group->push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  queue_batches_.Set(static_cast<double>(queue_.size()));
  queue_bytes_.Set(static_cast<double>(bytes_));
  return true;
}

void Pipeline::Run() {
  std::vector<Item> group;
  // TakeGroup returns false only when stopping and the queue is empty, so
  // everything accepted before Shutdown is processed.
  while (TakeGroup(&group, /*block=*/true)) Process(group);
}

Status Pipeline::ConsumeGroup(std::vector<Item>& group) {
  // Consumers and prepare are Loupe code and should not throw; if one does,
  // the worker survives and the clients are told to retry.
  try {
    if (prepare_) {
      for (Item& item : group) prepare_(item.batch);
    }
    std::vector<model::Batch*> batches;
    batches.reserve(group.size());
    for (Item& item : group) batches.push_back(&item.batch);
    for (model::BatchConsumer* consumer : consumers_) {
      Status s = consumer->Consume(batches);
      if (!s.ok()) return s;
    }
  } catch (const std::exception& e) {
    return Status::Internal(std::string("pipeline stage threw: ") + e.what());
  } catch (...) {
    return Status::Internal("pipeline stage threw a non-standard exception");
  }
  return Status::Ok();
}

void Pipeline::Process(std::vector<Item>& group) {
  auto start = std::chrono::steady_clock::now();
  Status s = ConsumeGroup(group);
  consume_latency_.Observe(SecondsSince(start));
  groups_.Inc();
  if (!s.ok() && !s.retryable()) {
    // The data was accepted by the receiver; a downstream failure is the
    // server's problem, so the client is told to retry.
    s = Status::Unavailable("downstream failed, retry later: " + s.ToString());
  }
  for (Item& item : group) {
    const Counts& counts = s.ok() ? accepted_ : consumer_error_;
    counts.batches->Inc();
    counts.spans->Inc(item.spans);
    counts.logs->Inc(item.logs);
    ack_latency_.Observe(SecondsSince(item.enqueued));
    if (item.done) item.done(s);
  }
  group.clear();
}

}  // namespace loupe::ingest
