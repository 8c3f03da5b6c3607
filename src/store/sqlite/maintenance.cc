// SqliteStore's background and operator work: sealing finished days into
// hour/day rollups, retention, checkpoints, Backup and DeleteUser. All of
// it runs under work_mu_ (pausing indexing, never the ack path).
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "store/batch_codec.h"
#include "store/sqlite/content_strip.h"
#include "store/sqlite/rollups.h"
#include "store/sqlite/sqlite_store.h"

namespace loupe::store::sqlite {
namespace fs = std::filesystem;

namespace {

Status FsyncPath(const std::string& path, bool dir) {
  int fd = ::open(path.c_str(), dir ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return Status::IoError(path + ": cannot open to sync");
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::IoError(path + ": fsync failed");
}

Result<int64_t> SealedVersion(Db* main, int64_t day) {
  std::vector<std::pair<int64_t, int64_t>> sealed;
  LOUPE_RETURN_IF_ERROR(ReadSealedDays(main, day, day, &sealed));
  return sealed.empty() ? -1 : sealed[0].second;
}

}  // namespace

void SqliteStore::MaintenanceLoop() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      maint_wake_.wait_for(lock, config_.maintenance_interval, [this] { return stopping_; });
      if (stopping_) return;
    }
    RunMaintenance();  // failures are counted in Stats and retried next time
  }
}

Status SqliteStore::SealIfStale(Partition* p) {
  auto sealed = SealedVersion(index_.get(), p->day());
  if (!sealed.ok()) return sealed.status();
  if (*sealed == p->version()) return Status::Ok();
  return SealDay(index_.get(), p->writer(), p->day());
}

Status SqliteStore::DropDay(const std::shared_ptr<Partition>& p) {
  // The hour/day rollups must hold the day's final numbers first.
  LOUPE_RETURN_IF_ERROR(SealIfStale(p.get()));
  {
    std::lock_guard<std::mutex> q(query_mu_);
    {
      std::lock_guard<std::mutex> lock(parts_mu_);
      parts_.erase(p->day());
    }
    p->Close();
  }
  LOUPE_RETURN_IF_ERROR(p->RemoveFiles());
  ++days_dropped_;
  return Status::Ok();
}

