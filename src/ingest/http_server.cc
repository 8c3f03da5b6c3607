#include "ingest/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "auth/authenticator.h"
#include "metrics/registry.h"

namespace loupe::ingest {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

std::string_view HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

HttpResponse HttpResponse::Text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

struct HttpResponder::State {
  std::function<void(HttpResponse)> deliver;
  std::atomic<bool> sent{false};

  ~State() {
    if (!sent.exchange(true)) {
      deliver(HttpResponse::Text(500, "internal error: the handler dropped the request\n"));
    }
  }
};

void HttpResponder::Send(HttpResponse response) const {
  if (!state_->sent.exchange(true)) state_->deliver(std::move(response));
}

namespace {

struct Route {
  std::string method;
  HttpHandler handler;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// The auth refusal of a server without an error formatter: the API's error
// shape (src/api), so API clients parse one kind of error.
HttpResponse AuthErrorJson(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = "{\"error\":{\"status\":" + std::to_string(status) +
           ",\"message\":" + JsonString(message) + ",\"parameter\":null}}";
  return r;
}

// A server-side TLS context from checked files. Errors name the file.
Result<std::shared_ptr<net::ssl::context>> MakeTlsContext(const auth::TlsConfig& config) {
  auto files = auth::LoadTlsFiles(config);
  if (!files.ok()) return files.status();
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  beast::error_code ec;
  ctx->use_certificate_chain(net::buffer(files->cert_pem), ec);
  if (ec) return Status::InvalidArgument("certificate " + config.cert_file + ": " + ec.message());
  ctx->use_private_key(net::buffer(files->key_pem), net::ssl::context::pem, ec);
  if (ec) return Status::InvalidArgument("private key " + config.key_file + ": " + ec.message());
  if (!files->client_ca_pem.empty()) {
    ctx->add_certificate_authority(net::buffer(files->client_ca_pem), ec);
    if (ec) {
      return Status::InvalidArgument("client CA " + config.client_ca_file + ": " + ec.message());
    }
    ctx->set_verify_mode(net::ssl::verify_peer | net::ssl::verify_fail_if_no_peer_cert);
  }
  return ctx;
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerConfig c, std::string n, metrics::Registry* r)
      : config(std::move(c)), name(std::move(n)), registry(r) {
    if (registry != nullptr) {
      metrics::Labels l = {{"server", name}};
      connections_gauge = &registry->GetGauge("loupe_http_connections",
                                              "Open HTTP connections.", l);
      rejected_connections = &registry->GetCounter(
          "loupe_http_rejected_connections_total",
          "Connections closed at once because max_connections were open.", l);
    }
  }

  // Finds the handler for (method, path). Sets *status to 404/405 when
  // there is none and fills *allow for 405.
  const HttpHandler* Find(std::string_view method, std::string_view path, int* status,
                          std::string* allow) const;
  void Count(int status);
  // Counts a labelled event of this server (TLS handshakes and reloads).
  void CountEvent(std::string_view name, std::string_view help, std::string_view label,
                  std::string_view value);
  std::shared_ptr<net::ssl::context> TlsContext() {
    std::lock_guard lock(tls_mu);
    return tls_ctx;
  }

  // Everything a Session touches is declared before `ioc`, so it outlives
  // the sessions that io_context destroys with it.
  const HttpServerConfig config;
  const std::string name;
  metrics::Registry* const registry;
  metrics::Gauge* connections_gauge = nullptr;
  metrics::Counter* rejected_connections = nullptr;
  std::mutex count_mu;
  std::map<int, metrics::Counter*> responses;  // GUARDED_BY(count_mu)

  std::map<std::string, std::vector<Route>, std::less<>> exact;
  std::map<std::string, std::vector<Route>, std::less<>> prefixes;
  HttpErrorFormatter formatter;
  const auth::Authenticator* authenticator = nullptr;
  auth::RoutePolicy policy;
  auth::TlsConfig tls_config;
  std::mutex tls_mu;
  std::shared_ptr<net::ssl::context> tls_ctx;  // GUARDED_BY(tls_mu); null: plain HTTP

  std::atomic<size_t> connections{0};
  std::atomic<size_t> in_flight{0};  // requests being read, handled or answered
  std::atomic<bool> stopping{false};
  std::atomic<uint16_t> port{0};
  bool started = false;
  bool stopped = false;

  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  net::steady_timer accept_backoff{ioc};
  std::vector<std::thread> threads;

