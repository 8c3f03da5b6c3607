#include "server/server.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "alerting/http_api.h"
#include "alerting/openapi.h"
#include "alerting/service.h"
#include "api/openapi.h"
#include "api/query_api.h"
#include "auth/authenticator.h"
#include "auth/bind_check.h"
#include "auth/routes.h"
#include "api/recent_calls.h"
#include "common/clock.h"
#include "eval/evaluator.h"
#include "eval/http_api.h"
#include "eval/openapi.h"
#include "fanout/fanout.h"
#include "genai/normalizer.h"
#include "ingest/http_server.h"
#include "ingest/otlp_grpc.h"
#include "ingest/otlp_http.h"
#include "ingest/pipeline.h"
#include "metrics/registry.h"
#include "metrics/span_metrics.h"
#include "pricing/pricer.h"
#include "privacy/policy.h"
#include "server/store_metrics.h"
#include "store/store.h"
#include "ui/ui_files.h"

namespace loupe::server {
namespace {

size_t ParseLimit(std::string_view query, size_t fallback, size_t max) {
  // Only `limit=N` is understood here; the query API (a later stage)
  // brings full parameter parsing.
  size_t pos = query.find("limit=");
  if (pos == std::string_view::npos || (pos > 0 && query[pos - 1] != '&')) return fallback;
  std::string_view digits = query.substr(pos + 6);
  size_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || value == 0) return fallback;
  return std::min(value, max);
}

ingest::HttpResponse Json(int status, std::string body) {
  ingest::HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 &&
        HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i] == '+' ? ' ' : in[i]);
    }
  }
  return out;
}

