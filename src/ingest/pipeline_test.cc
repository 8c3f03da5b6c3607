#include "ingest/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace loupe::ingest {
namespace {

model::Batch BatchOf(size_t spans, size_t logs = 0) {
  model::Batch b;
  b.spans.resize(spans);
  for (size_t i = 0; i < spans; ++i) b.spans[i].span.name = "s" + std::to_string(i);
  b.logs.resize(logs);
  return b;
}

// Records every group it sees; can be made to block or fail.
class RecordingConsumer : public model::BatchConsumer {
 public:
  Status Consume(std::span<model::Batch* const> batches) override {
    {
      std::unique_lock lock(mu_);
      entered_ = true;
      cv_.notify_all();
      cv_.wait(lock, [this] { return !blocked_; });
      group_sizes_.push_back(batches.size());
      for (model::Batch* b : batches) {
        for (auto& s : b->spans) names_.push_back(s.span.name);
      }
    }
    ++calls_;
    return result_;
  }

  void Block() {
    std::lock_guard lock(mu_);
    blocked_ = true;
  }
  void Unblock() {
    std::lock_guard lock(mu_);
    blocked_ = false;
    cv_.notify_all();
  }
  void WaitEntered() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return entered_; });
  }
  std::vector<size_t> group_sizes() {
    std::lock_guard lock(mu_);
    return group_sizes_;
  }
  std::vector<std::string> names() {
    std::lock_guard lock(mu_);
    return names_;
  }

  Status result_ = Status::Ok();
  std::atomic<int> calls_{0};

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool blocked_ = false;
  bool entered_ = false;
  std::vector<size_t> group_sizes_;
  std::vector<std::string> names_;
};

// Collects done() results.
struct Acks {
  std::mutex mu;
  std::vector<Status> statuses;
  Pipeline::DoneFn Fn() {
    return [this](Status s) {
      std::lock_guard lock(mu);
      statuses.push_back(std::move(s));
    };
  }
  size_t size() {
    std::lock_guard lock(mu);
    return statuses.size();
  }
};