Status SqliteStore::DropContent(Partition* p) {
  Db* db = p->writer();
  // Zero freed pages: the old span bodies must not linger in the file.
  LOUPE_RETURN_IF_ERROR(db->Exec("PRAGMA secure_delete=ON"));
  Status s = StripRawContent(db);
  if (s.ok()) {
    Transaction txn(db);
    s = txn.Begin();
    if (s.ok()) {
      s = db->Exec("DELETE FROM content; INSERT INTO content_fts(content_fts) VALUES('delete-all'); "
                   "UPDATE meta SET value = 1 WHERE key = 'content_dropped'");
    }
    if (s.ok()) s = txn.Commit();
  }
  Status off = db->Exec("PRAGMA secure_delete=OFF");
  LOUPE_RETURN_IF_ERROR(s);
  LOUPE_RETURN_IF_ERROR(off);
  p->set_content_dropped();
  // Give the pages back to the file system (auto_vacuum=INCREMENTAL),
  // and cut back the WAL the deletion filled.
  LOUPE_RETURN_IF_ERROR(db->Exec("PRAGMA incremental_vacuum"));
  return db->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Status SqliteStore::StripRawContent(Db* db) {
  // In chunks of rows, each its own transaction: a crash part-way leaves
  // the flag unset and the next pass strips the rest (stripping twice is
  // a no-op).
  constexpr int64_t kChunk = 2000;
  for (const char* table : {"spans", "logs"}) {
    const bool spans = std::string_view(table) == "spans";
    int64_t after = 0;
    while (true) {
      Transaction txn(db);
      LOUPE_RETURN_IF_ERROR(txn.Begin());
      auto rows = db->Prepare(std::string("SELECT id, body FROM ") + table + " WHERE id > ? ORDER BY id LIMIT ?");
      auto upd = db->Prepare(std::string("UPDATE ") + table + " SET body = ? WHERE id = ?");
      if (!rows.ok()) return rows.status();
      if (!upd.ok()) return upd.status();
      rows->Bind(1, after).Bind(2, kChunk);
      Status s;
      int64_t n = 0;
      std::string raw;
      while (rows->Step(&s)) {
        ++n;
        after = rows->Int(0);
        Status d = Decompress(rows->Blob(1), &raw);
        bool changed = false;
        std::string body;
        if (spans) {
          model::SpanRecord rec;
          if (d.ok()) d = DecodeSpanRecord(raw, &rec);
          if (d.ok() && StripContent(&rec.span)) {
            changed = true;
            body = Compress(EncodeSpanRecord(rec, /*with_content=*/false));
          }
        } else {
          model::LogRecord log;
          if (d.ok()) d = DecodeLog(raw, &log);
          if (d.ok() && StripContent(&log)) {
            changed = true;
            body = Compress(EncodeLog(log));
          }
        }
        if (!d.ok()) return d.WithContext(db->path() + ": stripping content from " + table + " row " +
                                          std::to_string(after));
        if (changed) LOUPE_RETURN_IF_ERROR(upd->BindBlob(1, body).Bind(2, after).Run());
      }
      LOUPE_RETURN_IF_ERROR(s);
      rows = Stmt();
      upd = Stmt();
      LOUPE_RETURN_IF_ERROR(txn.Commit());
      if (n < kChunk) break;
    }
  }
  return Status::Ok();
}

Status SqliteStore::RunMaintenance() {
  std::lock_guard<std::mutex> work(work_mu_);
  if (!index_) return Status::Unavailable("store: not running");
  ++maintenance_runs_;
  Status first_error;
  auto note = [&](Status s) {
    if (!s.ok() && first_error.ok()) first_error = s;
  };
  const uint64_t now = Now();
  const int64_t keep_spans = FirstKeptDay(now, config_.retention_spans);
  const int64_t keep_content =
      config_.retention_content.count() ? FirstKeptDay(now, config_.retention_content) : keep_spans;
  const uint64_t seal_after_ns = static_cast<uint64_t>(config_.seal_after.count()) * 1'000'000'000ull;

  for (const auto& p : DaysSnapshot()) {
    if (p->day() < keep_spans) {
      note(DropDay(p));
      continue;
    }
    const uint64_t day_end = static_cast<uint64_t>((p->day() + 1) * kNanosPerDay);
    if (day_end + seal_after_ns <= now) note(SealIfStale(p.get()));
    if (p->day() < keep_content && !p->content_dropped()) note(DropContent(p.get()));
    // Past days are rarely written again: give their WAL back (each
    // keeps up to ~4 MB between auto-checkpoints otherwise).
    if (day_end <= now) note(p->writer()->Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  note(DropRollupsBefore(index_.get(), FirstKeptDay(now, config_.retention_rollups)));
  if (auto state = State(); state.ok()) {
    const uint64_t rollups_ns = static_cast<uint64_t>(config_.retention_rollups.count()) * 1'000'000'000ull;
    note((*state)->DropBefore(static_cast<uint64_t>(keep_spans * kNanosPerDay),
                              now > rollups_ns ? now - rollups_ns : 0));
  }

  if (config_.max_disk_bytes) {
    // Oldest first; the newest day file always stays.
    while (true) {
      auto days = DaysSnapshot();
      if (days.size() <= 1 || Stats().disk_bytes() <= config_.max_disk_bytes) break;
      Status s = DropDay(days.front());
      note(s);
      if (!s.ok()) break;
    }
  }
  // Auto-checkpoints run on commit, but only PASSIVE ones that readers
  // can hold back; give them a regular chance (and cut the WALs back to
  // journal_size_limit).
  note(log_reader_->Exec("PRAGMA wal_checkpoint(PASSIVE)"));
  note(index_->Exec("PRAGMA wal_checkpoint(PASSIVE)"));
  if (!first_error.ok()) ++maintenance_errors_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    maintenance_error_ = first_error;
  }
  return first_error;
}

Status SqliteStore::Backup(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir + "/log.db", ec) || fs::exists(dir + "/index.db", ec)) {
    return Status::FailedPrecondition(dir + ": already holds a store; back up into a new directory");
  }
  fs::create_directories(dir + "/days", ec);
  if (ec) return Status::IoError(dir + ": cannot create the backup directory: " + ec.message());
  // Holding work_mu_ freezes index.db and the day files (the indexer and
  // maintenance wait), and with them the cursor; the log only grows
  // meanwhile (truncation stops at the frozen cursor), so the copy of the
  // log holds everything after the copied cursor.
  std::lock_guard<std::mutex> work(work_mu_);
  if (!index_) return Status::Unavailable("store: not running");
  std::vector<std::string> written;
  auto vacuum_into = [&written](Db* db, const std::string& to) -> Status {
    auto st = db->Prepare("VACUUM INTO ?");
    if (!st.ok()) return st.status();
    LOUPE_RETURN_IF_ERROR(st->Bind(1, std::string_view(to)).Run());
    written.push_back(to);
    return Status::Ok();
  };
  LOUPE_RETURN_IF_ERROR(vacuum_into(index_.get(), dir + "/index.db"));
  for (const auto& p : DaysSnapshot()) {
    LOUPE_RETURN_IF_ERROR(vacuum_into(p->writer(), dir + "/days/" + DayName(p->day()) + ".db"));
  }
  {
    auto state = State();
    if (!state.ok()) return state.status();
    LOUPE_RETURN_IF_ERROR((*state)->BackupTo(dir + "/state.db"));
    written.push_back(dir + "/state.db");
  }
  {
    auto log = Db::Open(dir_ + "/log.db", false);
    if (!log.ok()) return log.status();
    LOUPE_RETURN_IF_ERROR(vacuum_into(log->get(), dir + "/log.db"));
  }
  for (const std::string& f : written) LOUPE_RETURN_IF_ERROR(FsyncPath(f, false));
  LOUPE_RETURN_IF_ERROR(FsyncPath(dir + "/days", true));
  return FsyncPath(dir, true);
}

