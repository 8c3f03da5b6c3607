// Registry: Loupe's own metrics (loupe_*), exposed on /metrics.
//
// Thread-safe. Look a series up once (Get*, which takes a lock) and keep
// the returned reference: updates are lock-free atomics. Series live as long
// as the registry, so references never dangle while it exists.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/exposition.h"

namespace loupe::metrics {

// Monotonic integer counter.
class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Fixed-bucket histogram. A scrape reads buckets, sum and count one after
// another without a lock, so under concurrent Observe they may disagree by
// the few observations in flight; Prometheus tolerates that.
class Histogram {
 public:
  // `bounds` are upper bounds, sorted ascending; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);

  void Observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts, one per bound plus the +Inf bucket.
  std::vector<uint64_t> CumulativeCounts() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // non-cumulative, size bounds_+1
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Default latency buckets in seconds (1 ms .. 30 s).
std::vector<double> DefaultLatencyBuckets();

class Registry final : public Collector {
 public:
  // Content-Type of Render()'s output.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Returns the series `name{labels}`, creating the family and the series on
  // first use. The same name must always come with the same type (and, for
  // histograms, the same bounds). A misuse (bad name, type clash) does not
  // crash: it returns a series that is never exported and counts
  // loupe_metrics_registration_errors_total.
  Counter& GetCounter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, Labels labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help,
                          std::vector<double> bounds, Labels labels = {});

  // Adds a source rendered after the registry's own families, in the order
  // added. Not owned. REQUIRES: RemoveCollector before `c` is destroyed
  // (it waits for a scrape in progress).
  void AddCollector(const Collector* c);
  void RemoveCollector(const Collector* c);

  // Appends the registry's own families, sorted by name, each series sorted
  // by labels.
  void Collect(ExpositionWriter& writer) const override;

  // The whole scrape: own families, then every added collector.
  std::string Render() const;

 private:
  struct Family {
    std::string help;
    MetricType type;
    std::vector<double> bounds;  // histograms only
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };

  // Finds or creates the family; nullptr on misuse. REQUIRES: mu_ held.
  Family* FamilyFor(std::string_view name, std::string_view help, MetricType type,
                    const std::vector<double>& bounds, const Labels& labels);
  void RecordMisuseLocked();

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;  // GUARDED_BY(mu_)
  mutable std::mutex collectors_mu_;
  std::vector<const Collector*> collectors_;  // GUARDED_BY(collectors_mu_)
  // Series handed out on misuse; kept alive, never exported.
  std::vector<std::unique_ptr<Counter>> orphan_counters_;      // GUARDED_BY(mu_)
  std::vector<std::unique_ptr<Gauge>> orphan_gauges_;          // GUARDED_BY(mu_)
  std::vector<std::unique_ptr<Histogram>> orphan_histograms_;  // GUARDED_BY(mu_)
};

}  // namespace loupe::metrics
