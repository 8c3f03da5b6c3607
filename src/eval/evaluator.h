// Evaluator: the evaluation service. It samples new LLM calls (from the
// store's new-spans listener), writes the chosen evaluations to the
// store's durable queue, and a pool of `limits.concurrency` workers drains
// the queue: LLM judge or free built-ins, then FinishEvaluation (scores and
// task state in one transaction) or DeferEvaluation (retry later).
//
// Durability: a task is in the store before anything runs it; a restart
// picks up what was pending, and FinishEvaluation refuses a task that is
// no longer pending, so nothing is lost or scored twice. Only the short
// hop from the listener to the queue (the intake buffer, flushed within a
// second) is in memory.
//
// Memory is bounded: the intake buffer holds at most `max_backlog`
// calls, workers load one task at a time, and sampling stops adding judge
// tasks while `max_backlog` are pending (counted as skipped_backlog).
//
// Threads: OnNewSpans on the store's indexer thread (quick, never calls
// the store); one intake thread; `concurrency` workers; the rest from any
// thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "eval/builtin.h"
#include "eval/config.h"
#include "eval/eval_metrics.h"
#include "eval/judge.h"
#include "eval/sampler.h"
#include "store/store.h"

namespace loupe::pricing {
class Pricer;
}

namespace loupe::eval {

// The evaluator name of built-in tasks and of judge tasks.
inline constexpr char kBuiltinEvaluator[] = "builtin";
std::string JudgeEvaluatorName(const std::string& rubric);  // "judge/<rubric>"

struct EvalStatus {
  bool enabled = false, started = false;
  bool budget_paused = false;
  std::string budget_day;            // "YYYY-MM-DD" (UTC)
  int64_t spent_today_nanos = 0, budget_nanos = 0;
  uint64_t resumes_at_ns = 0;        // when paused: the next UTC midnight
  store::EvalQueueStats queue;
  size_t intake_buffered = 0;
  uint64_t skipped_backlog = 0, skipped_budget = 0;
  int running = 0, concurrency = 0;
  std::string judge_provider, judge_model, judge_base_url;
  CanaryResult canary;
  std::string last_error;            // the last store or judge error seen, for the status API
};

// A slice of past calls to score now (`loupe eval run`).
struct SliceRequest {
  uint64_t since_ns = 0, until_ns = 0;
  std::string feature;
  double rate = 1.0;
  std::string rubric;  // empty: the default rubric
  bool force = false;  // re-score calls already scored (a new score version)
  size_t max_calls = 1000;
};

struct SliceRun {
  std::string id;
  uint32_t run = 0;  // EvalTask::run (0 unless forced)
  std::string evaluator;
  std::vector<store::EvalTask> tasks;  // identities
  size_t enqueued = 0;                 // new in the queue (others were already there)
  uint64_t created_ns = 0;
};

class Evaluator {
 public:
  struct Deps {
    store::Store* store = nullptr;                   // required
    const pricing::Pricer* pricer = nullptr;         // null: the judge is unpriced
    metrics::Registry* registry = nullptr;           // null: no metrics
    const Clock* clock = nullptr;                    // null: the system clock
    std::shared_ptr<HttpTransport> transport;        // null: libcurl
  };

  // Validates the config and compiles the built-ins. Nothing runs yet.
  static Result<std::unique_ptr<Evaluator>> Create(EvalConfig config, Deps deps);
  ~Evaluator();  // Shutdown()

  // Loads first-seen prompt versions and today's spend, starts the intake
  // thread and the workers, and (judge.canary) checks the judge. An error
  // (e.g. the store lacks the evaluation tables) leaves nothing running.
  Status Start();
  // Stops sampling, cancels judge calls in flight (their tasks stay
  // pending and run after a restart), flushes the intake buffer to the
  // queue and joins every thread. Safe without Start and twice.
  void Shutdown();

  // The store's NewSpansListener: samples and buffers. Never blocks on I/O.
  // Spans reported before Start are kept (bounded) and queued by Start, so
  // the listener may be set before the store starts; their burst decisions
  // are made before the first-seen table is loaded.
  void OnNewSpans(std::span<const model::SpanRecord* const> spans);

  // Enqueues a slice for scoring now and remembers it under SliceRun::id.
  Result<SliceRun> EnqueueSlice(const SliceRequest& request);
  // A run enqueued by EnqueueSlice (the last 32 are kept); NotFound else.
  Result<SliceRun> FindRun(const std::string& id) const;

  EvalStatus GetStatus();
  const EvalConfig& config() const { return config_; }

  // For tests: waits until the intake buffer is empty, no task is running
  // and none is due now. False on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  Evaluator(EvalConfig config, Deps deps, std::shared_ptr<const BuiltinEvaluators> builtins);

  void IntakeLoop();
  void FlushIntake();
  void WorkerLoop();
  bool FetchTask(store::EvalTask* task);
  void RunTask(store::EvalTask task);
  void RunBuiltins(store::EvalTask task, const model::SpanRecord& call);
  void RunJudge(store::EvalTask task, const model::SpanRecord& call, const store::Trace& trace);
  void Finish(store::EvalTask task, store::EvalState state, std::vector<store::Score> scores,
              const std::string& error, const std::string& raw);
  void Defer(store::EvalTask task, uint64_t due_ns, bool count_attempt, const std::string& error);
  void RefreshGauges();
  void NoteError(const std::string& error);
  uint64_t Now() const { return clock_->NowUnixNanos(); }

  const EvalConfig config_;
  store::Store* const store_;
  const Clock* const clock_;
  std::shared_ptr<const BuiltinEvaluators> builtins_;
  EvalMetrics metrics_;
  RateLimiter limiter_;
  Budget budget_;
  std::unique_ptr<Judge> judge_;
  Sampler sampler_;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> started_{false};
  std::atomic<uint64_t> skipped_backlog_{0}, skipped_budget_{0};
  std::atomic<uint64_t> pending_cached_{0};  // the queue's pending count, refreshed by the intake thread

  mutable std::mutex mu_;
  std::condition_variable intake_cv_, work_cv_;
  std::deque<store::EvalTask> intake_;           // GUARDED_BY(mu_)
  std::set<uint64_t> running_;                   // GUARDED_BY(mu_)
  std::map<std::string, SliceRun> runs_;         // GUARDED_BY(mu_)
  std::deque<std::string> run_order_;            // GUARDED_BY(mu_)
  CanaryResult canary_;                          // GUARDED_BY(mu_)
  bool canary_done_ = false;                     // GUARDED_BY(mu_)
  std::string last_error_;                       // GUARDED_BY(mu_)
  bool paused_logged_ = false;                   // GUARDED_BY(mu_)

  std::mutex fetch_mu_;  // one worker at a time asks the store for a due task
  std::thread intake_thread_, canary_thread_;
  std::vector<std::thread> workers_;
};

}  // namespace loupe::eval
