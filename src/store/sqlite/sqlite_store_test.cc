#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "store/test_util.h"

namespace loupe::store {
namespace {

namespace fs = std::filesystem;
using testing::LlmSpan;
using testing::LlmSpec;

constexpr uint64_t kMinute = 60'000'000'000;
constexpr uint64_t kT0 = 1'750'000'000'000'000'000;  // a fixed day in 2025, minute-aligned below
constexpr uint64_t kBase = kT0 - kT0 % kMinute;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("loupe-store-test-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> Open(bool run_indexer = true) {
    StoreConfig config;
    config.data_dir = dir_;
    config.run_indexer = run_indexer;
    config.index_poll = std::chrono::milliseconds(20);
    config.clock = clock_ ? clock_ : testing::PinnedClock();
    auto store = OpenStore(config);
    EXPECT_TRUE(store.ok());
    return std::move(*store);
  }

  static Status Append(Store& store, std::vector<model::Batch>& batches) {
    std::vector<model::Batch*> ptrs;
    for (auto& b : batches) ptrs.push_back(&b);
    return store.Consume(ptrs);
  }

  static void Sql(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  std::string dir_;
  const Clock* clock_ = nullptr;  // the pinned clock when null
};

TEST_F(StoreTest, AppendedBatchesSurviveRestartAndAreIndexedOnReopen) {
  {
    auto store = Open(/*run_indexer=*/false);
    ASSERT_TRUE(store->Start().ok());
    for (int g = 0; g < 5; ++g) {
      std::vector<model::Batch> group(3);
      for (int b = 0; b < 3; ++b) {
        for (int s = 0; s < 4; ++s) {
          LlmSpec spec;
          spec.trace = static_cast<uint64_t>(g * 3 + b + 1);
          spec.span = static_cast<uint64_t>(s + 1);
          spec.start_ns = kBase + static_cast<uint64_t>(s) * 1000;
          group[b].spans.push_back(LlmSpan(spec));
        }
      }
      ASSERT_TRUE(Append(*store, group).ok());
    }
    StoreStats stats = store->Stats();
    EXPECT_EQ(stats.appended_batches, 15u);
    EXPECT_EQ(stats.indexed_batches, 0u);
    EXPECT_EQ(stats.pending_batches, 15u);
    EXPECT_GT(stats.log_bytes, 0u);
    EXPECT_EQ(store->GetTrace(testing::TraceIdOf(1)).status().code(), Status::Code::kNotFound);
    store->Shutdown();
  }
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  StoreStats stats = store->Stats();
  EXPECT_EQ(stats.indexed_batches, 15u);
  EXPECT_EQ(stats.pending_batches, 0u);
  EXPECT_EQ(stats.spans_indexed, 60u);
  for (uint64_t t = 1; t <= 15; ++t) {
    auto trace = store->GetTrace(testing::TraceIdOf(t));
    ASSERT_TRUE(trace.ok()) << trace.status().ToString();
    EXPECT_EQ(trace->spans.size(), 4u);
  }
  auto all = store->QueryRollups({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].requests, 60);
}

TEST_F(StoreTest, DuplicateDeliveryIsStoredCountedAndRolledUpOnce) {
  auto store = Open();
  std::vector<model::SpanId> reported;
  store->SetNewSpansListener([&reported](std::span<const model::SpanRecord* const> spans) {
    for (const auto* r : spans) reported.push_back(r->span.span_id);
  });
  ASSERT_TRUE(store->Start().ok());
  auto make = [] {
    std::vector<model::Batch> group(1);
    for (uint64_t s = 1; s <= 3; ++s) {
      LlmSpec spec;
      spec.span = s;
      spec.start_ns = kBase;
      group[0].spans.push_back(LlmSpan(spec));
    }
    return group;
  };
  auto first = make(), again = make();
  ASSERT_TRUE(Append(*store, first).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  ASSERT_TRUE(Append(*store, again).ok());  // a client retry
  // And a duplicate inside one group.
  auto twice = make();
  twice.push_back(make()[0]);
  ASSERT_TRUE(Append(*store, twice).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());

  EXPECT_EQ(reported.size(), 3u);
  EXPECT_EQ(store->Stats().spans_duplicate, 9u);
  auto trace = store->GetTrace(testing::TraceIdOf(1));
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->spans.size(), 3u);
  auto rows = store->QueryRollups({});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].requests, 3);
  EXPECT_EQ((*rows)[0].input_tokens, 300);
  EXPECT_EQ((*rows)[0].cost_nanos, 4500);
}

