#include "fanout/disk_queue.h"

#include <sqlite3.h>

#include <filesystem>

namespace loupe::fanout {
namespace {

// Finalizes a statement on every path out of a function.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

Status SqlError(sqlite3* db, std::string_view what) {
  return Status::IoError("fanout queue: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

Result<std::unique_ptr<DiskQueue>> DiskQueue::Open(const std::string& dir, int64_t max_bytes, bool fsync) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("fanout queue: cannot create " + dir + ": " + ec.message());
  std::string path = dir + "/queue.db";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Status s = Status::IoError("fanout queue: cannot open " + path + ": " + sqlite3_errmsg(db));
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<DiskQueue> q(new DiskQueue(db, max_bytes));
  LOUPE_RETURN_IF_ERROR(q->Exec("PRAGMA journal_mode=WAL"));
  LOUPE_RETURN_IF_ERROR(q->Exec(fsync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  LOUPE_RETURN_IF_ERROR(q->Exec(
      "CREATE TABLE IF NOT EXISTS queue(id INTEGER PRIMARY KEY AUTOINCREMENT, "
      "enqueued_unix_nano INTEGER NOT NULL, spans INTEGER NOT NULL, payload BLOB NOT NULL)"));
  std::lock_guard<std::mutex> lock(q->mu_);
  LOUPE_RETURN_IF_ERROR(q->LoadStatsLocked());
  return q;
}

DiskQueue::~DiskQueue() { sqlite3_close(db_); }

Status DiskQueue::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::IoError(std::string("fanout queue: ") + sql + ": " + (err ? err : "?"));
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

Status DiskQueue::LoadStatsLocked() {
  Stmt st(db_, "SELECT COUNT(*), COALESCE(SUM(spans),0), COALESCE(SUM(LENGTH(payload)),0), "
               "COALESCE((SELECT enqueued_unix_nano FROM queue ORDER BY id LIMIT 1),0) FROM queue");
  if (!st.ok() || sqlite3_step(st.get()) != SQLITE_ROW) return SqlError(db_, "reading stats");
  stats_.entries = sqlite3_column_int64(st.get(), 0);
  stats_.spans = sqlite3_column_int64(st.get(), 1);
  stats_.bytes = sqlite3_column_int64(st.get(), 2);
  stats_.oldest_unix_nano = static_cast<uint64_t>(sqlite3_column_int64(st.get(), 3));
  return Status::Ok();
}

Status DiskQueue::Append(std::string_view payload, int64_t spans, uint64_t now_unix_nano, Dropped* dropped) {
  std::lock_guard<std::mutex> lock(mu_);
  LOUPE_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Stmt st(db_, "INSERT INTO queue(enqueued_unix_nano, spans, payload) VALUES(?,?,?)");
  bool ok = st.ok();
  if (ok) {
    sqlite3_bind_int64(st.get(), 1, static_cast<int64_t>(now_unix_nano));
    sqlite3_bind_int64(st.get(), 2, spans);
    sqlite3_bind_blob(st.get(), 3, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    ok = sqlite3_step(st.get()) == SQLITE_DONE;
  }
  Dropped made_room;
  Status s = ok ? Status::Ok() : SqlError(db_, "append");
  if (s.ok()) {
    stats_.entries += 1;
    stats_.spans += spans;
    stats_.bytes += static_cast<int64_t>(payload.size());
    if (stats_.oldest_unix_nano == 0) stats_.oldest_unix_nano = now_unix_nano;
    s = DropOldestLocked(&made_room);
  }
  if (s.ok()) s = Exec("COMMIT");
  if (!s.ok()) {
    Exec("ROLLBACK").ok();
    LoadStatsLocked().ok();  // the memory copy may count the rolled-back row
    return s;
  }
  if (dropped != nullptr) *dropped = made_room;
  return Status::Ok();
}

Status DiskQueue::DropOldestLocked(Dropped* dropped) {
  if (stats_.bytes <= max_bytes_) return Status::Ok();
  Stmt sel(db_, "SELECT id, spans, LENGTH(payload) FROM queue WHERE id > ? ORDER BY id");
  if (!sel.ok()) return SqlError(db_, "drop oldest");
  sqlite3_bind_int64(sel.get(), 1, in_flight_through_);
  int64_t last_id = -1;
  // The newest entry stays even when it alone is over the limit.
  while (stats_.bytes > max_bytes_ && stats_.entries > 1 && sqlite3_step(sel.get()) == SQLITE_ROW) {
    last_id = sqlite3_column_int64(sel.get(), 0);
    dropped->entries += 1;
    dropped->spans += sqlite3_column_int64(sel.get(), 1);
    stats_.entries -= 1;
    stats_.spans -= sqlite3_column_int64(sel.get(), 1);
    stats_.bytes -= sqlite3_column_int64(sel.get(), 2);
  }
  if (last_id < 0) return Status::Ok();
  Stmt del(db_, "DELETE FROM queue WHERE id > ? AND id <= ?");
  if (!del.ok()) return SqlError(db_, "drop oldest");
  sqlite3_bind_int64(del.get(), 1, in_flight_through_);
  sqlite3_bind_int64(del.get(), 2, last_id);
  if (sqlite3_step(del.get()) != SQLITE_DONE) return SqlError(db_, "drop oldest");
  Stmt oldest(db_, "SELECT enqueued_unix_nano FROM queue ORDER BY id LIMIT 1");
  stats_.oldest_unix_nano = oldest.ok() && sqlite3_step(oldest.get()) == SQLITE_ROW
                                ? static_cast<uint64_t>(sqlite3_column_int64(oldest.get(), 0))
                                : 0;
  return Status::Ok();
}

Status DiskQueue::Peek(size_t max_bytes, std::vector<Entry>* out) {
  out->clear();
  std::lock_guard<std::mutex> lock(mu_);
  Stmt st(db_, "SELECT id, enqueued_unix_nano, spans, payload FROM queue ORDER BY id");
  if (!st.ok()) return SqlError(db_, "peek");
  size_t total = 0;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    size_t size = static_cast<size_t>(sqlite3_column_bytes(st.get(), 3));
    if (!out->empty() && total + size > max_bytes) break;
    Entry& e = out->emplace_back();
    e.id = sqlite3_column_int64(st.get(), 0);
    e.enqueued_unix_nano = static_cast<uint64_t>(sqlite3_column_int64(st.get(), 1));
    e.spans = sqlite3_column_int64(st.get(), 2);
    const char* data = static_cast<const char*>(sqlite3_column_blob(st.get(), 3));
    e.payload.assign(data == nullptr ? "" : data, size);
    total += size;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db_, "peek");
  if (!out->empty()) in_flight_through_ = out->back().id;
  return Status::Ok();
}

Status DiskQueue::RemoveThrough(int64_t up_to_id) {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_through_ = 0;
  // Adjust the counts by what goes, rather than re-summing the table.
  Stmt sum(db_, "SELECT COUNT(*), COALESCE(SUM(spans),0), COALESCE(SUM(LENGTH(payload)),0) "
                "FROM queue WHERE id <= ?");
  if (!sum.ok()) return SqlError(db_, "remove");
  sqlite3_bind_int64(sum.get(), 1, up_to_id);
  if (sqlite3_step(sum.get()) != SQLITE_ROW) return SqlError(db_, "remove");
  Stmt st(db_, "DELETE FROM queue WHERE id <= ?");
  if (!st.ok()) return SqlError(db_, "remove");
  sqlite3_bind_int64(st.get(), 1, up_to_id);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_, "remove");
  stats_.entries -= sqlite3_column_int64(sum.get(), 0);
  stats_.spans -= sqlite3_column_int64(sum.get(), 1);
  stats_.bytes -= sqlite3_column_int64(sum.get(), 2);
  Stmt oldest(db_, "SELECT enqueued_unix_nano FROM queue ORDER BY id LIMIT 1");
  stats_.oldest_unix_nano = oldest.ok() && sqlite3_step(oldest.get()) == SQLITE_ROW
                                ? static_cast<uint64_t>(sqlite3_column_int64(oldest.get(), 0))
                                : 0;
  return Status::Ok();
}

void DiskQueue::Release() {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_through_ = 0;
}

DiskQueue::Stats DiskQueue::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace loupe::fanout
