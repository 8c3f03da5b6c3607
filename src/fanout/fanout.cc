#include "fanout/fanout.h"

namespace loupe::fanout {

Result<std::unique_ptr<Fanout>> Fanout::Create(const FanoutConfig& config, const std::string& data_dir,
                                               metrics::Registry& registry) {
  auto fanout = std::make_unique<Fanout>();
  for (const EndpointConfig& endpoint : config.endpoints) {
    auto forwarder = Forwarder::Create(endpoint, data_dir, registry);
    if (!forwarder.ok()) return forwarder.status();
    fanout->forwarders_.push_back(std::move(forwarder).value());
  }
  return fanout;
}

void Fanout::Start() {
  for (auto& f : forwarders_) f->Start();
}

Status Fanout::Consume(std::span<model::Batch* const> batches) {
  Status first;
  for (auto& f : forwarders_) {
    Status s = f->Consume(batches);
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

void Fanout::Shutdown() {
  for (auto& f : forwarders_) f->Shutdown();
}

}  // namespace loupe::fanout