TEST_F(StoreTest, RollupsEqualRawAggregatesIncludingLateData) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::mt19937_64 rng(42);
  const char* teams[] = {"search", "support", "ads"};
  const char* models[] = {"gpt-4o", "claude-sonnet-4-5"};
  struct Agg { int64_t requests = 0, errors = 0, input = 0, output = 0, cache = 0, cost = 0, unpriced = 0; std::vector<uint64_t> lat; };
  std::map<std::pair<std::string, std::string>, Agg> expected;
  uint64_t span_no = 0;
  // Two rounds: the second carries "late" spans for the first round's minutes.
  for (int round = 0; round < 2; ++round) {
    std::vector<model::Batch> group(4);
    for (auto& batch : group) {
      for (int i = 0; i < 50; ++i) {
        LlmSpec spec;
        spec.trace = ++span_no;
        spec.span = 1;
        spec.start_ns = kBase + (rng() % 30) * kMinute + rng() % kMinute;
        spec.duration_ns = 1'000'000 + rng() % 2'000'000'000;
        spec.team = teams[rng() % 3];
        spec.model = models[rng() % 2];
        spec.input = static_cast<int64_t>(rng() % 1000);
        spec.output = static_cast<int64_t>(rng() % 300);
        spec.cache_read = static_cast<int64_t>(rng() % 50);
        spec.error = rng() % 10 == 0;
        spec.counts_usage = rng() % 20 != 0;  // aggregate spans never count
        if (rng() % 15 == 0) spec.cost_nanos.reset(); else spec.cost_nanos = static_cast<int64_t>(rng() % 100000);
        batch.spans.push_back(LlmSpan(spec));
        if (!spec.counts_usage) continue;
        Agg& a = expected[{spec.team, spec.model}];
        a.requests++;
        a.errors += spec.error;
        a.input += spec.input;
        a.output += spec.output;
        a.cache += spec.cache_read;
        if (spec.cost_nanos) a.cost += *spec.cost_nanos; else a.unpriced++;
        a.lat.push_back(spec.duration_ns);
      }
    }
    ASSERT_TRUE(Append(*store, group).ok());
  }
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  RollupQuery q;
  q.start_ns = kBase;
  q.end_ns = kBase + 30 * kMinute;
  q.group_by = {Dimension::kTeam, Dimension::kModel};
  auto rows = store->QueryRollups(q);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), expected.size());
  for (const RollupRow& row : *rows) {
    Agg& a = expected[{row.key[0], row.key[1]}];
    EXPECT_EQ(row.requests, a.requests);
    EXPECT_EQ(row.errors, a.errors);
    EXPECT_EQ(row.input_tokens, a.input);
    EXPECT_EQ(row.output_tokens, a.output);
    EXPECT_EQ(row.cache_read_tokens, a.cache);
    EXPECT_EQ(row.cost_nanos, a.cost);
    EXPECT_EQ(row.unpriced_requests, a.unpriced);
    std::sort(a.lat.begin(), a.lat.end());
    for (double quant : {0.5, 0.95, 0.99}) {
      size_t rank = static_cast<size_t>(std::ceil(quant * static_cast<double>(a.lat.size())));
      double exact = static_cast<double>(a.lat[rank - 1]);
      EXPECT_NEAR(row.latency.QuantileNanos(quant) / exact, 1.0, 0.05) << quant;
    }
  }
  // Filters and a narrower range.
  q.group_by = {Dimension::kStatus};
  q.where = {{Dimension::kTeam, "ads"}};
  q.end_ns = kBase + 10 * kMinute;
  rows = store->QueryRollups(q);
  ASSERT_TRUE(rows.ok());
  for (const auto& row : *rows) EXPECT_TRUE(row.key[0] == "ok" || row.key[0] == "error");
}