  void Accept();
};

void HttpServer::Impl::Count(int status) {
  if (registry == nullptr) return;
  metrics::Counter* c;
  {
    std::lock_guard lock(count_mu);
    auto& slot = responses[status];
    if (slot == nullptr) {
      slot = &registry->GetCounter("loupe_http_responses_total",
                                   "HTTP responses sent, by server and status code.",
                                   {{"server", name}, {"code", std::to_string(status)}});
    }
    c = slot;
  }
  c->Inc();
}

void HttpServer::Impl::CountEvent(std::string_view metric, std::string_view help,
                                  std::string_view label, std::string_view value) {
  if (registry == nullptr) return;
  registry->GetCounter(metric, help, {{"server", name}, {std::string(label), std::string(value)}})
      .Inc();
}

const HttpHandler* HttpServer::Impl::Find(std::string_view method, std::string_view path,
                                          int* status, std::string* allow) const {
  const std::vector<Route>* routes = nullptr;
  if (auto it = exact.find(path); it != exact.end()) {
    routes = &it->second;
  } else {
    size_t best = 0;
    for (const auto& [prefix, r] : prefixes) {
      if (path.substr(0, prefix.size()) == prefix && prefix.size() >= best) {
        best = prefix.size();
        routes = &r;
      }
    }
  }
  if (routes == nullptr) {
    *status = 404;
    return nullptr;
  }
  for (const Route& r : *routes) {
    if (r.method == method) return &r.handler;
  }
  for (const Route& r : *routes) {
    if (!allow->empty()) *allow += ", ";
    *allow += r.method;
  }
  *status = 405;
  return nullptr;
}

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection, plain or TLS. All its work runs on its own strand;
// HttpResponder posts back onto it from other threads.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

