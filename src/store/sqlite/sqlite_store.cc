#include "store/sqlite/sqlite_store.h"

#include <stdlib.h>

#include <filesystem>

#include "common/clock.h"
#include "store/batch_codec.h"
#include "store/sqlite/queries.h"
#include "store/sqlite/schema.h"

namespace loupe::store::sqlite {
namespace fs = std::filesystem;

namespace {

uint64_t FilesBytes(const std::string& base) {
  uint64_t total = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    auto n = fs::file_size(base + suffix, ec);
    if (!ec) total += n;
  }
  return total;
}

}  // namespace

SqliteStore::SqliteStore(StoreConfig config) : config_(std::move(config)) {}

SqliteStore::~SqliteStore() { Shutdown(); }

void SqliteStore::SetNewSpansListener(NewSpansListener listener) { listener_ = std::move(listener); }

Status SqliteStore::OpenFiles() {
  std::error_code ec;
  if (config_.data_dir.empty()) {
    std::string tmpl = (fs::temp_directory_path(ec) / "loupe-store-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return Status::IoError("cannot create a temporary store directory: " + tmpl);
    dir_ = tmpl;
    ephemeral_ = true;
  } else {
    dir_ = config_.data_dir;
    fs::create_directories(dir_, ec);
    if (ec) return Status::IoError(dir_ + ": cannot create the data directory: " + ec.message());
  }
  const std::string log_path = dir_ + "/log.db", index_path = dir_ + "/index.db";
  bool has_log = fs::exists(log_path), has_index = fs::exists(index_path);
  // One file without the other means data was lost or moved: refuse
  // rather than start an empty store that hides it.
  if (has_log != has_index) {
    return Status::FailedPrecondition((has_log ? index_path : log_path) + ": data file is missing while " +
                                      (has_log ? log_path : index_path) +
                                      " exists; restore it, or move both away to start empty");
  }
  const bool create = !has_log;
  const std::string sync = ephemeral_ ? "OFF" : (config_.fsync ? "FULL" : "NORMAL");

  auto log = Db::Open(log_path, create);
  if (!log.ok()) return log.status();
  log_ = std::move(*log);
  LOUPE_RETURN_IF_ERROR(log_->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=" + sync));
  LOUPE_RETURN_IF_ERROR(Migrate(log_.get(), kLogKind));
  {
    // The log is short (indexed rows are deleted), so checking it whole
    // at start-up is cheap and catches damage before we trust it.
    auto check = log_->Prepare("PRAGMA quick_check");
    if (!check.ok()) return check.status();
    Status s;
    if (check->Step(&s) && check->Text(0) != "ok") {
      return Status::FailedPrecondition(log_path + ": integrity check failed: " + std::string(check->Text(0)));
    }
    LOUPE_RETURN_IF_ERROR(s);
  }
  auto index = Db::Open(index_path, create);
  if (!index.ok()) return index.status();
  index_ = std::move(*index);
  // The index is rebuilt from the log after a crash, but the log forgets
  // what was indexed; FULL keeps "indexed" durable before the log row
  // goes. Its commits are large, so the fsync is amortised.
  LOUPE_RETURN_IF_ERROR(index_->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=" +
                                     std::string(ephemeral_ ? "OFF" : "FULL")));
  LOUPE_RETURN_IF_ERROR(Migrate(index_.get(), kIndexKind));

  auto log_reader = Db::Open(log_path, false);
  if (!log_reader.ok()) return log_reader.status();
  log_reader_ = std::move(*log_reader);
  auto reader = Db::Open(index_path, false);
  if (!reader.ok()) return reader.status();
  reader_ = std::move(*reader);
  LOUPE_RETURN_IF_ERROR(RegisterFunctions(reader_.get()));

  auto ix = Indexer::Create(index_.get());
  if (!ix.ok()) return ix.status();
  indexer_ = std::move(*ix);

  auto append = log_->Prepare("INSERT INTO raw_batches(received_ns, spans, payload) VALUES(?,?,?)");
  if (!append.ok()) return append.status();
  append_ = std::make_unique<Stmt>(std::move(*append));

  // Where the log and the index stand.
  Status s;
  auto cursor = index_->Prepare("SELECT value FROM meta WHERE key = 'indexed_seq'");
  if (!cursor.ok()) return cursor.status();
  if (!cursor->Step(&s)) return Status::FailedPrecondition(index_path + ": the indexer cursor row is missing");
  int64_t indexed = cursor->Int(0);
  auto high = log_->Prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'raw_batches'), 0)");
  if (!high.ok()) return high.status();
  if (!high->Step(&s)) return s;
  int64_t appended = high->Int(0);
  if (indexed > appended) {
    return Status::FailedPrecondition(index_path + " has indexed batch " + std::to_string(indexed) + " but " +
                                      log_path + " ends at " + std::to_string(appended) +
                                      ": the two files do not belong together");
  }
  auto pending = log_->Prepare("SELECT seq, received_ns FROM raw_batches WHERE seq > ? ORDER BY seq");
  if (!pending.ok()) return pending.status();
  pending->Bind(1, indexed);
  std::lock_guard<std::mutex> lock(mu_);
  while (pending->Step(&s)) pending_.push_back({pending->Int(0), static_cast<uint64_t>(pending->Int(1))});
  LOUPE_RETURN_IF_ERROR(s);
  appended_seq_ = appended;
  indexed_seq_ = indexed;
  return Status::Ok();
}

