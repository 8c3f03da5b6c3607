// kill -9 with a real process: a child appends concurrently and prints
// every acknowledged span; we kill it mid-stream, reopen the store and
// check every acknowledged span is there exactly once, in the spans and
// in the rollups.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "store/store.h"
#include "store/test_util.h"

namespace loupe::store {
namespace {

namespace fs = std::filesystem;

TEST(StoreCrash, KillNineLosesNoAcknowledgedSpan) {
  const std::string writer = (fs::read_symlink("/proc/self/exe").parent_path() / "store_crash_writer").string();
  ASSERT_TRUE(fs::exists(writer)) << writer;
  const std::string dir = (fs::temp_directory_path() / ("loupe-crash-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);

  for (int run = 0; run < 2; ++run) {  // the second run starts on a store recovered from a kill
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      ::execl(writer.c_str(), writer.c_str(), dir.c_str(), "4", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string acked;
    char buf[65536];
    bool killed = false;
    const size_t kill_after = 3000 + static_cast<size_t>(run) * 1000;  // acked spans
    while (true) {
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      acked.append(buf, static_cast<size_t>(n));
      if (!killed && static_cast<size_t>(std::count(acked.begin(), acked.end(), '\n')) >= kill_after) {
        ::kill(pid, SIGKILL);
        killed = true;  // keep reading: acks written before the kill count too
      }
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(killed) << "writer stopped early, status " << status;
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    // Parse the acked (trace, span) pairs; a line cut by the kill is not an ack.
    std::map<model::TraceId, std::set<model::SpanId>> want;
    std::istringstream lines(acked.substr(0, acked.rfind('\n') + 1));
    std::string trace_hex, span_hex;
    size_t acked_spans = 0;
    while (lines >> trace_hex >> span_hex) {
      model::TraceId t;
      model::SpanId s;
      ASSERT_TRUE(model::ParseHex(trace_hex, &t) && model::ParseHex(span_hex, &s));
      want[t].insert(s);
      ++acked_spans;
    }
    ASSERT_GE(acked_spans, kill_after);

    StoreConfig config;
    config.data_dir = dir;
    config.clock = loupe::store::testing::PinnedClock();
    auto opened = OpenStore(config);
    ASSERT_TRUE(opened.ok());
    Store& store = **opened;
    Status s = store.Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(store.WaitForIndexer(std::chrono::seconds(60)).ok());
    for (const auto& [trace_id, spans] : want) {
      auto trace = store.GetTrace(trace_id);
      ASSERT_TRUE(trace.ok()) << model::ToHex(trace_id) << ": " << trace.status().ToString();
      std::map<model::SpanId, int> seen;
      for (const auto& node : trace->spans) ++seen[node.record.span.span_id];
      for (const auto& span_id : spans) EXPECT_EQ(seen[span_id], 1) << model::ToHex(trace_id) << " " << model::ToHex(span_id);
      for (const auto& [id, count] : seen) EXPECT_EQ(count, 1);
    }
    // Rolled up exactly once: the rollups count every stored span once.
    int64_t stored = 0;
    TraceQuery q;
    q.limit = 1000;
    while (true) {
      auto page = store.SearchTraces(q);
      ASSERT_TRUE(page.ok());
      for (const auto& t : page->traces) stored += t.llm_calls;
      if (page->next_cursor.empty()) break;
      q.cursor = page->next_cursor;
    }
    auto rollups = store.QueryRollups({});
    ASSERT_TRUE(rollups.ok());
    ASSERT_EQ(rollups->size(), 1u);
    EXPECT_EQ((*rollups)[0].requests, stored);
    EXPECT_GE(stored, static_cast<int64_t>(want.size()) * 10 - 10);
    store.Shutdown();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace loupe::store
