// SpanMetricsConfig: what span-to-metrics aggregates and how much of it it
// keeps. YAML lives under `span_metrics:`; the key path of each field is
// noted beside it and Validate() names it on error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace loupe::metrics {

// One extra label of traces_span_metrics_*, after the Collector's
// spanmetrics `dimensions`: the attribute `name` read from the span, then
// the resource, then `default_value`; when none has it the label is left
// off. The label name is `name` with every character outside
// [a-zA-Z0-9_] turned into '_' (gen_ai.request.model -> gen_ai_request_model).
struct SpanMetricsDimension {
  std::string name;                          // span_metrics.dimensions[i].name
  std::optional<std::string> default_value;  // span_metrics.dimensions[i].default
};

struct SpanMetricsConfig {
  bool enabled = true;  // span_metrics.enabled
  // The blueprint's dimensions.
  std::vector<SpanMetricsDimension> dimensions = {
      {"gen_ai.request.model", std::nullopt}, {"ai.feature", std::nullopt}, {"ai.team", std::nullopt}};
  // traces_span_metrics_duration_milliseconds upper bounds; +Inf implicit.
  std::vector<double> histogram_buckets_ms = {100, 250, 500, 1000, 2500, 5000, 10000};  // span_metrics.histogram_buckets_ms
  // Label sets per family; beyond it new ones go to the overflow series.
  size_t cardinality_limit = 10000;  // span_metrics.cardinality_limit
  // A series not updated for this long is dropped (and restarts from zero
  // if it comes back, which Prometheus reads as a counter reset). 0 = never.
  int64_t series_expiry_seconds = 3600;  // span_metrics.series_expiry_seconds
  // gen_ai_client_token_usage and gen_ai_client_operation_duration_seconds.
  bool genai_histograms = false;  // span_metrics.genai_histograms
  // Span ids remembered by the RecentSpanFilter when there is no store to
  // say which spans are new (24 bytes each).
  size_t dedup_capacity = 500000;  // span_metrics.dedup_capacity

  // The first problem found, naming its key path, e.g.
  // "span_metrics.dimensions[1].name: ...".
  Status Validate() const;
};

// The Prometheus label name of an attribute key: every character outside
// [a-zA-Z0-9_] becomes '_', and a leading digit gets a "key_" prefix.
std::string SanitizeLabelName(std::string_view attribute_key);

}  // namespace loupe::metrics
