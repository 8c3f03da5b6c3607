// state.db: opening, the evaluation queue, values, the journal and the
// operations (retention, erasure, backup). Scores are in score_store.cc.
#include <algorithm>
#include <filesystem>
#include <set>

#include "store/sqlite/schema.h"
#include "store/sqlite/state_store.h"

namespace loupe::store::sqlite {
namespace {

constexpr size_t kMaxLimit = 1000;

std::string_view AsBlob(const auto& id) { return {reinterpret_cast<const char*>(id.data()), id.size()}; }

template <size_t N>
void CopyId(std::string_view blob, std::array<uint8_t, N>* id) {
  if (blob.size() == N) std::copy(blob.begin(), blob.end(), id->begin());
}

constexpr const char* kTaskColumns =
    "id, trace_id, span_id, evaluator, run, due_ns, enqueued_ns, state, attempts, reason, error, raw_answer, "
    "finished_ns";

EvalTask ReadTask(const Stmt& st) {
  EvalTask t;
  t.id = static_cast<uint64_t>(st.Int(0));
  CopyId(st.Blob(1), &t.trace_id);
  CopyId(st.Blob(2), &t.span_id);
  t.evaluator = st.Text(3);
  t.run = static_cast<uint32_t>(st.Int(4));
  t.due_ns = static_cast<uint64_t>(st.Int(5));
  t.enqueued_ns = static_cast<uint64_t>(st.Int(6));
  t.state = static_cast<EvalState>(st.Int(7));
  t.attempts = static_cast<uint32_t>(st.Int(8));
  t.reason = st.Text(9);
  t.error = st.Text(10);
  t.raw_answer = st.Text(11);
  t.finished_ns = static_cast<uint64_t>(st.Int(12));
  return t;
}

}  // namespace

Result<std::unique_ptr<StateStore>> StateStore::Open(const std::string& path, bool create, const std::string& sync) {
  bool existed = std::filesystem::exists(path);
  auto db = Db::Open(path, create);
  if (!db.ok()) return db.status();
  // Incremental auto-vacuum so erasure and retention give pages back.
  if (!existed) LOUPE_RETURN_IF_ERROR((*db)->Exec("PRAGMA auto_vacuum=INCREMENTAL"));
  LOUPE_RETURN_IF_ERROR((*db)->Exec("PRAGMA journal_mode=WAL; PRAGMA journal_size_limit=67108864; "
                                    "PRAGMA synchronous=" + sync));
  LOUPE_RETURN_IF_ERROR(Migrate(db->get(), kStateKind));
  return std::unique_ptr<StateStore>(new StateStore(path, std::move(*db)));
}

// --- evaluation queue ------------------------------------------------------

Result<size_t> StateStore::EnqueueEvaluations(const std::vector<EvalTask>& tasks, uint64_t now_ns) {
  for (const EvalTask& t : tasks) {
    if (t.evaluator.empty()) return Status::InvalidArgument("evaluation task: evaluator must not be empty");
  }
  std::lock_guard<std::mutex> lock(mu_);
  Transaction txn(db_.get());
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  auto ins = db_->Prepare(
      "INSERT OR IGNORE INTO eval_tasks(trace_id, span_id, evaluator, run, due_ns, enqueued_ns, state, attempts, "
      "reason, error, raw_answer, finished_ns) VALUES(?,?,?,?,?,?,0,0,?,'','',0)");
  if (!ins.ok()) return ins.status();
  size_t added = 0;
  for (const EvalTask& t : tasks) {
    ins->BindBlob(1, AsBlob(t.trace_id)).BindBlob(2, AsBlob(t.span_id)).Bind(3, t.evaluator);
    ins->Bind(4, static_cast<int64_t>(t.run)).Bind(5, static_cast<int64_t>(t.due_ns));
    ins->Bind(6, static_cast<int64_t>(t.enqueued_ns ? t.enqueued_ns : now_ns)).Bind(7, t.reason);
    LOUPE_RETURN_IF_ERROR(ins->Run());
    added += static_cast<size_t>(db_->changes());
  }
  LOUPE_RETURN_IF_ERROR(txn.Commit());
  return added;
}

Result<std::vector<EvalTask>> StateStore::DueEvaluations(uint64_t now_ns, size_t limit,
                                                         const std::vector<uint64_t>& exclude) {
  std::lock_guard<std::mutex> lock(mu_);
  // eval_by_due answers this without touching finished tasks; the
  // excluded ids are skipped here, so read that many more.
  auto st = db_->Prepare(std::string("SELECT ") + kTaskColumns +
                         " FROM eval_tasks WHERE state = 0 AND due_ns <= ? ORDER BY due_ns, id LIMIT ?");
  if (!st.ok()) return st.status();
  st->Bind(1, static_cast<int64_t>(now_ns)).Bind(2, static_cast<int64_t>(limit + exclude.size()));
  const std::set<uint64_t> skip(exclude.begin(), exclude.end());
  std::vector<EvalTask> out;
  Status s;
  while (out.size() < limit && st->Step(&s)) {
    EvalTask t = ReadTask(*st);
    if (!skip.count(t.id)) out.push_back(std::move(t));
  }
  LOUPE_RETURN_IF_ERROR(s);
  return out;
}

Status StateStore::FinishEvaluation(const EvalTask& task, const std::vector<Score>& scores) {
  if (task.state == EvalState::kPending) {
    return Status::InvalidArgument("evaluation task " + std::to_string(task.id) + ": finishing needs state done, "
                                   "failed or skipped");
  }
  std::lock_guard<std::mutex> lock(mu_);
  Transaction txn(db_.get());
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  auto upd = db_->Prepare(
      "UPDATE eval_tasks SET state = ?, error = ?, raw_answer = ?, attempts = ?, finished_ns = ? "
      "WHERE id = ? AND state = 0");
  if (!upd.ok()) return upd.status();
  upd->Bind(1, static_cast<int64_t>(task.state)).Bind(2, task.error).Bind(3, task.raw_answer);
  upd->Bind(4, static_cast<int64_t>(task.attempts)).Bind(5, static_cast<int64_t>(task.finished_ns));
  LOUPE_RETURN_IF_ERROR(upd->Bind(6, static_cast<int64_t>(task.id)).Run());
  if (db_->changes() == 0) {
    return Status::FailedPrecondition("evaluation task " + std::to_string(task.id) +
                                      " is not pending (already finished, or unknown); its scores are not stored");
  }
  auto put = PutScoresLocked(scores, task.run > 0);
  if (!put.ok()) return put.status();
  return txn.Commit();
}

Status StateStore::DeferEvaluation(const EvalTask& task) {
  std::lock_guard<std::mutex> lock(mu_);
  auto upd = db_->Prepare("UPDATE eval_tasks SET due_ns = ?, attempts = ?, error = ? WHERE id = ? AND state = 0");
  if (!upd.ok()) return upd.status();
  upd->Bind(1, static_cast<int64_t>(task.due_ns)).Bind(2, static_cast<int64_t>(task.attempts)).Bind(3, task.error);
  LOUPE_RETURN_IF_ERROR(upd->Bind(4, static_cast<int64_t>(task.id)).Run());
  if (db_->changes() == 0) {
    return Status::FailedPrecondition("evaluation task " + std::to_string(task.id) + " is not pending");
  }
  return Status::Ok();
}

Result<std::vector<EvalTask>> StateStore::QueryEvaluations(const EvalTaskQuery& q) {
  std::string sql = std::string("SELECT ") + kTaskColumns + " FROM eval_tasks WHERE enqueued_ns >= ?1";
  if (q.state) sql += " AND state = ?2";
  if (!q.evaluator.empty()) sql += " AND evaluator = ?3";
  if (q.trace_id) sql += " AND trace_id = ?4";
  sql += " ORDER BY enqueued_ns DESC, id DESC LIMIT ?5";
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare(sql);
  if (!st.ok()) return st.status();
  st->Bind(1, static_cast<int64_t>(q.since_ns));
  if (q.state) st->Bind(2, static_cast<int64_t>(*q.state));
  if (!q.evaluator.empty()) st->Bind(3, q.evaluator);
  if (q.trace_id) st->BindBlob(4, AsBlob(*q.trace_id));
  st->Bind(5, static_cast<int64_t>(std::clamp<size_t>(q.limit, 1, kMaxLimit)));
  std::vector<EvalTask> out;
  Status s;
  while (st->Step(&s)) out.push_back(ReadTask(*st));
  LOUPE_RETURN_IF_ERROR(s);
  return out;
}

Result<EvalQueueStats> StateStore::EvaluationStats() {
  std::lock_guard<std::mutex> lock(mu_);
  EvalQueueStats stats;
  auto st = db_->Prepare("SELECT state, COUNT(*) FROM eval_tasks GROUP BY state");
  if (!st.ok()) return st.status();
  Status s;
  while (st->Step(&s)) {
    uint64_t n = static_cast<uint64_t>(st->Int(1));
    switch (static_cast<EvalState>(st->Int(0))) {
      case EvalState::kPending: stats.pending = n; break;
      case EvalState::kDone: stats.done = n; break;
      case EvalState::kFailed: stats.failed = n; break;
      case EvalState::kSkipped: stats.skipped = n; break;
    }
  }
  LOUPE_RETURN_IF_ERROR(s);
  st = db_->Prepare("SELECT MIN(due_ns) FROM eval_tasks WHERE state = 0");
  if (!st.ok()) return st.status();
  if (st->Step(&s) && !st->IsNull(0)) stats.oldest_pending_due_ns = static_cast<uint64_t>(st->Int(0));
  LOUPE_RETURN_IF_ERROR(s);
  return stats;
}

// --- values and journal ----------------------------------------------------

Result<std::optional<std::string>> StateStore::GetValue(const std::string& ns, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare("SELECT value FROM kv WHERE ns = ? AND key = ?");
  if (!st.ok()) return st.status();
  st->Bind(1, ns).Bind(2, key);
  Status s;
  std::optional<std::string> out;
  if (st->Step(&s)) out = std::string(st->Blob(0));
  LOUPE_RETURN_IF_ERROR(s);
  return out;
}

Status StateStore::PutValue(const std::string& ns, const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare("INSERT OR REPLACE INTO kv(ns, key, value) VALUES(?,?,?)");
  if (!st.ok()) return st.status();
  return st->Bind(1, ns).Bind(2, key).BindBlob(3, value).Run();
}

Status StateStore::DeleteValue(const std::string& ns, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare("DELETE FROM kv WHERE ns = ? AND key = ?");
  if (!st.ok()) return st.status();
  return st->Bind(1, ns).Bind(2, key).Run();
}

Result<std::vector<std::pair<std::string, std::string>>> StateStore::ListValues(const std::string& ns) {
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare("SELECT key, value FROM kv WHERE ns = ? ORDER BY key");
  if (!st.ok()) return st.status();
  st->Bind(1, ns);
  std::vector<std::pair<std::string, std::string>> out;
  Status s;
  while (st->Step(&s)) out.emplace_back(std::string(st->Text(0)), std::string(st->Blob(1)));
  LOUPE_RETURN_IF_ERROR(s);
  return out;
}

Result<uint64_t> StateStore::AppendJournal(const JournalEntry& entry, uint64_t now_ns) {
  if (entry.kind.empty()) return Status::InvalidArgument("journal entry: kind must not be empty");
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare("INSERT INTO journal(kind, time_ns, payload) VALUES(?,?,?)");
  if (!st.ok()) return st.status();
  st->Bind(1, entry.kind).Bind(2, static_cast<int64_t>(entry.time_ns ? entry.time_ns : now_ns));
  LOUPE_RETURN_IF_ERROR(st->BindBlob(3, entry.payload).Run());
  return static_cast<uint64_t>(db_->last_insert_rowid());
}

Result<std::vector<JournalEntry>> StateStore::QueryJournal(const JournalQuery& q) {
  std::string sql = "SELECT seq, kind, time_ns, payload FROM journal WHERE time_ns >= ?1";
  if (q.until_ns) sql += " AND time_ns < ?2";
  if (!q.kind.empty()) sql += " AND kind = ?3";
  sql += " ORDER BY seq DESC LIMIT ?4";
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare(sql);
  if (!st.ok()) return st.status();
  st->Bind(1, static_cast<int64_t>(q.since_ns));
  if (q.until_ns) st->Bind(2, static_cast<int64_t>(q.until_ns));
  if (!q.kind.empty()) st->Bind(3, q.kind);
  st->Bind(4, static_cast<int64_t>(std::clamp<size_t>(q.limit, 1, kMaxLimit)));
  std::vector<JournalEntry> out;
  Status s;
  while (st->Step(&s)) {
    JournalEntry e;
    e.seq = static_cast<uint64_t>(st->Int(0));
    e.kind = st->Text(1);
    e.time_ns = static_cast<uint64_t>(st->Int(2));
    e.payload = st->Blob(3);
    out.push_back(std::move(e));
  }
  LOUPE_RETURN_IF_ERROR(s);
  return out;
}

// --- operations --------------------------------------------------------------

Status StateStore::DropBefore(uint64_t scores_before_ns, uint64_t journal_before_ns) {
  std::lock_guard<std::mutex> lock(mu_);
  Transaction txn(db_.get());
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  struct { const char* sql; uint64_t bound; } drops[] = {
      {"DELETE FROM scores WHERE call_start_ns < ?", scores_before_ns},
      // Pending tasks stay: they are work the evaluator still owes.
      {"DELETE FROM eval_tasks WHERE state != 0 AND enqueued_ns < ?", scores_before_ns},
      {"DELETE FROM journal WHERE time_ns < ?", journal_before_ns},
  };
  for (const auto& d : drops) {
    auto st = db_->Prepare(d.sql);
    if (!st.ok()) return st.status();
    LOUPE_RETURN_IF_ERROR(st->Bind(1, static_cast<int64_t>(d.bound)).Run());
  }
  LOUPE_RETURN_IF_ERROR(txn.Commit());
  return db_->Exec("PRAGMA incremental_vacuum");
}

Result<uint64_t> StateStore::EraseUser(const std::string& user, const std::set<std::string>& traces) {
  std::lock_guard<std::mutex> lock(mu_);
  LOUPE_RETURN_IF_ERROR(db_->Exec("PRAGMA secure_delete=ON"));
  uint64_t erased = 0;
  Status s = [&]() -> Status {
    Transaction txn(db_.get());
    LOUPE_RETURN_IF_ERROR(txn.Begin());
    auto by_user = db_->Prepare("DELETE FROM scores WHERE user_id = ?");
    if (!by_user.ok()) return by_user.status();
    LOUPE_RETURN_IF_ERROR(by_user->Bind(1, user).Run());
    erased += static_cast<uint64_t>(db_->changes());
    auto by_trace = db_->Prepare("DELETE FROM scores WHERE trace_id = ?");
    auto tasks = db_->Prepare("DELETE FROM eval_tasks WHERE trace_id = ?");
    if (!by_trace.ok()) return by_trace.status();
    if (!tasks.ok()) return tasks.status();
    for (const std::string& trace : traces) {
      LOUPE_RETURN_IF_ERROR(by_trace->BindBlob(1, trace).Run());
      erased += static_cast<uint64_t>(db_->changes());
      LOUPE_RETURN_IF_ERROR(tasks->BindBlob(1, trace).Run());
    }
    return txn.Commit();
  }();
  Status off = db_->Exec("PRAGMA secure_delete=OFF; PRAGMA wal_checkpoint(TRUNCATE)");
  if (!s.ok()) return s;
  if (!off.ok()) return off;
  return erased;
}

Status StateStore::BackupTo(const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare("VACUUM INTO ?");
  if (!st.ok()) return st.status();
  return st->Bind(1, std::string_view(to)).Run();
}

}  // namespace loupe::store::sqlite
