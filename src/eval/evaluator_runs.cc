// On-demand runs (`loupe eval run`): a slice of stored calls enqueued for
// scoring now, remembered so that its progress can be asked for.
#include <charconv>
#include <cstdio>

#include "eval/evaluator.h"

namespace loupe::eval {
namespace {
constexpr size_t kMaxRuns = 32;
}  // namespace

Result<SliceRun> Evaluator::EnqueueSlice(const SliceRequest& req) {
  if (!(req.rate > 0 && req.rate <= 1)) return Status::InvalidArgument("rate: must be in (0, 1]");
  const std::string rubric = req.rubric.empty() ? config_.default_rubric : req.rubric;
  if (!config_.FindRubric(rubric)) return Status::InvalidArgument("rubric: unknown rubric \"" + rubric + "\"");
  const uint64_t now = Now();
  SliceRun run;
  run.created_ns = now;
  run.evaluator = JudgeEvaluatorName(rubric);
  if (req.force) {
    auto next = store_->GetValue("eval.run", "next");
    if (!next.ok()) return next.status();
    uint32_t n = 1;
    if (next->has_value()) std::from_chars((*next)->data(), (*next)->data() + (*next)->size(), n);
    LOUPE_RETURN_IF_ERROR(store_->PutValue("eval.run", "next", std::to_string(n + 1)));
    run.run = n;
  }
  char id[40];
  std::snprintf(id, sizeof id, "run-%llx", static_cast<unsigned long long>(now ^ (run.run * 0x9e3779b97f4a7c15ull)));
  run.id = id;
  store::TraceQuery q;
  q.start_ns = req.since_ns;
  q.end_ns = req.until_ns;
  q.feature = req.feature;
  q.limit = 200;
  for (;;) {
    auto page = store_->SearchTraces(q);
    if (!page.ok()) return page.status();
    for (const store::TraceSummary& ts : page->traces) {
      auto trace = store_->GetTrace(ts.trace_id);
      if (!trace.ok()) continue;
      for (const auto& node : trace->spans) {
        const model::SpanRecord& r = node.record;
        if (!Sampler::Evaluable(r)) continue;
        if (!req.feature.empty() && r.llm->feature != req.feature) continue;
        const uint64_t t = r.span.start_time_unix_nano;
        if ((req.since_ns && t < req.since_ns) || (req.until_ns && t >= req.until_ns)) continue;
        if (Sampler::HashUnit(config_.seed, r.span.trace_id, r.span.span_id, "cli") >= req.rate) continue;
        store::EvalTask task;
        task.trace_id = r.span.trace_id;
        task.span_id = r.span.span_id;
        task.evaluator = run.evaluator;
        task.run = run.run;
        task.due_ns = now;
        task.enqueued_ns = now;
        task.reason = "cli " + run.id;
        run.tasks.push_back(task);
        if (run.tasks.size() >= req.max_calls) break;
      }
      if (run.tasks.size() >= req.max_calls) break;
    }
    if (run.tasks.size() >= req.max_calls || page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  if (!run.tasks.empty()) {
    auto n = store_->EnqueueEvaluations(run.tasks);
    if (!n.ok()) return n.status();
    run.enqueued = *n;
    work_cv_.notify_all();
  }
  std::lock_guard lock(mu_);
  runs_[run.id] = run;
  run_order_.push_back(run.id);
  while (run_order_.size() > kMaxRuns) {
    runs_.erase(run_order_.front());
    run_order_.pop_front();
  }
  return run;
}

Result<SliceRun> Evaluator::FindRun(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = runs_.find(id);
  if (it == runs_.end()) return Status::NotFound("no evaluation run \"" + id + "\" (runs are kept in memory, the last 32)");
  return it->second;
}

}  // namespace loupe::eval