// The decoded value of `name=` in a query string, or "".
std::string QueryParam(std::string_view query, std::string_view name) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
      return PercentDecode(pair.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return "";
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace

struct Server::Impl {
  explicit Impl(Config c) : config(std::move(c)) {}

  Config config;
  metrics::Registry registry;
  std::unique_ptr<pricing::Pricer> pricer;
  std::unique_ptr<genai::Normalizer> normalizer;
  std::unique_ptr<privacy::ContentPolicy> content_policy;
  std::unique_ptr<api::RecentCalls> recent;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<api::QueryApi> query_api;
  std::unique_ptr<fanout::Fanout> fanout;
  std::string scratch_dir;  // a temporary data dir for fan-out queues when none is configured
  std::unique_ptr<metrics::SpanMetrics> span_metrics;
  std::unique_ptr<metrics::SpanMetricsConsumer> span_metrics_consumer;
  std::unique_ptr<StoreMetrics> store_metrics;
  std::unique_ptr<ingest::Pipeline> pipeline;
  std::unique_ptr<ingest::HttpServer> api_server;
  std::unique_ptr<ingest::HttpServer> metrics_server;
  std::unique_ptr<ingest::OtlpGrpcReceiver> grpc;
  std::unique_ptr<ingest::OtlpHttpReceiver> http;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::unique_ptr<alerting::AlertingService> alerting;
  std::unique_ptr<alerting::AlertingHttpApi> alerting_api;
  std::unique_ptr<eval::Evaluator> evaluator;  // null when evaluation is off
  std::unique_ptr<eval::EvalHttpApi> eval_api;
  std::atomic<bool> ready{false};
  // Slow admin operations (backup, delete) run here, off the HTTP threads;
  // joined at shutdown before the store closes.
  std::mutex admin_mu;
  std::vector<std::thread> admin_threads;  // GUARDED_BY(admin_mu)
  bool admin_closed = false;               // GUARDED_BY(admin_mu)
  std::mutex shutdown_mu;
  bool shut_down = false;
  // What SIGHUP re-reads, registered by the stages that support it, each
  // named for the log.
  std::vector<std::pair<std::string, std::function<Status()>>> reloaders;

  void Prepare(model::Batch& batch) {
    normalizer->Normalize(&batch);
    for (model::SpanRecord& record : batch.spans) {
      if (record.llm) pricer->Price(&*record.llm, record.span.start_time_unix_nano);
    }
    // Before any consumer sees the batch: nothing unredacted is stored,
    // forwarded or shown.
    content_policy->Apply(batch);
  }

  std::string UnpricedJson() const {
    std::string out = "{\"models\":[";
    bool first = true;
    for (const auto& item : pricer->unpriced().Snapshot()) {
      if (!first) out.push_back(',');
      first = false;
      out += "{\"provider\":\"" + JsonEscape(item.provider) + "\",\"model\":\"" + JsonEscape(item.model) +
             "\",\"calls\":" + std::to_string(item.calls) + ",\"reported_cost_calls\":" +
             std::to_string(item.reported) + "}";
    }
    out += "],\"overflow\":" + std::to_string(pricer->unpriced().overflow()) + "}";
    return out;
  }

  // Listeners reachable beyond this machine without tokens get a warning.
  void WarnAboutOpenListeners() const {
    const bool ingest_tokens = authenticator->Required(auth::Scope::kIngest);
    std::vector<auth::ListenerInfo> listeners;
    if (grpc) listeners.push_back({"receivers.otlp_grpc", config.receivers.grpc_addr, ingest_tokens, config.grpc_tls.enabled()});
    if (http) listeners.push_back({"receivers.otlp_http", config.receivers.http_addr, ingest_tokens, config.http_tls.enabled()});
    listeners.push_back({"server.api_addr", config.server.api_addr, authenticator->Required(auth::Scope::kRead), config.api_tls.enabled()});
    if (metrics_server && !config.auth.metrics_open) {
      listeners.push_back({"server.metrics_addr", config.server.metrics_addr, authenticator->Required(auth::Scope::kRead),
                           config.metrics_tls.enabled()});
    }
    for (const std::string& warning : auth::BindWarnings(listeners)) spdlog::warn("loupe: {}", warning);
  }

  void AddCommonRoutes(ingest::HttpServer& server) {
    server.Handle("GET", "/metrics", [this](ingest::HttpRequest, ingest::HttpResponder responder) {
      ingest::HttpResponse r;
      r.content_type = std::string(metrics::Registry::kContentType);
      r.body = registry.Render();
      responder.Send(std::move(r));
    });
  }

  void AddApiRoutes(ingest::HttpServer& server) {
    server.Handle("GET", "/healthz", [](ingest::HttpRequest, ingest::HttpResponder responder) {
      responder.Send(ingest::HttpResponse::Text(200, "ok\n"));
    });
    // Ready: every listener is up and the store (when there is one) is
    // open with its indexer running; otherwise 503 saying what is wrong.
    server.Handle("GET", "/readyz", [this](ingest::HttpRequest, ingest::HttpResponder responder) {
      if (!ready) return responder.Send(ingest::HttpResponse::Text(503, "not ready: starting or stopping\n"));
      if (store) {
        Status health = store->Health();
        if (!health.ok()) return responder.Send(ingest::HttpResponse::Text(503, "not ready: store: " + health.message() + "\n"));
      }
      responder.Send(ingest::HttpResponse::Text(200, "ready\n"));
    });
    ui::RegisterUi(server);
    server.Handle("GET", "/api/v1/llm-calls/recent", [this](ingest::HttpRequest req, ingest::HttpResponder responder) {
      size_t limit = ParseLimit(req.query, 100, static_cast<size_t>(config.server.recent_calls));
      responder.Send(Json(200, recent->RenderJson(limit)));
    });
    server.Handle("GET", "/api/v1/pricing/unpriced", [this](ingest::HttpRequest, ingest::HttpResponder responder) {
      responder.Send(Json(200, UnpricedJson()));
    });
  }

  // Runs `op` on an admin thread and answers with its result.
  void RunAdmin(ingest::HttpResponder responder, std::function<ingest::HttpResponse()> op) {
    std::lock_guard<std::mutex> lock(admin_mu);
    if (admin_closed) {
      responder.Send(Json(503, R"({"error":"shutting down"})"));
      return;
    }
    admin_threads.emplace_back([responder, op = std::move(op)] { responder.Send(op()); });
  }

  void JoinAdmin() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(admin_mu);
      admin_closed = true;
      threads.swap(admin_threads);
    }
    for (auto& t : threads) t.join();
  }

  void AddAdminRoutes(ingest::HttpServer& server) {
    // POST /api/v1/admin/backup?dir=/path: an online, consistent copy.
    server.Handle("POST", "/api/v1/admin/backup", [this](ingest::HttpRequest req, ingest::HttpResponder responder) {
      std::string dir = QueryParam(req.query, "dir");
      if (dir.empty()) {
        responder.Send(Json(400, R"({"error":"parameter dir: want the directory to write the backup to"})"));
        return;
      }
      RunAdmin(responder, [this, dir] {
        Status s = store->Backup(dir);
        if (!s.ok()) return Json(s.code() == Status::Code::kInvalidArgument ? 400 : 500,
                                 "{\"error\":\"" + JsonEscape(s.message()) + "\"}");
        return Json(200, "{\"backup\":\"" + JsonEscape(dir) + "\"}");
      });
    });
    // DELETE /api/v1/users/{id}: erase one end user's data (privacy requests).
    server.HandlePrefix("DELETE", "/api/v1/users/", [this](ingest::HttpRequest req, ingest::HttpResponder responder) {
      std::string user = PercentDecode(req.path.substr(std::string_view("/api/v1/users/").size()));
      if (user.empty()) {
        responder.Send(Json(400, R"({"error":"path: want /api/v1/users/{user_id}"})"));
        return;
      }
      RunAdmin(responder, [this, user] {
        auto erased = store->DeleteUser(user);
        if (!erased.ok()) return Json(500, "{\"error\":\"" + JsonEscape(erased.status().message()) + "\"}");
        return Json(200, "{\"user\":\"" + JsonEscape(user) + "\",\"spans_erased\":" + std::to_string(*erased) + "}");
      });
    });
  }

  ingest::HttpServerConfig PortConfig(const std::string& addr) const {
    ingest::HttpServerConfig c;
    c.addr = addr;
    c.threads = 1;
    c.max_body_bytes = 1 << 20;
    return c;
  }
};

