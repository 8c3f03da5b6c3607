// Prometheus text exposition format 0.0.4: the one writer every metrics
// source in Loupe appends to (the self-metrics registry here, span metrics
// later), so escaping and number formatting live in one place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loupe::metrics {

// Label pairs in output order. Registry canonicalises them (sorted by name).
using Labels = std::vector<std::pair<std::string, std::string>>;

enum class MetricType { kCounter, kGauge, kHistogram };
std::string_view MetricTypeName(MetricType type);

// "\\" -> "\\\\", "\"" -> "\\\"", newline -> "\\n".
std::string EscapeLabelValue(std::string_view value);
// "\\" -> "\\\\", newline -> "\\n" (HELP text does not escape quotes).
std::string EscapeHelp(std::string_view help);
// Shortest text that parses back to the same double; "+Inf", "-Inf", "NaN".
std::string FormatValue(double value);
// True for [a-zA-Z_:][a-zA-Z0-9_:]* (metric names) ...
bool IsValidMetricName(std::string_view name);
// ... and [a-zA-Z_][a-zA-Z0-9_]* (label names).
bool IsValidLabelName(std::string_view name);

// Appends families to a string. Not thread-safe; one per scrape.
class ExpositionWriter {
 public:
  explicit ExpositionWriter(std::string* out) : out_(out) {}

  // Writes the "# HELP" and "# TYPE" lines that open a family.
  void BeginFamily(std::string_view name, std::string_view help, MetricType type);

  // Writes one sample line: name{labels[,extra_name="extra_value"]} value.
  // `extra_name` (e.g. "le" for histogram buckets) is appended after the
  // labels when not empty.
  void Sample(std::string_view name, const Labels& labels, double value,
              std::string_view extra_name = {}, std::string_view extra_value = {});
  void Sample(std::string_view name, const Labels& labels, uint64_t value,
              std::string_view extra_name = {}, std::string_view extra_value = {});

 private:
  void WriteSeriesName(std::string_view name, const Labels& labels, std::string_view extra_name,
                       std::string_view extra_value);

  std::string* out_;
};

// Anything that can append its families to a scrape: the registry itself,
// and later the span-metrics aggregator. Collect may be called from any
// thread, concurrently with updates.
class Collector {
 public:
  virtual ~Collector() = default;
  virtual void Collect(ExpositionWriter& writer) const = 0;
};

}  // namespace loupe::metrics
