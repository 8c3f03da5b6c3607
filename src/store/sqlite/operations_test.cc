// Operations on the SQLite store: upgrade from schema version 1, backup
// and restore, delete-by-user, and ingest with concurrent queries.
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/batch_codec.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/store_fixture.h"

namespace loupe::store {
namespace {

namespace fs = std::filesystem;
using testing::LlmSpan;
using testing::LlmSpec;
using testing::TraceIdOf;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Bytes of every file under `dir` (databases, WALs) joined.
std::string AllBytes(const std::string& dir) {
  std::string out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out += ReadFile(e.path().string());
  }
  return out;
}

TEST_F(SqliteStoreTest, UpgradesAVersion1Store) {
  // Build a version-1 store from the fixture schema, with rows exactly as
  // the version-1 indexer wrote them.
  fs::create_directories(dir_);
  auto exec = [](sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
  };
  sqlite3* log = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/log.db").c_str(), &log), SQLITE_OK);
  exec(log, ReadFile("src/store/sqlite/testdata/log_v1.sql"));
  sqlite3_close(log);
  sqlite3* ix = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/index.db").c_str(), &ix), SQLITE_OK);
  exec(ix, ReadFile("src/store/sqlite/testdata/index_v1.sql"));
  std::vector<model::SpanRecord> spans;
  for (uint64_t t = 1; t <= 3; ++t) {
    LlmSpec spec;
    spec.trace = t;
    spec.start_ns = kDay0 - (t - 1) * kDayNs + 5 * kMinuteNs;
    spec.prompt = t == 2 ? "giraffe necks" : "weather";
    spans.push_back(LlmSpan(spec));
  }
  for (size_t i = 0; i < spans.size(); ++i) {
    const auto& rec = spans[i];
    std::string body = Compress(EncodeSpanRecord(rec, false));
    std::string content = Compress(EncodeContent(*rec.llm));
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(ix,
                                 "INSERT INTO spans VALUES(?1, ?2, ?3, zeroblob(8), 'chat', 'chat-api', ?4, ?5, 0, 0, ?6)",
                                 -1, &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, static_cast<int64_t>(i + 1));
    sqlite3_bind_blob(st, 2, rec.span.trace_id.data(), 16, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 3, rec.span.span_id.data(), 8, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, static_cast<int64_t>(rec.span.start_time_unix_nano));
    sqlite3_bind_int64(st, 5, static_cast<int64_t>(rec.span.end_time_unix_nano));
    sqlite3_bind_blob(st, 6, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    ASSERT_EQ(sqlite3_prepare_v2(ix, "INSERT INTO content VALUES(?1, ?2)", -1, &st, nullptr), SQLITE_OK);
    sqlite3_bind_int64(st, 1, static_cast<int64_t>(i + 1));
    sqlite3_bind_blob(st, 2, content.data(), static_cast<int>(content.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
  }
  sqlite3_close(ix);

  auto store = Open();
  Status s = store->Start();
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (uint64_t t = 1; t <= 3; ++t) {
    auto trace = store->GetTrace(TraceIdOf(t));
    ASSERT_TRUE(trace.ok()) << trace.status().ToString();
    ASSERT_EQ(trace->spans.size(), 1u);
    EXPECT_EQ(trace->spans[0].record.llm->tokens.input, 100);
    EXPECT_FALSE(trace->spans[0].record.llm->input_messages.empty());
  }
  EXPECT_EQ(DayFiles().size(), 3u);
  EXPECT_EQ(Requests(*store, 0, 0), 3);
  TraceQuery q;
  q.text = "giraffe";
  auto page = store->SearchTraces(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->traces.size(), 1u);
  EXPECT_EQ(page->traces[0].trace_id, TraceIdOf(2));
  // New data after the upgrade, and a redelivery of an upgraded span.
  ASSERT_TRUE(AppendSpans(*store, {Call(9, kDay0), spans[0]}).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  EXPECT_EQ(store->Stats().spans_duplicate, 1u);
  EXPECT_EQ(Requests(*store, 0, 0), 4);
  store->Shutdown();

  auto main = sqlite::Db::Open(dir_ + "/index.db", false);
  ASSERT_TRUE(main.ok());
  auto version = sqlite::ReadSchemaVersion(main->get(), sqlite::kIndexKind);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, sqlite::LatestIndexVersion());
  auto left = (*main)->Prepare("SELECT count(*) FROM sqlite_schema WHERE name IN ('spans', 'content', 'rollup_minute')");
  ASSERT_TRUE(left.ok());
  Status st;
  ASSERT_TRUE(left->Step(&st));
  EXPECT_EQ(left->Int(0), 0);
}

TEST_F(SqliteStoreTest, BackupIsAnOnlineConsistentCopyThatRestores) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> acked{0};  // traces 1..acked are acknowledged
  std::thread writer([&] {
    uint64_t t = 0;
    while (!stop) {
      std::vector<model::SpanRecord> spans;
      for (int i = 0; i < 20; ++i) {
        ++t;
        spans.push_back(Call(t, kDay0 - (t % 2) * kDayNs + t * 1000));
      }
      if (!AppendSpans(*store, spans).ok()) return;
      acked = t;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const uint64_t before = acked;
  const std::string backup = dir_ + "-backup";
  fs::remove_all(backup);
  Status s = store->Backup(backup);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  writer.join();
  EXPECT_GT(acked.load(), before) << "ingest continued during the backup";
  EXPECT_FALSE(store->Backup(backup).ok());  // never over an existing store
  store->Shutdown();

  config_.data_dir = backup;
  auto restored = Open();
  ASSERT_TRUE(restored->Start().ok());
  ASSERT_TRUE(restored->WaitForIndexer(std::chrono::seconds(30)).ok());
  StoreStats stats = restored->Stats();
  const int64_t n = Requests(*restored, 0, 0);
  EXPECT_GE(n, static_cast<int64_t>(before));  // everything acked before Backup, each once
  EXPECT_LE(n, static_cast<int64_t>(acked.load()));
  for (uint64_t t = 1; t <= before; t += 97) {
    auto trace = restored->GetTrace(TraceIdOf(t));
    ASSERT_TRUE(trace.ok()) << t;
    EXPECT_EQ(trace->spans.size(), 1u);
  }
  EXPECT_EQ(stats.day_files, 2u);
  restored->Shutdown();
  fs::remove_all(backup);
}

TEST_F(SqliteStoreTest, DeleteUserErasesTheirTracesAndAdjustsRollups) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  const std::string gone = "user-to-forget-4711";
  std::vector<model::SpanRecord> spans;
  for (uint64_t t = 1; t <= 10; ++t) {
    LlmSpec spec;
    spec.trace = t;
    spec.start_ns = (t % 2 ? kDay0 - kDayNs : kDay0) + t * kMinuteNs;
    spec.user = t <= 4 ? gone : "someone-else";
    spec.prompt = t <= 4 ? "my secret okapi question" : "weather";
    spans.push_back(LlmSpan(spec));
  }
  spans.push_back(testing::PlainSpan(1, 2, 1, kDay0 - kDayNs + kMinuteNs, "tool call"));  // same trace, no user
  std::vector<model::Batch> group(1);
  group[0].spans = spans;
  model::LogRecord log;
  log.trace_id = TraceIdOf(1);
  log.time_unix_nano = kDay0 - kDayNs + kMinuteNs;
  log.body = model::AnyValue(std::string("okapi log line"));
  group[0].logs.push_back(log);
  ASSERT_TRUE(Append(*store, group).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  ASSERT_TRUE(store->RunMaintenance().ok());  // yesterday gets sealed hour/day rollups
  EXPECT_EQ(Requests(*store, kDay0 - kDayNs, kDay0), 5);

  auto erased = store->DeleteUser(gone);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_EQ(*erased, 5u);  // four calls and the tool span in trace 1
  for (uint64_t t = 1; t <= 10; ++t) {
    EXPECT_EQ(store->GetTrace(TraceIdOf(t)).ok(), t > 4) << t;
  }
  TraceQuery q;
  q.user = gone;
  EXPECT_TRUE(store->SearchTraces(q)->traces.empty());
  q = {};
  q.text = "okapi";
  EXPECT_TRUE(store->SearchTraces(q)->traces.empty());
  // Rollups: whole days (sealed, day rows), hour-aligned, and minutes.
  EXPECT_EQ(Requests(*store, kDay0 - kDayNs, kDay0), 3);
  EXPECT_EQ(Requests(*store, kDay0 - kDayNs, kDay0 - kDayNs + kHourNs), 3);
  EXPECT_EQ(Requests(*store, kDay0, kDay0 + kHourNs), 3);
  EXPECT_EQ(Requests(*store, 0, 0), 6);
  // Nothing of theirs is left in the files (log, day files, WALs).
  store->Shutdown();
  std::string bytes = AllBytes(dir_);
  EXPECT_EQ(bytes.find(gone), std::string::npos);
  EXPECT_EQ(bytes.find("okapi"), std::string::npos);
}

TEST_F(SqliteStoreTest, IngestAndQueriesTogetherNeitherStarvesAndWalStaysBounded) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::atomic<bool> stop{false};
  // Both sides must make progress while the other runs: the run ends
  // once the writer appended kWant spans and the readers answered kQueries
  // queries (or after a generous deadline, a failure). No rates are
  // asserted here; throughput is bench/store's business.
  constexpr uint64_t kWant = 4000, kQueries = 20;
  std::atomic<uint64_t> appended{0}, queries{0}, query_errors{0}, max_wal{0};
  std::thread writer([&] {
    uint64_t t = 0;
    while (!stop) {
      std::vector<model::Batch> group(4);
      for (auto& b : group) {
        for (int i = 0; i < 100; ++i) {
          ++t;
          b.spans.push_back(Call(t, kDay0 + (t % 3600) * 1'000'000'000ull, "user-" + std::to_string(t % 50)));
        }
      }
      if (!Append(*store, group).ok()) return;
      appended = t;
    }
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      uint64_t i = 0;
      while (!stop) {
        ++i;
        bool ok = true;
        if (r == 0) {
          TraceQuery q;
          q.user = "user-" + std::to_string(i % 50);
          q.min_cost_nanos = 1000;
          ok = store->SearchTraces(q).ok();
        } else {
          RollupQuery q;
          q.group_by = {Dimension::kTeam, Dimension::kModel};
          ok = store->QueryRollups(q).ok();
          uint64_t a = appended;
          if (ok && a > 0) ok = store->GetTrace(TraceIdOf(1 + i % a)).status().code() != Status::Code::kInternal;
        }
        (ok ? queries : query_errors)++;
        max_wal = std::max<uint64_t>(max_wal, store->Stats().wal_bytes);
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while ((appended < kWant || queries < kQueries) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(query_errors.load(), 0u);
  EXPECT_GE(queries.load(), kQueries) << "queries starved";
  EXPECT_GE(appended.load(), kWant) << "writer starved";
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(60)).ok());
  EXPECT_EQ(Requests(*store, 0, 0), static_cast<int64_t>(appended.load()));
  // Checkpoints keep the WALs bounded (journal_size_limit is 64 MiB each).
  EXPECT_LT(max_wal.load(), 3u * 64 * 1024 * 1024);
  ASSERT_TRUE(store->RunMaintenance().ok());
  EXPECT_LT(store->Stats().wal_bytes, 3u * 64 * 1024 * 1024);
}

}  // namespace
}  // namespace loupe::store
