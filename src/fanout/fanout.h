// Fanout: every configured endpoint's Forwarder behind one BatchConsumer,
// so the server wires the whole fan-out with one pointer.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "fanout/config.h"
#include "fanout/forwarder.h"

namespace loupe::fanout {

class Fanout final : public model::BatchConsumer {
 public:
  // Opens each endpoint's queue under <data_dir>/fanout/<name>/.
  // REQUIRES: config.Validate() is OK; registry outlives this.
  static Result<std::unique_ptr<Fanout>> Create(const FanoutConfig& config, const std::string& data_dir,
                                                metrics::Registry& registry);

  void Start();
  // Queues for every endpoint; returns the first failure after trying all
  // (the client retries, and endpoints that queued get the spans again:
  // at-least-once).
  Status Consume(std::span<model::Batch* const> batches) override;
  // Safe without Start and twice; queued data stays on disk.
  void Shutdown();

  const std::vector<std::unique_ptr<Forwarder>>& forwarders() const { return forwarders_; }

 private:
  std::vector<std::unique_ptr<Forwarder>> forwarders_;
};

}  // namespace loupe::fanout
