#include "metrics/registry.h"

#include <algorithm>
#include <cmath>

namespace loupe::metrics {

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  // +Inf is implicit; an explicit one would duplicate the last bucket.
  while (!bounds_.empty() && std::isinf(bounds_.back())) bounds_.pop_back();
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double value) {
  // The first bound >= value: buckets are "less than or equal".
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

namespace {

// Sorted by label name, so {a,b} and {b,a} are the same series.
Labels Canonical(Labels labels) {
  std::sort(labels.begin(), labels.end());
  return labels;
}

constexpr std::string_view kMisuseName = "loupe_metrics_registration_errors_total";

}  // namespace

void Registry::RecordMisuseLocked() {
  auto it = families_.find(kMisuseName);
  if (it == families_.end()) {
    Family f;
    f.help = "Metric registrations refused for a bad name or a type clash (a Loupe bug).";
    f.type = MetricType::kCounter;
    it = families_.emplace(std::string(kMisuseName), std::move(f)).first;
  }
  auto& c = it->second.counters[{}];
  if (!c) c = std::make_unique<Counter>();
  c->Inc();
}

Registry::Family* Registry::FamilyFor(std::string_view name, std::string_view help,
                                      MetricType type, const std::vector<double>& bounds,
                                      const Labels& labels) {
  bool ok = IsValidMetricName(name) && name != kMisuseName;
  for (const auto& [k, v] : labels) {
    ok = ok && IsValidLabelName(k) && k != "le";
  }
  if (ok) {
    auto it = families_.find(name);
    if (it == families_.end()) {
      Family f;
      f.help = std::string(help);
      f.type = type;
      f.bounds = bounds;
      return &families_.emplace(std::string(name), std::move(f)).first->second;
    }
    if (it->second.type == type && it->second.bounds == bounds) return &it->second;
  }
  RecordMisuseLocked();
  return nullptr;
}

Counter& Registry::GetCounter(std::string_view name, std::string_view help, Labels labels) {
  labels = Canonical(std::move(labels));
  std::lock_guard lock(mu_);
  Family* f = FamilyFor(name, help, MetricType::kCounter, {}, labels);
  if (f == nullptr) return *orphan_counters_.emplace_back(std::make_unique<Counter>());
  auto& c = f->counters[std::move(labels)];
  if (!c) c = std::make_unique<Counter>();
  return *c;
}

Gauge& Registry::GetGauge(std::string_view name, std::string_view help, Labels labels) {
  labels = Canonical(std::move(labels));
  std::lock_guard lock(mu_);
  Family* f = FamilyFor(name, help, MetricType::kGauge, {}, labels);
  if (f == nullptr) return *orphan_gauges_.emplace_back(std::make_unique<Gauge>());
  auto& g = f->gauges[std::move(labels)];
  if (!g) g = std::make_unique<Gauge>();
  return *g;
}

Histogram& Registry::GetHistogram(std::string_view name, std::string_view help,
                                  std::vector<double> bounds, Labels labels) {
  labels = Canonical(std::move(labels));
  // Normalise the bounds the way Histogram does, so equal sets compare equal.
  bounds = Histogram(std::move(bounds)).bounds();
  std::lock_guard lock(mu_);
  Family* f = FamilyFor(name, help, MetricType::kHistogram, bounds, labels);
  if (f == nullptr) {
    return *orphan_histograms_.emplace_back(std::make_unique<Histogram>(bounds));
  }
  auto& h = f->histograms[std::move(labels)];
  if (!h) h = std::make_unique<Histogram>(bounds);
  return *h;
}

void Registry::AddCollector(const Collector* c) {
  std::lock_guard lock(collectors_mu_);
  collectors_.push_back(c);
}

void Registry::RemoveCollector(const Collector* c) {
  std::lock_guard lock(collectors_mu_);
  collectors_.erase(std::remove(collectors_.begin(), collectors_.end(), c), collectors_.end());
}

void Registry::Collect(ExpositionWriter& w) const {
  std::lock_guard lock(mu_);
  for (const auto& [name, f] : families_) {
    w.BeginFamily(name, f.help, f.type);
    for (const auto& [labels, c] : f.counters) w.Sample(name, labels, c->Value());
    for (const auto& [labels, g] : f.gauges) w.Sample(name, labels, g->Value());
    for (const auto& [labels, h] : f.histograms) {
      std::vector<uint64_t> counts = h->CumulativeCounts();
      const std::string bucket = name + "_bucket";
      for (size_t i = 0; i < h->bounds().size(); ++i) {
        w.Sample(bucket, labels, counts[i], "le", FormatValue(h->bounds()[i]));
      }
      w.Sample(bucket, labels, counts.back(), "le", "+Inf");
      w.Sample(name + "_sum", labels, h->Sum());
      // _count equals the +Inf bucket so the two never disagree in one scrape.
      w.Sample(name + "_count", labels, counts.back());
    }
  }
}

std::string Registry::Render() const {
  std::string out;
  ExpositionWriter w(&out);
  Collect(w);
  // Held while collecting so RemoveCollector waits for a scrape in progress.
  std::lock_guard lock(collectors_mu_);
  for (const Collector* c : collectors_) c->Collect(w);
  return out;
}

}  // namespace loupe::metrics
