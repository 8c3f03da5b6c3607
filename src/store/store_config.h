// StoreConfig: where and how the trace store keeps its data.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace loupe::store {

struct StoreConfig {
  // Directory of the embedded SQLite store (created when missing). Empty:
  // an ephemeral store in a fresh temporary directory, removed at
  // Shutdown — fully functional, but nothing survives a restart and no
  // fsync is paid.
  std::string data_dir;

  // Durable appends use synchronous=FULL (survives power loss). With
  // false, synchronous=NORMAL: survives kill -9 of the process, but the
  // last groups acknowledged before an OS crash or power loss may be lost.
  bool fsync = true;

  // The indexer takes up to this many logged batches per transaction.
  size_t index_batch_limit = 256;
  // How long the indexer sleeps when idle before looking again (it is
  // also woken by every append).
  std::chrono::milliseconds index_poll{200};

  // False: no indexer thread runs, so everything stays in the log.
  // For tests and offline tools only; queries then see nothing new.
  bool run_indexer = true;

  // Retention, enforced by the background maintenance pass (deleting
  // whole day files, never stalling the ack path). A day is dropped once
  // its end is older than the setting; spans arriving for such a day are
  // not stored (Stats().spans_expired).
  std::chrono::seconds retention_spans{std::chrono::hours(24 * 30)};    // retention.spans
  // Prompts/completions (content, full-text index) are removed from day
  // files older than this. 0: kept as long as the spans.
  std::chrono::seconds retention_content{0};                            // retention.content
  // Hourly and daily rollups (per-minute ones live in the day files).
  std::chrono::seconds retention_rollups{std::chrono::hours(24 * 400)};  // retention.rollups
  // When the store's files exceed this, the oldest day files are dropped
  // (after sealing their rollups) until it fits; today's file is never
  // dropped. 0: no limit.
  uint64_t max_disk_bytes = 0;                                          // retention.max_disk_bytes
  // How often the maintenance pass runs (sealing, retention, checkpoints).
  std::chrono::milliseconds maintenance_interval{std::chrono::seconds(60)};  // retention.check_interval
  // A finished day's hour and day rollups are built this long after its
  // end (and rebuilt when late data changes it).
  std::chrono::seconds seal_after{std::chrono::minutes(10)};            // rollups.seal_after

  // "Now" for retention (tests pin it). nullptr: the system clock.
  const Clock* clock = nullptr;

  // Returns InvalidArgument naming the bad key.
  Status Validate() const;
};

}  // namespace loupe::store
