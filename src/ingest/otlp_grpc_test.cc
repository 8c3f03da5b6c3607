#include "ingest/otlp_grpc.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "google/rpc/status.pb.h"
#include "ingest/test_otlp.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace loupe::ingest {
namespace {

using testing::GateConsumer;
namespace pb_trace = testing::pb_trace;
namespace pb_logs = testing::pb_logs;
namespace pb_metrics = testing::pb_metrics;

class OtlpGrpcTest : public ::testing::Test {
 protected:
  void Start(size_t max_queue_batches = 1024) {
    config_.grpc_addr = "127.0.0.1:0";
    config_.max_body_bytes = 64 * 1024;
    config_.retry_after_seconds = 3;
    PipelineConfig pc;
    pc.max_queue_batches = max_queue_batches;
    pc.max_group_batches = 1;
    pipeline_ = std::make_unique<Pipeline>(pc, nullptr, std::vector<model::BatchConsumer*>{&sink_},
                                           registry_);
    pipeline_->Start();
    receiver_ = std::make_unique<OtlpGrpcReceiver>(config_, *pipeline_, registry_);
    ASSERT_TRUE(receiver_->Start().ok());
    ASSERT_NE(receiver_->port(), 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(receiver_->port()),
                                   grpc::InsecureChannelCredentials());
    traces_ = pb_trace::TraceService::NewStub(channel_);
  }
  void TearDown() override {
    sink_.Release();
    if (receiver_) receiver_->Shutdown(2);
    if (pipeline_) pipeline_->Shutdown();
    receiver_.reset();
  }
  grpc::Status Export(const pb_trace::ExportTraceServiceRequest& req,
                      pb_trace::ExportTraceServiceResponse* res) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return traces_->Export(&ctx, req, res);
  }
  bool Metric(const std::string& line) {
    return registry_.Render().find(line + "\n") != std::string::npos;
  }

  ReceiverConfig config_;
  metrics::Registry registry_;
  GateConsumer sink_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<OtlpGrpcReceiver> receiver_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb_trace::TraceService::Stub> traces_;
};

TEST_F(OtlpGrpcTest, AcceptsTraces) {
  Start();
  pb_trace::ExportTraceServiceResponse res;
  grpc::Status s = Export(testing::TraceRequest(2), &res);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(res.has_partial_success());
  EXPECT_EQ(sink_.spans().size(), 2u);
  EXPECT_TRUE(Metric("loupe_receiver_accepted_spans_total{protocol=\"grpc\"} 2"));
}

TEST_F(OtlpGrpcTest, ReportsPartialSuccess) {
  Start();
  pb_trace::ExportTraceServiceResponse res;
  ASSERT_TRUE(Export(testing::TraceRequest(1, 2), &res).ok());
  EXPECT_EQ(res.partial_success().rejected_spans(), 2);
  EXPECT_NE(res.partial_success().error_message(), "");
  EXPECT_EQ(sink_.spans().size(), 1u);
}

TEST_F(OtlpGrpcTest, UndecodableMessageIsInvalidArgumentAndServerKeepsServing) {
  Start();
  grpc::GenericStub generic(channel_);
  std::string garbage = "\xff\xff\xff\xff\x0f garbage";
  grpc::Slice slice(garbage);
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::ClientContext ctx;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&ctx, "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
                    grpc::StubOptions(), &request, &response,
                    [&](grpc::Status s) { done.set_value(s); });
  grpc::Status s = done.get_future().get();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message(), "");
  pb_trace::ExportTraceServiceResponse res;
  EXPECT_TRUE(Export(testing::TraceRequest(1), &res).ok());
  EXPECT_TRUE(Metric(
      "loupe_receiver_requests_total{outcome=\"refused\",protocol=\"grpc\","
      "reason=\"decode_error\",signal=\"traces\"} 1"));
}

TEST_F(OtlpGrpcTest, FullQueueIsUnavailableWithRetryInfo) {
  Start(/*max_queue_batches=*/1);
  sink_.Hold();
  auto req = testing::TraceRequest(1);
  // Two calls in flight: one held in the consumer, one queued.
  pb_trace::ExportTraceServiceResponse r1, r2;
  grpc::ClientContext c1, c2;
  std::promise<grpc::Status> d1, d2;
  traces_->async()->Export(&c1, &req, &r1, [&](grpc::Status s) { d1.set_value(s); });
  sink_.WaitEntered(1);
  traces_->async()->Export(&c2, &req, &r2, [&](grpc::Status s) { d2.set_value(s); });
  while (pipeline_->queued_batches() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  pb_trace::ExportTraceServiceResponse res;
  grpc::Status s = Export(req, &res);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(details.code(), 14);
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(details.details(0).UnpackTo(&retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 3);

  auto f1 = d1.get_future();
  EXPECT_EQ(f1.wait_for(std::chrono::milliseconds(30)), std::future_status::timeout);
  sink_.Release();
  EXPECT_TRUE(f1.get().ok());
  EXPECT_TRUE(d2.get_future().get().ok());
  EXPECT_TRUE(Metric("loupe_receiver_refused_spans_total{protocol=\"grpc\",reason=\"queue_full\"} 1"));
}

TEST_F(OtlpGrpcTest, ShutdownPipelineIsUnavailableWithoutRetryInfo) {
  Start();
  pipeline_->Shutdown();
  pb_trace::ExportTraceServiceResponse res;
  grpc::Status s = Export(testing::TraceRequest(1), &res);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(s.error_details(), "");
}

TEST_F(OtlpGrpcTest, OversizeMessageIsResourceExhausted) {
  Start();
  auto req = testing::TraceRequest(1);
  req.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0)->set_name(
      std::string(100 * 1024, 'n'));
  pb_trace::ExportTraceServiceResponse res;
  EXPECT_EQ(Export(req, &res).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Export(testing::TraceRequest(1), &res).ok());
}

TEST_F(OtlpGrpcTest, LogsAndMetricsServices) {
  Start();
  auto logs = pb_logs::LogsService::NewStub(channel_);
  grpc::ClientContext c1;
  pb_logs::ExportLogsServiceResponse lres;
  ASSERT_TRUE(logs->Export(&c1, testing::LogsRequest(2), &lres).ok());
  EXPECT_EQ(sink_.logs(), 2u);
  auto metrics = pb_metrics::MetricsService::NewStub(channel_);
  grpc::ClientContext c2;
  pb_metrics::ExportMetricsServiceResponse mres;
  ASSERT_TRUE(metrics->Export(&c2, testing::MetricsRequest(5), &mres).ok());
  EXPECT_TRUE(Metric("loupe_receiver_accepted_metric_points_total{protocol=\"grpc\"} 5"));
  EXPECT_TRUE(Metric("loupe_receiver_accepted_log_records_total{protocol=\"grpc\"} 2"));
}

TEST(OtlpGrpcLifecycleTest, ShutdownWithoutStartAndBadAddress) {
  metrics::Registry registry;
  Pipeline pipeline({}, nullptr, {}, registry);
  ReceiverConfig config;
  {
    OtlpGrpcReceiver never(config, pipeline, registry);
    never.Shutdown();
  }
  config.grpc_addr = "nonsense";
  OtlpGrpcReceiver bad(config, pipeline, registry);
  EXPECT_FALSE(bad.Start().ok());
}

}  // namespace
}  // namespace loupe::ingest
