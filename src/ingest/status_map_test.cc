#include "ingest/status_map.h"

#include <gtest/gtest.h>

namespace loupe::ingest {
namespace {

TEST(StatusMapTest, MapsEveryCodeAsOtlpRequires) {
  struct Case {
    Status status;
    int http;
    int grpc;
    bool retry_after;
    bool retry_info;
    std::string_view reason;
  };
  const Case cases[] = {
      {Status::Ok(), 200, kGrpcOk, false, false, ""},
      {Status::InvalidArgument("x"), 400, kGrpcInvalidArgument, false, false, "decode_error"},
      {Status::TooLarge("x"), 413, kGrpcResourceExhausted, false, false, "too_large"},
      {Status::ResourceExhausted("x"), 503, kGrpcUnavailable, true, true, "queue_full"},
      {Status::Unavailable("x"), 503, kGrpcUnavailable, true, false, "unavailable"},
      {Status::Internal("x"), 500, kGrpcInternal, false, false, "internal"},
      {Status::IoError("x"), 500, kGrpcInternal, false, false, "internal"},
  };
  for (const Case& c : cases) {
    ProtocolAnswer a = AnswerFor(c.status);
    EXPECT_EQ(a.http_status, c.http) << c.status.ToString();
    EXPECT_EQ(a.grpc_code, c.grpc) << c.status.ToString();
    EXPECT_EQ(a.retry_after, c.retry_after) << c.status.ToString();
    EXPECT_EQ(a.retry_info, c.retry_info) << c.status.ToString();
    EXPECT_EQ(RefusalReason(c.status), c.reason) << c.status.ToString();
  }
}

}  // namespace
}  // namespace loupe::ingest