Server::Server(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}

Server::~Server() { Shutdown(); }

Status Server::Start() {
  Impl& s = *impl_;
  auto pricer = pricing::Pricer::Create(s.config.pricing);
  if (!pricer.ok()) return pricer.status().WithContext("pricing");
  s.pricer = std::move(pricer).value();
  s.normalizer = std::make_unique<genai::Normalizer>(s.config.normalization);
  auto policy = privacy::ContentPolicy::Create(s.config.content, &s.registry);
  if (!policy.ok()) return policy.status().WithContext("content");
  s.content_policy = std::move(policy).value();
  genai::Normalizer* normalizer = s.normalizer.get();
  s.recent = std::make_unique<api::RecentCalls>(
      static_cast<size_t>(s.config.server.recent_calls), 64u << 20,
      [normalizer](const model::Span& span) { return normalizer->NormalizeSpan(span); });

  std::vector<model::BatchConsumer*> consumers;
  if (s.config.span_metrics.enabled) {
    s.span_metrics = std::make_unique<metrics::SpanMetrics>(s.config.span_metrics);
    s.registry.AddCollector(s.span_metrics.get());
  }
  if (s.config.store_enabled) {
    store::StoreConfig store_config = s.config.store;
    store_config.data_dir = s.config.server.data_dir;
    auto opened = store::OpenStore(store_config);
    if (!opened.ok()) return opened.status().WithContext("store");
    s.store = std::move(opened).value();
    if (s.config.evaluation.enabled) {
      auto evaluator = eval::Evaluator::Create(s.config.evaluation, {s.store.get(), s.pricer.get(), &s.registry, nullptr, nullptr});
      if (!evaluator.ok()) return evaluator.status().WithContext("evaluation");
      s.evaluator = std::move(evaluator).value();
    }
    // Span metrics count what the store reports as new: a redelivered span
    // is counted once; the evaluator samples each new LLM call once.
    metrics::SpanMetrics* span_metrics = s.span_metrics.get();
    eval::Evaluator* evaluator = s.evaluator.get();
    if (span_metrics || evaluator) {
      s.store->SetNewSpansListener([span_metrics, evaluator](std::span<const model::SpanRecord* const> spans) {
        if (span_metrics) span_metrics->Record(spans);
        if (evaluator) evaluator->OnNewSpans(spans);
      });
    }
    LOUPE_RETURN_IF_ERROR(s.store->Start().WithContext("store"));
    if (s.evaluator) LOUPE_RETURN_IF_ERROR(s.evaluator->Start().WithContext("evaluation"));
    s.store_metrics = std::make_unique<StoreMetrics>(s.store.get());
    s.registry.AddCollector(s.store_metrics.get());
    // The store comes first: a batch is acknowledged only once durable.
    consumers.push_back(s.store.get());
  } else if (s.span_metrics) {
    // No store: a bounded filter of recent span ids stands in for it.
    s.span_metrics_consumer = std::make_unique<metrics::SpanMetricsConsumer>(s.span_metrics.get());
    consumers.push_back(s.span_metrics_consumer.get());
  }
  if (!s.config.fanout.endpoints.empty()) {
    std::string dir = s.config.server.data_dir;
    if (dir.empty()) {
      // No data dir: the queues still need disk, so they get a temporary
      // one (removed at shutdown: nothing queued survives a restart then).
      std::string pattern = (std::filesystem::temp_directory_path() / "loupe-fanout-XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr) return Status::IoError("fanout: cannot create a temporary directory");
      s.scratch_dir = dir = pattern;
    }
    auto created = fanout::Fanout::Create(s.config.fanout, dir, s.registry);
    if (!created.ok()) return created.status().WithContext("fanout");
    s.fanout = std::move(created).value();
    s.fanout->Start();
    // After the store: a span is forwarded once it is durable here.
    consumers.push_back(s.fanout.get());
  }
  consumers.push_back(s.recent.get());
  s.pipeline = std::make_unique<ingest::Pipeline>(
      s.config.pipeline, [&s](model::Batch& batch) { s.Prepare(batch); }, consumers, s.registry);
  s.pipeline->Start();

  s.authenticator = std::make_unique<auth::Authenticator>(s.config.auth, &s.registry);
  const auth::RoutePolicy api_routes = auth::ApiRoutes(s.config.auth.metrics_open);
  s.api_server = std::make_unique<ingest::HttpServer>(s.PortConfig(s.config.server.api_addr), "api", &s.registry);
  s.api_server->RequireAuth(s.authenticator.get(), api_routes);
  s.api_server->SetTls(s.config.api_tls);
  s.reloaders.emplace_back("server.api_tls", [&s] { return s.api_server->ReloadTls(); });
  s.AddCommonRoutes(*s.api_server);
  s.AddApiRoutes(*s.api_server);
  if (s.store) {
    s.AddAdminRoutes(*s.api_server);
    s.query_api = std::make_unique<api::QueryApi>(s.store.get(), &s.pricer->catalog(), &SystemClock::Get());
    s.query_api->Register(*s.api_server);
    // /api/v1/openapi.json documents every route of this server.
    LOUPE_RETURN_IF_ERROR(s.query_api->AddOpenApiPaths("server", api::ServerOpenApiPaths()));
    LOUPE_RETURN_IF_ERROR(s.query_api->AddOpenApiPaths("eval", eval::OpenApiPaths()));
    s.eval_api = std::make_unique<eval::EvalHttpApi>(s.store.get(), s.evaluator.get(), &SystemClock::Get());
    s.eval_api->Register(*s.api_server);
    if (s.config.alerting.enabled) {
      alerting::AlertingConfig alerting_config = s.config.alerting;
      alerting_config.external_url = s.config.server.ExternalUrl();
      s.alerting = std::make_unique<alerting::AlertingService>(std::move(alerting_config), s.store.get(), &s.registry,
                                                               &SystemClock::Get());
      LOUPE_RETURN_IF_ERROR(s.alerting->Start().WithContext("alerting"));
      s.alerting_api = std::make_unique<alerting::AlertingHttpApi>(s.alerting.get());
      s.alerting_api->Register(*s.api_server);
      LOUPE_RETURN_IF_ERROR(s.query_api->AddOpenApiPaths("alerting", alerting::OpenApiPaths()));
      s.reloaders.emplace_back("alerting.rules_file", [&s] { return s.alerting->Reload(); });
    }
  }
  LOUPE_RETURN_IF_ERROR(s.api_server->Start().WithContext("api server " + s.config.server.api_addr));

  if (!s.config.server.metrics_addr.empty()) {
    s.metrics_server =
        std::make_unique<ingest::HttpServer>(s.PortConfig(s.config.server.metrics_addr), "metrics", &s.registry);
    s.AddCommonRoutes(*s.metrics_server);
    s.metrics_server->RequireAuth(s.authenticator.get(), api_routes);
    s.metrics_server->SetTls(s.config.metrics_tls);
    s.reloaders.emplace_back("server.metrics_tls", [&s] { return s.metrics_server->ReloadTls(); });
    LOUPE_RETURN_IF_ERROR(s.metrics_server->Start().WithContext("metrics server " + s.config.server.metrics_addr));
  }

  if (s.config.receivers.grpc_enabled) {
    s.grpc = std::make_unique<ingest::OtlpGrpcReceiver>(s.config.receivers, *s.pipeline, s.registry);
    s.grpc->RequireAuth(s.authenticator.get());
    s.grpc->SetTls(s.config.grpc_tls);
    s.reloaders.emplace_back("receivers.otlp_grpc.tls", [&s] { return s.grpc->ReloadTls(); });
    LOUPE_RETURN_IF_ERROR(s.grpc->Start().WithContext("OTLP/gRPC receiver " + s.config.receivers.grpc_addr));
  }
  if (s.config.receivers.http_enabled) {
    s.http = std::make_unique<ingest::OtlpHttpReceiver>(s.config.receivers, *s.pipeline, s.registry);
    s.http->RequireAuth(s.authenticator.get());
    s.http->SetTls(s.config.http_tls);
    s.reloaders.emplace_back("receivers.otlp_http.tls", [&s] { return s.http->ReloadTls(); });
    LOUPE_RETURN_IF_ERROR(s.http->Start().WithContext("OTLP/HTTP receiver " + s.config.receivers.http_addr));
  }
  s.WarnAboutOpenListeners();
  s.ready = true;
  return Status::Ok();
}

void Server::Shutdown() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.shutdown_mu);
  if (s.shut_down) return;
  s.shut_down = true;
  s.ready = false;
  // Receivers first: they stop accepting and answer what is in flight,
  // which needs the pipeline still running.
  if (s.http) s.http->Shutdown();
  if (s.grpc) s.grpc->Shutdown(static_cast<int>(s.config.server.shutdown_timeout_seconds));
  if (s.pipeline) s.pipeline->Shutdown();
  s.JoinAdmin();
  if (s.fanout) s.fanout->Shutdown();
  if (!s.scratch_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(s.scratch_dir, ignored);
  }
  // Alerting and evaluation read the store: they stop first.
  if (s.alerting) s.alerting->Shutdown();
  if (s.evaluator) s.evaluator->Shutdown();
  if (s.store_metrics) s.registry.RemoveCollector(s.store_metrics.get());
  if (s.store) s.store->Shutdown();
  if (s.span_metrics) s.registry.RemoveCollector(s.span_metrics.get());
  if (s.metrics_server) s.metrics_server->Shutdown();
  if (s.api_server) s.api_server->Shutdown();
}