Status SqliteStore::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_) return Status::Ok();
    if (stopping_) return Status::FailedPrecondition("store: Start after Shutdown");
  }
  std::scoped_lock locks(append_mu_, query_mu_);
  Status s = OpenFiles();
  if (!s.ok()) {
    append_.reset();
    indexer_.reset();
    log_.reset();
    log_reader_.reset();
    index_.reset();
    reader_.reset();
    return s;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    started_ = true;
  }
  if (config_.run_indexer) indexer_thread_ = std::thread([this] { IndexLoop(); });
  return Status::Ok();
}

void SqliteStore::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  indexed_.notify_all();
  if (indexer_thread_.joinable()) indexer_thread_.join();
  std::scoped_lock locks(append_mu_, query_mu_);
  append_.reset();
  indexer_.reset();
  log_.reset();
  log_reader_.reset();
  index_.reset();
  reader_.reset();
  if (ephemeral_) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

Status SqliteStore::Consume(std::span<model::Batch* const> batches) {
  // Encode and compress before taking the log: it is the expensive part.
  struct Row { std::string payload; int64_t spans; };
  std::vector<Row> rows;
  rows.reserve(batches.size());
  for (const model::Batch* b : batches) {
    if (b->spans.empty() && b->logs.empty()) continue;
    rows.push_back({Compress(EncodeBatch(*b)), static_cast<int64_t>(b->spans.size())});
  }
  std::lock_guard<std::mutex> append_lock(append_mu_);
  int64_t truncate_to;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || stopping_ || !log_) return Status::Unavailable("store: not running");
    truncate_to = indexed_seq_;
  }
  if (rows.empty()) return Status::Ok();
  const uint64_t now = SystemClock::Get().NowUnixNanos();
  Transaction txn(log_.get());
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  if (truncate_to > truncated_through_) {
    // Piggy-back the log's cleanup on this commit: no second writer and
    // no extra fsync. The rows are already durable in index.db.
    auto del = log_->Prepare("DELETE FROM raw_batches WHERE seq <= ?");
    if (!del.ok()) return del.status();
    LOUPE_RETURN_IF_ERROR(del->Bind(1, truncate_to).Run());
  }
  std::vector<int64_t> seqs;
  for (const Row& row : rows) {
    append_->Bind(1, static_cast<int64_t>(now)).Bind(2, row.spans).BindBlob(3, row.payload);
    LOUPE_RETURN_IF_ERROR(append_->Run());
    seqs.push_back(log_->last_insert_rowid());
  }
  LOUPE_RETURN_IF_ERROR(txn.Commit());  // the group commit: durable from here
  truncated_through_ = std::max(truncated_through_, truncate_to);
  {
    std::lock_guard<std::mutex> lock(mu_);
    appended_seq_ = seqs.back();
    for (int64_t seq : seqs) pending_.push_back({seq, now});
  }
  wake_.notify_one();
  return Status::Ok();
}

