// Day files, retention and the hour/day rollups of the SQLite store.
#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "store/sqlite/store_fixture.h"

namespace loupe::store {
namespace {

using testing::LlmSpan;
using testing::LlmSpec;
using testing::TraceIdOf;

TEST_F(SqliteStoreTest, SpansGoToTheDayOfTheirStartAndDedupAcrossDeliveryDays) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  auto spans = [] {
    return std::vector<model::SpanRecord>{Call(1, kDay0 - 14 * kHourNs), Call(2, kDay0 + 30 * kMinuteNs)};
  };
  ASSERT_TRUE(AppendSpans(*store, spans()).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  EXPECT_EQ(DayFiles(), (std::vector<std::string>{"2025-06-14.db", "2025-06-15.db"}));

  // The client retries two days later, and once more after a restart.
  clock_.Advance(2 * kDayNs);
  ASSERT_TRUE(AppendSpans(*store, spans()).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  EXPECT_EQ(store->Stats().spans_duplicate, 2u);
  store->Shutdown();
  store = Open();
  ASSERT_TRUE(store->Start().ok());
  ASSERT_TRUE(AppendSpans(*store, spans()).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  EXPECT_EQ(store->Stats().spans_duplicate, 2u);
  EXPECT_EQ(store->Stats().spans_indexed, 0u);

  for (uint64_t t : {1, 2}) {
    auto trace = store->GetTrace(TraceIdOf(t));
    ASSERT_TRUE(trace.ok()) << trace.status().ToString();
    EXPECT_EQ(trace->spans.size(), 1u);
  }
  EXPECT_EQ(Requests(*store, 0, 0), 2);
  EXPECT_EQ(DayFiles().size(), 2u);
}

TEST_F(SqliteStoreTest, RetentionDropsWholeDaysWhileIngestContinues) {
  config_.retention_spans = std::chrono::hours(24 * 3);
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  // Five days of history: day0-4 .. day0.
  uint64_t next_trace = 1;
  std::map<int64_t, std::vector<uint64_t>> traces_by_day;
  for (int d = -2; d <= 0; ++d) {
    std::vector<model::SpanRecord> spans;
    for (int i = 0; i < 20; ++i) {
      uint64_t start = kDay0 + static_cast<uint64_t>(d) * kDayNs + static_cast<uint64_t>(i) * kHourNs;
      traces_by_day[d].push_back(next_trace);
      spans.push_back(Call(next_trace++, start));
    }
    ASSERT_TRUE(AppendSpans(*store, spans).ok());
  }
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  EXPECT_EQ(DayFiles().size(), 3u);

  // A writer keeps ingesting "now" while the days roll over and
  // maintenance drops files.
  std::atomic<bool> stop{false};
  std::atomic<int> acks{0}, failures{0};
  std::atomic<int64_t> slowest_ms{0};
  std::thread writer([&] {
    uint64_t trace = 1'000'000;
    while (!stop) {
      std::vector<model::SpanRecord> spans;
      for (int i = 0; i < 50; ++i) spans.push_back(Call(trace++, clock_.NowUnixNanos()));
      auto t0 = std::chrono::steady_clock::now();
      Status s = AppendSpans(*store, spans);
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
      slowest_ms = std::max<int64_t>(slowest_ms, ms);
      (s.ok() ? acks : failures)++;
    }
  });
  for (int step = 0; step < 3; ++step) {
    clock_.Advance(kDayNs);
    int before = acks;
    ASSERT_TRUE(store->RunMaintenance().ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_GT(acks.load(), before) << "ingest stalled at step " << step;
  }
  stop = true;
  writer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LT(slowest_ms.load(), 2000);
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(30)).ok());

  // Now is day0+3d+1h with a 3-day retention: the days before day0
  // (ended more than 3 days ago) are gone, day0 stays.
  ASSERT_TRUE(store->RunMaintenance().ok());
  auto files = DayFiles();
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front(), "2025-06-15.db");
  EXPECT_EQ(store->Stats().days_dropped, 2u);
  for (int d = -2; d <= 0; ++d) {
    for (uint64_t t : traces_by_day[d]) {
      EXPECT_EQ(store->GetTrace(TraceIdOf(t)).status().code() == Status::Code::kNotFound, d < 0) << d;
    }
  }
  // Their rollups were sealed before the files went.
  EXPECT_EQ(Requests(*store, kDay0 - 2 * kDayNs, kDay0 + kDayNs), 60);
  // A late redelivery for a dropped day is not stored again.
  ASSERT_TRUE(AppendSpans(*store, {Call(traces_by_day[-1][0], kDay0 - kDayNs)}).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  EXPECT_EQ(store->Stats().spans_expired, 1u);
  EXPECT_EQ(DayFiles().front(), "2025-06-15.db");
}

TEST_F(SqliteStoreTest, ContentExpiresBeforeSpans) {
  config_.retention_content = std::chrono::hours(24);
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  LlmSpec old_spec, new_spec;
  old_spec.trace = 1;
  old_spec.start_ns = kDay0 - 2 * kDayNs;
  old_spec.prompt = "zebra facts";
  new_spec.trace = 2;
  new_spec.start_ns = kDay0 + kMinuteNs;
  new_spec.prompt = "zebra stripes";
  ASSERT_TRUE(AppendSpans(*store, {LlmSpan(old_spec), LlmSpan(new_spec)}).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  TraceQuery q;
  q.text = "zebra";
  EXPECT_EQ(store->SearchTraces(q)->traces.size(), 2u);

  ASSERT_TRUE(store->RunMaintenance().ok());  // now = day0+1h: day0-2 ended over a day ago
  auto page = store->SearchTraces(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->traces.size(), 1u);
  EXPECT_EQ(page->traces[0].trace_id, TraceIdOf(2));
  auto old_trace = store->GetTrace(TraceIdOf(1));
  ASSERT_TRUE(old_trace.ok());
  ASSERT_TRUE(old_trace->spans[0].record.llm.has_value());
  EXPECT_TRUE(old_trace->spans[0].record.llm->input_messages.empty());
  EXPECT_EQ(old_trace->spans[0].record.llm->tokens.input, 100);  // the call itself stays
  auto new_trace = store->GetTrace(TraceIdOf(2));
  ASSERT_TRUE(new_trace.ok());
  EXPECT_FALSE(new_trace->spans[0].record.llm->input_messages.empty());
}

TEST_F(SqliteStoreTest, DiskLimitDropsOldestDaysFirst) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
    for (int d = -3; d <= 0; ++d) {
      ASSERT_TRUE(AppendSpans(*store, {Call(static_cast<uint64_t>(10 + d), kDay0 + static_cast<uint64_t>(d) * kDayNs)}).ok());
    }
    ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
    EXPECT_EQ(DayFiles().size(), 4u);
  }
  config_.max_disk_bytes = 1;  // nothing fits: all but the newest day go
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  ASSERT_TRUE(store->RunMaintenance().ok());
  EXPECT_EQ(DayFiles(), (std::vector<std::string>{"2025-06-15.db"}));
  EXPECT_TRUE(store->GetTrace(TraceIdOf(10)).ok());
  EXPECT_TRUE(store->GetTrace(TraceIdOf(9)).status().code() == Status::Code::kNotFound);
  EXPECT_EQ(Requests(*store, 0, 0), 4);  // the dropped days live on in hour/day rollups
}

// Random LLM calls; `expected` sums requests/cost/tokens per team for the
// spans whose start lies in a range, straight from the raw data.
struct RawCall {
  uint64_t start;
  std::string team;
  int64_t cost, input;
  uint64_t duration;
};

TEST_F(SqliteStoreTest, HourAndDayRollupsEqualRawAggregatesIncludingLateData) {
  config_.retention_spans = std::chrono::hours(24 * 4);
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::mt19937_64 rng(7);
  std::vector<RawCall> raw;
  uint64_t trace = 1;
  auto add = [&](uint64_t first, uint64_t span_ns, int n) {
    std::vector<model::SpanRecord> spans;
    for (int i = 0; i < n; ++i) {
      LlmSpec spec;
      spec.trace = trace++;
      spec.start_ns = first + rng() % span_ns;
      spec.team = rng() % 2 ? "search" : "ads";
      spec.cost_nanos = static_cast<int64_t>(rng() % 10000);
      spec.input = static_cast<int64_t>(rng() % 500);
      spec.duration_ns = 1'000'000 + rng() % 900'000'000;
      raw.push_back({spec.start_ns, spec.team, *spec.cost_nanos, spec.input, spec.duration_ns});
      spans.push_back(LlmSpan(spec));
    }
    return AppendSpans(*store, spans);
  };
  auto check = [&](uint64_t lo, uint64_t hi, const char* what) {
    std::map<std::string, std::pair<int64_t, int64_t>> want;  // team -> (requests, cost)
    std::vector<uint64_t> lat;
    for (const RawCall& c : raw) {
      if (c.start < lo || c.start >= hi) continue;
      want[c.team].first++;
      want[c.team].second += c.cost;
      lat.push_back(c.duration);
    }
    RollupQuery q;
    q.start_ns = lo;
    q.end_ns = hi;
    q.group_by = {Dimension::kTeam};
    auto rows = store->QueryRollups(q);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), want.size()) << what;
    for (const RollupRow& r : *rows) {
      EXPECT_EQ(r.requests, want[r.key[0]].first) << what << " " << r.key[0];
      EXPECT_EQ(r.cost_nanos, want[r.key[0]].second) << what << " " << r.key[0];
    }
  };
  const uint64_t d2 = kDay0 - 2 * kDayNs, d1 = kDay0 - kDayNs;
  ASSERT_TRUE(add(d2, 2 * kDayNs + kHourNs, 600).ok());  // day0-2 .. day0 01:00
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  ASSERT_TRUE(store->RunMaintenance().ok());  // seals day0-2 and day0-1
  check(d2, kDay0 + kHourNs, "all, sealed");
  check(d2 + 3 * kHourNs + 17 * kMinuteNs, d1 + 5 * kHourNs + 43 * kMinuteNs, "cut mid-hour");
  check(d2 + 3 * kHourNs, d1 + 5 * kHourNs, "hour-aligned");