TEST_F(StoreTest, GetTraceReturnsTreeOrderWithContentAndLogs) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::vector<model::Batch> group(2);
  // Children arrive before their parent, in another batch.
  LlmSpec child;
  child.span = 3;
  child.parent = 2;
  child.start_ns = kBase + 300;
  group[0].spans.push_back(LlmSpan(child));
  group[0].spans.push_back(testing::PlainSpan(1, 4, 1, kBase + 200, "retrieve"));
  group[1].spans.push_back(testing::PlainSpan(1, 1, 0, kBase, "handle request"));
  group[1].spans.push_back(testing::PlainSpan(1, 2, 1, kBase + 100, "agent"));
  model::LogRecord log;
  log.event_name = "gen_ai.choice";
  log.body = "late completion";
  log.trace_id = testing::TraceIdOf(1);
  log.time_unix_nano = kBase + 500;
  group[1].logs.push_back(log);
  ASSERT_TRUE(Append(*store, group).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());

  auto trace = store->GetTrace(testing::TraceIdOf(1));
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  std::vector<std::pair<uint8_t, int>> order;
  for (const auto& n : trace->spans) order.push_back({n.record.span.span_id[7], n.depth});
  EXPECT_EQ(order, (std::vector<std::pair<uint8_t, int>>{{1, 0}, {2, 1}, {3, 2}, {4, 1}}));
  const auto& llm = trace->spans[2].record.llm;
  ASSERT_TRUE(llm.has_value());
  ASSERT_EQ(llm->input_messages.size(), 1u);
  EXPECT_EQ(llm->input_messages[0].parts[0].content, "What is the capital of France?");
  EXPECT_EQ(llm->cost.total_nanos, 1500);
  EXPECT_EQ(trace->spans[0].record.span.resource->attributes.items().size(), 2u);
  ASSERT_EQ(trace->logs.size(), 1u);
  EXPECT_EQ(*trace->logs[0].body.AsString(), "late completion");
  EXPECT_EQ(store->GetTrace(testing::TraceIdOf(77)).status().code(), Status::Code::kNotFound);
}

