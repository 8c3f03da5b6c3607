#include "eval/testing/memory_store.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace loupe::eval::testing {
namespace {

std::string AttrOf(const store::Score& s, store::Dimension d) {
  switch (d) {
    case store::Dimension::kTeam: return s.team;
    case store::Dimension::kFeature: return s.feature;
    case store::Dimension::kModel: return s.model;
    case store::Dimension::kProvider: return s.provider;
    case store::Dimension::kPromptVersion: return s.prompt_version;
    case store::Dimension::kService: return s.service;
    case store::Dimension::kEnvironment: return s.environment;
    case store::Dimension::kUser: return s.user;
    case store::Dimension::kSession: return s.session;
    default: return "";
  }
}

std::string CallAttr(const model::SpanRecord& r, store::Dimension d) {
  const model::LlmCall& c = *r.llm;
  std::string service;
  switch (d) {
    case store::Dimension::kTeam: return c.team;
    case store::Dimension::kFeature: return c.feature;
    case store::Dimension::kModel: return c.model();
    case store::Dimension::kProvider: return c.provider;
    case store::Dimension::kPromptVersion: return c.prompt_version;
    case store::Dimension::kService:
      if (r.span.resource) r.span.resource->attributes.GetText("service.name", &service);
      return service;
    case store::Dimension::kEnvironment: return c.environment;
    case store::Dimension::kStatus: return c.error_type.empty() ? "ok" : "error";
    case store::Dimension::kUser: return c.user;
    case store::Dimension::kSession: return c.session;
    default: return "";
  }
}

auto Identity(const store::Score& s) { return std::tie(s.trace_id, s.span_id, s.evaluator, s.dimension); }
auto TaskIdentity(const store::EvalTask& t) { return std::tie(t.trace_id, t.span_id, t.evaluator, t.run); }

}  // namespace

void MemoryStore::Add(std::vector<model::SpanRecord> records) {
  std::vector<const model::SpanRecord*> fresh;
  std::vector<model::SpanRecord> kept;
  {
    std::lock_guard lock(mu_);
    for (auto& r : records) {
      if (FindLocked(r.span.trace_id, r.span.span_id)) continue;
      traces_[r.span.trace_id].push_back(r);
      kept.push_back(std::move(r));
    }
  }
  for (const auto& r : kept) fresh.push_back(&r);
  if (listener_ && !fresh.empty()) listener_(fresh);
}

Status MemoryStore::Consume(std::span<model::Batch* const> batches) {
  for (model::Batch* b : batches) Add(b->spans);
  return Status::Ok();
}

const model::SpanRecord* MemoryStore::FindLocked(const model::TraceId& t, const model::SpanId& s) const {
  auto it = traces_.find(t);
  if (it == traces_.end()) return nullptr;
  for (const auto& r : it->second) {
    if (r.span.span_id == s) return &r;
  }
  return nullptr;
}

Result<store::Trace> MemoryStore::GetTrace(const model::TraceId& trace_id) {
  std::lock_guard lock(mu_);
  auto it = traces_.find(trace_id);
  if (it == traces_.end()) return Status::NotFound("trace not found");
  store::Trace t;
  t.trace_id = trace_id;
  for (const auto& r : it->second) t.spans.push_back({r, 0});
  return t;
}

Result<store::TracePage> MemoryStore::SearchTraces(const store::TraceQuery& q) {
  std::lock_guard lock(mu_);
  store::TracePage page;
  for (const auto& [id, spans] : traces_) {
    bool match = false;
    for (const auto& r : spans) {
      const uint64_t t = r.span.start_time_unix_nano;
      if (q.start_ns && t < q.start_ns) continue;
      if (q.end_ns && t >= q.end_ns) continue;
      if (!q.feature.empty() && (!r.llm || r.llm->feature != q.feature)) continue;
      match = true;
    }
    if (!match) continue;
    store::TraceSummary s;
    s.trace_id = id;
    s.spans = static_cast<int64_t>(spans.size());
    page.traces.push_back(s);
    if (page.traces.size() >= std::min<size_t>(q.limit, 1000)) break;
  }
  return page;
}

Result<std::vector<store::RollupRow>> MemoryStore::QueryRollups(const store::RollupQuery& q) {
  std::lock_guard lock(mu_);
  std::map<std::vector<std::string>, store::RollupRow> rows;
  for (const auto& [id, spans] : traces_) {
    for (const auto& r : spans) {
      if (!r.llm || !r.llm->counts_usage) continue;
      const uint64_t t = r.span.start_time_unix_nano;
      if ((q.start_ns && t < q.start_ns) || (q.end_ns && t >= q.end_ns)) continue;
      bool ok = true;
      for (const auto& [d, v] : q.where) ok &= CallAttr(r, d) == v;
      if (!ok) continue;
      std::vector<std::string> key;
      for (auto d : q.group_by) key.push_back(CallAttr(r, d));
      store::RollupRow& row = rows[key];
      row.key = key;
      ++row.requests;
      row.input_tokens += r.llm->tokens.input.value_or(0);
      row.output_tokens += r.llm->tokens.output.value_or(0);
      if (r.llm->cost.total_nanos) row.cost_nanos += *r.llm->cost.total_nanos;
      else ++row.unpriced_requests;
    }
  }
  std::vector<store::RollupRow> out;
  for (auto& [k, row] : rows) out.push_back(std::move(row));
  return out;
}

