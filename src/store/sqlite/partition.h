// Partition: one UTC day of the index, in its own SQLite file
// (DATA_DIR/days/YYYY-MM-DD.db). A span lives in the day of its start
// time, which a redelivered span repeats exactly, so the day file's
// unique (trace id, span id) key is the store-wide dedup key. Each day
// file commits its spans and their per-minute rollups together, so a
// crash between two day files' commits is repaired by replay: what was
// already committed is seen as duplicate and not rolled up again.
// Retention deletes whole files.
//
// Threads: the writer connection and the indexer are used under the
// store's work lock (indexer thread, maintenance, backup, DeleteUser);
// the reader connection under its query lock. version() may be read
// anywhere.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "store/sqlite/db.h"
#include "store/sqlite/indexer.h"

namespace loupe::store::sqlite {

inline constexpr int64_t kNanosPerDay = 86'400'000'000'000;

// Days since the Unix epoch of a Unix-nanos time.
inline int64_t DayOf(uint64_t ns) { return static_cast<int64_t>(ns / static_cast<uint64_t>(kNanosPerDay)); }
// "2026-11-26" for a day number, and back (false when not such a name).
std::string DayName(int64_t day);
bool ParseDayName(std::string_view name, int64_t* day);

class Partition {
 public:
  // Opens (create: or creates) the day file at `path` and migrates it.
  // `sync` is the synchronous pragma value. Errors name the file.
  static Result<std::shared_ptr<Partition>> Open(const std::string& path, int64_t day, bool create,
                                                 const std::string& sync);
  ~Partition();

  int64_t day() const { return day_; }
  const std::string& path() const { return path_; }

  // REQUIRES: the work lock; nullptr once Close()d.
  Db* writer() { return writer_.get(); }
  Indexer* indexer() { return indexer_.get(); }
  bool closed() const { return writer_ == nullptr; }
  // Content was removed by content retention (the flag is in the file).
  bool content_dropped() const { return content_dropped_; }
  void set_content_dropped() { content_dropped_ = true; }

  // REQUIRES: the store's query lock. Opened on first use.
  Result<Db*> reader();

  // The day's rollup version: bumped by every commit that changed its
  // per-minute rollups; sealed hour/day rollups record the version they
  // were built from.
  int64_t version() const { return version_.load(); }
  void set_version(int64_t v) { version_.store(v); }

  // REQUIRES: the work lock and the query lock. Closes both connections
  // (after a TRUNCATE checkpoint) so the files can be removed.
  void Close();
  // Removes the file and its -wal/-shm. REQUIRES: Close()d.
  Status RemoveFiles();
  uint64_t DiskBytes() const;

 private:
  Partition(std::string path, int64_t day) : path_(std::move(path)), day_(day) {}
  const std::string path_;
  const int64_t day_;
  std::unique_ptr<Db> writer_;
  std::unique_ptr<Indexer> indexer_;
  std::unique_ptr<Db> reader_;
  bool content_dropped_ = false;
  std::atomic<int64_t> version_{0};
};

// Bytes of a SQLite file with its -wal and -shm.
uint64_t SqliteFilesBytes(const std::string& base);

}  // namespace loupe::store::sqlite
