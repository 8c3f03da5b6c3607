#include "fanout/disk_queue.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace loupe::fanout {
namespace {

class DiskQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("fanout-queue-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<DiskQueue> Open(int64_t max_bytes = 1 << 20) {
    auto q = DiskQueue::Open(dir_.string() + "/ep", max_bytes, /*fsync=*/false);
    EXPECT_TRUE(q.ok()) << q.status().message();
    return q.ok() ? std::move(q).value() : nullptr;
  }

  std::filesystem::path dir_;
};

TEST_F(DiskQueueTest, FifoPeekRespectsBytesAndRemove) {
  auto q = Open();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(q->Append(std::string(100, 'a' + i), i + 1, 1000 + i, nullptr).ok());
  EXPECT_EQ(q->stats().entries, 5);
  EXPECT_EQ(q->stats().spans, 15);
  EXPECT_EQ(q->stats().bytes, 500);
  EXPECT_EQ(q->stats().oldest_unix_nano, 1000u);

  std::vector<DiskQueue::Entry> got;
  ASSERT_TRUE(q->Peek(250, &got).ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].payload, std::string(100, 'a'));
  EXPECT_EQ(got[1].spans, 2);
  ASSERT_TRUE(q->RemoveThrough(got.back().id).ok());
  EXPECT_EQ(q->stats().entries, 3);
  EXPECT_EQ(q->stats().spans, 12);
  EXPECT_EQ(q->stats().oldest_unix_nano, 1002u);

  // One entry larger than the limit still comes out alone.
  ASSERT_TRUE(q->Peek(10, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, std::string(100, 'c'));
  q->Release();
}

TEST_F(DiskQueueTest, ReopenResumesWhatWasQueued) {
  {
    auto q = Open();
    ASSERT_TRUE(q->Append("first", 1, 10, nullptr).ok());
    ASSERT_TRUE(q->Append("second", 2, 20, nullptr).ok());
    std::vector<DiskQueue::Entry> got;
    ASSERT_TRUE(q->Peek(1 << 20, &got).ok());  // in flight when the process "stops"
  }
  auto q = Open();
  EXPECT_EQ(q->stats().entries, 2);
  EXPECT_EQ(q->stats().spans, 3);
  EXPECT_EQ(q->stats().oldest_unix_nano, 10u);
  std::vector<DiskQueue::Entry> got;
  ASSERT_TRUE(q->Peek(1 << 20, &got).ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].payload, "first");
  EXPECT_EQ(got[1].payload, "second");
  ASSERT_TRUE(q->Append("third", 1, 30, nullptr).ok());
  ASSERT_TRUE(q->RemoveThrough(got.back().id).ok());
  ASSERT_TRUE(q->Peek(1 << 20, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, "third");
}

TEST_F(DiskQueueTest, OverTheBoundDropsOldestFirstAndCounts) {
  auto q = Open(/*max_bytes=*/300);
  DiskQueue::Dropped dropped;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(q->Append(std::string(100, '0' + i), 10, i, &dropped).ok());
    EXPECT_EQ(dropped.spans, 0);
  }
  ASSERT_TRUE(q->Append(std::string(150, '3'), 7, 3, &dropped).ok());
  EXPECT_EQ(dropped.entries, 2);  // 450 -> 350 -> 250
  EXPECT_EQ(dropped.spans, 20);
  EXPECT_EQ(q->stats().bytes, 250);
  EXPECT_EQ(q->stats().spans, 17);
  EXPECT_EQ(q->stats().oldest_unix_nano, 2u);
  std::vector<DiskQueue::Entry> got;
  ASSERT_TRUE(q->Peek(1 << 20, &got).ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].payload[0], '2');
  EXPECT_EQ(got[1].payload[0], '3');
}

TEST_F(DiskQueueTest, EntriesBeingSentAreNotDropped) {
  auto q = Open(/*max_bytes=*/200);
  ASSERT_TRUE(q->Append(std::string(100, 'a'), 1, 1, nullptr).ok());
  std::vector<DiskQueue::Entry> in_flight;
  ASSERT_TRUE(q->Peek(100, &in_flight).ok());
  ASSERT_TRUE(q->Append(std::string(100, 'b'), 1, 2, nullptr).ok());
  DiskQueue::Dropped dropped;
  ASSERT_TRUE(q->Append(std::string(100, 'c'), 1, 3, &dropped).ok());
  EXPECT_EQ(dropped.entries, 1);  // 'b', the oldest not in flight
  ASSERT_TRUE(q->RemoveThrough(in_flight.back().id).ok());
  std::vector<DiskQueue::Entry> got;
  ASSERT_TRUE(q->Peek(1 << 20, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload[0], 'c');
  EXPECT_EQ(q->stats().entries, 1);
}

TEST_F(DiskQueueTest, UnwritableDirectoryIsAnError) {
  auto q = DiskQueue::Open("/proc/no-such-dir/fanout", 1000, false);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), Status::Code::kIoError);
}

}  // namespace
}  // namespace loupe::fanout