Status MemoryStore::PutScoresLocked(std::vector<store::Score> scores, bool new_version, size_t* stored) {
  for (auto& s : scores) {
    uint32_t latest = 0;
    for (const auto& e : scores_) {
      if (Identity(e) == Identity(s)) latest = std::max(latest, e.version);
    }
    if (latest > 0 && !new_version) continue;
    s.version = latest + 1;
    // Trace scores take the attribution of the trace's first LLM call.
    const model::SpanRecord* r = FindLocked(s.trace_id, s.span_id);
    if (model::IsZero(s.span_id)) {
      if (auto it = traces_.find(s.trace_id); it != traces_.end()) {
        for (const auto& rec : it->second) {
          if (rec.llm && !r) r = &rec;
        }
      }
    }
    if (r && r->llm) {
      if (s.feature.empty()) s.feature = r->llm->feature;
      if (s.team.empty()) s.team = r->llm->team;
      if (s.model.empty()) s.model = r->llm->model();
      if (s.provider.empty()) s.provider = r->llm->provider;
      if (s.prompt_version.empty()) s.prompt_version = r->llm->prompt_version;
      if (s.environment.empty()) s.environment = r->llm->environment;
      if (!s.call_start_ns) s.call_start_ns = r->span.start_time_unix_nano;
    }
    scores_.push_back(std::move(s));
    ++*stored;
  }
  return Status::Ok();
}

Result<size_t> MemoryStore::PutScores(std::vector<store::Score> scores, bool new_version) {
  std::lock_guard lock(mu_);
  size_t n = 0;
  LOUPE_RETURN_IF_ERROR(PutScoresLocked(std::move(scores), new_version, &n));
  return n;
}

Result<store::ScorePage> MemoryStore::QueryScores(const store::ScoreQuery& q) {
  std::lock_guard lock(mu_);
  store::ScorePage page;
  for (const auto& s : scores_) {
    if (q.trace_id && s.trace_id != *q.trace_id) continue;
    if (q.span_id && s.span_id != *q.span_id) continue;
    if (!q.evaluator.empty() && s.evaluator != q.evaluator) continue;
    if (!q.dimension.empty() && s.dimension != q.dimension) continue;
    if (q.source && s.source != *q.source) continue;
    if (!q.feature.empty() && s.feature != q.feature) continue;
    if (!q.prompt_version.empty() && s.prompt_version != q.prompt_version) continue;
    if (q.start_ns && s.call_start_ns < q.start_ns) continue;
    if (q.end_ns && s.call_start_ns >= q.end_ns) continue;
    if (q.latest_only) {
      bool newer = false;
      for (const auto& e : scores_) newer |= Identity(e) == Identity(s) && e.version > s.version;
      if (newer) continue;
    }
    page.scores.push_back(s);
    if (page.scores.size() >= std::min<size_t>(q.limit, 1000)) break;
  }
  return page;
}

Result<std::vector<store::ScoreAggregateRow>> MemoryStore::AggregateScores(const store::ScoreAggregateQuery& q) {
  std::lock_guard lock(mu_);
  std::map<std::tuple<std::vector<std::string>, std::string, std::string>, store::ScoreAggregateRow> rows;
  for (const auto& s : scores_) {
    bool newer = false;
    for (const auto& e : scores_) newer |= Identity(e) == Identity(s) && e.version > s.version;
    if (newer) continue;
    if ((q.start_ns && s.call_start_ns < q.start_ns) || (q.end_ns && s.call_start_ns >= q.end_ns)) continue;
    if (!q.evaluator.empty() && s.evaluator != q.evaluator) continue;
    if (!q.dimension.empty() && s.dimension != q.dimension) continue;
    if (q.source && s.source != *q.source) continue;
    bool ok = true;
    for (const auto& [d, v] : q.where) ok &= AttrOf(s, d) == v;
    if (!ok) continue;
    std::vector<std::string> key;
    for (auto d : q.group_by) key.push_back(AttrOf(s, d));
    auto& row = rows[{key, s.evaluator, s.dimension}];
    if (row.count == 0) {
      row.min = row.max = s.value;
    }
    row.key = key;
    row.evaluator = s.evaluator;
    row.dimension = s.dimension;
    ++row.count;
    row.sum += s.value;
    row.sum_squares += s.value * s.value;
    row.min = std::min(row.min, s.value);
    row.max = std::max(row.max, s.value);
  }
  std::vector<store::ScoreAggregateRow> out;
  for (auto& [k, row] : rows) out.push_back(std::move(row));
  return out;
}

