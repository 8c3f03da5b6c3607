#include "ingest/otlp_grpc.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <chrono>
#include <string>
#include <vector>

#include "auth/authenticator.h"
#include "auth/staged_files.h"
#include "google/rpc/status.pb.h"
#include "ingest/export.h"
#include "ingest/receiver_metrics.h"
#include "ingest/status_map.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "otlp/decode.h"

namespace loupe::ingest {

namespace {

namespace collector = opentelemetry::proto::collector;

// The services take raw bytes (ByteBuffer), not parsed messages: Loupe
// decodes them itself, so an undecodable request gets INVALID_ARGUMENT
// with a reason and is counted, instead of gRPC's bare INTERNAL.
using RawTraceService =
    collector::trace::v1::TraceService::WithRawCallbackMethod_Export<
        collector::trace::v1::TraceService::Service>;
using RawLogsService = collector::logs::v1::LogsService::WithRawCallbackMethod_Export<
    collector::logs::v1::LogsService::Service>;
using RawMetricsService =
    collector::metrics::v1::MetricsService::WithRawCallbackMethod_Export<
        collector::metrics::v1::MetricsService::Service>;

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

// The gRPC status for a refusal: code from status_map, and for throttling
// a google.rpc.Status carrying RetryInfo in grpc-status-details-bin.
grpc::Status ToGrpcStatus(const Status& status, int retry_after_seconds) {
  ProtocolAnswer a = AnswerFor(status);
  auto code = static_cast<grpc::StatusCode>(a.grpc_code);
  if (!a.retry_info) return grpc::Status(code, status.message());
  google::rpc::Status details;
  details.set_code(a.grpc_code);
  details.set_message(status.message());
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(retry_after_seconds);
  details.add_details()->PackFrom(retry);
  return grpc::Status(code, status.message(), details.SerializeAsString());
}

}  // namespace

struct OtlpGrpcReceiver::Impl {
  Impl(const ReceiverConfig& c, Pipeline& p, metrics::Registry& r)
      : config(c),
        registry(r),
        pipeline(p),
        metrics(r, "grpc"),
        traces(this),
        logs(this),
        metrics_service(this) {}

  grpc::ServerUnaryReactor* Handle(Signal signal, grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request, grpc::ByteBuffer* response);

  class Traces final : public RawTraceService {
   public:
    explicit Traces(Impl* impl) : impl_(impl) {}
    grpc::ServerUnaryReactor* Export(grpc::CallbackServerContext* c, const grpc::ByteBuffer* req,
                                     grpc::ByteBuffer* res) override {
      return impl_->Handle(Signal::kTraces, c, req, res);
    }

   private:
    Impl* impl_;
  };
  class Logs final : public RawLogsService {
   public:
    explicit Logs(Impl* impl) : impl_(impl) {}
    grpc::ServerUnaryReactor* Export(grpc::CallbackServerContext* c, const grpc::ByteBuffer* req,
                                     grpc::ByteBuffer* res) override {
      return impl_->Handle(Signal::kLogs, c, req, res);
    }

   private:
    Impl* impl_;
  };
  class Metrics final : public RawMetricsService {
   public:
    explicit Metrics(Impl* impl) : impl_(impl) {}
    grpc::ServerUnaryReactor* Export(grpc::CallbackServerContext* c, const grpc::ByteBuffer* req,
                                     grpc::ByteBuffer* res) override {
      return impl_->Handle(Signal::kMetrics, c, req, res);
    }

   private:
    Impl* impl_;
  };

  // The Authorization metadata of a call, "" when absent.
  static std::string_view Authorization(const grpc::CallbackServerContext& context);

