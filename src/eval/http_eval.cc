// The queue, status and on-demand run endpoints.
#include <map>

#include "api/params.h"
#include "eval/http_internal.h"

namespace loupe::eval::http {
namespace {

json QueueJson(const store::EvalQueueStats& q) {
  return {{"pending", q.pending}, {"done", q.done}, {"failed", q.failed}, {"skipped", q.skipped},
          {"oldest_pending_due", Rfc3339(q.oldest_pending_due_ns)}};
}

ingest::HttpResponse Disabled() {
  return Error(503, "", "", "evaluation is not enabled (evaluation.enabled: true in loupe.yaml)");
}

}  // namespace

ingest::HttpResponse HandleEvaluations(const Context& c, const ingest::HttpRequest& req) {
  store::EvalTaskQuery q;
  std::string state, trace;
  api::ParamTable t(c.clock->NowUnixNanos());
  t.OneOf("state", {"pending", "done", "failed", "skipped"}, &state)
      .String("evaluator", &q.evaluator)
      .String("trace_id", &trace)
      .Time("since", &q.since_ns)
      .Count("limit", &q.limit, 1, 1000);
  if (auto e = t.Apply(req.query)) return Error(400, "parameter", e->parameter, e->message);
  if (!state.empty()) {
    for (auto s : {store::EvalState::kPending, store::EvalState::kDone, store::EvalState::kFailed, store::EvalState::kSkipped}) {
      if (store::EvalStateName(s) == state) q.state = s;
    }
  }
  if (!trace.empty()) {
    model::TraceId id;
    if (!model::ParseHex(trace, &id)) return Error(400, "parameter", "trace_id", "trace_id: want 32 hex digits");
    q.trace_id = id;
  }
  auto tasks = c.store->QueryEvaluations(q);
  if (!tasks.ok()) return StoreError(tasks.status());
  auto stats = c.store->EvaluationStats();
  if (!stats.ok()) return StoreError(stats.status());
  json list = json::array();
  for (const auto& task : *tasks) list.push_back(TaskJson(task));
  return Json(200, {{"queue", QueueJson(*stats)}, {"evaluations", list}});
}

ingest::HttpResponse HandleStatus(const Context& c, const ingest::HttpRequest& req) {
  if (auto e = api::ParamTable(0).Apply(req.query)) return Error(400, "parameter", e->parameter, e->message);
  if (!c.evaluator) {
    json out = {{"enabled", false}};
    if (auto stats = c.store->EvaluationStats(); stats.ok()) out["queue"] = QueueJson(*stats);
    return Json(200, out);
  }
  EvalStatus s = c.evaluator->GetStatus();
  return Json(200, {{"enabled", s.enabled},
                    {"started", s.started},
                    {"paused", s.budget_paused},
                    {"paused_reason", s.budget_paused ? "daily judge budget spent" : ""},
                    {"resumes_at", Rfc3339(s.resumes_at_ns)},
                    {"budget", {{"day", s.budget_day},
                                {"daily_usd", static_cast<double>(s.budget_nanos) / 1e9},
                                {"spent_today_usd", static_cast<double>(s.spent_today_nanos) / 1e9},
                                {"remaining_usd", static_cast<double>(std::max<int64_t>(0, s.budget_nanos - s.spent_today_nanos)) / 1e9}}},
                    {"queue", QueueJson(s.queue)},
                    {"intake_buffered", s.intake_buffered},
                    {"skipped", {{"backlog", s.skipped_backlog}, {"budget", s.skipped_budget}}},
                    {"workers", {{"busy", s.running}, {"concurrency", s.concurrency}}},
                    {"judge", {{"provider", s.judge_provider}, {"model", s.judge_model}, {"base_url", s.judge_base_url}}},
                    {"canary", {{"ran", s.canary.ran}, {"passed", s.canary.passed}, {"detail", s.canary.detail}}},
                    {"last_error", s.last_error}});
}

ingest::HttpResponse HandlePostRun(const Context& c, const ingest::HttpRequest& req) {
  if (!c.evaluator) return Disabled();
  json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return Error(400, "field", "", "the body must be a JSON object");
  const uint64_t now = c.clock->NowUnixNanos();
  SliceRequest r;
  r.since_ns = now - 3600ull * 1'000'000'000ull;
  for (const auto& [k, v] : body.items()) {
    if (k == "since" || k == "until") {
      if (!v.is_string()) return Error(400, "field", k, k + ": want a time such as \"1h\" or RFC 3339");
      auto t = api::ParseTime(v.get<std::string>(), now);
      if (!t.ok()) return Error(400, "field", k, k + ": " + t.status().message());
      (k == "since" ? r.since_ns : r.until_ns) = *t;
    } else if (k == "feature" || k == "rubric") {
      if (!v.is_string()) return Error(400, "field", k, k + ": must be a string");
      (k == "feature" ? r.feature : r.rubric) = v.get<std::string>();
    } else if (k == "rate") {
      if (!v.is_number() || !(v.get<double>() > 0 && v.get<double>() <= 1)) {
        return Error(400, "field", k, "rate: must be a number in (0, 1]");
      }
      r.rate = v.get<double>();
    } else if (k == "force") {
      if (!v.is_boolean()) return Error(400, "field", k, "force: must be true or false");
      r.force = v.get<bool>();
    } else if (k == "max_calls") {
      if (!v.is_number_unsigned() || v.get<uint64_t>() == 0 || v.get<uint64_t>() > 10'000) {
        return Error(400, "field", k, "max_calls: must be an integer in [1, 10000]");
      }
      r.max_calls = v.get<size_t>();
    } else {
      return Error(400, "field", k, k + ": unknown field (known: since, until, feature, rate, rubric, force, max_calls)");
    }
  }
  auto run = c.evaluator->EnqueueSlice(r);
  if (!run.ok()) {
    if (run.status().code() == Status::Code::kInvalidArgument) {
      const std::string& m = run.status().message();
      return Error(400, "field", m.substr(0, m.find(':')), m);
    }
    return StoreError(run.status());
  }
  return Json(202, {{"id", run->id},
                    {"evaluator", run->evaluator},
                    {"run", run->run},
                    {"calls", run->tasks.size()},
                    {"enqueued", run->enqueued}});
}

ingest::HttpResponse HandleGetRun(const Context& c, const ingest::HttpRequest& req) {
  if (!c.evaluator) return Disabled();
  std::string id;
  api::ParamTable t(c.clock->NowUnixNanos());
  t.String("id", &id);
  if (auto e = t.Apply(req.query)) return Error(400, "parameter", e->parameter, e->message);
  if (id.empty()) return Error(400, "parameter", "id", "id: required (the id POST /api/v1/evaluations/run returned)");
  auto run = c.evaluator->FindRun(id);
  if (!run.ok()) return StoreError(run.status());
  size_t pending = 0, done = 0, failed = 0, skipped = 0;
  struct Agg {
    int64_t n = 0;
    double sum = 0, min = 0, max = 0;
  };
  std::map<std::string, Agg> dims;
  json failures = json::array();
  for (const store::EvalTask& want : run->tasks) {
    store::EvalTaskQuery q;
    q.trace_id = want.trace_id;
    q.evaluator = want.evaluator;
    q.limit = 1000;
    auto tasks = c.store->QueryEvaluations(q);
    if (!tasks.ok()) return StoreError(tasks.status());
    const store::EvalTask* found = nullptr;
    for (const auto& task : *tasks) {
      if (task.span_id == want.span_id && task.run == want.run) found = &task;
    }
    if (!found || found->state == store::EvalState::kPending) {
      ++pending;
      continue;
    }
    if (found->state == store::EvalState::kFailed) {
      ++failed;
      if (failures.size() < 20) {
        failures.push_back({{"trace_id", model::ToHex(want.trace_id)}, {"span_id", model::ToHex(want.span_id)},
                            {"error", found->error}});
      }
      continue;
    }
    if (found->state == store::EvalState::kSkipped) {
      ++skipped;
      continue;
    }
    ++done;
    store::ScoreQuery sq;
    sq.trace_id = want.trace_id;
    sq.span_id = want.span_id;
    sq.evaluator = want.evaluator;
    auto scores = c.store->QueryScores(sq);
    if (!scores.ok()) return StoreError(scores.status());
    for (const auto& s : scores->scores) {
      Agg& a = dims[s.dimension];
      a.min = a.n ? std::min(a.min, s.value) : s.value;
      a.max = a.n ? std::max(a.max, s.value) : s.value;
      ++a.n;
      a.sum += s.value;
    }
  }
  json dj = json::object();
  for (const auto& [name, a] : dims) {
    dj[name] = {{"count", a.n}, {"mean", a.sum / static_cast<double>(a.n)}, {"min", a.min}, {"max", a.max}};
  }
  return Json(200, {{"id", run->id},
                    {"evaluator", run->evaluator},
                    {"calls", run->tasks.size()},
                    {"pending", pending},
                    {"done", done},
                    {"failed", failed},
                    {"skipped", skipped},
                    {"complete", pending == 0},
                    {"dimensions", dj},
                    {"failures", failures}});
}

}  // namespace loupe::eval::http
