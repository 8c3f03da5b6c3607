#include "ingest/otlp_http.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "google/rpc/status.pb.h"
#include "ingest/test_http_client.h"
#include "ingest/test_otlp.h"

namespace loupe::ingest {
namespace {

using testing::GateConsumer;
using testing::TestClient;

const std::map<std::string, std::string> kProto = {{"Content-Type", "application/x-protobuf"}};
const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};

google::rpc::Status ParseStatus(const testing::ClientResponse& r) {
  google::rpc::Status s;
  EXPECT_EQ(r.headers.at("content-type"), "application/x-protobuf");
  EXPECT_TRUE(s.ParseFromString(r.body));
  return s;
}

class OtlpHttpTest : public ::testing::Test {
 protected:
  void Start(size_t max_queue_batches = 1024) {
    config_.http_addr = "127.0.0.1:0";
    config_.max_body_bytes = 64 * 1024;
    config_.retry_after_seconds = 7;
    PipelineConfig pc;
    pc.max_queue_batches = max_queue_batches;
    pc.max_group_batches = 1;
    pipeline_ = std::make_unique<Pipeline>(pc, nullptr, std::vector<model::BatchConsumer*>{&sink_},
                                           registry_);
    pipeline_->Start();
    receiver_ = std::make_unique<OtlpHttpReceiver>(config_, *pipeline_, registry_);
    ASSERT_TRUE(receiver_->Start().ok());
  }
  void TearDown() override {
    sink_.Release();
    if (receiver_) receiver_->Shutdown();
    if (pipeline_) pipeline_->Shutdown();
  }
  bool Metric(const std::string& line) {
    return registry_.Render().find(line + "\n") != std::string::npos;
  }

