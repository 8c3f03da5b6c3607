// StateStore: state.db, the SQLite file of everything durable that is
// not trace data — scores, the evaluation queue, small named values and
// the event journal (store/scores.h, store/state.h). SqliteStore owns one
// and forwards the Store methods to it.
//
// It has its own connection and lock, so scoring and alerting never wait
// for the indexer or maintenance (which hold the store's work lock for
// whole index transactions). Every write is one transaction; with
// synchronous=FULL it is durable when the call returns.
//
// Thread safety: every method may be called from any thread; calls are
// serialised on mu_.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/query.h"
#include "store/scores.h"
#include "store/sqlite/db.h"
#include "store/state.h"

namespace loupe::store::sqlite {

class StateStore {
 public:
  // Opens (create: or creates) `path` and migrates it. `sync` is the
  // synchronous pragma value. Errors name the file.
  static Result<std::unique_ptr<StateStore>> Open(const std::string& path, bool create, const std::string& sync);

  const std::string& path() const { return path_; }

  // As Store::PutScores, with attribution already filled in by the caller.
  Result<size_t> PutScores(const std::vector<Score>& scores, bool new_version);
  Result<ScorePage> QueryScores(const ScoreQuery& query);
  Result<std::vector<ScoreAggregateRow>> AggregateScores(const ScoreAggregateQuery& query);
  // Per trace, the mean of its latest scores per (evaluator, dimension).
  Status TraceScores(const std::vector<model::TraceId>& traces, std::map<model::TraceId, std::vector<TraceScore>>* out);

  Result<size_t> EnqueueEvaluations(const std::vector<EvalTask>& tasks, uint64_t now_ns);
  Result<std::vector<EvalTask>> DueEvaluations(uint64_t now_ns, size_t limit, const std::vector<uint64_t>& exclude);
  Status FinishEvaluation(const EvalTask& task, const std::vector<Score>& scores);
  Status DeferEvaluation(const EvalTask& task);
  Result<std::vector<EvalTask>> QueryEvaluations(const EvalTaskQuery& query);
  Result<EvalQueueStats> EvaluationStats();

  Result<std::optional<std::string>> GetValue(const std::string& ns, const std::string& key);
  Status PutValue(const std::string& ns, const std::string& key, const std::string& value);
  Status DeleteValue(const std::string& ns, const std::string& key);
  Result<std::vector<std::pair<std::string, std::string>>> ListValues(const std::string& ns);
  Result<uint64_t> AppendJournal(const JournalEntry& entry, uint64_t now_ns);
  Result<std::vector<JournalEntry>> QueryJournal(const JournalQuery& query);

  // Retention: scores whose call started before `scores_before_ns`,
  // finished evaluation tasks enqueued before it, and journal entries
  // before `journal_before_ns`. Returns the first error.
  Status DropBefore(uint64_t scores_before_ns, uint64_t journal_before_ns);
  // Privacy erasure: scores of `user` or of `traces`, and the evaluation
  // tasks of `traces` (their raw answers may quote the content). Zeroes
  // the freed pages. Returns the number of scores erased.
  Result<uint64_t> EraseUser(const std::string& user, const std::set<std::string>& traces);
  // VACUUM INTO `to` (a consistent copy).
  Status BackupTo(const std::string& to);

 private:
  StateStore(std::string path, std::unique_ptr<Db> db) : path_(std::move(path)), db_(std::move(db)) {}
  // REQUIRES: mu_ held, inside a transaction.
  Result<size_t> PutScoresLocked(const std::vector<Score>& scores, bool new_version);

  const std::string path_;
  std::mutex mu_;
  std::unique_ptr<Db> db_;  // GUARDED_BY(mu_)
};

}  // namespace loupe::store::sqlite