Result<size_t> MemoryStore::EnqueueEvaluations(std::vector<store::EvalTask> tasks) {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (auto& t : tasks) {
    bool exists = false;
    for (const auto& e : tasks_) exists |= TaskIdentity(e) == TaskIdentity(t);
    if (exists) continue;
    t.id = tasks_.size() + 1;
    t.state = store::EvalState::kPending;
    tasks_.push_back(std::move(t));
    ++n;
  }
  return n;
}

Result<std::vector<store::EvalTask>> MemoryStore::DueEvaluations(uint64_t now_ns, size_t limit,
                                                                  const std::vector<uint64_t>& exclude) {
  std::lock_guard lock(mu_);
  std::vector<store::EvalTask> due;
  for (const auto& t : tasks_) {
    if (t.state != store::EvalState::kPending || t.due_ns > now_ns) continue;
    if (std::find(exclude.begin(), exclude.end(), t.id) != exclude.end()) continue;
    due.push_back(t);
  }
  std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.due_ns < b.due_ns; });
  if (due.size() > limit) due.resize(limit);
  return due;
}

Status MemoryStore::FinishEvaluation(const store::EvalTask& task, std::vector<store::Score> scores) {
  std::lock_guard lock(mu_);
  for (auto& t : tasks_) {
    if (t.id != task.id) continue;
    if (t.state != store::EvalState::kPending) {
      ++finish_rejections_;
      return Status::FailedPrecondition("evaluation " + std::to_string(task.id) + " is no longer pending");
    }
    t.state = task.state;
    t.error = task.error;
    t.raw_answer = task.raw_answer;
    t.attempts = task.attempts;
    t.finished_ns = task.finished_ns;
    size_t n = 0;
    return PutScoresLocked(std::move(scores), task.run > 0, &n);
  }
  return Status::NotFound("no evaluation " + std::to_string(task.id));
}

Status MemoryStore::DeferEvaluation(const store::EvalTask& task) {
  std::lock_guard lock(mu_);
  for (auto& t : tasks_) {
    if (t.id != task.id) continue;
    if (t.state != store::EvalState::kPending) return Status::FailedPrecondition("not pending");
    t.due_ns = task.due_ns;
    t.attempts = task.attempts;
    t.error = task.error;
    return Status::Ok();
  }
  return Status::NotFound("no evaluation " + std::to_string(task.id));
}

Result<std::vector<store::EvalTask>> MemoryStore::QueryEvaluations(const store::EvalTaskQuery& q) {
  std::lock_guard lock(mu_);
  std::vector<store::EvalTask> out;
  for (auto it = tasks_.rbegin(); it != tasks_.rend(); ++it) {
    if (q.state && it->state != *q.state) continue;
    if (!q.evaluator.empty() && it->evaluator != q.evaluator) continue;
    if (q.trace_id && it->trace_id != *q.trace_id) continue;
    if (it->enqueued_ns < q.since_ns) continue;
    out.push_back(*it);
    if (out.size() >= std::min<size_t>(q.limit, 1000)) break;
  }
  return out;
}

Result<store::EvalQueueStats> MemoryStore::EvaluationStats() {
  std::lock_guard lock(mu_);
  store::EvalQueueStats s;
  for (const auto& t : tasks_) {
    switch (t.state) {
      case store::EvalState::kPending:
        ++s.pending;
        if (!s.oldest_pending_due_ns || t.due_ns < s.oldest_pending_due_ns) s.oldest_pending_due_ns = t.due_ns;
        break;
      case store::EvalState::kDone: ++s.done; break;
      case store::EvalState::kFailed: ++s.failed; break;
      case store::EvalState::kSkipped: ++s.skipped; break;
    }
  }
  return s;
}

Result<std::optional<std::string>> MemoryStore::GetValue(const std::string& ns, const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = values_.find({ns, key});
  if (it == values_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status MemoryStore::PutValue(const std::string& ns, const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  values_[{ns, key}] = value;
  return Status::Ok();
}

Status MemoryStore::DeleteValue(const std::string& ns, const std::string& key) {
  std::lock_guard lock(mu_);
  values_.erase({ns, key});
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, std::string>>> MemoryStore::ListValues(const std::string& ns) {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : values_) {
    if (k.first == ns) out.emplace_back(k.second, v);
  }
  return out;
}

std::vector<store::Score> MemoryStore::AllScores() {
  std::lock_guard lock(mu_);
  return scores_;
}

std::vector<store::EvalTask> MemoryStore::AllTasks() {
  std::lock_guard lock(mu_);
  return tasks_;
}

size_t MemoryStore::finish_rejections() const {
  std::lock_guard lock(mu_);
  return finish_rejections_;
}

}  // namespace loupe::eval::testing
