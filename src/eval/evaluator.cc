#include "eval/evaluator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "pricing/pricer.h"

namespace loupe::eval {
namespace {

constexpr uint64_t kSecond = 1'000'000'000ull;

uint64_t Seconds(double s) { return static_cast<uint64_t>(std::max(0.0, s) * 1e9); }

const model::SpanRecord* FindSpan(const store::Trace& trace, const model::SpanId& id) {
  for (const auto& n : trace.spans) {
    if (n.record.span.span_id == id) return &n.record;
  }
  return nullptr;
}

// A score with the call's attribution copied in, so aggregates need no join.
store::Score ScoreFor(const store::EvalTask& task, const model::SpanRecord& call, uint64_t now) {
  store::Score s;
  s.trace_id = task.trace_id;
  s.span_id = task.span_id;
  s.created_ns = now;
  s.call_start_ns = call.span.start_time_unix_nano;
  if (call.span.resource) call.span.resource->attributes.GetText("service.name", &s.service);
  if (call.llm) {
    const model::LlmCall& c = *call.llm;
    s.environment = c.environment;
    s.team = c.team;
    s.feature = c.feature;
    s.model = c.model();
    s.provider = c.provider;
    s.prompt_version = c.prompt_version;
    s.user = c.user;
    s.session = c.session;
  }
  return s;
}

}  // namespace

std::string JudgeEvaluatorName(const std::string& rubric) { return "judge/" + rubric; }

Result<std::unique_ptr<Evaluator>> Evaluator::Create(EvalConfig config, Deps deps) {
  if (!deps.store) return Status::InvalidArgument("evaluation: a store is required");
  LOUPE_RETURN_IF_ERROR(config.Validate());
  auto builtins = BuiltinEvaluators::Create(config.builtins);
  if (!builtins.ok()) return builtins.status();
  if (!deps.clock) deps.clock = &SystemClock::Get();
  if (!deps.transport) deps.transport = NewCurlTransport();
  return std::unique_ptr<Evaluator>(new Evaluator(std::move(config), std::move(deps), std::move(*builtins)));
}

Evaluator::Evaluator(EvalConfig config, Deps deps, std::shared_ptr<const BuiltinEvaluators> builtins)
    : config_(std::move(config)),
      store_(deps.store),
      clock_(deps.clock),
      builtins_(std::move(builtins)),
      metrics_(deps.registry),
      limiter_(config_.limits.requests_per_minute, config_.limits.tokens_per_minute),
      budget_(config_.daily_budget_usd, deps.store, deps.clock),
      sampler_(config_) {
  std::shared_ptr<JudgeClient> client = NewJudgeClient(config_.judge, deps.transport);
  judge_ = std::make_unique<Judge>(
      config_.judge, client, &limiter_, deps.pricer, clock_,
      [this](const JudgeExchange& ex, std::optional<int64_t> cost) {
        metrics_.JudgeCall(ex.http_status, ex.input_tokens, ex.output_tokens, judge_->client().model(), cost);
        if (cost) {
          Status s = budget_.Add(*cost);
          if (!s.ok()) NoteError("recording judge spend: " + s.message());
        }
      });
}

Evaluator::~Evaluator() { Shutdown(); }

Status Evaluator::Start() {
  if (started_.load()) return Status::Ok();
  auto seen = store_->ListValues(kFirstSeenNamespace);
  if (!seen.ok()) return seen.status().WithContext("evaluation: reading first-seen prompt versions");
  sampler_.LoadFirstSeen(*seen);
  LOUPE_RETURN_IF_ERROR(budget_.Load().WithContext("evaluation"));
  auto stats = store_->EvaluationStats();
  if (!stats.ok()) return stats.status().WithContext("evaluation: reading the queue");
  pending_cached_ = stats->pending;
  stopping_ = false;
  started_ = true;
  metrics_.SetCanary(-1);
  intake_thread_ = std::thread([this] { IntakeLoop(); });
  for (int i = 0; i < config_.limits.concurrency; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  if (config_.judge.canary && config_.daily_budget_usd > 0) {
    canary_thread_ = std::thread([this] {
      CanaryResult r = RunCanary(*judge_, &stopping_);
      if (r.ran && !r.passed) {
        spdlog::warn("evaluation: the judge {} follows instructions inside the content it scores ({}); its scores "
                     "can be steered by application output", config_.judge.model, r.detail);
      }
      metrics_.SetCanary(r.ran ? (r.passed ? 1 : 0) : -1);
      std::lock_guard lock(mu_);
      canary_ = std::move(r);
      canary_done_ = true;
    });
  }
  spdlog::info("evaluation: started with judge {} ({}), {} workers, daily budget ${:.4g}", config_.judge.model,
               config_.judge.provider, config_.limits.concurrency, config_.daily_budget_usd);
  return Status::Ok();
}

void Evaluator::Shutdown() {
  if (!started_.exchange(false)) return;
  stopping_ = true;
  intake_cv_.notify_all();
  work_cv_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
  if (canary_thread_.joinable()) canary_thread_.join();
  if (intake_thread_.joinable()) intake_thread_.join();
  FlushIntake();  // what was sampled before the stop is not lost
}

void Evaluator::OnNewSpans(std::span<const model::SpanRecord* const> spans) {
  // Accepted before Start too: the store's indexer may report spans it
  // catches up with before the evaluator has started; Start flushes them.
  if (!config_.enabled || stopping_.load()) return;
  const uint64_t now = Now();
  std::vector<store::EvalTask> fresh;
  for (const model::SpanRecord* r : spans) {
    if (!r || !r->llm) continue;
    SampleDecision d = sampler_.Decide(*r);
    store::EvalTask t;
    t.trace_id = r->span.trace_id;
    t.span_id = r->span.span_id;
    t.enqueued_ns = now;
    if (d.builtins) {
      t.evaluator = kBuiltinEvaluator;
      t.due_ns = now;
      t.reason = "builtin";
      fresh.push_back(t);
    }
    if (d.judge) {
      t.evaluator = JudgeEvaluatorName(d.rubric);
      // The delay counts from when Loupe has the call, not from the
      // client's clock, so that a skewed or late span still waits for
      // the rest of its trace.
      t.due_ns = std::max(r->span.end_time_unix_nano, now) + Seconds(config_.delay_seconds);
      t.reason = d.reason;
      fresh.push_back(t);
    }
  }
  if (fresh.empty()) return;
  uint64_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    for (auto& t : fresh) {
      if (intake_.size() >= config_.max_backlog) {
        ++dropped;
        continue;
      }
      intake_.push_back(std::move(t));
    }
  }
  if (dropped) {
    skipped_backlog_ += dropped;
    metrics_.CountEval("skipped_backlog", "any", dropped);
  }
  intake_cv_.notify_one();
}

void Evaluator::FlushIntake() {
  std::deque<store::EvalTask> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(intake_);
  }
  if (batch.empty()) return;
  std::vector<store::EvalTask> tasks;
  const bool paused = budget_.Exhausted();
  uint64_t backlog = pending_cached_.load();
  for (auto& t : batch) {
    const bool judge = t.evaluator != kBuiltinEvaluator;
    if (judge && paused) {
      ++skipped_budget_;
      metrics_.CountEval("skipped_budget", t.evaluator);
      continue;
    }
    if (backlog >= config_.max_backlog) {
      ++skipped_backlog_;
      metrics_.CountEval("skipped_backlog", t.evaluator);
      continue;
    }
    ++backlog;
    tasks.push_back(std::move(t));
  }
  if (tasks.empty()) return;
  auto n = store_->EnqueueEvaluations(tasks);
  if (!n.ok()) {
    NoteError("enqueueing evaluations: " + n.status().message());
    // Keep them for the next round, within the bound.
    std::lock_guard lock(mu_);
    for (auto& t : tasks) {
      if (intake_.size() < config_.max_backlog) intake_.push_back(std::move(t));
    }
    return;
  }
  pending_cached_ += *n;
  work_cv_.notify_all();
}

