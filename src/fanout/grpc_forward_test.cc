// Forwarder over OTLP/gRPC into Loupe's own gRPC receiver and pipeline.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "fanout/forwarder.h"
#include "fanout/test_util.h"
#include "ingest/otlp_grpc.h"
#include "ingest/pipeline.h"

namespace loupe::fanout {
namespace {

// Collects span names; can refuse with a status (the receiver maps it).
class Sink final : public model::BatchConsumer {
 public:
  Status Consume(std::span<model::Batch* const> batches) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (refusals_ > 0) {
      --refusals_;
      return Status::Unavailable("down for maintenance");
    }
    for (const model::Batch* b : batches) {
      for (const auto& r : b->spans) names_.push_back(r.span.name);
    }
    return Status::Ok();
  }
  std::vector<std::string> names() {
    std::lock_guard<std::mutex> lock(mu_);
    return names_;
  }
  void Refuse(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    refusals_ = n;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> names_;
  int refusals_ = 0;
};

TEST(GrpcForwardTest, DeliversOverGrpcAndRetriesUnavailable) {
  metrics::Registry registry;
  Sink sink;
  ingest::PipelineConfig pc;
  ingest::Pipeline pipeline(pc, nullptr, {&sink}, registry);
  pipeline.Start();
  ingest::ReceiverConfig rc;
  rc.grpc_addr = "127.0.0.1:0";
  rc.retry_after_seconds = 0;
  ingest::OtlpGrpcReceiver receiver(rc, pipeline, registry);
  ASSERT_TRUE(receiver.Start().ok());
  sink.Refuse(1);

  auto dir = std::filesystem::temp_directory_path() / ("fanout-grpc-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  EndpointConfig c;
  c.name = "grpc";
  c.endpoint = "http://127.0.0.1:" + std::to_string(receiver.port());
  c.protocol = Protocol::kGrpc;
  c.gzip = true;
  c.headers.push_back({"Authorization", "Bearer x"});
  c.initial_backoff_seconds = 0.05;
  c.max_backoff_seconds = 0.1;
  c.fsync = false;
  metrics::Registry fanout_registry;
  auto f = Forwarder::Create(c, dir.string(), fanout_registry);
  ASSERT_TRUE(f.ok()) << f.status().message();
  (*f)->Start();

  model::Batch batch;
  auto res = testing::MakeResource("svc");
  auto scope = testing::MakeScope("s");
  for (uint8_t i = 0; i < 3; ++i) batch.spans.push_back(testing::MakeSpan(i, res, scope));
  model::Batch* ptr = &batch;
  ASSERT_TRUE((*f)->Consume(std::span<model::Batch* const>(&ptr, 1)).ok());

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sink.names().size() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(sink.names(), (std::vector<std::string>{"span-0", "span-1", "span-2"}));
  std::string text = fanout_registry.Render();
  EXPECT_NE(text.find("loupe_fanout_failed_requests_total{endpoint=\"grpc\",reason=\"retryable\"} 1"),
            std::string::npos)
      << text;
  (*f)->Shutdown();
  receiver.Shutdown(2);
  pipeline.Shutdown();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace loupe::fanout