  ReceiverConfig config_;
  metrics::Registry registry_;
  GateConsumer sink_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<OtlpHttpReceiver> receiver_;
};

TEST_F(OtlpHttpTest, AcceptsProtobufTraces) {
  Start();
  TestClient c(receiver_->port());
  auto r = c.Request("POST", "/v1/traces", testing::TraceRequest(2).SerializeAsString(), kProto);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/x-protobuf");
  testing::pb_trace::ExportTraceServiceResponse res;
  ASSERT_TRUE(res.ParseFromString(r.body));
  EXPECT_FALSE(res.has_partial_success());
  EXPECT_EQ(sink_.spans(), (std::vector<std::string>{"span0", "span1"}));
  EXPECT_TRUE(Metric("loupe_receiver_accepted_spans_total{protocol=\"http\"} 2"));
  EXPECT_TRUE(Metric(
      "loupe_receiver_requests_total{outcome=\"success\",protocol=\"http\",reason=\"\","
      "signal=\"traces\"} 1"));
}

TEST_F(OtlpHttpTest, AcceptsJsonAndGzipAndIgnoresContentTypeParameters) {
  Start();
  TestClient c(receiver_->port());
  std::string json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{
      "traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708",
      "name":"json-span","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]})";
  auto r = c.Request("POST", "/v1/traces", json,
                     {{"Content-Type", "application/json; charset=utf-8"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/json");
  r = c.Request("POST", "/v1/traces", testing::Gzip(testing::TraceRequest(1).SerializeAsString()),
                {{"Content-Type", "application/x-protobuf"}, {"Content-Encoding", "gzip"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(sink_.spans(), (std::vector<std::string>{"json-span", "span0"}));
}

TEST_F(OtlpHttpTest, AcceptsChunkedBodies) {
  Start();
  TestClient c(receiver_->port());
  std::string body = testing::TraceRequest(1).SerializeAsString();
  std::string a = body.substr(0, 5), b = body.substr(5);
  char len_a[16], len_b[16];
  snprintf(len_a, sizeof(len_a), "%zx", a.size());
  snprintf(len_b, sizeof(len_b), "%zx", b.size());
  c.SendRaw(std::string("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        "application/x-protobuf\r\nTransfer-Encoding: chunked\r\n\r\n") +
            len_a + "\r\n" + a + "\r\n" + len_b + "\r\n" + b + "\r\n0\r\n\r\n");
  EXPECT_EQ(c.Read().status, 200);
  EXPECT_EQ(sink_.spans().size(), 1u);
}

TEST_F(OtlpHttpTest, PartialSuccessKeepsValidSpans) {
  Start();
  TestClient c(receiver_->port());
  auto r = c.Request("POST", "/v1/traces", testing::TraceRequest(2, 1).SerializeAsString(), kProto);
  ASSERT_EQ(r.status, 200);
  testing::pb_trace::ExportTraceServiceResponse res;
  ASSERT_TRUE(res.ParseFromString(r.body));
  EXPECT_EQ(res.partial_success().rejected_spans(), 1);
  EXPECT_NE(res.partial_success().error_message(), "");
  EXPECT_EQ(sink_.spans().size(), 2u);
  EXPECT_TRUE(Metric("loupe_receiver_refused_spans_total{protocol=\"http\",reason=\"invalid_span\"} 1"));
  // All spans invalid: still 200 with partial success, nothing downstream.
  r = c.Request("POST", "/v1/traces", testing::TraceRequest(0, 2).SerializeAsString(), kProto);
  ASSERT_EQ(r.status, 200);
  ASSERT_TRUE(res.ParseFromString(r.body));
  EXPECT_EQ(res.partial_success().rejected_spans(), 2);
  EXPECT_EQ(sink_.spans().size(), 2u);
}

TEST_F(OtlpHttpTest, UndecodableBodiesGet400WithReasonAndServerKeepsServing) {
  Start();
  TestClient c(receiver_->port());
  auto r = c.Request("POST", "/v1/traces", "\xff\xff\xff\xff garbage", kProto);
  EXPECT_EQ(r.status, 400);
  google::rpc::Status s = ParseStatus(r);
  EXPECT_EQ(s.code(), 3);
  EXPECT_NE(s.message(), "");
  std::string full = testing::TraceRequest(3).SerializeAsString();
  r = c.Request("POST", "/v1/traces", full.substr(0, full.size() - 5), kProto);
  EXPECT_EQ(r.status, 400);
  r = c.Request("POST", "/v1/traces", "{\"resourceSpans\": [", kJson);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_NE(r.body.find("\"message\""), std::string::npos) << r.body;
  r = c.Request("POST", "/v1/traces", "not gzip", {{"Content-Type", "application/x-protobuf"},
                                                   {"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ParseStatus(r).message().find("gzip"), std::string::npos);
  // Same connection, good request.
  r = c.Request("POST", "/v1/traces", testing::TraceRequest(1).SerializeAsString(), kProto);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Metric(
      "loupe_receiver_requests_total{outcome=\"refused\",protocol=\"http\","
      "reason=\"decode_error\",signal=\"traces\"} 4"));
}

TEST_F(OtlpHttpTest, WrongMediaTypeOrEncodingGets415) {
  Start();
  TestClient c(receiver_->port());
  auto r = c.Request("POST", "/v1/traces", "x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_NE(r.body.find("text/plain"), std::string::npos);
  r = c.Request("POST", "/v1/traces", "x");  // no Content-Type at all
  EXPECT_EQ(r.status, 415);
  r = c.Request("POST", "/v1/traces", "x",
                {{"Content-Type", "application/x-protobuf"}, {"Content-Encoding", "br"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_NE(ParseStatus(r).message().find("'br'"), std::string::npos);
  EXPECT_TRUE(Metric(
      "loupe_receiver_requests_total{outcome=\"refused\",protocol=\"http\","
      "reason=\"unsupported_media_type\",signal=\"traces\"} 3"));
}

TEST_F(OtlpHttpTest, OversizeBodiesAndGzipBombsGet413) {
  Start();
  {
    TestClient c(receiver_->port());
    auto r = c.Request("POST", "/v1/traces", std::string(100 * 1024, 'x'), kProto);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(ParseStatus(r).code(), 8);
  }
  TestClient c(receiver_->port());
  std::string bomb = testing::Gzip(std::string(10 << 20, '\0'));
  ASSERT_LT(bomb.size(), config_.max_body_bytes);
  auto r = c.Request("POST", "/v1/traces", bomb,
                     {{"Content-Type", "application/x-protobuf"}, {"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(ParseStatus(r).message().find("exceeds"), std::string::npos);
  TestClient again(receiver_->port());
  EXPECT_EQ(again.Request("POST", "/v1/traces", testing::TraceRequest(1).SerializeAsString(), kProto)
                .status,
            200);
  EXPECT_TRUE(Metric(
      "loupe_receiver_requests_total{outcome=\"refused\",protocol=\"http\","
      "reason=\"too_large\",signal=\"traces\"} 2"));
}

TEST_F(OtlpHttpTest, FullQueueGets503WithRetryAfter) {
  Start(/*max_queue_batches=*/1);
  sink_.Hold();
  std::string body = testing::TraceRequest(1).SerializeAsString();
  std::string raw = "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  TestClient first(receiver_->port()), second(receiver_->port());
  first.SendRaw(raw);
  sink_.WaitEntered(1);  // first batch is held inside the consumer
  second.SendRaw(raw);
  while (pipeline_->queued_batches() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  TestClient third(receiver_->port());
  auto r = third.Request("POST", "/v1/traces", body, kProto);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers["retry-after"], "7");
  EXPECT_EQ(ParseStatus(r).code(), 14);
  sink_.Release();
  EXPECT_EQ(first.Read().status, 200);  // answered only after the consumer took it
  EXPECT_EQ(second.Read().status, 200);
  EXPECT_TRUE(Metric("loupe_receiver_refused_spans_total{protocol=\"http\",reason=\"queue_full\"} 1"));
}

TEST_F(OtlpHttpTest, AnswersOnlyAfterTheConsumerAccepted) {
  Start();
  sink_.Hold();
  TestClient c(receiver_->port());
  std::string body = testing::TraceRequest(1).SerializeAsString();
  std::atomic<bool> answered{false};
  std::thread t([&] {
    EXPECT_EQ(c.Request("POST", "/v1/traces", body, kProto).status, 200);
    answered = true;
  });
  sink_.WaitEntered(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(answered);
  sink_.Release();
  t.join();
  EXPECT_TRUE(answered);
}

TEST_F(OtlpHttpTest, ShuttingDownPipelineGets503) {
  Start();
  pipeline_->Shutdown();
  TestClient c(receiver_->port());
  auto r = c.Request("POST", "/v1/traces", testing::TraceRequest(1).SerializeAsString(), kProto);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers["retry-after"], "7");
}

TEST_F(OtlpHttpTest, WrongMethodAndPath) {
  Start();
  TestClient c(receiver_->port());
  auto r = c.Request("GET", "/v1/traces");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "POST");
  EXPECT_EQ(c.Request("POST", "/v2/traces", "x", kProto).status, 404);
}

TEST_F(OtlpHttpTest, LogsGoThroughThePipeline) {
  Start();
  TestClient c(receiver_->port());
  auto r = c.Request("POST", "/v1/logs", testing::LogsRequest(3).SerializeAsString(), kProto);
  ASSERT_EQ(r.status, 200) << r.body;
  testing::pb_logs::ExportLogsServiceResponse res;
  EXPECT_TRUE(res.ParseFromString(r.body));
  EXPECT_EQ(sink_.logs(), 3u);
  EXPECT_TRUE(Metric("loupe_receiver_accepted_log_records_total{protocol=\"http\"} 3"));
}

TEST_F(OtlpHttpTest, MetricsAreCountedAndAnswered) {
  Start();
  TestClient c(receiver_->port());
  auto r = c.Request("POST", "/v1/metrics", testing::MetricsRequest(4).SerializeAsString(), kProto);
  ASSERT_EQ(r.status, 200) << r.body;
  testing::pb_metrics::ExportMetricsServiceResponse res;
  EXPECT_TRUE(res.ParseFromString(r.body));
  EXPECT_TRUE(Metric("loupe_receiver_accepted_metric_points_total{protocol=\"http\"} 4"));
  EXPECT_EQ(c.Request("POST", "/v1/metrics", "\xff\xff", kProto).status, 400);
}

TEST(OtlpContentTypeTest, ParsesMediaTypes) {
  EXPECT_EQ(ParseOtlpContentType("application/x-protobuf"), BodyEncoding::kProtobuf);
  EXPECT_EQ(ParseOtlpContentType(" Application/JSON ; charset=UTF-8"), BodyEncoding::kJson);
  EXPECT_EQ(ParseOtlpContentType("application/protobuf"), std::nullopt);
  EXPECT_EQ(ParseOtlpContentType(""), std::nullopt);
}

}  // namespace
}  // namespace loupe::ingest
