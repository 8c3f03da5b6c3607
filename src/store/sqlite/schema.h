// The versioned schemas of the store's two SQLite files and their
// migrations, run at start-up.
//
//   log.db    raw_batches: the durable, index-free log of compressed
//             batches the ack path appends to.
//   index.db  the indexer cursor, hourly and daily rollups and which
//             days they were built from (version 1 also held the data
//             tables that version 2 moved into day files).
//   days/YYYY-MM-DD.db (kind loupe-day): one UTC day of spans, llm_calls,
//             content (+ content_fts), logs and per-minute rollups.
//   state.db  (kind loupe-state) scores, the evaluation queue, small
//             durable values and the event journal (state_store.h).
//
// Each file has a schema_version table (kind, version). Migration i takes
// version i to i+1; version 0 is an empty file. A file of another kind, a
// database that is not Loupe's, or a version newer than this binary
// knows is a FailedPrecondition error naming the file.
#pragma once

#include <string_view>

#include "common/status.h"
#include "store/sqlite/db.h"

namespace loupe::store::sqlite {

inline constexpr std::string_view kLogKind = "loupe-log";
inline constexpr std::string_view kIndexKind = "loupe-index";
inline constexpr std::string_view kDayKind = "loupe-day";
inline constexpr std::string_view kStateKind = "loupe-state";

// The versions this binary writes.
int LatestLogVersion();
int LatestIndexVersion();
int LatestDayVersion();
int LatestStateVersion();

// Brings `db` to the latest version of `kind`, in one transaction.
Status Migrate(Db* db, std::string_view kind);

// The stored version of `db` (0 for an empty file), checking its kind.
Result<int> ReadSchemaVersion(Db* db, std::string_view kind);

}  // namespace loupe::store::sqlite