 public:
  Session(tcp::socket socket, HttpServer::Impl* server)
      : stream_(std::move(socket)), server_(server) {
    Opened();
  }
  // The connection keeps `ctx` alive: a reload may replace the server's.
  Session(tcp::socket socket, HttpServer::Impl* server, std::shared_ptr<net::ssl::context> ctx)
      : ctx_(std::move(ctx)), stream_(std::move(socket), *ctx_), server_(server) {
    Opened();
  }
  ~Session() {
    size_t n = --server_->connections;
    if (server_->connections_gauge) server_->connections_gauge->Set(static_cast<double>(n));
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->ReadHeader();
      }
    });
  }

 private:
  void Opened() {
    size_t n = ++server_->connections;
    if (server_->connections_gauge) server_->connections_gauge->Set(static_cast<double>(n));
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void Handshake() {
    Lowest().expires_after(std::chrono::seconds(server_->config.read_timeout_seconds));
    stream_.async_handshake(net::ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) {
                              if (ec) {
                                // Typically a client that does not trust the
                                // certificate, or speaks plain HTTP to TLS.
                                self->server_->CountEvent(
                                    "loupe_tls_handshake_failures_total",
                                    "TLS handshakes that failed, by server.", "reason",
                                    ec == net::error::eof ? "eof" : "handshake");
                                return self->Close();
                              }
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_->config.max_header_bytes));
    parser_->body_limit(server_->config.max_body_bytes);
    Lowest().expires_after(std::chrono::seconds(server_->config.idle_timeout_seconds));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  // The request so far: method, target and headers (no body yet).
  HttpRequest HeaderOnly() const {
    HttpRequest r;
    const auto& h = parser_->get();
    r.method = std::string(h.method_string());
    r.target = std::string(h.target());
    size_t q = r.target.find('?');
    r.path = r.target.substr(0, q);
    if (q != std::string::npos) r.query = r.target.substr(q + 1);
    for (const auto& f : h) {
      r.headers.emplace_back(Lower({f.name_string().data(), f.name_string().size()}),
                             std::string(f.value()));
    }
    return r;
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return ReadFailed(ec, /*have_header=*/ec == http::error::body_limit);
    ++server_->in_flight;
    counted_ = true;
    if (server_->stopping) {
      return Fail(HeaderOnly(), 503, "server is shutting down; retry later", /*close=*/true);
    }
    if (server_->authenticator != nullptr && server_->policy) {
      HttpRequest h = HeaderOnly();
      if (std::optional<auth::Scope> scope = server_->policy(h.method, h.path)) {
        auth::Decision d =
            server_->authenticator->Check(server_->name, *scope, h.Header("authorization"));
        if (!d.allowed()) return Refuse(std::move(h), d);
      }
    }
    Lowest().expires_after(std::chrono::seconds(server_->config.read_timeout_seconds));
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      // Clients such as curl wait for this before sending a large body.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     parser_->get().version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                          if (wec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->ReadFailed(ec, /*have_header=*/true);
                       self->Dispatch();
                     });
  }

  // A read failed. Peers that went away, or timed out, are just closed;
  // malformed or oversize requests get an answer first.
  void ReadFailed(beast::error_code ec, bool have_header) {
    if (ec == http::error::body_limit) {
      if (!counted_) {
        ++server_->in_flight;
        counted_ = true;
      }
      HttpRequest r = have_header ? HeaderOnly() : HttpRequest{};
      return Fail(std::move(r), 413,
                  "request body exceeds the limit of " +
                      std::to_string(server_->config.max_body_bytes) + " bytes",
                  /*close=*/true);
    }
    if (ec == http::error::header_limit) {
      ++server_->in_flight;
      counted_ = true;
      return Fail(HttpRequest{}, 431, "request headers too large", /*close=*/true);
    }
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      // A protocol error from the parser (bad method, bad chunk, ...).
      if (!counted_) {
        ++server_->in_flight;
        counted_ = true;
      }
      return Fail(HttpRequest{}, 400, "malformed HTTP request: " + ec.message(),
                  /*close=*/true);
    }
    Close();
  }

  void Dispatch() {
    HttpRequest req = HeaderOnly();
    req.body = std::move(parser_->get().body());
    keep_alive_ = parser_->get().keep_alive();
    version_ = parser_->get().version();
    int status = 0;
    std::string allow;
    const HttpHandler* handler = server_->Find(req.method, req.path, &status, &allow);
    if (handler == nullptr) {
      std::string msg = status == 404 ? "no route for " + req.path
                                      : req.method + " is not allowed on " + req.path +
                                            " (allowed: " + allow + ")";
      HttpResponse res = Format(req, status, std::move(msg));
      if (status == 405) res.headers.emplace_back("Allow", allow);
      return Write(std::move(res), /*close=*/false);
    }
    // The application answers in its own time: no read timeout meanwhile.
    Lowest().expires_never();
    auto state = std::make_shared<HttpResponder::State>();
    state->deliver = [self = shared_from_this()](HttpResponse res) {
      net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable {
        self->Write(std::move(res), /*close=*/false);
      });
    };
    (*handler)(std::move(req), HttpResponder(std::move(state)));
  }

  HttpResponse Format(const HttpRequest& req, int status, std::string msg) const {
    if (server_->formatter) return server_->formatter(req, status, std::move(msg));
    return HttpResponse::Text(status, msg + "\n");
  }

  // 401/403 before the body is read. The body is left unread, so the
  // connection closes unless there is none.
  void Refuse(HttpRequest req, const auth::Decision& d) {
    version_ = parser_->get().version();
    int status = d.http_status();
    HttpResponse res = server_->formatter ? server_->formatter(req, status, d.message)
                                          : AuthErrorJson(status, d.message);
    if (std::string c = d.challenge(); !c.empty()) res.headers.emplace_back("WWW-Authenticate", c);
    Write(std::move(res), /*close=*/!parser_->is_done());
  }

  void Fail(HttpRequest req, int status, std::string msg, bool close) {
    if (parser_ && parser_->is_header_done()) version_ = parser_->get().version();
    Write(Format(req, status, std::move(msg)), close);
  }

  void Write(HttpResponse r, bool close) {
    server_->Count(r.status);
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(version_);
    res->result(static_cast<unsigned>(r.status));
    res->set(http::field::server, "loupe");
    res->set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->body() = std::move(r.body);
    keep_alive_ = keep_alive_ && !close && !server_->stopping;
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    Lowest().expires_after(std::chrono::seconds(server_->config.read_timeout_seconds));
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, size_t) {
      bool keep_alive = self->keep_alive_;
      self->Done();
      if (ec) return self->Close();
      if (!keep_alive) return self->LingerClose();
      self->ReadHeader();
    });
  }

  void Done() {
    if (counted_) {
      counted_ = false;
      --server_->in_flight;
    }
    keep_alive_ = true;
    version_ = 11;
  }

  void Close() {
    if (counted_) {
      counted_ = false;
      --server_->in_flight;
    }
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    Lowest().socket().close(ec);
  }

  // Closing a socket with unread input makes the kernel send a reset that
  // can destroy the answer before the client reads it (e.g. a 413 sent
  // before the body arrived). So: stop sending, read and discard for a
  // short while, then close. Under TLS the discarded bytes are read below
  // the TLS layer: they are only drained, never interpreted.
  void LingerClose() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    Lowest().expires_after(std::chrono::seconds(2));
    drain_.resize(16 * 1024);
    Drain();
  }

  void Drain() {
    Lowest().async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  std::shared_ptr<net::ssl::context> ctx_;  // TLS only; declared before stream_
  Stream stream_;
  beast::flat_buffer buffer_;
  std::vector<char> drain_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer::Impl* server_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool counted_ = false;  // this session holds one in_flight count
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor->async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || stopping) return;
      // E.g. out of file descriptors: back off instead of spinning.
      accept_backoff.expires_after(std::chrono::milliseconds(100));
      accept_backoff.async_wait([this](beast::error_code wec) {
        if (!wec && !stopping) Accept();
      });
      return;
    }
    if (connections >= config.max_connections) {
      // Over the bound: close at once rather than queue unbounded work.
      if (rejected_connections) rejected_connections->Inc();
      beast::error_code ignored;
      socket.close(ignored);
    } else if (std::shared_ptr<net::ssl::context> ctx = TlsContext()) {
      std::make_shared<Session<TlsStream>>(std::move(socket), this, std::move(ctx))->Start();
    } else {
      std::make_shared<Session<PlainStream>>(std::move(socket), this)->Start();
    }
    if (!stopping) Accept();
  });
}

