// Evaluating one rule at one instant: the numbers behind each group's
// verdict (value, baseline, threshold) and a human summary. Pure: it
// reads only the DataSource it is given, through a QueryCache that lets
// rules of the same shape (same range, group_by and filters) share one
// query per evaluation round.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "alerting/config.h"
#include "alerting/data_source.h"
#include "alerting/matcher.h"

namespace loupe::alerting {

// Memoises DataSource answers for one evaluation round. Not thread-safe.
class QueryCache {
 public:
  explicit QueryCache(DataSource* source) : source_(source) {}
  const Result<std::vector<GroupStats>>& Calls(const WindowQuery& q);
  const Result<std::vector<GroupStats>>& Scores(const WindowQuery& q);
  size_t queries() const { return queries_; }  // DataSource calls made
  size_t hits() const { return hits_; }

 private:
  DataSource* source_;
  std::map<WindowQuery, Result<std::vector<GroupStats>>> calls_, scores_;
  size_t queries_ = 0, hits_ = 0;
};

struct Sample {
  Labels group;          // group_by dimension -> value (empty values kept)
  bool has_data = false;  // enough samples now (and in the baseline)
  bool active = false;    // the condition holds
  double value = 0, baseline = 0, threshold = 0;
  std::string summary;  // only when active: formatting every quiet group costs more than the maths
};

// The judged window ends at `end_ns` (now - lag).
struct EvalRange {
  uint64_t start_ns = 0, end_ns = 0;
};
EvalRange JudgedRange(const Rule& rule, uint64_t end_ns);

// One sample per group seen in the window or the baseline. An error
// (unknown dimension, store failure) marks the rule unhealthy.
Result<std::vector<Sample>> EvaluateRule(const Rule& rule, uint64_t end_ns, QueryCache& cache);

// "10m", "1h", "1d", "90s", "1h30m".
std::string FormatDuration(double seconds);

}  // namespace loupe::alerting
