// SeriesTable: the label sets of one span-metrics family and their values,
// with a cardinality limit, an overflow series and idle expiry. Plus the
// plain (unsynchronised) histogram the tables hold.
//
// Not thread-safe: SpanMetrics holds its lock around every call.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "metrics/exposition.h"

namespace loupe::metrics {

// Fixed-bucket histogram data. `bounds` is owned by the caller and the
// same for every observation of one family.
struct HistogramData {
  std::vector<uint64_t> counts;  // non-cumulative, one per bound plus +Inf
  double sum = 0;
  uint64_t count = 0;

  explicit HistogramData(size_t bounds = 0) : counts(bounds + 1, 0) {}
  void Observe(const std::vector<double>& bounds, double v) {
    // Bucket lists are short (< 20): a linear scan beats a binary search.
    size_t i = 0;
    while (i < bounds.size() && v > bounds[i]) ++i;
    ++counts[i];
    sum += v;
    ++count;
  }
};

// Upper bounds of one histogram family and their `le` texts, formatted once.
struct Buckets {
  std::vector<double> bounds;  // ascending; +Inf implicit
  std::vector<std::string> le;

  explicit Buckets(std::vector<double> b) : bounds(std::move(b)) {
    for (double v : bounds) le.push_back(FormatValue(v));
  }
};

// Writes name_bucket{labels,le=...}, name_sum, name_count for `h`.
// `extra` (label, value) is added before `le` when its name is not empty.
void WriteHistogram(ExpositionWriter& writer, std::string_view name, const Labels& labels,
                    const Buckets& buckets, const HistogramData& h,
                    std::pair<std::string_view, std::string_view> extra = {});

// The label set every family uses for its overflow series.
const Labels& OverflowLabels();

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
class SeriesTable {
 public:
  struct Entry {
    Labels labels;
    V value;
    uint64_t last_used = 0;
  };

  // `label_names` is the schema: Get's values come in this order.
  // REQUIRES: limit >= 1.
  SeriesTable(std::vector<std::string> label_names, size_t limit)
      : names_(std::move(label_names)), limit_(limit) {}

  // The series of `values` (schema order; an empty value leaves its label
  // off), created from `prototype` on first use, or the overflow series
  // when `limit` label sets exist already. Marks it used at `now`. The
  // reference is valid until the next Get or Expire.
  V& Get(std::span<const std::string_view> values, uint64_t now, const V& prototype) {
    key_.clear();
    for (std::string_view v : values) {
      uint32_t n = static_cast<uint32_t>(v.size());
      key_.append(reinterpret_cast<const char*>(&n), sizeof n).append(v);
    }
    auto it = map_.find(std::string_view(key_));
    if (it != map_.end()) {
      it->second.last_used = now;
      return it->second.value;
    }
    if (map_.size() >= limit_) {
      ++overflowed_;
      if (!overflow_) overflow_.emplace(Entry{OverflowLabels(), prototype, now});
      overflow_->last_used = now;
      return overflow_->value;
    }
    Entry entry{{}, prototype, now};
    entry.labels.reserve(values.size());
    for (size_t i = 0; i < values.size() && i < names_.size(); ++i) {
      if (!values[i].empty()) entry.labels.emplace_back(names_[i], std::string(values[i]));
    }
    return map_.emplace(key_, std::move(entry)).first->second.value;
  }

  // Drops the series (the overflow one too) last used before `cutoff`.
  // Returns how many.
  size_t Expire(uint64_t cutoff) {
    size_t n = std::erase_if(map_, [cutoff](const auto& kv) { return kv.second.last_used < cutoff; });
    if (overflow_ && overflow_->last_used < cutoff) {
      overflow_.reset();
      ++n;
    }
    expired_ += n;
    return n;
  }

  // Every series, sorted by labels (stable scrapes), overflow last.
  std::vector<const Entry*> Sorted() const {
    std::vector<const Entry*> out;
    out.reserve(map_.size() + 1);
    for (const auto& kv : map_) out.push_back(&kv.second);
    std::sort(out.begin(), out.end(), [](const Entry* a, const Entry* b) { return a->labels < b->labels; });
    if (overflow_) out.push_back(&*overflow_);
    return out;
  }

  // Label sets held, not counting the overflow series.
  size_t size() const { return map_.size(); }
  bool has_overflow_series() const { return overflow_.has_value(); }
  // Updates sent to the overflow series, and series expired, ever.
  uint64_t overflowed() const { return overflowed_; }
  uint64_t expired() const { return expired_; }

 private:
  const std::vector<std::string> names_;
  const size_t limit_;
  std::string key_;  // scratch: length-prefixed values, reused so a hit allocates nothing
  std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> map_;
  std::optional<Entry> overflow_;
  uint64_t overflowed_ = 0;
  uint64_t expired_ = 0;
};

}  // namespace loupe::metrics
