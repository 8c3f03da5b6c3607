// OtlpHttpReceiver: OTLP/HTTP on its own HttpServer (default
// 127.0.0.1:4318): POST /v1/traces, /v1/logs, /v1/metrics with protobuf or
// JSON bodies, gzip or identity. Answers only after the pipeline
// acknowledged, with the status codes of the OTLP spec (see status_map.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "auth/tls.h"
#include "common/status.h"
#include "ingest/config.h"
#include "ingest/http_server.h"
#include "ingest/pipeline.h"
#include "ingest/receiver_metrics.h"
#include "metrics/registry.h"

namespace loupe::ingest {

class OtlpHttpReceiver {
 public:
  // `pipeline` and `registry` must outlive the receiver.
  OtlpHttpReceiver(const ReceiverConfig& config, Pipeline& pipeline, metrics::Registry& registry);
  ~OtlpHttpReceiver();  // Shutdown()

  // Before Start(): require an ingest token (`authorization: Bearer ...`)
  // on every request when `authenticator` has ingest tokens. Refusals are
  // 401/403 with a google.rpc.Status body in the request's encoding
  // (UNAUTHENTICATED / PERMISSION_DENIED), sent before the body is read,
  // and counted as refused requests (reason unauthenticated / forbidden).
  // `authenticator` must outlive the receiver.
  void RequireAuth(const auth::Authenticator* authenticator);
  // Before Start(): serve HTTPS. See HttpServer::SetTls / ReloadTls.
  void SetTls(auth::TlsConfig tls) { server_.SetTls(std::move(tls)); }
  Status ReloadTls() { return server_.ReloadTls(); }

  // Binds config.http_addr.
  Status Start();
  uint16_t port() const { return server_.port(); }
  // Stops accepting and waits (bounded) for in-flight answers; call before
  // Pipeline::Shutdown() so those answers can still arrive.
  void Shutdown() { server_.Shutdown(); }

 private:
  void HandleExport(Signal signal, HttpRequest request, HttpResponder responder);
  HttpResponse ServerError(const HttpRequest& request, int status, std::string message);

  const ReceiverConfig config_;
  Pipeline& pipeline_;
  ReceiverMetrics metrics_;
  HttpServer server_;
};

// Parsing helpers, exposed for tests.
// The encoding named by a Content-Type ("application/json; charset=utf-8"
// -> kJson); nullopt for anything OTLP does not define.
enum class BodyEncoding { kProtobuf, kJson };
std::optional<BodyEncoding> ParseOtlpContentType(std::string_view content_type);

}  // namespace loupe::ingest
