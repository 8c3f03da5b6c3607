// OtlpGrpcReceiver: OTLP/gRPC TraceService, LogsService and MetricsService
// (default 127.0.0.1:4317) on gRPC's callback API, so a reply is sent when
// the pipeline acknowledges rather than holding a thread. gRPC stays behind
// a pimpl: this header includes none of it.
#pragma once

#include <cstdint>
#include <memory>

#include "auth/tls.h"
#include "common/status.h"
#include "ingest/config.h"
#include "ingest/pipeline.h"
#include "metrics/registry.h"

namespace loupe::auth {
class Authenticator;
}

namespace loupe::ingest {

class OtlpGrpcReceiver {
 public:
  // `pipeline` and `registry` must outlive the receiver.
  OtlpGrpcReceiver(const ReceiverConfig& config, Pipeline& pipeline, metrics::Registry& registry);
  // Destroys the gRPC server, which waits for every call to be answered.
  // REQUIRES: Pipeline::Shutdown() returned (it answers every call).
  ~OtlpGrpcReceiver();

  // Before Start(): when `authenticator` has ingest tokens, every call must
  // carry `authorization: Bearer <token>` metadata, else it ends with
  // UNAUTHENTICATED and a message saying what was wrong (missing, malformed
  // or unknown token) before its body is decoded. `authenticator` must
  // outlive the receiver.
  void RequireAuth(const auth::Authenticator* authenticator);

  // Before Start(): serve TLS (requiring client certificates when
  // tls.client_ca_file is set). Start() checks the files and fails with a
  // Status naming the file when one is unusable.
  void SetTls(auth::TlsConfig tls);
  // Re-reads the TLS files (SIGHUP). When they are good, new connections
  // get the new certificate within about a second (gRPC's file watcher
  // picks up a checked private copy, see auth/staged_files.h); open
  // connections and the listener stay. When not, the old certificate stays
  // and the Status names the file. OK and a no-op when TLS is off.
  Status ReloadTls();

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