Result<uint64_t> SqliteStore::DeleteUser(const std::string& user_id) {
  if (user_id.empty()) return Status::InvalidArgument("user id: must not be empty");
  // What was acknowledged before the call must be indexed to be found.
  if (config_.run_indexer) LOUPE_RETURN_IF_ERROR(WaitForIndexer(std::chrono::seconds(60)));
  std::lock_guard<std::mutex> work(work_mu_);
  if (!index_) return Status::Unavailable("store: not running");
  auto days = DaysSnapshot();
  // The user's traces, in every day (a trace may cross midnight).
  std::set<std::string> traces;
  for (const auto& p : days) {
    auto st = p->writer()->Prepare(
        "SELECT DISTINCT s.trace_id FROM llm_calls l JOIN spans s ON s.id = l.span_row WHERE l.user_id = ?");
    if (!st.ok()) return st.status();
    st->Bind(1, std::string_view(user_id));
    Status s;
    while (st->Step(&s)) traces.emplace(st->Blob(0));
    LOUPE_RETURN_IF_ERROR(s);
  }
  {
    // Scores and evaluation tasks first: they are what a retry after a
    // failure below would no longer find by user.
    auto state = State();
    if (!state.ok()) return state.status();
    auto scores = (*state)->EraseUser(user_id, traces);
    if (!scores.ok()) return scores.status();
  }
  uint64_t erased = 0;
  for (const auto& p : days) {
    Db* db = p->writer();
    // Zero the freed pages, so the text does not linger in the file.
    LOUPE_RETURN_IF_ERROR(db->Exec("PRAGMA secure_delete=ON"));
    std::set<int64_t> minutes;
    uint64_t erased_here = 0;
    {
      Transaction txn(db);
      LOUPE_RETURN_IF_ERROR(txn.Begin());
      auto rows = db->Prepare(
          "SELECT s.id, l.start_ns, l.counts_usage, c.data FROM spans s LEFT JOIN llm_calls l ON l.span_row = s.id "
          "LEFT JOIN content c ON c.span_row = s.id WHERE s.trace_id = ?");
      auto fts = db->Prepare("INSERT INTO content_fts(content_fts, rowid, text) VALUES('delete', ?, ?)");
      if (!rows.ok()) return rows.status();
      if (!fts.ok()) return fts.status();
      const char* deletes[] = {
          "DELETE FROM content WHERE span_row IN (SELECT id FROM spans WHERE trace_id = ?)",
          "DELETE FROM llm_calls WHERE span_row IN (SELECT id FROM spans WHERE trace_id = ?)",
          "DELETE FROM logs WHERE trace_id = ?",
          "DELETE FROM spans WHERE trace_id = ?",
      };
      for (const std::string& trace : traces) {
        rows->BindBlob(1, trace);
        Status s;
        std::string raw;
        while (rows->Step(&s)) {
          ++erased_here;
          if (!rows->IsNull(1) && rows->Int(2)) minutes.insert(rows->Int(1) / 60'000'000'000);
          if (rows->IsNull(3)) continue;
          // The FTS index is contentless: deleting needs the same text.
          model::LlmCall call;
          Status d = Decompress(rows->Blob(3), &raw);
          if (d.ok()) d = DecodeContent(raw, &call);
          if (!d.ok()) return d.WithContext(db->path() + ": content of a span of user " + user_id);
          std::string text = ContentText(call);
          if (!text.empty()) LOUPE_RETURN_IF_ERROR(fts->Bind(1, rows->Int(0)).Bind(2, text).Run());
        }
        rows->Reset();
        LOUPE_RETURN_IF_ERROR(s);
        for (const char* sql : deletes) {
          auto st = db->Prepare(sql);
          if (!st.ok()) return st.status();
          LOUPE_RETURN_IF_ERROR(st->BindBlob(1, trace).Run());
        }
      }
      if (erased_here == 0) {
        LOUPE_RETURN_IF_ERROR(db->Exec("PRAGMA secure_delete=OFF"));
        continue;  // the transaction rolls back: nothing changed
      }
      if (!minutes.empty()) LOUPE_RETURN_IF_ERROR(p->indexer()->RebuildMinutes(minutes));
      // FTS5 keeps deleted terms in old segments until they merge:
      // merge now so the user's words leave the index.
      LOUPE_RETURN_IF_ERROR(db->Exec("INSERT INTO content_fts(content_fts) VALUES('optimize')"));
      LOUPE_RETURN_IF_ERROR(txn.Commit());
    }
    LOUPE_RETURN_IF_ERROR(db->Exec("PRAGMA secure_delete=OFF; PRAGMA wal_checkpoint(TRUNCATE)"));
    erased += erased_here;
    // Refresh the version and, if the day was sealed, its hour/day rows.
    auto v = db->Prepare("SELECT value FROM meta WHERE key = 'version'");
    if (!v.ok()) return v.status();
    Status s;
    if (v->Step(&s)) p->set_version(v->Int(0));
    LOUPE_RETURN_IF_ERROR(s);
    v = Stmt();
    auto sealed = SealedVersion(index_.get(), p->day());
    if (!sealed.ok()) return sealed.status();
    if (*sealed >= 0) LOUPE_RETURN_IF_ERROR(SealDay(index_.get(), db, p->day()));
  }
  // The log may still hold the user's batches (indexed, not yet
  // truncated): cut it now rather than at the next append.
  int64_t indexed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    indexed = indexed_seq_;
  }
  std::lock_guard<std::mutex> append(append_mu_);
  if (log_) {
    LOUPE_RETURN_IF_ERROR(log_->Exec("PRAGMA secure_delete=ON"));
    auto del = log_->Prepare("DELETE FROM raw_batches WHERE seq <= ?");
    if (!del.ok()) return del.status();
    LOUPE_RETURN_IF_ERROR(del->Bind(1, indexed).Run());
    truncated_through_ = std::max(truncated_through_, indexed);
    LOUPE_RETURN_IF_ERROR(log_->Exec("PRAGMA secure_delete=OFF; PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  return erased;
}

}  // namespace loupe::store::sqlite
