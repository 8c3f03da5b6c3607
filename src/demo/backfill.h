// History for `--backfill`: when past traces happened. Traffic follows a
// daily cycle (busy in the working day, quiet at night, lighter at
// weekends) so baselines, week-over-week views and "same time yesterday"
// comparisons have a shape to compare against.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace loupe::demo {

// Relative traffic at a time, in (0, 1]: peaks at 14:00 UTC on weekdays.
double TrafficWeight(uint64_t unix_nanos);

// `count` start times in [now - range, now - 1 min), sorted ascending,
// drawn with TrafficWeight. Deterministic for (seed, now, range, count).
std::vector<uint64_t> BackfillTimes(uint64_t seed, uint64_t now_unix_nanos, uint64_t range_nanos, size_t count);

// A few thousand for a week: about 18 traces per hour, 100..20000.
size_t DefaultBackfillCount(double range_seconds);

}  // namespace loupe::demo
