#include "store/sqlite/sqlite_store.h"

#include <stdlib.h>

#include <filesystem>

#include "common/clock.h"
#include "store/batch_codec.h"
#include "store/sqlite/queries.h"
#include "store/sqlite/rollups.h"
#include "store/sqlite/schema.h"

namespace loupe::store::sqlite {
namespace fs = std::filesystem;

SqliteStore::SqliteStore(StoreConfig config)
    : config_(std::move(config)), clock_(config_.clock ? config_.clock : &SystemClock::Get()) {}

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
  // Day files and index.db must be durable before the log forgets what
  // they hold, so they always run FULL (their commits are large).
  sync_ = ephemeral_ ? "OFF" : "FULL";

  auto log = Db::Open(log_path, create);
  if (!log.ok()) return log.status();
  log_ = std::move(*log);
  // journal_size_limit: once a checkpoint resets the WAL, it is cut back
  // to 64 MiB, so a burst does not leave a huge file behind.
  LOUPE_RETURN_IF_ERROR(
      log_->Exec("PRAGMA journal_mode=WAL; PRAGMA journal_size_limit=67108864; PRAGMA synchronous=" + sync));
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
  LOUPE_RETURN_IF_ERROR(
      index_->Exec("PRAGMA journal_mode=WAL; PRAGMA journal_size_limit=67108864; PRAGMA synchronous=" + sync_));
  LOUPE_RETURN_IF_ERROR(Migrate(index_.get(), kIndexKind));
  LOUPE_RETURN_IF_ERROR(RegisterFunctions(index_.get()));
  LOUPE_RETURN_IF_ERROR(OpenState());
  LOUPE_RETURN_IF_ERROR(OpenDays());
  LOUPE_RETURN_IF_ERROR(MoveV1Data());