HttpServer::HttpServer(HttpServerConfig config, std::string name, metrics::Registry* registry)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(name), registry)) {}

HttpServer::~HttpServer() { Shutdown(); }

void HttpServer::Handle(std::string method, std::string path, HttpHandler handler) {
  impl_->exact[std::move(path)].push_back({std::move(method), std::move(handler)});
}

void HttpServer::HandlePrefix(std::string method, std::string prefix, HttpHandler handler) {
  impl_->prefixes[std::move(prefix)].push_back({std::move(method), std::move(handler)});
}

void HttpServer::SetErrorFormatter(HttpErrorFormatter formatter) {
  impl_->formatter = std::move(formatter);
}

void HttpServer::RequireAuth(const auth::Authenticator* authenticator, auth::RoutePolicy policy) {
  impl_->authenticator = authenticator;
  impl_->policy = std::move(policy);
}

void HttpServer::SetTls(auth::TlsConfig tls) { impl_->tls_config = std::move(tls); }

bool HttpServer::tls() const { return impl_->tls_config.enabled(); }

Status HttpServer::ReloadTls() {
  Impl& s = *impl_;
  if (!s.tls_config.enabled()) return Status::Ok();
  auto ctx = MakeTlsContext(s.tls_config);
  if (!ctx.ok()) {
    s.CountEvent("loupe_tls_reloads_total", "TLS certificate reloads, by server and outcome.",
                 "outcome", "failure");
    return Status::InvalidArgument(s.name + ": TLS reload failed, keeping the previous certificate: " +
                                   ctx.status().message());
  }
  {
    std::lock_guard lock(s.tls_mu);
    s.tls_ctx = std::move(*ctx);
  }
  s.CountEvent("loupe_tls_reloads_total", "TLS certificate reloads, by server and outcome.",
               "outcome", "success");
  return Status::Ok();
}

Status HttpServer::Start() {
  Impl& s = *impl_;
  if (s.started) return Status::FailedPrecondition("http server " + s.name + " already started");
  auto key = s.name + ".addr";
  auto hp = ParseHostPort(s.config.addr, key);
  if (!hp.ok()) return hp.status();
  if (s.tls_config.enabled()) {
    Status v = s.tls_config.Validate(s.name + ".tls");
    if (!v.ok()) return v;
    auto ctx = MakeTlsContext(s.tls_config);
    if (!ctx.ok()) return Status::InvalidArgument(s.name + ": TLS: " + ctx.status().message());
    std::lock_guard lock(s.tls_mu);
    s.tls_ctx = std::move(*ctx);
  }
  beast::error_code ec;
  tcp::resolver resolver(s.ioc);
  auto results = resolver.resolve(hp->host, std::to_string(hp->port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Status::InvalidArgument(key + ": cannot resolve '" + hp->host + "': " + ec.message());
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  s.acceptor.emplace(s.ioc);
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    s.acceptor.reset();
    return Status::Unavailable(key + ": cannot listen on " + s.config.addr + ": " +
                               ec.message());
  }
  s.port = s.acceptor->local_endpoint().port();
  s.started = true;
  s.work.emplace(s.ioc.get_executor());
  s.Accept();
  for (int i = 0; i < s.config.threads; ++i) {
    s.threads.emplace_back([&s] { s.ioc.run(); });
  }
  return Status::Ok();
}

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Shutdown() {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  net::post(s.ioc, [&s] {
    beast::error_code ec;
    s.acceptor->close(ec);
  });
  // Let answers already on their way reach their clients.
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(s.config.shutdown_grace_seconds);
  while (s.in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
}

}  // namespace loupe::ingest
