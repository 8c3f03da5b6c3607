#include "common/status.h"

#include <gtest/gtest.h>

#include "common/result.h"

namespace loupe {
namespace {

Status FailsWith(Status s) {
  LOUPE_RETURN_IF_ERROR(s);
  return Status::Internal("not reached");
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, NamedConstructorsCarryCodeAndMessage) {
  Status s = Status::InvalidArgument("span 3: trace_id has 15 bytes");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "INVALID_ARGUMENT: span 3: trace_id has 15 bytes");
  EXPECT_FALSE(s.retryable());
  EXPECT_TRUE(Status::ResourceExhausted("queue full").retryable());
}

TEST(StatusTest, WithContextPrefixes) {
  EXPECT_EQ(Status::NotFound("x").WithContext("pricing").message(), "pricing: x");
  EXPECT_TRUE(Status::Ok().WithContext("ignored").ok());
}

TEST(StatusTest, ReturnIfErrorPropagates) {
  EXPECT_EQ(FailsWith(Status::IoError("disk")).code(), Status::Code::kIoError);
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> ok = 42;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 42);
  Result<int> bad = Status::NotFound("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "nope");
}

}  // namespace
}  // namespace loupe
