// DiskQueue: one endpoint's durable FIFO of encoded export requests, an
// SQLite file (WAL) under data_dir/fanout/<endpoint>/queue.db. Append
// returns once the entry is committed, so the pipeline may acknowledge the
// client after it; entries leave only when sent or dropped.
//
// Bounded by bytes: an Append that takes the queue past max_bytes drops
// the oldest entries first (never the one being sent) and reports them.
//
// Thread-safe: the pipeline thread appends while the sender thread peeks
// and removes.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"

struct sqlite3;

namespace loupe::fanout {

class DiskQueue {
 public:
  struct Entry {
    int64_t id = 0;
    uint64_t enqueued_unix_nano = 0;
    int64_t spans = 0;
    std::string payload;
  };
  struct Stats {
    int64_t entries = 0;
    int64_t spans = 0;
    int64_t bytes = 0;                 // payload bytes
    uint64_t oldest_unix_nano = 0;     // 0 when empty
  };
  struct Dropped {
    int64_t entries = 0;
    int64_t spans = 0;
  };

  // Creates the directories and the file if needed; entries left by a
  // previous run are kept. fsync=false survives a killed process only.
  static Result<std::unique_ptr<DiskQueue>> Open(const std::string& dir, int64_t max_bytes, bool fsync);
  ~DiskQueue();

  DiskQueue(const DiskQueue&) = delete;
  DiskQueue& operator=(const DiskQueue&) = delete;

  // Commits one entry; `dropped` (may be null) gets what was dropped to
  // make room. IoError when the write fails (disk full): nothing queued.
  Status Append(std::string_view payload, int64_t spans, uint64_t now_unix_nano, Dropped* dropped);

  // The oldest entries, in order, whose payloads sum to at most max_bytes
  // (always at least one entry when not empty). They are "in flight" until
  // Remove: drop-oldest skips them.
  Status Peek(size_t max_bytes, std::vector<Entry>* out);

  // Removes entries with id <= up_to_id and ends the in-flight mark.
  Status RemoveThrough(int64_t up_to_id);
  // Ends the in-flight mark without removing (the send will be retried).
  void Release();

  Stats stats() const;

 private:
  explicit DiskQueue(sqlite3* db, int64_t max_bytes) : db_(db), max_bytes_(max_bytes) {}
  Status Exec(const char* sql);
  Status LoadStatsLocked();
  Status DropOldestLocked(Dropped* dropped);

  mutable std::mutex mu_;
  sqlite3* db_;              // GUARDED_BY(mu_)
  const int64_t max_bytes_;
  Stats stats_;              // GUARDED_BY(mu_)
  int64_t in_flight_through_ = 0;  // GUARDED_BY(mu_): ids <= this are being sent
};

}  // namespace loupe::fanout
