// Baselines, windows and summaries of one rule evaluation.
#include "alerting/rule_eval.h"

#include <gtest/gtest.h>

#include "alerting/test_util.h"

namespace loupe::alerting {
namespace {

using namespace testing;

const std::map<std::string, std::string> kChat = {{"team", "search"}, {"feature", "chat"}, {"model", "gpt-4o"}};

Rule Cost(BaselineKind baseline) {
  Rule r = DefaultRules()[2];
  r.baseline = baseline;
  r.min_samples = 1;
  r.min_usd = 0;
  return r;
}

TEST(RuleEvalTest, SeasonalBaselineIgnoresTheDailyPeak) {
  // Every day the 09:00 hour spends 5x the rest of the day.
  FakeSource src;
  const uint64_t nine = kT0 + 9 * kHour;
  for (int d = 0; d <= 7; ++d) {
    uint64_t day = kT0 - static_cast<uint64_t>(7 - d) * kDay;
    src.AddCalls(day, day + 9 * kHour, 9 * 10, kChat, kSec, 10'000'000);                 // $0.10 / hour
    src.AddCalls(day + 9 * kHour, day + 10 * kHour, 50, kChat, kSec, 10'000'000);        // $0.50 at 09:00
    src.AddCalls(day + 10 * kHour, day + kDay, 14 * 10, kChat, kSec, 10'000'000);
  }
  QueryCache cache(&src);
  auto daily = EvaluateRule(Cost(BaselineKind::kPrevious), nine + kHour, cache);
  ASSERT_TRUE(daily.ok()) << daily.status().ToString();
  ASSERT_EQ(daily->size(), 1u);
  EXPECT_TRUE((*daily)[0].active) << (*daily)[0].summary;  // the daily average fires at every peak
  auto seasonal = EvaluateRule(Cost(BaselineKind::kSeasonal), nine + kHour, cache);
  ASSERT_TRUE(seasonal.ok());
  EXPECT_FALSE((*seasonal)[0].active) << (*seasonal)[0].summary;  // same hour last week: normal
  EXPECT_NEAR((*seasonal)[0].baseline, 0.5, 1e-9);
  EXPECT_TRUE((*seasonal)[0].summary.empty());  // summaries are written for active samples only
  EXPECT_NE((*daily)[0].summary.find("per 1h over the preceding 1d"), std::string::npos) << (*daily)[0].summary;
}

TEST(RuleEvalTest, DayAndWeekAgoBaselines) {
  FakeSource src;
  src.AddCalls(kT0 - kDay - kHour, kT0 - kDay, 10, kChat, kSec, 100'000'000);       // $1 a day ago
  src.AddCalls(kT0 - 7 * kDay - kHour, kT0 - 7 * kDay, 10, kChat, kSec, 400'000'000);  // $4 a week ago
  src.AddCalls(kT0 - kHour, kT0, 10, kChat, kSec, 300'000'000);                      // $3 now
  QueryCache cache(&src);
  auto day = EvaluateRule(Cost(BaselineKind::kDayAgo), kT0, cache);
  ASSERT_TRUE(day.ok());
  EXPECT_NEAR((*day)[0].baseline, 1.0, 1e-9);
  EXPECT_TRUE((*day)[0].active);
  auto week = EvaluateRule(Cost(BaselineKind::kWeekAgo), kT0, cache);
  ASSERT_TRUE(week.ok());
  EXPECT_NEAR((*week)[0].baseline, 4.0, 1e-9);
  EXPECT_FALSE((*week)[0].active);
}

TEST(RuleEvalTest, BaselineNeverIncludesTheJudgedWindow) {
  FakeSource src;
  src.AddCalls(kT0 - kHour, kT0, 100, kChat, kSec, 100'000'000);  // only the judged hour has spend
  QueryCache cache(&src);
  Rule r = Cost(BaselineKind::kPrevious);
  auto s = EvaluateRule(r, kT0, cache);
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ((*s)[0].baseline, 0);
  EXPECT_NEAR((*s)[0].value, 10.0, 1e-9);
}

TEST(RuleEvalTest, BudgetCountsFromTheStartOfTheMonth) {
  Rule r;
  r.name = "Monthly";
  r.kind = RuleKind::kBudget;
  r.baseline = BaselineKind::kNone;
  r.period = "month";
  r.amount_usd = 10;
  // kT0 is 2025-06-16: June 1st is 15 days back.
  EvalRange range = JudgedRange(r, kT0);
  EXPECT_EQ(range.start_ns, kT0 - 15 * kDay);
  r.period = "day";
  EXPECT_EQ(JudgedRange(r, kT0 + 5 * kHour).start_ns, kT0);
  FakeSource src;
  src.AddCalls(kT0 - 20 * kDay, kT0 - 16 * kDay, 100, kChat, kSec, 1'000'000'000);  // May: not counted
  src.AddCalls(kT0 - 10 * kDay, kT0, 11, kChat, kSec, 1'000'000'000);
  QueryCache cache(&src);
  r.period = "month";
  auto s = EvaluateRule(r, kT0, cache);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 1u);
  EXPECT_NEAR((*s)[0].value, 11, 1e-9);
  EXPECT_TRUE((*s)[0].active);
  EXPECT_NE((*s)[0].summary.find("since the start of the month"), std::string::npos);
}

TEST(RuleEvalTest, ErrorRateAndQualityDrop) {
  FakeSource src;
  src.AddCalls(kT0 - 10 * kMin, kT0, 100, kChat, kSec, 0, 12);
  Rule err;
  err.name = "Err";
  err.kind = RuleKind::kErrorRate;
  err.baseline = BaselineKind::kNone;
  err.threshold = 0.1;
  QueryCache cache(&src);
  auto e = EvaluateRule(err, kT0, cache);
  ASSERT_TRUE(e.ok());
  EXPECT_NEAR((*e)[0].value, 0.12, 1e-9);
  EXPECT_TRUE((*e)[0].active);
  EXPECT_NE((*e)[0].summary.find("12.0%"), std::string::npos) << (*e)[0].summary;

  src.AddScores(kT0 - 2 * kHour, kT0 - kHour, 50, kChat, 4.6);
  src.AddScores(kT0 - kHour, kT0, 50, kChat, 3.9);
  Rule q = DefaultRules()[1];
  q.baseline = BaselineKind::kPrevious;
  q.baseline_window_seconds = 3600;
  q.max_drop = 0.5;
  auto drop = EvaluateRule(q, kT0, cache);
  ASSERT_TRUE(drop.ok());
  EXPECT_NEAR((*drop)[0].threshold, 4.1, 1e-9);
  EXPECT_TRUE((*drop)[0].active);  // 3.9 is above the absolute 3.5 but 0.7 below last hour
}

TEST(RuleEvalTest, FormatDuration) {
  EXPECT_EQ(FormatDuration(600), "10m");
  EXPECT_EQ(FormatDuration(86400), "1d");
  EXPECT_EQ(FormatDuration(5400), "1h30m");
  EXPECT_EQ(FormatDuration(5), "5s");
}

}  // namespace
}  // namespace loupe::alerting
