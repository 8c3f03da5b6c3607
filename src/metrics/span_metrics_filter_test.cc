#include "metrics/span_metrics_filter.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <set>

namespace loupe::metrics {
namespace {

model::TraceId Trace(uint64_t n) {
  model::TraceId id{};
  for (int i = 0; i < 8; ++i) id[15 - i] = static_cast<uint8_t>(n >> (8 * i));
  return id;
}
model::SpanId Span(uint64_t n) {
  model::SpanId id{};
  for (int i = 0; i < 8; ++i) id[7 - i] = static_cast<uint8_t>(n >> (8 * i));
  return id;
}

TEST(RecentSpanFilter, RefusesARepeatAndCountsIt) {
  RecentSpanFilter f(10);
  EXPECT_TRUE(f.Insert(Trace(1), Span(1)));
  EXPECT_TRUE(f.Insert(Trace(1), Span(2)));  // same trace, other span
  EXPECT_TRUE(f.Insert(Trace(2), Span(1)));  // same span id, other trace
  EXPECT_FALSE(f.Insert(Trace(1), Span(1)));
  EXPECT_EQ(f.duplicates(), 1u);
}

TEST(RecentSpanFilter, ForgetsTheOldestBeyondCapacity) {
  RecentSpanFilter f(3);
  for (uint64_t i = 1; i <= 4; ++i) EXPECT_TRUE(f.Insert(Trace(i), Span(i)));
  // 1 was forgotten when 4 came; 2, 3, 4 are still known.
  EXPECT_FALSE(f.Insert(Trace(4), Span(4)));
  EXPECT_FALSE(f.Insert(Trace(2), Span(2)));
  EXPECT_TRUE(f.Insert(Trace(1), Span(1)));  // counts again: the documented bound
}

TEST(RecentSpanFilter, FilterNewKeepsFirstOccurrenceOnly) {
  RecentSpanFilter f(100);
  model::SpanRecord a, b;
  a.span.trace_id = Trace(7);
  a.span.span_id = Span(1);
  b.span.trace_id = Trace(7);
  b.span.span_id = Span(2);
  std::vector<const model::SpanRecord*> in = {&a, &b, &a}, out;
  f.FilterNew(in, &out);
  EXPECT_EQ(out, (std::vector<const model::SpanRecord*>{&a, &b}));
  out.clear();
  f.FilterNew(in, &out);  // a retried delivery of the whole batch
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(f.duplicates(), 4u);
}

// Against a reference model (set + FIFO) over many random ids, with
// sequential ones mixed in, so probe runs and backward-shift deletions
// get exercised.
TEST(RecentSpanFilter, MatchesAReferenceModel) {
  constexpr size_t kCap = 64;
  RecentSpanFilter f(kCap);
  std::set<std::pair<uint64_t, uint64_t>> known;
  std::deque<std::pair<uint64_t, uint64_t>> order;
  std::mt19937_64 rng(42);
  for (int i = 0; i < 50000; ++i) {
    uint64_t t = rng() % 200, s = (i % 3 == 0) ? static_cast<uint64_t>(i % 150) : rng() % 4;
    bool want_new = known.count({t, s}) == 0;
    ASSERT_EQ(f.Insert(Trace(t), Span(s)), want_new) << "step " << i;
    if (want_new) {
      if (order.size() == kCap) {
        known.erase(order.front());
        order.pop_front();
      }
      known.insert({t, s});
      order.push_back({t, s});
    }
  }
}

TEST(RecentSpanFilter, FingerprintIsNeverZeroAndMixesAllBytes) {
  EXPECT_NE(SpanFingerprint(Trace(0), Span(0)), 0u);
  EXPECT_NE(SpanFingerprint(Trace(1), Span(0)), SpanFingerprint(Trace(0), Span(1)));
  model::TraceId hi{};
  hi[0] = 1;
  EXPECT_NE(SpanFingerprint(hi, Span(0)), SpanFingerprint(Trace(0), Span(0)));
}

}  // namespace
}  // namespace loupe::metrics
