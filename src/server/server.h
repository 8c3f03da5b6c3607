// Server: builds every stage from a Config, starts them in dependency
// order and stops them in reverse. The only place that knows all stages.
//
// Start-up order: pricing catalog, normaliser, consumers, pipeline, API
// and metrics ports, then the OTLP receivers (so nothing is accepted
// before everything downstream runs). Shutdown reverses it: receivers
// stop accepting and answer what is in flight, the pipeline drains and
// acknowledges everything it accepted, then the HTTP ports close.
#pragma once

#include <cstdint>
#include <memory>

#include "common/status.h"
#include "server/config.h"

namespace loupe::server {

class Server {
 public:
  // REQUIRES: config.Validate() is empty.
  explicit Server(Config config);
  ~Server();  // Shutdown()

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status Start();
  // Safe without Start() and twice. Blocks until everything accepted was
  // processed and acknowledged.
  void Shutdown();

  // SIGHUP: re-reads what can change without a restart (TLS certificates,
  // the alert rules file). Each stage reloads on its own; a failed one
  // keeps its previous state and is reported here, the others still reload.
  Status Reload();

  // Bound ports (useful with port 0); 0 when that listener is off.
  uint16_t otlp_grpc_port() const;
  uint16_t otlp_http_port() const;
  uint16_t api_port() const;
  uint16_t metrics_port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `loupe serve`: starts a Server, logs where it listens, reloads on SIGHUP,
// waits for SIGTERM or SIGINT, then shuts down gracefully. Returns the
// process exit code.
int RunServe(Config config);

}  // namespace loupe::server
