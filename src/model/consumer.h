// BatchConsumer: the one interface a pipeline stage implements to receive
// normalised batches (the store, span metrics, evaluation, fan-out).
#pragma once

#include <span>

#include "common/status.h"
#include "model/batch.h"

namespace loupe::model {

class BatchConsumer {
 public:
  virtual ~BatchConsumer() = default;

  // Takes a group of batches at once so that a durable consumer can commit
  // them together (group commit). Returns OK only once the batches are
  // accepted, meaning durable for a store; the receiver acknowledges the
  // client only after every consumer returned OK. Called from one pipeline
  // thread at a time.
  virtual Status Consume(std::span<model::Batch* const> batches) = 0;
};

}  // namespace loupe::model
