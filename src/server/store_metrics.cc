#include "server/store_metrics.h"

namespace loupe::server {

void StoreMetrics::Collect(metrics::ExpositionWriter& w) const {
  using metrics::MetricType;
  const store::StoreStats s = store_->Stats();
  w.BeginFamily("loupe_store_disk_bytes", "Bytes on disk used by the store, by file kind.", MetricType::kGauge);
  w.Sample("loupe_store_disk_bytes", {{"file", "log"}}, s.log_bytes);
  w.Sample("loupe_store_disk_bytes", {{"file", "index"}}, s.index_bytes);
  w.Sample("loupe_store_disk_bytes", {{"file", "days"}}, s.days_bytes);
  w.BeginFamily("loupe_store_wal_bytes", "Of the store's bytes on disk, those in write-ahead logs.", MetricType::kGauge);
  w.Sample("loupe_store_wal_bytes", {}, s.wal_bytes);
  w.BeginFamily("loupe_store_day_files", "Day partitions of the index on disk.", MetricType::kGauge);
  w.Sample("loupe_store_day_files", {}, s.day_files);
  w.BeginFamily("loupe_store_oldest_day_timestamp_seconds", "Start of the oldest stored day (0 when none).",
                MetricType::kGauge);
  w.Sample("loupe_store_oldest_day_timestamp_seconds", {}, static_cast<double>(s.oldest_day_ns) / 1e9);
  w.BeginFamily("loupe_store_pending_batches", "Batches durable in the log but not yet queryable.",
                MetricType::kGauge);
  w.Sample("loupe_store_pending_batches", {}, s.pending_batches);
  w.BeginFamily("loupe_store_indexer_lag_seconds",
                "Age of the oldest durable batch not yet indexed (0 when caught up).", MetricType::kGauge);
  w.Sample("loupe_store_indexer_lag_seconds", {}, static_cast<double>(s.oldest_pending_age_nanos) / 1e9);
  w.BeginFamily("loupe_store_spans_indexed_total", "New spans indexed since start.", MetricType::kCounter);
  w.Sample("loupe_store_spans_indexed_total", {}, s.spans_indexed);
  w.BeginFamily("loupe_store_spans_duplicate_total", "Redelivered spans recognised and stored once, since start.",
                MetricType::kCounter);
  w.Sample("loupe_store_spans_duplicate_total", {}, s.spans_duplicate);
  w.BeginFamily("loupe_store_spans_expired_total", "Spans older than retention.spans, not stored, since start.",
                MetricType::kCounter);
  w.Sample("loupe_store_spans_expired_total", {}, s.spans_expired);
  w.BeginFamily("loupe_store_day_files_dropped_total", "Day files removed by retention since start.", MetricType::kCounter);
  w.Sample("loupe_store_day_files_dropped_total", {}, s.days_dropped);
  w.BeginFamily("loupe_store_maintenance_runs_total", "Maintenance passes (sealing, retention) since start.",
                MetricType::kCounter);
  w.Sample("loupe_store_maintenance_runs_total", {}, s.maintenance_runs);
  w.BeginFamily("loupe_store_maintenance_errors_total", "Maintenance passes that failed since start.",
                MetricType::kCounter);
  w.Sample("loupe_store_maintenance_errors_total", {}, s.maintenance_errors);
  w.BeginFamily("loupe_store_corrupt_batches_total", "Logged batches that could not be decoded and were skipped.",
                MetricType::kCounter);
  w.Sample("loupe_store_corrupt_batches_total", {}, s.corrupt_batches);
}

}  // namespace loupe::server
