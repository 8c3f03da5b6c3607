// StoreConfig: where and how the trace store keeps its data.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

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

  // Returns InvalidArgument naming the bad key.
  Status Validate() const;
};

}  // namespace loupe::store