  // Late data for the sealed days: exact at once (the stale seal is not
  // used), and after resealing.
  ASSERT_TRUE(add(d2, 2 * kDayNs, 200).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  check(d2, kDay0 + kHourNs, "late, before reseal");
  ASSERT_TRUE(store->RunMaintenance().ok());
  check(d2, kDay0 + kHourNs, "late, resealed");
  check(d2 + 3 * kHourNs, d1 + 5 * kHourNs, "late, hour-aligned");

  // The day files expire; the hour/day rollups keep answering.
  clock_.Advance(5 * kDayNs);
  ASSERT_TRUE(store->RunMaintenance().ok());
  EXPECT_TRUE(DayFiles().empty());
  check(d2, kDay0 + kHourNs, "files gone");
  check(d2 + 3 * kHourNs, d1 + 5 * kHourNs, "files gone, hour-aligned");
  check(d1, kDay0, "files gone, one whole day");
  // Cut mid-hour with the minutes gone: whole hours whose start is in range.
  check(d2 + 4 * kHourNs, d1 + 6 * kHourNs, "files gone, rounded");
  RollupQuery rounded;
  rounded.start_ns = d2 + 3 * kHourNs + kMinuteNs;
  rounded.end_ns = d1 + 5 * kHourNs + kMinuteNs;
  auto a = store->QueryRollups(rounded);
  RollupQuery aligned;
  aligned.start_ns = d2 + 4 * kHourNs;
  aligned.end_ns = d1 + 6 * kHourNs;
  auto b = store->QueryRollups(aligned);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 1u);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*a)[0].requests, (*b)[0].requests);

  // Rollup retention removes them in turn.
  clock_.Advance(400 * kDayNs);
  ASSERT_TRUE(store->RunMaintenance().ok());
  EXPECT_EQ(Requests(*store, 0, 0), 0);
}

