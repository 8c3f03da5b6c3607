#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/decode.h"

namespace loupe::otlp {
namespace {

namespace pb = opentelemetry::proto::collector;

TEST(EncodeTest, TraceResponseProtobufRoundTrip) {
  pb::trace::v1::ExportTraceServiceResponse resp;
  ASSERT_TRUE(resp.ParseFromString(EncodeTraceResponse(3, "span 1 (name \"x\"): bad", Encoding::kProtobuf)));
  ASSERT_TRUE(resp.has_partial_success());
  EXPECT_EQ(resp.partial_success().rejected_spans(), 3);
  EXPECT_EQ(resp.partial_success().error_message(), "span 1 (name \"x\"): bad");

  std::string full = EncodeTraceResponse(0, "", Encoding::kProtobuf);
  ASSERT_TRUE(resp.ParseFromString(full));
  EXPECT_FALSE(resp.has_partial_success());
}

TEST(EncodeTest, LogsAndMetricsResponsesProtobufRoundTrip) {
  pb::logs::v1::ExportLogsServiceResponse logs;
  ASSERT_TRUE(logs.ParseFromString(EncodeLogsResponse(2, "log record 0: bad", Encoding::kProtobuf)));
  EXPECT_EQ(logs.partial_success().rejected_log_records(), 2);
  EXPECT_EQ(logs.partial_success().error_message(), "log record 0: bad");
  pb::metrics::v1::ExportMetricsServiceResponse metrics;
  ASSERT_TRUE(metrics.ParseFromString(EncodeMetricsResponse(0, "metrics are not stored yet", Encoding::kProtobuf)));
  ASSERT_TRUE(metrics.has_partial_success());
  EXPECT_EQ(metrics.partial_success().rejected_data_points(), 0);
  EXPECT_EQ(metrics.partial_success().error_message(), "metrics are not stored yet");
}

TEST(EncodeTest, JsonResponses) {
  EXPECT_EQ(EncodeTraceResponse(0, "", Encoding::kJson), "{}");
  auto j = nlohmann::json::parse(EncodeTraceResponse(3, "a \"quoted\"\nname\\ \x01", Encoding::kJson));
  EXPECT_EQ(j["partialSuccess"]["rejectedSpans"], "3");
  EXPECT_EQ(j["partialSuccess"]["errorMessage"], "a \"quoted\"\nname\\ \x01");
  j = nlohmann::json::parse(EncodeLogsResponse(1, "m", Encoding::kJson));
  EXPECT_EQ(j["partialSuccess"]["rejectedLogRecords"], "1");
  j = nlohmann::json::parse(EncodeMetricsResponse(2, "m", Encoding::kJson));
  EXPECT_EQ(j["partialSuccess"]["rejectedDataPoints"], "2");
}

TEST(EncodeTest, JsonResponseDecodesWithLoupesOwnJsonReaderConventions) {
  // The partial-success body survives invalid UTF-8 in a span name.
  std::string body = EncodeTraceResponse(1, "span 0 (name \"\xff\")", Encoding::kJson);
  auto j = nlohmann::json::parse(body);  // throws on invalid UTF-8
  EXPECT_EQ(j["partialSuccess"]["errorMessage"], "span 0 (name \"\xEF\xBF\xBD\")");
  pb::trace::v1::ExportTraceServiceResponse resp;
  ASSERT_TRUE(resp.ParseFromString(EncodeTraceResponse(1, "\xff", Encoding::kProtobuf)));
  EXPECT_EQ(resp.partial_success().error_message(), "\xEF\xBF\xBD");
}

TEST(EncodeTest, RpcStatusBothEncodings) {
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(EncodeRpcStatus(3, "json: empty body", Encoding::kProtobuf)));
  EXPECT_EQ(status.code(), 3);
  EXPECT_EQ(status.message(), "json: empty body");
  auto j = nlohmann::json::parse(EncodeRpcStatus(8, "queue full", Encoding::kJson));
  EXPECT_EQ(j["code"], 8);
  EXPECT_EQ(j["message"], "queue full");
}

}  // namespace
}  // namespace loupe::otlp
