// StoreMetrics: the store's Stats() as Loupe's own metrics (disk usage,
// indexer lag, duplicates), read at scrape time.
#pragma once

#include "metrics/exposition.h"
#include "store/store.h"

namespace loupe::server {

class StoreMetrics final : public metrics::Collector {
 public:
  explicit StoreMetrics(store::Store* store) : store_(store) {}
  void Collect(metrics::ExpositionWriter& writer) const override;

 private:
  store::Store* const store_;  // not owned
};

}  // namespace loupe::server
