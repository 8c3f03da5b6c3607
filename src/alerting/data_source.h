// DataSource: what the alerting engine reads. One interface, so the
// engine's tests run against a fake and production reads the store's
// rollups and scores (StoreDataSource).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/latency_histogram.h"

namespace loupe::store {
class Store;
}

namespace loupe::alerting {

// One question: a time range [start_ns, end_ns), grouped by dimensions
// ("team", "feature", ...), with equality filters.
struct WindowQuery {
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
  std::vector<std::string> group_by;
  std::map<std::string, std::string> where;
  std::string evaluator, dimension;  // scores only; "" = all

  auto operator<=>(const WindowQuery&) const = default;
};

// The answer for one group. The key holds one value per group_by dimension.
struct GroupStats {
  std::vector<std::string> key;
  int64_t requests = 0;
  int64_t errors = 0;
  int64_t cost_nanos = 0;        // priced calls only
  int64_t unpriced_requests = 0;
  store::LatencyHistogram latency;
  int64_t score_count = 0;
  double score_sum = 0;
  double score_mean() const { return score_count > 0 ? score_sum / static_cast<double>(score_count) : 0; }
};

// Example traces for an alert: what an on-call engineer opens first.
struct ExampleQuery {
  uint64_t start_ns = 0, end_ns = 0;
  std::map<std::string, std::string> where;  // the alert's group and the rule's filters
  size_t limit = 3;
};
struct Examples {
  std::string slowest, most_expensive, lowest_scored;  // hex trace ids; "" when none
};

class DataSource {
 public:
  virtual ~DataSource() = default;
  // LLM-call rollups (requests, errors, cost, latency). No score fields.
  virtual Result<std::vector<GroupStats>> Calls(const WindowQuery& query) = 0;
  // Score aggregates (score_count, score_sum), pooled over the evaluators
  // and dimensions the query leaves open.
  virtual Result<std::vector<GroupStats>> Scores(const WindowQuery& query) = 0;
  // Best effort: an error leaves the alert without examples.
  virtual Result<Examples> FindExamples(const ExampleQuery& query) {
    (void)query;
    return Examples{};
  }
};

// Reads store::Store: QueryRollups for calls, AggregateScores for scores,
// SearchTraces/QueryScores for examples. A group_by dimension the store
// does not know (e.g. "user" before per-user rollups exist) is an
// InvalidArgument naming it, which marks the rule unhealthy.
class StoreDataSource final : public DataSource {
 public:
  explicit StoreDataSource(store::Store* store) : store_(store) {}
  Result<std::vector<GroupStats>> Calls(const WindowQuery& query) override;
  Result<std::vector<GroupStats>> Scores(const WindowQuery& query) override;
  Result<Examples> FindExamples(const ExampleQuery& query) override;

 private:
  store::Store* store_;
};

}  // namespace loupe::alerting
