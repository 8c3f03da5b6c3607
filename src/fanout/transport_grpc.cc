// OTLP/gRPC transport: TraceService/Export through the generated stub.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "fanout/transport.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace loupe::fanout {
namespace {

namespace pb_collector = opentelemetry::proto::collector::trace::v1;

// "http://host:port/path" -> "host:port".
std::string GrpcTarget(std::string_view endpoint) {
  size_t scheme = endpoint.find("://");
  if (scheme != std::string_view::npos) endpoint.remove_prefix(scheme + 3);
  size_t slash = endpoint.find('/');
  return std::string(endpoint.substr(0, slash));
}

// Looks for google.rpc.RetryInfo among the status details; sets the delay.
bool FindRetryInfo(const grpc::Status& status, std::optional<double>* delay) {
  if (status.error_details().empty()) return false;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return false;
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo info;
    if (any.type_url().ends_with("google.rpc.RetryInfo") && any.UnpackTo(&info)) {
      *delay = static_cast<double>(info.retry_delay().seconds()) + info.retry_delay().nanos() / 1e9;
      return true;
    }
  }
  return false;
}

class GrpcTransport final : public Transport {
 public:
  GrpcTransport(const EndpointConfig& config, std::shared_ptr<grpc::Channel> channel)
      : config_(config), stub_(pb_collector::TraceService::NewStub(channel)) {}

  SendResult Send(std::string_view request) override {
    pb_collector::ExportTraceServiceRequest message;
    if (!message.ParseFromArray(request.data(), static_cast<int>(request.size()))) {
      return {Outcome::kPermanent, "queued entry is not a valid ExportTraceServiceRequest", {}};
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(static_cast<int64_t>(config_.timeout_seconds * 1000)));
    for (const auto& [k, v] : config_.headers) {
      std::string key = k;
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      context.AddMetadata(key, v);
    }
    if (config_.gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    pb_collector::ExportTraceServiceResponse response;
    grpc::Status status = stub_->Export(&context, message, &response);
    SendResult result;
    bool has_retry_info = FindRetryInfo(status, &result.retry_after);
    result.outcome = ClassifyGrpc(status.error_code(), has_retry_info);
    if (!status.ok()) {
      result.detail = "gRPC code " + std::to_string(status.error_code()) + ": " + status.error_message();
    }
    return result;
  }

 private:
  const EndpointConfig config_;
  std::unique_ptr<pb_collector::TraceService::Stub> stub_;
};

}  // namespace

std::unique_ptr<Transport> MakeGrpcTransport(const EndpointConfig& config, Status* error) {
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (config.endpoint.starts_with("https://")) {
    grpc::SslCredentialsOptions ssl;
    if (!config.tls_ca_file.empty()) {
      std::ifstream in(config.tls_ca_file);
      if (!in) {
        *error = Status::InvalidArgument("tls.ca_file: cannot read " + config.tls_ca_file);
        return nullptr;
      }
      std::stringstream pem;
      pem << in.rdbuf();
      ssl.pem_root_certs = pem.str();
    }
    // gRPC 1.51's stable API has no "skip verification" for SSL
    // credentials; tls_insecure applies to HTTP endpoints only.
    creds = grpc::SslCredentials(ssl);
  } else {
    creds = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(64 << 20);
  // Reconnect quickly once a downstream comes back.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return std::make_unique<GrpcTransport>(config, grpc::CreateCustomChannel(GrpcTarget(config.endpoint), creds, args));
}

}  // namespace loupe::fanout
