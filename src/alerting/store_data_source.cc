// StoreDataSource: the alerting engine's view of store::Store.
#include <algorithm>
#include <map>

#include "alerting/data_source.h"
#include "store/store.h"

namespace loupe::alerting {
namespace {

std::string Hex(const model::TraceId& id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : id) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

Status ToDimensions(const WindowQuery& q, std::vector<store::Dimension>* group_by,
                    std::vector<std::pair<store::Dimension, std::string>>* where) {
  for (const auto& name : q.group_by) {
    store::Dimension d;
    if (!store::ParseDimension(name, &d)) {
      return Status::InvalidArgument("group_by " + name + ": the store has no rollups by this dimension");
    }
    group_by->push_back(d);
  }
  for (const auto& [name, value] : q.where) {
    store::Dimension d;
    if (!store::ParseDimension(name, &d)) {
      return Status::InvalidArgument("filters." + name + ": the store cannot filter rollups by this dimension");
    }
    where->emplace_back(d, value);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<GroupStats>> StoreDataSource::Calls(const WindowQuery& q) {
  store::RollupQuery rq;
  rq.start_ns = q.start_ns;
  rq.end_ns = q.end_ns;
  LOUPE_RETURN_IF_ERROR(ToDimensions(q, &rq.group_by, &rq.where));
  auto rows = store_->QueryRollups(rq);
  if (!rows.ok()) return rows.status();
  std::vector<GroupStats> out;
  out.reserve(rows->size());
  for (auto& row : *rows) {
    GroupStats g;
    g.key = std::move(row.key);
    g.requests = row.requests;
    g.errors = row.errors;
    g.cost_nanos = row.cost_nanos;
    g.unpriced_requests = row.unpriced_requests;
    g.latency = row.latency;
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<GroupStats>> StoreDataSource::Scores(const WindowQuery& q) {
  store::ScoreAggregateQuery sq;
  sq.start_ns = q.start_ns;
  sq.end_ns = q.end_ns;
  sq.evaluator = q.evaluator;
  sq.dimension = q.dimension;
  LOUPE_RETURN_IF_ERROR(ToDimensions(q, &sq.group_by, &sq.where));
  auto rows = store_->AggregateScores(sq);
  if (!rows.ok()) return rows.status();
  // One row per (group, evaluator, dimension): pool them per group.
  std::map<std::vector<std::string>, GroupStats> pooled;
  for (const auto& row : *rows) {
    GroupStats& g = pooled[row.key];
    g.key = row.key;
    g.score_count += row.count;
    g.score_sum += row.sum;
  }
  std::vector<GroupStats> out;
  for (auto& [k, g] : pooled) out.push_back(std::move(g));
  return out;
}

Result<Examples> StoreDataSource::FindExamples(const ExampleQuery& q) {
  store::TraceQuery tq;
  tq.start_ns = q.start_ns;
  tq.end_ns = q.end_ns;
  tq.limit = 200;  // a recent sample is enough to point somewhere useful
  for (const auto& [k, v] : q.where) {
    if (k == "team") tq.team = v;
    else if (k == "feature") tq.feature = v;
    else if (k == "model") tq.model = v;
    else if (k == "service") tq.service = v;
    else if (k == "user") tq.user = v;
  }
  Examples ex;
  auto page = store_->SearchTraces(tq);
  if (!page.ok()) return page.status();
  const store::TraceSummary* slowest = nullptr;
  const store::TraceSummary* costliest = nullptr;
  for (const auto& t : page->traces) {
    if (!slowest || t.end_ns - t.start_ns > slowest->end_ns - slowest->start_ns) slowest = &t;
    if (t.cost_nanos > 0 && (!costliest || t.cost_nanos > costliest->cost_nanos)) costliest = &t;
  }
  if (slowest) ex.slowest = Hex(slowest->trace_id);
  if (costliest) ex.most_expensive = Hex(costliest->trace_id);
  store::ScoreQuery sq;
  sq.start_ns = q.start_ns;
  sq.end_ns = q.end_ns;
  sq.limit = 200;
  for (const auto& [k, v] : q.where) {
    if (k == "team") sq.team = v;
    else if (k == "feature") sq.feature = v;
    else if (k == "model") sq.model = v;
    else if (k == "service") sq.service = v;
    else if (k == "prompt_version") sq.prompt_version = v;
    else if (k == "environment") sq.environment = v;
    else if (k == "user") sq.user = v;
  }
  auto scores = store_->QueryScores(sq);
  if (scores.ok() && !scores->scores.empty()) {
    auto lowest = std::min_element(scores->scores.begin(), scores->scores.end(),
                                   [](const auto& a, const auto& b) { return a.value < b.value; });
    ex.lowest_scored = Hex(lowest->trace_id);
  }
  return ex;
}

}  // namespace loupe::alerting