TEST_F(StoreTest, SearchFiltersAndPaginates) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::vector<model::Batch> group(1);
  for (uint64_t t = 1; t <= 20; ++t) {
    LlmSpec spec;
    spec.trace = t;
    spec.start_ns = kBase + t * kMinute;
    spec.team = t % 2 ? "odd" : "even";
    spec.user = "user-" + std::to_string(t % 5);
    spec.service = t <= 10 ? "web" : "batch";
    spec.cost_nanos = static_cast<int64_t>(t) * 1000;
    spec.error = t == 7;
    spec.prompt = t == 13 ? "tell me about zebras" : "weather report";
    group[0].spans.push_back(LlmSpan(spec));
  }
  ASSERT_TRUE(Append(*store, group).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());

  auto ids = [&](const TraceQuery& q) {
    auto page = store->SearchTraces(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<int> out;
    if (page.ok()) for (const auto& t : page->traces) out.push_back(t.trace_id[15]);
    return out;
  };
  TraceQuery q;
  q.team = "odd";
  q.min_cost_nanos = 15000;
  EXPECT_EQ(ids(q), (std::vector<int>{19, 17, 15}));
  q = {};
  q.user = "user-3";
  EXPECT_EQ(ids(q), (std::vector<int>{18, 13, 8, 3}));
  q = {};
  q.status = StatusFilter::kError;
  EXPECT_EQ(ids(q), (std::vector<int>{7}));
  q = {};
  q.text = "zebras";
  EXPECT_EQ(ids(q), (std::vector<int>{13}));
  q = {};
  q.service = "web";
  q.start_ns = kBase + 3 * kMinute;
  q.end_ns = kBase + 6 * kMinute;
  EXPECT_EQ(ids(q), (std::vector<int>{5, 4, 3}));

  // Pagination walks every trace exactly once, newest first.
  q = {};
  q.limit = 6;
  std::vector<int> all;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = store->SearchTraces(q);
    ASSERT_TRUE(page.ok());
    for (const auto& t : page->traces) all.push_back(t.trace_id[15]);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  ASSERT_EQ(all.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(all[i], 20 - i);

  q = {};
  q.model = "gpt-4o";
  q.limit = 1;
  auto page = store->SearchTraces(q);
  ASSERT_TRUE(page.ok());
  const TraceSummary& s = page->traces[0];
  EXPECT_EQ(s.spans, 1);
  EXPECT_EQ(s.llm_calls, 1);
  EXPECT_EQ(s.cost_nanos, 20000);
  EXPECT_EQ(s.tokens, 120);
  EXPECT_EQ(s.service, "batch");
  EXPECT_EQ(s.root_name, "chat gpt-4o");

  q = {};
  q.cursor = "garbage";
  EXPECT_EQ(store->SearchTraces(q).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(StoreTest, NewerSchemaVersionIsRefusedNamingTheFile) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
  }
  Sql(dir_ + "/index.db", "UPDATE schema_version SET version = 999");
  auto store = Open();
  Status s = store->Start();
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find(dir_ + "/index.db"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("999"), std::string::npos);
  EXPECT_EQ(store->Consume({}).code(), Status::Code::kUnavailable);
}

TEST_F(StoreTest, ReopeningAtTheCurrentVersionKeepsData) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
    std::vector<model::Batch> group(1);
    LlmSpec spec;
  spec.start_ns = testing::kTestEpoch;
  group[0].spans.push_back(LlmSpan(spec));
    ASSERT_TRUE(Append(*store, group).ok());
    ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  }
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  EXPECT_TRUE(store->GetTrace(testing::TraceIdOf(1)).ok());
}

TEST_F(StoreTest, MissingOrCorruptFilesAreStartupErrorsNamingTheFile) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
  }
  fs::rename(dir_ + "/index.db", dir_ + "/index.db.moved");
  Status s = Open()->Start();
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find(dir_ + "/index.db: data file is missing"), std::string::npos) << s.ToString();

  fs::rename(dir_ + "/index.db.moved", dir_ + "/index.db");
  {
    std::ofstream garbage(dir_ + "/log.db", std::ios::trunc | std::ios::binary);
    garbage << std::string(8192, 'x');
  }
  fs::remove(dir_ + "/log.db-wal");
  fs::remove(dir_ + "/log.db-shm");
  s = Open()->Start();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(dir_ + "/log.db"), std::string::npos) << s.ToString();

  // Files swapped: a log where the index should be.
  fs::remove_all(dir_);
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
  }
  fs::copy_file(dir_ + "/log.db", dir_ + "/index.db", fs::copy_options::overwrite_existing);
  fs::remove(dir_ + "/index.db-wal");
  s = Open()->Start();
  EXPECT_NE(s.message().find("expected 'loupe-index'"), std::string::npos) << s.ToString();
}

TEST(EphemeralStore, EmptyDataDirWorksAndCleansUp) {
  StoreConfig config;
  config.clock = testing::PinnedClock();
  auto opened = OpenStore(config);
  ASSERT_TRUE(opened.ok());
  auto* store = static_cast<sqlite::SqliteStore*>(opened->get());
  ASSERT_TRUE(store->Start().ok());
  std::string dir = store->dir();
  EXPECT_TRUE(fs::exists(dir + "/log.db"));
  std::vector<model::Batch> group(1);
  LlmSpec spec;
  spec.start_ns = testing::kTestEpoch;
  group[0].spans.push_back(LlmSpan(spec));
  model::Batch* ptr = &group[0];
  ASSERT_TRUE(store->Consume({&ptr, 1}).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  EXPECT_TRUE(store->GetTrace(testing::TraceIdOf(1)).ok());
  store->Shutdown();
  store->Shutdown();  // twice is fine
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace loupe::store
