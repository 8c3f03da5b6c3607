// HttpServer: a small asynchronous HTTP/1.1 server (Boost.Beast behind a
// pimpl, so this header stays light) used for every HTTP port Loupe opens:
// OTLP/HTTP 4318, metrics 8889 and the API 8080.
//
// Keep-alive, chunked request bodies, `Expect: 100-continue`, header and
// body size limits, read and idle timeouts, a bound on open connections.
// Handlers may answer later from any thread through their HttpResponder,
// e.g. once the pipeline acknowledged a batch. Optionally TLS (reloadable
// without dropping the listener) and bearer-token auth checked before a
// request's body is read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/routes.h"
#include "auth/tls.h"
#include "common/status.h"
#include "ingest/config.h"

namespace loupe::metrics {
class Registry;
}

namespace loupe::auth {
class Authenticator;
}

namespace loupe::ingest {

struct HttpRequest {
  std::string method;  // "POST"
  std::string target;  // as sent: path and query
  std::string path;    // target without the query
  std::string query;   // after '?', undecoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;    // de-chunked

  // Value of the first header called `lower_name`, or "" when absent.
  std::string_view Header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  static HttpResponse Text(int status, std::string body);
};

// Answers one request. Copyable; the first Send wins and later ones are
// ignored. Thread-safe. If every copy is dropped without a Send the client
// gets a 500, so a request can never hang on a forgotten responder.
class HttpResponder {
 public:
  struct State;
  explicit HttpResponder(std::shared_ptr<State> state) : state_(std::move(state)) {}

  void Send(HttpResponse response) const;

 private:
  std::shared_ptr<State> state_;
};

// Runs on a server thread (the connection's strand); must not block: do
// slow work elsewhere and answer through the responder.
using HttpHandler = std::function<void(HttpRequest request, HttpResponder responder)>;

// Builds the answers the server itself gives (404, 405, 413, 431, 400, 503)
// so a protocol can shape them, e.g. OTLP's google.rpc.Status bodies.
// `request` has headers but no body.
using HttpErrorFormatter =
    std::function<HttpResponse(const HttpRequest& request, int status, std::string message)>;

class HttpServer {
 public:
  // `name` labels this server's metrics (e.g. "otlp_http", "api"); the
  // registry may be null and must outlive the server.
  HttpServer(HttpServerConfig config, std::string name, metrics::Registry* registry);
  ~HttpServer();  // Shutdown()

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes, before Start(). An exact path wins over a prefix; the longest
  // prefix wins among prefixes. A known path with another method gets 405.
  void Handle(std::string method, std::string path, HttpHandler handler);
  void HandlePrefix(std::string method, std::string prefix, HttpHandler handler);
  void SetErrorFormatter(HttpErrorFormatter formatter);

  // Before Start(). Every request's method and path go through `policy`;
  // when it names a scope, `authenticator` checks the Authorization header
  // as soon as the headers are in, before the body is read (an
  // unauthenticated client cannot make the server read or decompress 20
  // MiB). A refusal is 401 with `WWW-Authenticate: Bearer ...` or 403,
  // shaped by the error formatter when one is set, else a JSON body
  // {"error": {"status": 401, "message": "missing bearer token: ...",
  // "parameter": null}} like the API's own errors; the connection is closed
  // when a body was left unread. `authenticator` must outlive the server;
  // null (the default) means no auth.
  void RequireAuth(const auth::Authenticator* authenticator, auth::RoutePolicy policy);

  // Before Start(): serve HTTPS (TLS 1.2+) with these files. Start() loads
  // them and fails with a Status naming the file when one is unusable.
  void SetTls(auth::TlsConfig tls);
  // Re-reads the TLS files (e.g. on SIGHUP, after a certificate renewal).
  // New connections use the new certificate, open ones keep theirs, the
  // listener stays up. On error the old certificate stays in use and the
  // Status names the file. OK and a no-op when TLS is off. Thread-safe.
  Status ReloadTls();
  bool tls() const;

  // Binds config.addr (port 0: any free port) and starts the threads.
  Status Start();
  // The bound port; 0 before Start().
  uint16_t port() const;

  // Stops accepting, answers new requests on open connections with 503,
  // waits up to shutdown_grace_seconds for in-flight answers, then closes
  // everything. Safe without Start() and twice.
  // REQUIRES: nothing still holds an HttpResponder after this returns
  // (shut the pipeline down after the receivers, never before destroying).
  void Shutdown();

  struct Impl;  // defined in http_server.cc; public only so its helpers can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace loupe::ingest
