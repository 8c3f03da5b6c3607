#include "metrics/span_metrics_series.h"

namespace loupe::metrics {

const Labels& OverflowLabels() {
  static const Labels kOverflow = {{"otel_metric_overflow", "true"}};
  return kOverflow;
}

void WriteHistogram(ExpositionWriter& writer, std::string_view name, const Labels& labels,
                    const Buckets& buckets, const HistogramData& h,
                    std::pair<std::string_view, std::string_view> extra) {
  const std::string bucket = std::string(name) + "_bucket";
  const Labels* base = &labels;
  Labels with_extra;
  if (!extra.first.empty()) {
    with_extra = labels;
    with_extra.emplace_back(extra.first, extra.second);
    base = &with_extra;
  }
  uint64_t cumulative = 0;
  for (size_t i = 0; i < buckets.le.size(); ++i) {
    cumulative += h.counts[i];
    writer.Sample(bucket, *base, cumulative, "le", buckets.le[i]);
  }
  cumulative += h.counts[buckets.le.size()];
  writer.Sample(bucket, *base, cumulative, "le", "+Inf");
  writer.Sample(std::string(name) + "_sum", *base, h.sum);
  // Taken from the +Inf bucket so the two always agree.
  writer.Sample(std::string(name) + "_count", *base, cumulative);
}

}  // namespace loupe::metrics