  const ReceiverConfig config;
  metrics::Registry& registry;
  const auth::Authenticator* authenticator = nullptr;
  auth::TlsConfig tls;
  auth::StagedTlsFiles staged;  // what gRPC's file watcher reads
  Pipeline& pipeline;
  ReceiverMetrics metrics;
  Traces traces;
  Logs logs;
  Metrics metrics_service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  bool shut_down = false;
};

grpc::ServerUnaryReactor* OtlpGrpcReceiver::Impl::Handle(Signal signal,
                                                         grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (authenticator != nullptr) {
    auth::Decision d =
        authenticator->Check("otlp_grpc", auth::Scope::kIngest, Authorization(*context));
    if (!d.allowed()) {
      CountRefusedRequest(metrics, signal,
                          d.outcome == auth::Outcome::kForbidden ? "forbidden" : "unauthenticated");
      reactor->Finish(grpc::Status(d.outcome == auth::Outcome::kForbidden
                                       ? grpc::StatusCode::PERMISSION_DENIED
                                       : grpc::StatusCode::UNAUTHENTICATED,
                                   d.message));
      return reactor;
    }
  }
  std::string body = Flatten(*request);
  const int retry_after = config.retry_after_seconds;
  // The reactor and response stay valid until Finish, whichever thread
  // (this one, or the pipeline's after the acknowledgement) calls it.
  Export(signal, body, otlp::Encoding::kProtobuf, pipeline, metrics,
         [signal, reactor, response, retry_after](ExportOutcome outcome) {
           if (!outcome.status.ok()) {
             reactor->Finish(ToGrpcStatus(outcome.status, retry_after));
             return;
           }
           std::string bytes;
           switch (signal) {
             case Signal::kTraces:
               bytes = otlp::EncodeTraceResponse(outcome.rejected, outcome.message,
                                                 otlp::Encoding::kProtobuf);
               break;
             case Signal::kLogs:
               bytes = otlp::EncodeLogsResponse(outcome.rejected, outcome.message,
                                                otlp::Encoding::kProtobuf);
               break;
             case Signal::kMetrics:
               bytes = otlp::EncodeMetricsResponse(outcome.rejected, outcome.message,
                                                   otlp::Encoding::kProtobuf);
               break;
           }
           grpc::Slice slice(bytes);
           *response = grpc::ByteBuffer(&slice, 1);
           reactor->Finish(grpc::Status::OK);
         });
  return reactor;
}

std::string_view OtlpGrpcReceiver::Impl::Authorization(const grpc::CallbackServerContext& context) {
  const auto& md = context.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return {};
  return {it->second.data(), it->second.size()};
}

OtlpGrpcReceiver::OtlpGrpcReceiver(const ReceiverConfig& config, Pipeline& pipeline,
                                   metrics::Registry& registry)
    : impl_(std::make_unique<Impl>(config, pipeline, registry)) {}

OtlpGrpcReceiver::~OtlpGrpcReceiver() { Shutdown(0); }

Status OtlpGrpcReceiver::Start() {
  Impl& s = *impl_;
  if (s.server) return Status::FailedPrecondition("otlp grpc receiver already started");
  auto hp = ParseHostPort(s.config.grpc_addr, "receivers.otlp_grpc.addr");
  if (!hp.ok()) return hp.status();
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (s.tls.enabled()) {
    Status v = s.tls.Validate("receivers.otlp_grpc.tls");
    if (!v.ok()) return v;
    auto files = auth::LoadTlsFiles(s.tls);
    if (!files.ok()) {
      return Status::InvalidArgument("receivers.otlp_grpc.tls: " + files.status().message());
    }
    v = s.staged.Stage(*files);
    if (!v.ok()) return v;
    // Checks the staged copy every second: cheap (two stat calls and small
    // reads), and a SIGHUP takes effect within a second.
    auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
        s.staged.identity_path(), s.staged.identity_path(), s.staged.client_ca_path(),
        /*refresh_interval_sec=*/1);
    grpc::experimental::TlsServerCredentialsOptions options(provider);
    options.watch_identity_key_cert_pairs();
    if (!s.tls.client_ca_file.empty()) {
      options.watch_root_certs();
      options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    } else {
      options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    }
    credentials = grpc::experimental::TlsServerCredentials(options);
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort(s.config.grpc_addr, credentials, &s.port);
  // Over the limit gRPC itself answers RESOURCE_EXHAUSTED (not retried).
  builder.SetMaxReceiveMessageSize(static_cast<int>(s.config.max_body_bytes));
  builder.RegisterService(&s.traces);
  builder.RegisterService(&s.logs);
  builder.RegisterService(&s.metrics_service);
  s.server = builder.BuildAndStart();
  if (!s.server || s.port == 0) {
    s.server.reset();
    return Status::Unavailable("receivers.otlp_grpc.addr: cannot listen on " +
                               s.config.grpc_addr);
  }
  return Status::Ok();
}

void OtlpGrpcReceiver::RequireAuth(const auth::Authenticator* authenticator) {
  impl_->authenticator = authenticator;
}

void OtlpGrpcReceiver::SetTls(auth::TlsConfig tls) { impl_->tls = std::move(tls); }

Status OtlpGrpcReceiver::ReloadTls() {
  Impl& s = *impl_;
  if (!s.tls.enabled() || !s.server) return Status::Ok();
  auto count = [&s](const char* outcome) {
    s.registry
        .GetCounter("loupe_tls_reloads_total", "TLS certificate reloads, by server and outcome.",
                    {{"server", "otlp_grpc"}, {"outcome", outcome}})
        .Inc();
  };
  auto files = auth::LoadTlsFiles(s.tls);
  Status st = files.ok() ? s.staged.Stage(*files) : files.status();
  if (!st.ok()) {
    count("failure");
    return Status::InvalidArgument(
        "receivers.otlp_grpc.tls: TLS reload failed, keeping the previous certificate: " +
        st.message());
  }
  count("success");
  return Status::Ok();
}

uint16_t OtlpGrpcReceiver::port() const { return static_cast<uint16_t>(impl_->port); }

void OtlpGrpcReceiver::Shutdown(int grace_seconds) {
  Impl& s = *impl_;
  if (!s.server || s.shut_down) return;
  s.shut_down = true;
  s.server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(grace_seconds));
}

}  // namespace loupe::ingest