TEST(PipelineTest, AcknowledgesOnlyAfterEveryConsumerAccepted) {
  metrics::Registry registry;
  RecordingConsumer a, b;
  b.Block();
  std::atomic<int> prepared{0};
  Pipeline p({}, [&](model::Batch& batch) {
    ++prepared;
    for (auto& s : batch.spans) s.span.name += "+prepared";
  }, {&a, &b}, registry);
  p.Start();
  std::promise<Status> acked;
  p.Submit(BatchOf(2), 100, [&](Status s) { acked.set_value(s); });
  b.WaitEntered();
  auto fut = acked.get_future();
  // Consumer b holds the group: no acknowledgement yet.
  EXPECT_EQ(fut.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  EXPECT_EQ(a.calls_, 1);
  b.Unblock();
  EXPECT_TRUE(fut.get().ok());
  EXPECT_EQ(prepared, 1);
  EXPECT_EQ(b.names(), (std::vector<std::string>{"s0+prepared", "s1+prepared"}));
  p.Shutdown();
  std::string out = registry.Render();
  EXPECT_NE(out.find("loupe_pipeline_accepted_spans_total 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("loupe_pipeline_ack_latency_seconds_count 1\n"), std::string::npos);
}

TEST(PipelineTest, GroupsQueuedBatches) {
  metrics::Registry registry;
  RecordingConsumer c;
  c.Block();
  PipelineConfig config;
  config.max_group_batches = 3;
  Pipeline p(config, nullptr, {&c}, registry);
  p.Start();
  Acks acks;
  p.Submit(BatchOf(1), 1, acks.Fn());  // taken alone, blocks in the consumer
  c.WaitEntered();
  for (int i = 0; i < 5; ++i) p.Submit(BatchOf(1), 1, acks.Fn());
  EXPECT_EQ(p.queued_batches(), 5u);
  c.Unblock();
  p.Shutdown();
  EXPECT_EQ(c.group_sizes(), (std::vector<size_t>{1, 3, 2}));
  ASSERT_EQ(acks.size(), 6u);
  for (const Status& s : acks.statuses) EXPECT_TRUE(s.ok());
}

TEST(PipelineTest, RefusesWhenQueueIsFullByItemsOrBytes) {
  metrics::Registry registry;
  RecordingConsumer c;
  c.Block();
  PipelineConfig config;
  config.max_queue_batches = 2;
  config.max_queue_bytes = 1000;
  Pipeline p(config, nullptr, {&c}, registry);
  p.Start();
  Acks acks;
  p.Submit(BatchOf(1), 10, acks.Fn());
  c.WaitEntered();  // the first batch is out of the queue, in the consumer
  p.Submit(BatchOf(1), 600, acks.Fn());
  std::promise<Status> bytes_refused;
  p.Submit(BatchOf(3, 2), 600, [&](Status s) { bytes_refused.set_value(s); });
  Status s = bytes_refused.get_future().get();
  EXPECT_EQ(s.code(), Status::Code::kResourceExhausted);
  EXPECT_NE(s.message().find("queue is full"), std::string::npos);
  p.Submit(BatchOf(1), 10, acks.Fn());
  std::promise<Status> items_refused;
  p.Submit(BatchOf(4), 1, [&](Status s) { items_refused.set_value(s); });
  EXPECT_EQ(items_refused.get_future().get().code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(p.queued_batches(), 2u);
  EXPECT_EQ(p.queued_bytes(), 610u);
  std::string out = registry.Render();
  EXPECT_NE(out.find("loupe_pipeline_queue_batches 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("loupe_pipeline_queue_bytes 610\n"), std::string::npos) << out;
  c.Unblock();
  p.Shutdown();
  out = registry.Render();
  EXPECT_NE(out.find("loupe_pipeline_refused_spans_total{reason=\"queue_full\"} 7\n"),
            std::string::npos) << out;
  EXPECT_NE(out.find("loupe_pipeline_refused_log_records_total{reason=\"queue_full\"} 2\n"),
            std::string::npos);
  EXPECT_NE(out.find("loupe_pipeline_accepted_batches_total 3\n"), std::string::npos);
}

TEST(PipelineTest, AdmitsOneOversizeBatchIntoAnEmptyQueue) {
  metrics::Registry registry;
  RecordingConsumer c;
  PipelineConfig config;
  config.max_queue_bytes = 10;
  Pipeline p(config, nullptr, {&c}, registry);
  std::promise<Status> done;
  p.Submit(BatchOf(1), 1000, [&](Status s) { done.set_value(s); });
  p.Start();
  EXPECT_TRUE(done.get_future().get().ok());
}

TEST(PipelineTest, ShutdownDrainsEverythingAcceptedAndThenRefuses) {
  metrics::Registry registry;
  RecordingConsumer c;
  c.Block();
  Pipeline p({}, nullptr, {&c}, registry);
  p.Start();
  Acks acks;
  for (int i = 0; i < 20; ++i) p.Submit(BatchOf(1), 1, acks.Fn());
  c.WaitEntered();
  std::thread stopper([&] { p.Shutdown(); });
  // Shutdown waits for the blocked consumer, then drains the rest.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::promise<Status> late;
  p.Submit(BatchOf(1), 1, [&](Status s) { late.set_value(s); });
  EXPECT_EQ(late.get_future().get().code(), Status::Code::kUnavailable);
  c.Unblock();
  stopper.join();
  ASSERT_EQ(acks.size(), 20u);
  for (const Status& s : acks.statuses) EXPECT_TRUE(s.ok());
  EXPECT_EQ(c.names().size(), 20u);
  EXPECT_NE(registry.Render().find(
                "loupe_pipeline_refused_batches_total{reason=\"shutting_down\"} 1\n"),
            std::string::npos);
}

TEST(PipelineTest, ShutdownWithoutStartDrainsOnTheCallingThread) {
  metrics::Registry registry;
  RecordingConsumer c;
  Pipeline p({}, nullptr, {&c}, registry);
  Acks acks;
  p.Submit(BatchOf(2), 1, acks.Fn());
  p.Submit(BatchOf(3), 1, acks.Fn());
  p.Shutdown();
  EXPECT_EQ(acks.size(), 2u);
  EXPECT_EQ(c.names().size(), 5u);
  p.Shutdown();  // twice is fine
  Pipeline never_used({}, nullptr, {}, registry);
  never_used.Shutdown();
}

TEST(PipelineTest, ConsumerErrorFailsTheGroupWithARetryableStatus) {
  metrics::Registry registry;
  RecordingConsumer ok, failing;
  failing.result_ = Status::IoError("disk full");
  Pipeline p({}, nullptr, {&failing, &ok}, registry);
  p.Start();
  std::promise<Status> done;
  p.Submit(BatchOf(2), 1, [&](Status s) { done.set_value(s); });
  Status s = done.get_future().get();
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_NE(s.message().find("disk full"), std::string::npos);
  EXPECT_EQ(ok.calls_, 0);  // later consumers are not called
  // A retryable consumer error passes through unchanged.
  failing.result_ = Status::ResourceExhausted("store busy");
  std::promise<Status> done2;
  p.Submit(BatchOf(1), 1, [&](Status s) { done2.set_value(s); });
  EXPECT_EQ(done2.get_future().get().code(), Status::Code::kResourceExhausted);
  p.Shutdown();
  EXPECT_NE(registry.Render().find(
                "loupe_pipeline_refused_spans_total{reason=\"consumer_error\"} 3\n"),
            std::string::npos);
}

class ThrowingConsumer : public model::BatchConsumer {
 public:
  Status Consume(std::span<model::Batch* const>) override { throw std::runtime_error("boom"); }
};

TEST(PipelineTest, ThrowingStageDoesNotKillTheWorker) {
  metrics::Registry registry;
  ThrowingConsumer c;
  Pipeline p({}, nullptr, {&c}, registry);
  p.Start();
  for (int i = 0; i < 2; ++i) {
    std::promise<Status> done;
    p.Submit(BatchOf(1), 1, [&](Status s) { done.set_value(s); });
    Status s = done.get_future().get();
    EXPECT_EQ(s.code(), Status::Code::kUnavailable);
    EXPECT_NE(s.message().find("boom"), std::string::npos);
  }
}

TEST(PipelineTest, ConcurrentSubmittersAllGetExactlyOneAnswer) {
  metrics::Registry registry;
  RecordingConsumer c;
  PipelineConfig config;
  config.max_queue_batches = 8;
  Pipeline p(config, nullptr, {&c}, registry);
  p.Start();
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        p.Submit(BatchOf(1), 1, [&](Status s) { (s.ok() ? ok : refused)++; });
      }
    });
  }
  for (auto& t : threads) t.join();
  p.Shutdown();
  EXPECT_EQ(ok + refused, 2000);
  EXPECT_EQ(static_cast<int>(c.names().size()), ok.load());
}

}  // namespace
}  // namespace loupe::ingest
