#include "store/sqlite/rollups.h"

#include <algorithm>
#include <map>

namespace loupe::store::sqlite {
namespace {

constexpr int64_t kNanosPerMinute = 60'000'000'000;
constexpr int64_t kMinutesPerDay = 1440;
constexpr const char* kDims = "team, feature, model, provider, prompt_version, service, environment, status";
constexpr const char* kSums =
    "SUM(requests), SUM(errors), SUM(input_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), "
    "SUM(output_tokens), SUM(reasoning_tokens), SUM(cost_nanos), SUM(unpriced), loupe_hist_merge(latency)";

int64_t CeilDiv(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

// Copies `select` (time, 8 dims, 9 sums, histogram) into `table`.
Status CopyRows(Stmt& select, Db* main, const std::string& table) {
  auto ins = main->Prepare("INSERT INTO " + table + " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  Status s;
  while (select.Step(&s)) {
    ins->Bind(1, select.Int(0));
    for (int i = 1; i <= 8; ++i) ins->Bind(i + 1, select.Text(i));
    for (int i = 9; i <= 17; ++i) ins->Bind(i + 1, select.Int(i));
    ins->BindBlob(19, select.Blob(18));
    LOUPE_RETURN_IF_ERROR(ins->Run());
  }
  return s;
}

}  // namespace

Status SealDay(Db* main, Db* day_db, int64_t day) {
  // One read snapshot of the day file: the version and the minutes agree.
  LOUPE_RETURN_IF_ERROR(day_db->Exec("BEGIN"));
  struct End { Db* db; ~End() { db->Exec("COMMIT"); } } end{day_db};
  auto ver = day_db->Prepare("SELECT value FROM meta WHERE key = 'version'");
  if (!ver.ok()) return ver.status();
  Status s;
  if (!ver->Step(&s)) return s.ok() ? Status::Internal(day_db->path() + ": no version row") : s;
  const int64_t version = ver->Int(0);
  auto hours = day_db->Prepare(std::string("SELECT minute / 60, ") + kDims + ", " + kSums +
                               " FROM rollup_minute GROUP BY 1, " + kDims);
  if (!hours.ok()) return hours.status();

  Transaction txn(main);
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  const int64_t first_hour = day * 24;
  auto del = main->Prepare("DELETE FROM rollup_hour WHERE hour >= ? AND hour < ?");
  if (!del.ok()) return del.status();
  LOUPE_RETURN_IF_ERROR(del->Bind(1, first_hour).Bind(2, first_hour + 24).Run());
  auto del_day = main->Prepare("DELETE FROM rollup_day WHERE day = ?");
  if (!del_day.ok()) return del_day.status();
  LOUPE_RETURN_IF_ERROR(del_day->Bind(1, day).Run());
  LOUPE_RETURN_IF_ERROR(CopyRows(*hours, main, "rollup_hour"));
  auto days = main->Prepare(std::string("SELECT ?1, ") + kDims + ", " + kSums +
                            " FROM rollup_hour WHERE hour >= ?2 AND hour < ?3 GROUP BY " + kDims);
  if (!days.ok()) return days.status();
  days->Bind(1, day).Bind(2, first_hour).Bind(3, first_hour + 24);
  LOUPE_RETURN_IF_ERROR(CopyRows(*days, main, "rollup_day"));
  days = Stmt();
  auto mark = main->Prepare("INSERT OR REPLACE INTO sealed_days VALUES(?, ?)");
  if (!mark.ok()) return mark.status();
  LOUPE_RETURN_IF_ERROR(mark->Bind(1, day).Bind(2, version).Run());
  return txn.Commit();
}

Status ReadSealedDays(Db* main, int64_t first_day, int64_t last_day,
                      std::vector<std::pair<int64_t, int64_t>>* out) {
  auto st = main->Prepare("SELECT day, version FROM sealed_days WHERE day >= ? AND day <= ? ORDER BY day");
  if (!st.ok()) return st.status();
  st->Bind(1, first_day).Bind(2, last_day);
  Status s;
  while (st->Step(&s)) out->push_back({st->Int(0), st->Int(1)});
  return s;
}

Status DropRollupsBefore(Db* main, int64_t first_kept_day) {
  Transaction txn(main);
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  for (const char* sql : {"DELETE FROM rollup_hour WHERE hour < ?", "DELETE FROM rollup_day WHERE day < ?",
                          "DELETE FROM sealed_days WHERE day < ?"}) {
    auto st = main->Prepare(sql);
    if (!st.ok()) return st.status();
    int64_t bound = std::string_view(sql).find("hour") != std::string_view::npos ? first_kept_day * 24 : first_kept_day;
    LOUPE_RETURN_IF_ERROR(st->Bind(1, bound).Run());
  }
  return txn.Commit();
}

namespace {

using RowMap = std::map<std::vector<std::string>, RollupRow>;

// Adds the rows of `table` with time column in [lo, hi) to *rows.
Status Accumulate(Db* db, const char* table, const char* time_col, int64_t lo, int64_t hi, const RollupQuery& q,
                  RowMap* rows) {
  std::string dims;
  for (Dimension d : q.group_by) dims += std::string(DimensionName(d)) + ", ";
  std::string sql = "SELECT " + dims + kSums + " FROM " + table + " WHERE " + time_col + " >= ?1 AND " + time_col +
                    " < ?2";
  int param = 3;
  for (const auto& w : q.where) sql += " AND " + std::string(DimensionName(w.first)) + " = ?" + std::to_string(param++);
  if (!q.group_by.empty()) sql += " GROUP BY " + dims.substr(0, dims.size() - 2);
  auto st = db->Prepare(sql);
  if (!st.ok()) return st.status();
  st->Bind(1, lo).Bind(2, hi);
  param = 3;
  for (const auto& w : q.where) st->Bind(param++, std::string_view(w.second));
  Status s;
  const int n = static_cast<int>(q.group_by.size());
  while (st->Step(&s)) {
    if (st->IsNull(n)) continue;  // SUM over zero rows
    std::vector<std::string> key;
    for (int i = 0; i < n; ++i) key.emplace_back(st->Text(i));
    RollupRow& row = (*rows)[key];
    row.key = key;
    int64_t* measures[] = {&row.requests, &row.errors, &row.input_tokens, &row.cache_read_tokens,
                           &row.cache_write_tokens, &row.output_tokens, &row.reasoning_tokens, &row.cost_nanos,
                           &row.unpriced_requests};
    for (int i = 0; i < 9; ++i) *measures[i] += st->Int(n + i);
    LatencyHistogram h;
    if (!h.Decode(st->Blob(n + 9))) return Status::Internal(db->path() + ": bad merged histogram");
    row.latency.Merge(h);
  }
  return s;
}

// Adds [lo, hi) to a list of ranges, joining it to the last when they touch.
void AddRange(std::vector<std::pair<int64_t, int64_t>>* ranges, int64_t lo, int64_t hi) {
  if (!ranges->empty() && ranges->back().second == lo) ranges->back().second = hi;
  else ranges->push_back({lo, hi});
}

}  // namespace

Result<std::vector<RollupRow>> QueryRollups(Db* main, const std::vector<DayRollupSource>& days,
                                            const RollupQuery& q) {
  // Whole minutes whose start lies in [start, end).
  auto ceil_minute = [](uint64_t ns) { return static_cast<int64_t>((ns + kNanosPerMinute - 1) / kNanosPerMinute); };
  const int64_t m0 = ceil_minute(q.start_ns);
  const int64_t m1 = q.end_ns ? ceil_minute(q.end_ns) : INT64_MAX / 2;
  std::vector<std::pair<int64_t, int64_t>> day_ranges, hour_ranges;
  RowMap rows;
  for (const DayRollupSource& d : days) {
    const int64_t day_lo = d.day * kMinutesPerDay, day_hi = day_lo + kMinutesPerDay;
    const int64_t a = std::max(m0, day_lo), b = std::min(m1, day_hi);
    if (a >= b) continue;
    const bool current = d.sealed && (d.db == nullptr || *d.sealed == d.version);
    if (current && a == day_lo && b == day_hi) {
      AddRange(&day_ranges, d.day, d.day + 1);
    } else if (current && d.db == nullptr) {
      AddRange(&hour_ranges, CeilDiv(a, 60), CeilDiv(b, 60));  // the minutes are gone: whole hours
    } else if (current) {
      // Whole hours from rollup_hour, the ragged ends from the minutes.
      const int64_t ha = CeilDiv(a, 60) * 60, hb = b / 60 * 60;
      if (ha < hb) {
        AddRange(&hour_ranges, ha / 60, hb / 60);
        if (a < ha) LOUPE_RETURN_IF_ERROR(Accumulate(d.db, "rollup_minute", "minute", a, ha, q, &rows));
        if (hb < b) LOUPE_RETURN_IF_ERROR(Accumulate(d.db, "rollup_minute", "minute", hb, b, q, &rows));
      } else {
        LOUPE_RETURN_IF_ERROR(Accumulate(d.db, "rollup_minute", "minute", a, b, q, &rows));
      }
    } else if (d.db != nullptr) {
      LOUPE_RETURN_IF_ERROR(Accumulate(d.db, "rollup_minute", "minute", a, b, q, &rows));
    }
  }
  for (const auto& [lo, hi] : day_ranges) LOUPE_RETURN_IF_ERROR(Accumulate(main, "rollup_day", "day", lo, hi, q, &rows));
  for (const auto& [lo, hi] : hour_ranges) {
    LOUPE_RETURN_IF_ERROR(Accumulate(main, "rollup_hour", "hour", lo, hi, q, &rows));
  }
  std::vector<RollupRow> out;
  out.reserve(rows.size());
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  std::stable_sort(out.begin(), out.end(),
                   [](const RollupRow& a, const RollupRow& b) { return a.cost_nanos > b.cost_nanos; });
  return out;
}

}  // namespace loupe::store::sqlite