void SqliteStore::IndexLoop() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, config_.index_poll, [this] { return stopping_ || appended_seq_ > indexed_seq_; });
      if (stopping_) return;
    }
    bool more = true;
    while (more) {
      Status s = IndexOnce(&more);
      std::lock_guard<std::mutex> lock(mu_);
      indexer_error_ = s;
      if (!s.ok() || stopping_) break;  // retried after the poll interval
    }
  }
}

Status SqliteStore::IndexOnce(bool* more) {
  int64_t from;
  {
    std::lock_guard<std::mutex> lock(mu_);
    from = indexed_seq_;
  }
  auto st = log_reader_->Prepare("SELECT seq, payload FROM raw_batches WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!st.ok()) return st.status();
  st->Bind(1, from).Bind(2, static_cast<int64_t>(config_.index_batch_limit));
  std::vector<model::Batch> batches;
  int64_t last = from;
  Status s;
  std::string raw;
  while (st->Step(&s)) {
    last = st->Int(0);
    model::Batch batch;
    Status d = Decompress(st->Blob(1), &raw);
    if (d.ok()) d = DecodeBatch(raw, &batch);
    if (!d.ok()) {
      // A damaged row cannot be indexed; counting it and moving on keeps
      // the rest of the store alive (the row stays until truncation).
      ++corrupt_batches_;
      continue;
    }
    batches.push_back(std::move(batch));
  }
  st = Stmt();  // end the read transaction before the long write
  LOUPE_RETURN_IF_ERROR(s);
  *more = static_cast<size_t>(last - from) >= config_.index_batch_limit;
  if (last == from) return Status::Ok();

  std::vector<const model::SpanRecord*> fresh;
  uint64_t duplicates = 0;
  LOUPE_RETURN_IF_ERROR(indexer_->Index(batches, last, &fresh, &duplicates));
  spans_indexed_ += fresh.size();
  spans_duplicate_ += duplicates;
  if (listener_ && !fresh.empty()) listener_(fresh);
  {
    std::lock_guard<std::mutex> lock(mu_);
    indexed_seq_ = last;
    while (!pending_.empty() && pending_.front().first <= last) pending_.pop_front();
  }
  indexed_.notify_all();
  return Status::Ok();
}

Status SqliteStore::WaitForIndexer(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!started_) return Status::Unavailable("store: not running");
  int64_t target = appended_seq_;
  bool done = indexed_.wait_for(lock, timeout, [&] { return stopping_ || indexed_seq_ >= target; });
  if (indexed_seq_ >= target) return Status::Ok();
  if (!indexer_error_.ok()) return indexer_error_.WithContext("store indexer");
  return Status::Unavailable(done ? "store: shutting down" : "store: indexer did not catch up in time");
}

Result<Trace> SqliteStore::GetTrace(const model::TraceId& trace_id) {
  std::lock_guard<std::mutex> lock(query_mu_);
  if (!reader_) return Status::Unavailable("store: not running");
  return sqlite::GetTrace(reader_.get(), trace_id);
}

Result<TracePage> SqliteStore::SearchTraces(const TraceQuery& query) {
  std::lock_guard<std::mutex> lock(query_mu_);
  if (!reader_) return Status::Unavailable("store: not running");
  return sqlite::SearchTraces(reader_.get(), query);
}

Result<std::vector<RollupRow>> SqliteStore::QueryRollups(const RollupQuery& query) {
  std::lock_guard<std::mutex> lock(query_mu_);
  if (!reader_) return Status::Unavailable("store: not running");
  return sqlite::QueryRollups(reader_.get(), query);
}

StoreStats SqliteStore::Stats() {
  StoreStats stats;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats.appended_batches = static_cast<uint64_t>(appended_seq_);
    stats.indexed_batches = static_cast<uint64_t>(indexed_seq_);
    stats.pending_batches = pending_.size();
    if (!pending_.empty()) {
      uint64_t now = SystemClock::Get().NowUnixNanos();
      stats.oldest_pending_age_nanos = now > pending_.front().second ? now - pending_.front().second : 0;
    }
  }
  stats.spans_indexed = spans_indexed_;
  stats.spans_duplicate = spans_duplicate_;
  stats.corrupt_batches = corrupt_batches_;
  if (!dir_.empty()) {
    stats.log_bytes = FilesBytes(dir_ + "/log.db");
    stats.index_bytes = FilesBytes(dir_ + "/index.db");
  }
  return stats;
}

}  // namespace loupe::store::sqlite