uint16_t Server::otlp_grpc_port() const { return impl_->grpc ? impl_->grpc->port() : 0; }
uint16_t Server::otlp_http_port() const { return impl_->http ? impl_->http->port() : 0; }
uint16_t Server::api_port() const { return impl_->api_server ? impl_->api_server->port() : 0; }
uint16_t Server::metrics_port() const { return impl_->metrics_server ? impl_->metrics_server->port() : 0; }

Status Server::Reload() {
  std::string failures;
  for (auto& [name, reload] : impl_->reloaders) {
    Status s = reload();
    if (s.ok()) continue;
    if (!failures.empty()) failures += "; ";
    failures += name + ": " + s.message();
  }
  return failures.empty() ? Status::Ok() : Status::FailedPrecondition(failures);
}

int RunServe(Config config) {
  spdlog::set_level(spdlog::level::from_str(config.server.log_level));
  // Block the stop and reload signals before any thread starts, so every thread
  // inherits the mask and this one alone receives them in sigwait().
  sigset_t handled_signals;
  sigemptyset(&handled_signals);
  sigaddset(&handled_signals, SIGTERM);
  sigaddset(&handled_signals, SIGINT);
  sigaddset(&handled_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &handled_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Server server(std::move(config));
  Status started = server.Start();
  if (!started.ok()) {
    spdlog::error("loupe: cannot start: {}", started.message());
    server.Shutdown();
    return 1;
  }
  spdlog::info("loupe: OTLP/gRPC on port {}, OTLP/HTTP on port {}, API on port {}, metrics on port {}",
               server.otlp_grpc_port(), server.otlp_http_port(), server.api_port(), server.metrics_port());
  spdlog::info("loupe: ready");

  int signo = 0;
  for (;;) {
    sigwait(&handled_signals, &signo);
    if (signo != SIGHUP) break;
    Status reloaded = server.Reload();
    if (reloaded.ok()) {
      spdlog::info("loupe: SIGHUP: reloaded");
    } else {
      spdlog::error("loupe: SIGHUP: {}", reloaded.message());
    }
  }
  spdlog::info("loupe: {} received, draining", signo == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Shutdown();
  spdlog::info("loupe: stopped");
  return 0;
}

}  // namespace loupe::server
