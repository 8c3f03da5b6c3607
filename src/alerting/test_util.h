// Test doubles for the alerting tests: an in-memory DataSource that
// aggregates individual calls and scores like the store's rollups do, and
// a StateStore in memory.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "alerting/data_source.h"
#include "alerting/state_store.h"

namespace loupe::alerting::testing {

constexpr uint64_t kSec = 1'000'000'000ull;
constexpr uint64_t kMin = 60 * kSec;
constexpr uint64_t kHour = 60 * kMin;
constexpr uint64_t kDay = 24 * kHour;
// A fixed "now" (2025-06-16T00:00:00Z) far from the epoch.
constexpr uint64_t kT0 = 1'750'032'000ull * kSec;

struct Call {
  uint64_t time_ns = 0;
  std::map<std::string, std::string> dims;  // team, feature, model, user, ...
  uint64_t latency_ns = 0;
  int64_t cost_nanos = 0;
  bool error = false;
};

struct ScoreEvent {
  uint64_t time_ns = 0;
  std::map<std::string, std::string> dims;
  std::string evaluator = "judge/default", dimension = "accuracy";
  double value = 0;
};

class FakeSource : public DataSource {
 public:
  std::vector<Call> calls;
  std::vector<ScoreEvent> scores;
  int calls_queries = 0, scores_queries = 0;
  std::string fail_dimension;  // a group_by dimension answered with an error

  // `n` calls spread evenly over [start, end).
  void AddCalls(uint64_t start, uint64_t end, int n, std::map<std::string, std::string> dims, uint64_t latency_ns,
                int64_t cost_nanos = 0, int errors = 0) {
    for (int i = 0; i < n; ++i) {
      calls.push_back({start + (end - start) * static_cast<uint64_t>(i) / static_cast<uint64_t>(n), dims, latency_ns,
                       cost_nanos, i < errors});
    }
  }
  void AddScores(uint64_t start, uint64_t end, int n, std::map<std::string, std::string> dims, double value) {
    for (int i = 0; i < n; ++i) {
      scores.push_back({start + (end - start) * static_cast<uint64_t>(i) / static_cast<uint64_t>(n), dims,
                        "judge/default", "accuracy", value});
    }
  }

  Result<std::vector<GroupStats>> Calls(const WindowQuery& q) override {
    ++calls_queries;
    LOUPE_RETURN_IF_ERROR(Check(q));
    std::map<std::vector<std::string>, GroupStats> out;
    for (const auto& c : calls) {
      if (!Matches(q, c.time_ns, c.dims)) continue;
      GroupStats& g = Group(out, q, c.dims);
      ++g.requests;
      g.errors += c.error;
      g.cost_nanos += c.cost_nanos;
      g.latency.Add(c.latency_ns);
    }
    return Flatten(out);
  }

  Result<std::vector<GroupStats>> Scores(const WindowQuery& q) override {
    ++scores_queries;
    LOUPE_RETURN_IF_ERROR(Check(q));
    std::map<std::vector<std::string>, GroupStats> out;
    for (const auto& s : scores) {
      if (!Matches(q, s.time_ns, s.dims)) continue;
      if (!q.evaluator.empty() && q.evaluator != s.evaluator) continue;
      if (!q.dimension.empty() && q.dimension != s.dimension) continue;
      GroupStats& g = Group(out, q, s.dims);
      ++g.score_count;
      g.score_sum += s.value;
    }
    return Flatten(out);
  }

  Result<Examples> FindExamples(const ExampleQuery& q) override {
    Examples ex;
    uint64_t slowest = 0;
    for (size_t i = 0; i < calls.size(); ++i) {
      if (calls[i].time_ns < q.start_ns || calls[i].time_ns >= q.end_ns) continue;
      bool ok = true;
      for (const auto& [k, v] : q.where) ok = ok && calls[i].dims.contains(k) && calls[i].dims.at(k) == v;
      if (ok && calls[i].latency_ns > slowest) {
        slowest = calls[i].latency_ns;
        ex.slowest = "trace-" + std::to_string(i);
      }
    }
    return ex;
  }

 private:
  Status Check(const WindowQuery& q) const {
    for (const auto& g : q.group_by) {
      if (g == fail_dimension) return Status::InvalidArgument("group_by " + g + ": not supported by this source");
    }
    return Status::Ok();
  }
  static bool Matches(const WindowQuery& q, uint64_t t, const std::map<std::string, std::string>& dims) {
    if (t < q.start_ns || t >= q.end_ns) return false;
    for (const auto& [k, v] : q.where) {
      auto it = dims.find(k);
      if (it == dims.end() || it->second != v) return false;
    }
    return true;
  }
  static GroupStats& Group(std::map<std::vector<std::string>, GroupStats>& out, const WindowQuery& q,
                           const std::map<std::string, std::string>& dims) {
    std::vector<std::string> key;
    for (const auto& g : q.group_by) key.push_back(dims.contains(g) ? dims.at(g) : "");
    GroupStats& s = out[key];
    s.key = key;
    return s;
  }
  static std::vector<GroupStats> Flatten(std::map<std::vector<std::string>, GroupStats>& m) {
    std::vector<GroupStats> v;
    for (auto& [k, g] : m) v.push_back(std::move(g));
    return v;
  }
};

// Durable values and the journal, in memory.
class MemoryStateStore : public StateStore {
 public:
  std::map<std::string, std::map<std::string, std::string>> values;
  std::vector<store::JournalEntry> journal;
  bool fail = false;

  Status PutValue(const std::string& ns, const std::string& key, const std::string& value) override {
    if (fail) return Status::IoError("disk on fire");
    values[ns][key] = value;
    return Status::Ok();
  }
  Status DeleteValue(const std::string& ns, const std::string& key) override {
    if (fail) return Status::IoError("disk on fire");
    values[ns].erase(key);
    return Status::Ok();
  }
  Result<std::vector<std::pair<std::string, std::string>>> ListValues(const std::string& ns) override {
    if (fail) return Status::IoError("disk on fire");
    return std::vector<std::pair<std::string, std::string>>(values[ns].begin(), values[ns].end());
  }
  Result<uint64_t> AppendJournal(store::JournalEntry e) override {
    if (fail) return Status::IoError("disk on fire");
    e.seq = journal.size() + 1;
    journal.push_back(std::move(e));
    return journal.back().seq;
  }
  Result<std::vector<store::JournalEntry>> QueryJournal(const store::JournalQuery& q) override {
    std::vector<store::JournalEntry> out;
    for (auto it = journal.rbegin(); it != journal.rend() && out.size() < q.limit; ++it) {
      if (q.kind.empty() || it->kind == q.kind) out.push_back(*it);
    }
    return out;
  }
};

}  // namespace loupe::alerting::testing