TEST_F(SqliteStoreTest, StatsReportDiskUsageAndIndexerLag) {
  config_.run_indexer = false;
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
    ASSERT_TRUE(AppendSpans(*store, {Call(1, kDay0)}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    StoreStats stats = store->Stats();
    EXPECT_EQ(stats.pending_batches, 1u);
    EXPECT_GT(stats.oldest_pending_age_nanos, 0u);
    EXPECT_EQ(stats.day_files, 0u);
    EXPECT_GT(stats.log_bytes, 0u);
  }
  config_.run_indexer = true;
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  StoreStats stats = store->Stats();
  EXPECT_EQ(stats.pending_batches, 0u);
  EXPECT_EQ(stats.oldest_pending_age_nanos, 0u);
  EXPECT_EQ(stats.day_files, 1u);
  EXPECT_EQ(stats.oldest_day_ns, kDay0);
  EXPECT_GT(stats.days_bytes, 0u);
  EXPECT_GT(stats.index_bytes, 0u);
  EXPECT_EQ(stats.disk_bytes(), stats.log_bytes + stats.index_bytes + stats.days_bytes);
  ASSERT_TRUE(store->RunMaintenance().ok());
  EXPECT_EQ(store->Stats().maintenance_runs, 1u);
}

}  // namespace
}  // namespace loupe::store