  auto log_reader = Db::Open(log_path, false);
  if (!log_reader.ok()) return log_reader.status();
  log_reader_ = std::move(*log_reader);
  auto reader = Db::Open(index_path, false);
  if (!reader.ok()) return reader.status();
  reader_ = std::move(*reader);
  LOUPE_RETURN_IF_ERROR(RegisterFunctions(reader_.get()));

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
  std::scoped_lock locks(append_mu_, work_mu_, query_mu_);
  Status s = OpenFiles();
  if (!s.ok()) {
    append_.reset();
    log_.reset();
    log_reader_.reset();
    index_.reset();
    reader_.reset();
    {
      std::lock_guard<std::mutex> lock(mu_);
      state_.reset();
    }
    std::lock_guard<std::mutex> lock(parts_mu_);
    parts_.clear();
    return s;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    started_ = true;
    indexer_running_ = config_.run_indexer;
  }
  if (config_.run_indexer) {
    indexer_thread_ = std::thread([this] { IndexLoop(); });
    maintenance_thread_ = std::thread([this] { MaintenanceLoop(); });
  }
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
  maint_wake_.notify_all();
  if (indexer_thread_.joinable()) indexer_thread_.join();
  if (maintenance_thread_.joinable()) maintenance_thread_.join();
  std::scoped_lock locks(append_mu_, work_mu_, query_mu_);
  {
    std::lock_guard<std::mutex> lock(parts_mu_);
    parts_.clear();
  }
  append_.reset();
  log_.reset();
  log_reader_.reset();
  index_.reset();
  reader_.reset();
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_.reset();  // closed once the last caller holding it returns
  }
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
  struct Exit {
    SqliteStore* self;
    ~Exit() {
      std::lock_guard<std::mutex> lock(self->mu_);
      self->indexer_running_ = false;
    }
  } exit{this};
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, config_.index_poll, [this] { return stopping_ || appended_seq_ > indexed_seq_; });
      if (stopping_) return;
    }
    bool more = true;
    while (more) {
      Status s;
      {
        std::lock_guard<std::mutex> work(work_mu_);
        s = IndexOnce(&more);
      }
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
  auto st = log_reader_->Prepare(
      "SELECT seq, received_ns, payload FROM raw_batches WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!st.ok()) return st.status();
  st->Bind(1, from).Bind(2, static_cast<int64_t>(config_.index_batch_limit));
  std::vector<std::pair<model::Batch, uint64_t>> batches;
  int64_t last = from;
  Status s;
  std::string raw;
  while (st->Step(&s)) {
    last = st->Int(0);
    model::Batch batch;
    Status d = Decompress(st->Blob(2), &raw);
    if (d.ok()) d = DecodeBatch(raw, &batch);
    if (!d.ok()) {
      // A damaged row cannot be indexed; counting it and moving on keeps
      // the rest of the store alive (the row stays until truncation).
      ++corrupt_batches_;
      continue;
    }
    batches.push_back({std::move(batch), static_cast<uint64_t>(st->Int(1))});
  }
  st = Stmt();  // end the read transaction before the long writes
  LOUPE_RETURN_IF_ERROR(s);
  *more = static_cast<size_t>(last - from) >= config_.index_batch_limit;
  if (last == from) return Status::Ok();

  std::vector<const model::SpanRecord*> fresh;
  uint64_t duplicates = 0;
  LOUPE_RETURN_IF_ERROR(IndexBatches(batches, &fresh, &duplicates));
  // The day files are committed; now the cursor. A crash in between
  // replays these batches, which the day files see as duplicates.
  auto cur = index_->Prepare("UPDATE meta SET value = ? WHERE key = 'indexed_seq'");
  if (!cur.ok()) return cur.status();
  LOUPE_RETURN_IF_ERROR(cur->Bind(1, last).Run());
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

Status SqliteStore::IndexBatches(const std::vector<std::pair<model::Batch, uint64_t>>& batches,
                                 std::vector<const model::SpanRecord*>* fresh, uint64_t* duplicates) {
  struct DayWork {
    std::vector<const model::SpanRecord*> spans;
    std::vector<const model::LogRecord*> logs;
  };
  std::map<int64_t, DayWork> by_day;
  const int64_t first_kept = FirstKeptDay(Now(), config_.retention_spans);
  for (const auto& [batch, received_ns] : batches) {
    for (const model::SpanRecord& rec : batch.spans) {
      // The start time decides the day: a redelivery repeats it exactly,
      // so it meets its first copy in the same file.
      int64_t day = DayOf(rec.span.start_time_unix_nano);
      if (day < first_kept) {
        ++spans_expired_;
        continue;
      }
      by_day[day].spans.push_back(&rec);
    }
    for (const model::LogRecord& log : batch.logs) {
      uint64_t t = log.time_unix_nano ? log.time_unix_nano
                                      : (log.observed_time_unix_nano ? log.observed_time_unix_nano : received_ns);
      int64_t day = DayOf(t);
      if (day >= first_kept) by_day[day].logs.push_back(&log);
    }
  }
  for (auto& [day, work] : by_day) {
    auto p = DayFile(day);
    if (!p.ok()) return p.status();
    int64_t version = (*p)->version();
    LOUPE_RETURN_IF_ERROR((*p)->indexer()->Index(work.spans, work.logs, fresh, duplicates, &version));
    (*p)->set_version(version);
  }
  return Status::Ok();
}

Result<std::shared_ptr<Partition>> SqliteStore::DayFile(int64_t day) {
  {
    std::lock_guard<std::mutex> lock(parts_mu_);
    auto it = parts_.find(day);
    if (it != parts_.end()) return it->second;
  }
  std::error_code ec;
  fs::create_directories(dir_ + "/days", ec);
  if (ec) return Status::IoError(dir_ + "/days: cannot create: " + ec.message());
  auto p = Partition::Open(dir_ + "/days/" + DayName(day) + ".db", day, /*create=*/true, sync_);
  if (!p.ok()) return p.status();
  std::lock_guard<std::mutex> lock(parts_mu_);
  parts_[day] = *p;
  return *p;
}

std::vector<std::shared_ptr<Partition>> SqliteStore::DaysSnapshot() {
  std::lock_guard<std::mutex> lock(parts_mu_);
  std::vector<std::shared_ptr<Partition>> out;
  for (const auto& [day, p] : parts_) out.push_back(p);
  return out;
}

Status SqliteStore::OpenDays() {
  const std::string days = dir_ + "/days";
  std::error_code ec;
  if (!fs::exists(days, ec)) return Status::Ok();
  for (const auto& entry : fs::directory_iterator(days, ec)) {
    const std::string name = entry.path().filename().string();
    int64_t day;
    if (name.size() != 13 || name.substr(10) != ".db" || !ParseDayName(name.substr(0, 10), &day)) continue;
    auto p = Partition::Open(entry.path().string(), day, /*create=*/false, sync_);
    if (!p.ok()) return p.status();
    std::lock_guard<std::mutex> lock(parts_mu_);
    parts_[day] = *p;
  }
  if (ec) return Status::IoError(days + ": cannot list: " + ec.message());
  return Status::Ok();
}

Status SqliteStore::MoveV1Data() {
  Status s;
  {
    auto has = index_->Prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'spans'");
    if (!has.ok()) return has.status();
    if (!has->Step(&s) || has->Int(0) == 0) return s;
  }
  // Chunks of spans (with content) in row order, decoded and re-indexed
  // into day files exactly as fresh arrivals would be.
  int64_t after = 0;
  while (true) {
    auto st = index_->Prepare(
        "SELECT s.id, s.body, c.data FROM spans s LEFT JOIN content c ON c.span_row = s.id WHERE s.id > ? "
        "ORDER BY s.id LIMIT 5000");
    if (!st.ok()) return st.status();
    st->Bind(1, after);
    std::vector<std::pair<model::Batch, uint64_t>> chunk(1);
    std::string raw;
    while (st->Step(&s)) {
      after = st->Int(0);
      model::SpanRecord rec;
      Status d = Decompress(st->Blob(1), &raw);
      if (d.ok()) d = DecodeSpanRecord(raw, &rec);
      if (d.ok() && !st->IsNull(2) && rec.llm) {
        d = Decompress(st->Blob(2), &raw);
        if (d.ok()) d = DecodeContent(raw, &*rec.llm);
      }
      if (!d.ok()) return d.WithContext(index_->path() + ": upgrading from schema version 1, span row " +
                                        std::to_string(after));
      chunk[0].first.spans.push_back(std::move(rec));
    }
    LOUPE_RETURN_IF_ERROR(s);
    if (chunk[0].first.spans.empty()) break;
    std::vector<const model::SpanRecord*> fresh;
    uint64_t dups = 0;
    LOUPE_RETURN_IF_ERROR(IndexBatches(chunk, &fresh, &dups));
  }
  {
    auto st = index_->Prepare("SELECT body FROM logs");
    if (!st.ok()) return st.status();
    std::vector<std::pair<model::Batch, uint64_t>> chunk(1);
    chunk[0].second = Now();
    std::string raw;
    while (st->Step(&s)) {
      model::LogRecord log;
      Status d = Decompress(st->Blob(0), &raw);
      if (d.ok()) d = DecodeLog(raw, &log);
      if (!d.ok()) return d.WithContext(index_->path() + ": upgrading from schema version 1, a log row");
      chunk[0].first.logs.push_back(std::move(log));
    }
    LOUPE_RETURN_IF_ERROR(s);
    std::vector<const model::SpanRecord*> fresh;
    uint64_t dups = 0;
    LOUPE_RETURN_IF_ERROR(IndexBatches(chunk, &fresh, &dups));
  }
  Transaction txn(index_.get());
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  LOUPE_RETURN_IF_ERROR(index_->Exec(
      "DROP TABLE content_fts; DROP TABLE content; DROP TABLE llm_calls; DROP TABLE logs; DROP TABLE spans; "
      "DROP TABLE rollup_minute"));
  LOUPE_RETURN_IF_ERROR(txn.Commit());
  return index_->Exec("VACUUM");
}

int64_t SqliteStore::FirstKeptDay(uint64_t now, std::chrono::seconds keep) {
  const uint64_t keep_ns = static_cast<uint64_t>(keep.count()) * 1'000'000'000ull;
  return now > keep_ns ? DayOf(now - keep_ns) : 0;
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

// REQUIRES: the query lock. Newest first.
Result<std::vector<DayReader>> Readers(const std::vector<std::shared_ptr<Partition>>& days) {
  std::vector<DayReader> out;
  for (auto it = days.rbegin(); it != days.rend(); ++it) {
    auto db = (*it)->reader();
    if (!db.ok()) return db.status();
    out.push_back({(*it)->day(), *db});
  }
  return out;
}

Result<Trace> SqliteStore::GetTrace(const model::TraceId& trace_id) {
  std::lock_guard<std::mutex> lock(query_mu_);
  if (!reader_) return Status::Unavailable("store: not running");
  auto readers = Readers(DaysSnapshot());
  if (!readers.ok()) return readers.status();
  return sqlite::GetTrace(*readers, trace_id);
}

Result<TracePage> SqliteStore::SearchTraces(const TraceQuery& query) {
  if (query.score_below && query.score_below->dimension.empty()) {
    return Status::InvalidArgument("score_below: dimension must not be empty");
  }
  auto state = State();
  if (!state.ok()) return state.status();
  Result<TracePage> page = Status::Unavailable("store: not running");
  {
    std::lock_guard<std::mutex> lock(query_mu_);
    if (!reader_) return Status::Unavailable("store: not running");
    auto readers = Readers(DaysSnapshot());
    if (!readers.ok()) return readers.status();
    if (query.score_below) {
      for (const DayReader& d : *readers) LOUPE_RETURN_IF_ERROR(AttachState(d.db, (*state)->path()));
    }
    page = sqlite::SearchTraces(*readers, query);
  }
  if (!page.ok() || page->traces.empty()) return page;
  std::vector<model::TraceId> ids;
  for (const TraceSummary& t : page->traces) ids.push_back(t.trace_id);
  std::map<model::TraceId, std::vector<TraceScore>> scores;
  LOUPE_RETURN_IF_ERROR((*state)->TraceScores(ids, &scores));
  for (TraceSummary& t : page->traces) {
    auto it = scores.find(t.trace_id);
    if (it != scores.end()) t.scores = std::move(it->second);
  }
  return page;
}

Result<std::vector<RollupRow>> SqliteStore::QueryRollups(const RollupQuery& query) {
  for (Dimension d : query.group_by) {
    if (IsPerCallDimension(d)) return QueryCallRollups(query);
  }
  for (const auto& w : query.where) {
    if (IsPerCallDimension(w.first)) return QueryCallRollups(query);
  }
  std::lock_guard<std::mutex> lock(query_mu_);
  if (!reader_) return Status::Unavailable("store: not running");
  // Versions are read before the seal marks: a seal that lands in
  // between only makes a day look stale, answered from its minutes.
  std::map<int64_t, DayRollupSource> days;
  for (const auto& p : DaysSnapshot()) {
    auto db = p->reader();
    if (!db.ok()) return db.status();
    days[p->day()] = {p->day(), *db, p->version(), std::nullopt};
  }
  const int64_t first = static_cast<int64_t>(query.start_ns / kNanosPerDay);
  const int64_t last = query.end_ns ? static_cast<int64_t>(query.end_ns / kNanosPerDay) : INT64_MAX;
  std::vector<std::pair<int64_t, int64_t>> sealed;
  LOUPE_RETURN_IF_ERROR(ReadSealedDays(reader_.get(), first, last, &sealed));
  for (const auto& [day, version] : sealed) {
    auto& d = days[day];
    d.day = day;
    d.sealed = version;
  }
  std::vector<DayRollupSource> list;
  for (auto& [day, d] : days) list.push_back(d);
  return sqlite::QueryRollups(reader_.get(), list, query);
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
  stats.spans_expired = spans_expired_;
  stats.days_dropped = days_dropped_;
  stats.maintenance_runs = maintenance_runs_;
  stats.maintenance_errors = maintenance_errors_;
  if (!dir_.empty()) {
    std::error_code ec;
    stats.log_bytes = SqliteFilesBytes(dir_ + "/log.db");
    stats.index_bytes = SqliteFilesBytes(dir_ + "/index.db");
    for (const char* f : {"/log.db-wal", "/index.db-wal"}) {
      auto n = fs::file_size(dir_ + f, ec);
      if (!ec) stats.wal_bytes += n;
    }
    auto days = DaysSnapshot();
    stats.day_files = days.size();
    if (!days.empty()) stats.oldest_day_ns = static_cast<uint64_t>(days.front()->day() * kNanosPerDay);
    for (const auto& p : days) {
      stats.days_bytes += p->DiskBytes();
      auto n = fs::file_size(p->path() + "-wal", ec);
      if (!ec) stats.wal_bytes += n;
    }
  }
  return stats;
}

}  // namespace loupe::store::sqlite
