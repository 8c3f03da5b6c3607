// OtlpGrpcReceiver: OTLP/gRPC TraceService, LogsService and MetricsService
// (default 127.0.0.1:4317) on gRPC's callback API, so a reply is sent when
// the pipeline acknowledges rather than holding a thread. gRPC stays behind
// a pimpl: this header includes none of it.
#pragma once

#include <cstdint>
#include <memory>

#include "common/status.h"
#include "ingest/config.h"
#include "ingest/pipeline.h"
#include "metrics/registry.h"

namespace loupe::ingest {

class OtlpGrpcReceiver {
 public:
  // `pipeline` and `registry` must outlive the receiver.
  OtlpGrpcReceiver(const ReceiverConfig& config, Pipeline& pipeline, metrics::Registry& registry);
  // Destroys the gRPC server, which waits for every call to be answered.
  // REQUIRES: Pipeline::Shutdown() returned (it answers every call).
  ~OtlpGrpcReceiver();

  // Binds config.grpc_addr (port 0: any free port).
  Status Start();
  uint16_t port() const;
  // Stops accepting calls; waits up to `grace_seconds` for in-flight calls
  // (which the still running pipeline answers), then cancels the rest.
  // Call before Pipeline::Shutdown(). Safe without Start() and twice.
  void Shutdown(int grace_seconds = 10);

  struct Impl;  // defined in otlp_grpc.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace loupe::ingest