void Evaluator::IntakeLoop() {
  auto last_refresh = std::chrono::steady_clock::time_point();
  while (!stopping_.load()) {
    {
      std::unique_lock lock(mu_);
      intake_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_.load() || !intake_.empty(); });
    }
    FlushIntake();
    for (const auto& [key, value] : sampler_.TakeDirtyFirstSeen()) {
      Status s = store_->PutValue(kFirstSeenNamespace, key, value);
      if (!s.ok()) NoteError("saving first-seen prompt version: " + s.message());
    }
    // The queue count is a store query: once a second is plenty.
    if (std::chrono::steady_clock::now() - last_refresh >= std::chrono::seconds(1)) {
      RefreshGauges();
      last_refresh = std::chrono::steady_clock::now();
    }
  }
  for (const auto& [key, value] : sampler_.TakeDirtyFirstSeen()) store_->PutValue(kFirstSeenNamespace, key, value);
}

void Evaluator::RefreshGauges() {
  auto stats = store_->EvaluationStats();
  size_t intake;
  {
    std::lock_guard lock(mu_);
    intake = intake_.size();
  }
  if (stats.ok()) {
    pending_cached_ = stats->pending;
    metrics_.SetQueue(stats->pending, stats->failed, intake);
  }
  metrics_.SetBudget(budget_.Exhausted(), budget_.SpentTodayNanos(), budget_.limit_nanos());
}

