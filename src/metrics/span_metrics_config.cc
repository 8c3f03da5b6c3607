#include "metrics/span_metrics_config.h"

#include <cmath>
#include <set>

namespace loupe::metrics {
namespace {

// Labels span metrics sets itself; a dimension may not reuse them.
const std::set<std::string, std::less<>>& ReservedLabels() {
  static const std::set<std::string, std::less<>> kReserved = {
      "service_name", "span_name", "span_kind", "status_code", "le", "otel_metric_overflow"};
  return kReserved;
}

}  // namespace

std::string SanitizeLabelName(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 4);
  if (!key.empty() && key[0] >= '0' && key[0] <= '9') out = "key_";
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out.push_back(ok ? c : '_');
  }
  return out;
}

Status SpanMetricsConfig::Validate() const {
  std::set<std::string> labels;
  for (size_t i = 0; i < dimensions.size(); ++i) {
    const std::string path = "span_metrics.dimensions[" + std::to_string(i) + "]";
    const SpanMetricsDimension& d = dimensions[i];
    if (d.name.empty() || d.name.find_first_not_of(" \t") == std::string::npos) {
      return Status::InvalidArgument(path + ".name: must not be empty");
    }
    std::string label = SanitizeLabelName(d.name);
    if (label.rfind("__", 0) == 0) {
      return Status::InvalidArgument(path + ".name: label \"" + label + "\" starts with __, which Prometheus reserves");
    }
    if (ReservedLabels().count(label) > 0) {
      return Status::InvalidArgument(path + ".name: label \"" + label + "\" is set by span metrics itself");
    }
    if (!labels.insert(label).second) {
      return Status::InvalidArgument(path + ".name: label \"" + label + "\" repeats an earlier dimension");
    }
  }
  if (histogram_buckets_ms.empty()) {
    return Status::InvalidArgument("span_metrics.histogram_buckets_ms: must list at least one bound");
  }
  for (size_t i = 0; i < histogram_buckets_ms.size(); ++i) {
    double b = histogram_buckets_ms[i];
    const std::string path = "span_metrics.histogram_buckets_ms[" + std::to_string(i) + "]";
    if (!std::isfinite(b) || b <= 0) return Status::InvalidArgument(path + ": must be a positive number");
    if (i > 0 && b <= histogram_buckets_ms[i - 1]) {
      return Status::InvalidArgument(path + ": bounds must be strictly ascending");
    }
  }
  if (cardinality_limit < 1) return Status::InvalidArgument("span_metrics.cardinality_limit: must be at least 1");
  if (series_expiry_seconds < 0) {
    return Status::InvalidArgument("span_metrics.series_expiry_seconds: must not be negative (0 = never)");
  }
  if (dedup_capacity < 1) return Status::InvalidArgument("span_metrics.dedup_capacity: must be at least 1");
  return Status::Ok();
}

}  // namespace loupe::metrics
