// A test fixture for the SQLite store's tests: a fresh data dir per test,
// a clock the test moves, and helpers to append and to count what is
// stored.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace loupe::store {

inline constexpr uint64_t kMinuteNs = 60'000'000'000;
inline constexpr uint64_t kHourNs = 60 * kMinuteNs;
inline constexpr uint64_t kDayNs = 24 * kHourNs;
// Midnight UTC at the start of the tests' first day.
inline constexpr uint64_t kDay0 = testing::kTestEpoch - testing::kTestEpoch % kDayNs;

class SqliteStoreTest : public ::testing::Test {
 protected:
  SqliteStoreTest() : clock_(kDay0 + kHourNs) {}
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("loupe-sqlite-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    config_.data_dir = dir_;
    config_.index_poll = std::chrono::milliseconds(10);
    config_.clock = &clock_;
    config_.maintenance_interval = std::chrono::hours(1);  // tests call RunMaintenance
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open(const StoreConfig& config) {
    auto store = OpenStore(config);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(*store);
  }
  std::unique_ptr<Store> Open() { return Open(config_); }

  static Status Append(Store& store, std::vector<model::Batch>& batches) {
    std::vector<model::Batch*> ptrs;
    for (auto& b : batches) ptrs.push_back(&b);
    return store.Consume(ptrs);
  }
  static Status AppendSpans(Store& store, std::vector<model::SpanRecord> spans) {
    std::vector<model::Batch> group(1);
    group[0].spans = std::move(spans);
    return Append(store, group);
  }
  // One LLM span: trace `trace`, span 1, starting at `start_ns`.
  static model::SpanRecord Call(uint64_t trace, uint64_t start_ns, const std::string& user = "u1") {
    testing::LlmSpec spec;
    spec.trace = trace;
    spec.span = 1;
    spec.start_ns = start_ns;
    spec.user = user;
    return testing::LlmSpan(spec);
  }
  static int64_t Requests(Store& store, uint64_t start_ns, uint64_t end_ns) {
    RollupQuery q;
    q.start_ns = start_ns;
    q.end_ns = end_ns;
    auto rows = store.QueryRollups(q);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() && !rows->empty() ? (*rows)[0].requests : 0;
  }
  std::vector<std::string> DayFiles() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_ + "/days", ec)) {
      if (e.path().extension() == ".db") out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  testing::TestClock clock_;
  StoreConfig config_;
  std::string dir_;
};

}  // namespace loupe::store
