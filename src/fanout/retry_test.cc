#include "fanout/retry.h"

#include <gtest/gtest.h>

namespace loupe::fanout {
namespace {

TEST(RetryTest, HttpOnlyTheSpecsCodesAreRetryable) {
  for (int code : {200, 202, 204}) EXPECT_EQ(ClassifyHttp(code), Outcome::kSent) << code;
  for (int code : {0, 429, 502, 503, 504}) EXPECT_EQ(ClassifyHttp(code), Outcome::kRetryable) << code;
  for (int code : {400, 401, 403, 404, 408, 413, 415, 500, 501}) {
    EXPECT_EQ(ClassifyHttp(code), Outcome::kPermanent) << code;
  }
}

TEST(RetryTest, GrpcRetryableCodesAndResourceExhaustedNeedsRetryInfo) {
  EXPECT_EQ(ClassifyGrpc(0, false), Outcome::kSent);
  for (int code : {1, 4, 10, 11, 14, 15}) EXPECT_EQ(ClassifyGrpc(code, false), Outcome::kRetryable) << code;
  for (int code : {2, 3, 5, 6, 7, 9, 12, 13, 16}) EXPECT_EQ(ClassifyGrpc(code, false), Outcome::kPermanent) << code;
  EXPECT_EQ(ClassifyGrpc(8, false), Outcome::kPermanent);
  EXPECT_EQ(ClassifyGrpc(8, true), Outcome::kRetryable);
}

TEST(RetryTest, RetryAfterSecondsAndDates) {
  EXPECT_EQ(ParseRetryAfter("5", 0), 5.0);
  EXPECT_EQ(ParseRetryAfter(" 120 ", 0), 120.0);
  // Sun, 06 Nov 1994 08:49:37 GMT = 784111777
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111770), 7.0);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111800), 0.0);
  EXPECT_FALSE(ParseRetryAfter("", 0).has_value());
  EXPECT_FALSE(ParseRetryAfter("-3", 0).has_value());
  EXPECT_FALSE(ParseRetryAfter("soon", 0).has_value());
}

TEST(RetryTest, BackoffGrowsWithJitterUpToTheCapAndResets) {
  Backoff b(1, 8, /*seed=*/42);
  double expected_max[] = {1, 2, 4, 8, 8, 8};
  for (double d : expected_max) {
    double w = b.Next();
    EXPECT_GE(w, d / 2);
    EXPECT_LE(w, d);
  }
  b.Reset();
  EXPECT_LE(b.Next(), 1.0);
}

}  // namespace
}  // namespace loupe::fanout
