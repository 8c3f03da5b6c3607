// Rollups at three granularities:
//
//   rollup_minute  in each day file, maintained by the indexer as spans
//                  arrive (late spans land in their own minute); lives as
//                  long as the day file (retention.spans).
//   rollup_hour,   in index.db, built from a day's minutes by SealDay
//   rollup_day     once the day is over, and rebuilt whenever late data
//                  changes the day (its rollup version moves on); they
//                  outlive the day files (retention.rollups).
//
// QueryRollups picks, for each day in range, the coarsest rows that
// answer it exactly: a whole day whose sealed rows are current uses
// rollup_day; its whole hours use rollup_hour and the ragged ends of a
// range cut mid-hour the day file's minutes; days not sealed or changed
// since sealing (today, late data) use the minutes throughout. Once a day file is gone, a range cut mid-hour is
// answered from whole hours (the hours whose start lies in range).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "store/query.h"
#include "store/sqlite/db.h"

namespace loupe::store::sqlite {

// Rebuilds the hour and day rows of `day` in `main` (one transaction)
// from the per-minute rows in `day_db`, recording `version` (the day's
// rollup version, read in the same snapshot as the minutes).
// REQUIRES: loupe_hist_merge registered on both connections.
Status SealDay(Db* main, Db* day_db, int64_t day);

// day -> sealed version, for days in [first_day, last_day].
Status ReadSealedDays(Db* main, int64_t first_day, int64_t last_day,
                      std::vector<std::pair<int64_t, int64_t>>* out);

struct DayRollupSource {
  int64_t day = 0;
  Db* db = nullptr;            // the day file; nullptr when dropped
  int64_t version = 0;         // the day file's rollup version
  std::optional<int64_t> sealed;  // version the hour/day rows were built from
};

// `days` sorted by day, covering every day that has data in range.
Result<std::vector<RollupRow>> QueryRollups(Db* main, const std::vector<DayRollupSource>& days,
                                            const RollupQuery& query);

// Deletes hour/day rows and seal marks of days before `first_kept_day`.
Status DropRollupsBefore(Db* main, int64_t first_kept_day);

}  // namespace loupe::store::sqlite