bool Evaluator::FetchTask(store::EvalTask* task) {
  std::lock_guard fetch(fetch_mu_);
  std::vector<uint64_t> exclude;
  {
    std::lock_guard lock(mu_);
    exclude.assign(running_.begin(), running_.end());
  }
  auto due = store_->DueEvaluations(Now(), 1, exclude);
  if (!due.ok()) {
    NoteError("reading due evaluations: " + due.status().message());
    return false;
  }
  if (due->empty()) return false;
  *task = std::move(due->front());
  std::lock_guard lock(mu_);
  running_.insert(task->id);
  metrics_.SetRunning(static_cast<int>(running_.size()));
  return true;
}

void Evaluator::WorkerLoop() {
  while (!stopping_.load()) {
    store::EvalTask task;
    if (!FetchTask(&task)) {
      std::unique_lock lock(mu_);
      work_cv_.wait_for(lock, std::chrono::duration<double>(config_.poll_seconds), [this] { return stopping_.load(); });
      continue;
    }
    const uint64_t id = task.id;
    RunTask(std::move(task));
    std::lock_guard lock(mu_);
    running_.erase(id);
    metrics_.SetRunning(static_cast<int>(running_.size()));
  }
}

void Evaluator::RunTask(store::EvalTask task) {
  auto trace = store_->GetTrace(task.trace_id);
  const model::SpanRecord* call = trace.ok() ? FindSpan(*trace, task.span_id) : nullptr;
  if (!call || !call->llm) {
    if (!trace.ok() && trace.status().code() != Status::Code::kNotFound) {
      return Defer(std::move(task), Now() + 10 * kSecond, true, "reading the trace: " + trace.status().message());
    }
    // Not indexed yet, or gone (retention): wait a little, then give up.
    if (static_cast<int>(task.attempts) + 1 < config_.max_attempts) {
      return Defer(std::move(task), Now() + Seconds(std::max(1.0, config_.delay_seconds)), true,
                   "the call is not in the store (yet)");
    }
    return Finish(std::move(task), store::EvalState::kFailed, {}, "the call is not in the store", "");
  }
  if (task.evaluator == kBuiltinEvaluator) return RunBuiltins(std::move(task), *call);
  RunJudge(std::move(task), *call, *trace);
}

void Evaluator::RunBuiltins(store::EvalTask task, const model::SpanRecord& call) {
  std::vector<store::Score> scores;
  const uint64_t now = Now();
  for (const BuiltinResult& r : builtins_->Run(call)) {
    store::Score s = ScoreFor(task, call, now);
    s.evaluator = r.evaluator;
    s.dimension = r.evaluator;
    s.value = r.value;
    s.label = r.label;
    s.reasoning = r.reasoning;
    s.author = "builtin";
    s.source = store::ScoreSource::kBuiltin;
    metrics_.ObserveScore(call, r.evaluator, r.evaluator, r.value);
    scores.push_back(std::move(s));
  }
  Finish(std::move(task), store::EvalState::kDone, std::move(scores), "", "");
}

