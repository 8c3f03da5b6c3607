#include "pricing/money.h"

#include <gtest/gtest.h>

#include <limits>

namespace loupe::pricing {
namespace {

int64_t Nanos(std::string_view text, int64_t scale = 1) {
  Result<int64_t> r = ParseDecimalNanos(text, scale);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : -1;
}

TEST(MoneyTest, ParsesDecimalUsdExactly) {
  EXPECT_EQ(Nanos("3"), 3'000'000'000);
  EXPECT_EQ(Nanos("0.3"), 300'000'000);
  EXPECT_EQ(Nanos("3.75"), 3'750'000'000);
  EXPECT_EQ(Nanos("0.028"), 28'000'000);
  EXPECT_EQ(Nanos(".5"), 500'000'000);
  EXPECT_EQ(Nanos("0"), 0);
  EXPECT_EQ(Nanos("0.000000001"), 1);
  EXPECT_EQ(Nanos("2E3"), 2'000'000'000'000);
}

TEST(MoneyTest, ScalesPerTokenPricesToPerMillion) {
  // LiteLLM stores USD per token; x1e6 gives USD per million tokens.
  EXPECT_EQ(Nanos("3e-06", 1'000'000), 3'000'000'000);
  EXPECT_EQ(Nanos("1.25e-07", 1'000'000), 125'000'000);
  EXPECT_EQ(Nanos("1.3e-10", 1'000'000), 130'000);
  EXPECT_EQ(Nanos("0.54", 1'000'000), 540'000'000'000'000);
}

TEST(MoneyTest, RejectsWhatIsNotAnExactPrice) {
  for (std::string_view bad : {"", "-1", "abc", "1.2.3", "1e", "3 USD", "0.0000000001", "1e400",
                               "99999999999999999999"}) {
    EXPECT_FALSE(ParseDecimalNanos(bad).ok()) << bad;
  }
}

TEST(MoneyTest, TokenCostRoundsHalfUpOnce) {
  // 1,234,567 tokens at $3/M = $3.703701 exactly.
  EXPECT_EQ(TokenCostNanos(1'234'567, 3'000'000'000), 3'703'701'000);
  // 1 token at 1,500 nano-dollars per million = 0.0015 nano-dollars -> 0.
  EXPECT_EQ(TokenCostNanos(1, 1'500), 0);
  // 1 token at $0.5/M = 500 nano-dollars exactly.
  EXPECT_EQ(TokenCostNanos(1, 500'000'000), 500);
  // Exactly half a nano-dollar rounds up; just under rounds down.
  EXPECT_EQ(TokenCostNanos(1, 500'000), 1);
  EXPECT_EQ(TokenCostNanos(1, 499'999), 0);
  EXPECT_EQ(TokenCostNanos(0, 3'000'000'000), 0);
  EXPECT_EQ(TokenCostNanos(-5, 3'000'000'000), 0);
}

TEST(MoneyTest, TokenCostDoesNotOverflow) {
  // 10^12 tokens at $540,000/M would overflow 64-bit intermediate math.
  EXPECT_EQ(TokenCostNanos(1'000'000'000'000, 540'000'000'000'000),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(TokenCostNanos(1'000'000'000, 540'000'000'000'000), 540'000'000'000'000'000);
}

TEST(MoneyTest, SumsDoNotDrift) {
  // A million calls of 7 tokens at $0.15/M: floating point would drift;
  // integer nano-dollars add up exactly.
  int64_t total = 0;
  for (int i = 0; i < 1'000'000; ++i) total += TokenCostNanos(7, 150'000'000);
  EXPECT_EQ(total, 1'050'000'000);
}

TEST(MoneyTest, FormatsUsd) {
  EXPECT_EQ(FormatUsd(3'750'000'000), "3.75");
  EXPECT_EQ(FormatUsd(28'000'000), "0.028");
  EXPECT_EQ(FormatUsd(0), "0");
  EXPECT_EQ(FormatUsd(1), "0.000000001");
  EXPECT_EQ(FormatUsd(15'000'000'000), "15");
  EXPECT_EQ(FormatUsd(-1'500'000'000), "-1.5");
}

}  // namespace
}  // namespace loupe::pricing