void Evaluator::RunJudge(store::EvalTask task, const model::SpanRecord& call, const store::Trace& trace) {
  if (budget_.Exhausted()) {
    const uint64_t resume = budget_.NextDayStartNs();
    {
      std::lock_guard lock(mu_);
      if (!paused_logged_) {
        spdlog::warn("evaluation: today's judge budget (${:.4g}) is spent; judge scoring is paused until {} UTC",
                     config_.daily_budget_usd, Budget::DayKey(resume));
        paused_logged_ = true;
      }
    }
    metrics_.SetBudget(true, budget_.SpentTodayNanos(), budget_.limit_nanos());
    metrics_.CountEval("deferred_budget", task.evaluator);
    return Defer(std::move(task), resume, false, "daily judge budget spent; resumes at the next UTC day");
  }
  {
    std::lock_guard lock(mu_);
    paused_logged_ = false;
  }
  const std::string rubric_name = task.evaluator.substr(task.evaluator.find('/') + 1);
  const Rubric* rubric = config_.FindRubric(rubric_name);
  if (!rubric) {
    return Finish(std::move(task), store::EvalState::kFailed, {}, "unknown rubric \"" + rubric_name + "\"", "");
  }
  CallContent content = ExtractContent(call, &trace);
  if (content.response.empty() && content.query.empty() && content.input.empty()) {
    return Finish(std::move(task), store::EvalState::kSkipped, {}, "the call carries no content to judge", "");
  }
  JudgePrompt prompt = BuildPrompt(*rubric, call, content, NewNonce());
  JudgeOutcome out = judge_->Evaluate(prompt, *rubric, &stopping_);
  switch (out.kind) {
    case JudgeOutcome::Kind::kScored: {
      std::vector<store::Score> scores;
      const uint64_t now = Now();
      for (const auto& [dim, value] : out.scores.values) {
        store::Score s = ScoreFor(task, call, now);
        s.evaluator = task.evaluator;
        s.dimension = dim;
        s.value = value;
        s.reasoning = out.scores.reasoning;
        s.author = rubric->name;
        s.source = store::ScoreSource::kJudge;
        s.judge_model = out.model;
        s.judge_cost_nanos = out.cost_nanos;
        s.label = out.repaired ? "repaired" : "";
        metrics_.ObserveScore(call, task.evaluator, dim, value);
        scores.push_back(std::move(s));
      }
      return Finish(std::move(task), store::EvalState::kDone, std::move(scores), "", "");
    }
    case JudgeOutcome::Kind::kInvalidAnswer:
    case JudgeOutcome::Kind::kFailed:
      NoteError("judge: " + out.error);
      return Finish(std::move(task), store::EvalState::kFailed, {}, out.error, out.raw_answer);
    case JudgeOutcome::Kind::kRetryLater: {
      if (stopping_.load()) return Defer(std::move(task), Now(), false, "interrupted by shutdown");
      NoteError("judge: " + out.error);
      if (static_cast<int>(task.attempts) + 1 >= config_.max_attempts) {
        return Finish(std::move(task), store::EvalState::kFailed, {},
                      "gave up after " + std::to_string(config_.max_attempts) + " attempts: " + out.error, "");
      }
      double wait = out.retry_after_seconds >= 0
                        ? out.retry_after_seconds
                        : config_.judge.backoff_max_seconds * std::pow(2.0, std::min<uint32_t>(task.attempts, 6));
      metrics_.CountEval("deferred", task.evaluator);
      return Defer(std::move(task), Now() + Seconds(wait), true, out.error);
    }
  }
}

void Evaluator::Finish(store::EvalTask task, store::EvalState state, std::vector<store::Score> scores,
                       const std::string& error, const std::string& raw) {
  task.state = state;
  task.error = error;
  task.raw_answer = raw;
  task.attempts += 1;
  task.finished_ns = Now();
  Status s = store_->FinishEvaluation(task, std::move(scores));
  if (!s.ok()) {
    // FailedPrecondition: someone else finished it (never scored twice).
    if (s.code() != Status::Code::kFailedPrecondition) NoteError("finishing an evaluation: " + s.message());
    return;
  }
  const char* result = state == store::EvalState::kDone      ? "scored"
                       : state == store::EvalState::kSkipped ? "skipped"
                                                             : "failed";
  metrics_.CountEval(result, task.evaluator);
}

void Evaluator::Defer(store::EvalTask task, uint64_t due_ns, bool count_attempt, const std::string& error) {
  task.due_ns = due_ns;
  if (count_attempt) task.attempts += 1;
  task.error = error;
  Status s = store_->DeferEvaluation(task);
  if (!s.ok() && s.code() != Status::Code::kFailedPrecondition) NoteError("deferring an evaluation: " + s.message());
}

void Evaluator::NoteError(const std::string& error) {
  std::lock_guard lock(mu_);
  if (error != last_error_) spdlog::warn("evaluation: {}", error);
  last_error_ = error;
}

EvalStatus Evaluator::GetStatus() {
  EvalStatus st;
  st.enabled = config_.enabled;
  st.started = started_.load();
  st.budget_paused = budget_.Exhausted();
  st.budget_day = Budget::DayKey(Now());
  st.spent_today_nanos = budget_.SpentTodayNanos();
  st.budget_nanos = budget_.limit_nanos();
  if (st.budget_paused) st.resumes_at_ns = budget_.NextDayStartNs();
  auto q = store_->EvaluationStats();
  if (q.ok()) st.queue = *q;
  st.skipped_backlog = skipped_backlog_.load();
  st.skipped_budget = skipped_budget_.load();
  st.concurrency = config_.limits.concurrency;
  st.judge_provider = config_.judge.provider;
  st.judge_model = config_.judge.model;
  st.judge_base_url = config_.judge.base_url;
  std::lock_guard lock(mu_);
  st.intake_buffered = intake_.size();
  st.running = static_cast<int>(running_.size());
  st.canary = canary_;
  if (!canary_done_) st.canary.detail = config_.judge.canary ? "not run yet" : "disabled";
  st.last_error = last_error_;
  return st;
}

bool Evaluator::WaitIdle(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    bool idle;
    {
      std::lock_guard lock(mu_);
      idle = intake_.empty() && running_.empty();
    }
    if (idle) {
      auto due = store_->DueEvaluations(Now(), 1, {});
      std::lock_guard lock(mu_);
      if (due.ok() && due->empty() && intake_.empty() && running_.empty()) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace loupe::eval
