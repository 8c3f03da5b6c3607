#include "ingest/otlp_http.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "auth/routes.h"
#include "ingest/export.h"
#include "ingest/status_map.h"
#include "otlp/decode.h"

namespace loupe::ingest {

namespace {

std::string LowerTrim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

otlp::Encoding ToOtlp(BodyEncoding e) {
  return e == BodyEncoding::kJson ? otlp::Encoding::kJson : otlp::Encoding::kProtobuf;
}

std::string ContentTypeOf(otlp::Encoding e) {
  return e == otlp::Encoding::kJson ? "application/json" : "application/x-protobuf";
}

// The encoding to answer in: the request's, or JSON (readable) when the
// request named none we know.
otlp::Encoding AnswerEncoding(const HttpRequest& req) {
  auto e = ParseOtlpContentType(req.Header("content-type"));
  return e ? ToOtlp(*e) : otlp::Encoding::kJson;
}

std::optional<Signal> SignalForPath(std::string_view path) {
  if (path == "/v1/traces") return Signal::kTraces;
  if (path == "/v1/logs") return Signal::kLogs;
  if (path == "/v1/metrics") return Signal::kMetrics;
  return std::nullopt;
}

// google.rpc.Status code for an HTTP status the server produced itself.
int GrpcCodeForHttp(int status) {
  switch (status) {
    case 400:
      return kGrpcInvalidArgument;
    case 401:
      return 16;  // UNAUTHENTICATED
    case 403:
      return 7;  // PERMISSION_DENIED
    case 404:
      return 5;  // NOT_FOUND
    case 405:
      return 12;  // UNIMPLEMENTED
    case 413:
    case 431:
      return kGrpcResourceExhausted;
    case 415:
      return kGrpcInvalidArgument;
    case 503:
      return kGrpcUnavailable;
    default:
      return kGrpcInternal;
  }
}

}  // namespace

std::optional<BodyEncoding> ParseOtlpContentType(std::string_view content_type) {
  std::string t = LowerTrim(content_type.substr(0, content_type.find(';')));
  if (t == "application/x-protobuf") return BodyEncoding::kProtobuf;
  if (t == "application/json") return BodyEncoding::kJson;
  return std::nullopt;
}

OtlpHttpReceiver::OtlpHttpReceiver(const ReceiverConfig& config, Pipeline& pipeline,
                                   metrics::Registry& registry)
    : config_(config),
      pipeline_(pipeline),
      metrics_(registry, "http"),
      server_(config.HttpServer(), "otlp_http", &registry) {
  for (Signal s : {Signal::kTraces, Signal::kLogs, Signal::kMetrics}) {
    server_.Handle("POST", "/v1/" + std::string(SignalName(s)),
                   [this, s](HttpRequest req, HttpResponder res) {
                     HandleExport(s, std::move(req), std::move(res));
                   });
  }
  server_.SetErrorFormatter([this](const HttpRequest& req, int status, std::string msg) {
    return ServerError(req, status, std::move(msg));
  });
}

OtlpHttpReceiver::~OtlpHttpReceiver() { Shutdown(); }

void OtlpHttpReceiver::RequireAuth(const auth::Authenticator* authenticator) {
  server_.RequireAuth(authenticator, auth::IngestRoutes());
}

Status OtlpHttpReceiver::Start() { return server_.Start(); }

HttpResponse OtlpHttpReceiver::ServerError(const HttpRequest& req, int status,
                                           std::string message) {
  // Refusals the server made before a handler ran still count per signal.
  if (auto signal = SignalForPath(req.path); signal && req.method == "POST") {
    std::string_view reason = status == 413   ? "too_large"
                              : status == 503 ? "shutting_down"
                              : status == 401 ? "unauthenticated"
                              : status == 403 ? "forbidden"
                                              : "bad_request";
    CountRefusedRequest(metrics_, *signal, reason);
  }
  otlp::Encoding enc = AnswerEncoding(req);
  HttpResponse r;
  r.status = status;
  r.content_type = ContentTypeOf(enc);
  r.body = otlp::EncodeRpcStatus(GrpcCodeForHttp(status), message, enc);
  if (status == 503) {
    r.headers.emplace_back("Retry-After", std::to_string(config_.retry_after_seconds));
  }
  return r;
}

void OtlpHttpReceiver::HandleExport(Signal signal, HttpRequest req, HttpResponder res) {
  auto fail = [&](int status, std::string_view reason, const std::string& message,
                  otlp::Encoding enc) {
    CountRefusedRequest(metrics_, signal, reason);
    HttpResponse r;
    r.status = status;
    r.content_type = ContentTypeOf(enc);
    r.body = otlp::EncodeRpcStatus(GrpcCodeForHttp(status), message, enc);
    res.Send(std::move(r));
  };

  std::string_view content_type = req.Header("content-type");
  auto body_encoding = ParseOtlpContentType(content_type);
  if (!body_encoding) {
    return fail(415, "unsupported_media_type",
                "unsupported Content-Type '" + std::string(content_type) +
                    "': OTLP/HTTP takes application/x-protobuf or application/json",
                otlp::Encoding::kJson);
  }
  const otlp::Encoding enc = ToOtlp(*body_encoding);

  std::string coding = LowerTrim(req.Header("content-encoding"));
  std::string inflated;
  std::string_view body = req.body;
  if (coding == "gzip" || coding == "x-gzip") {
    auto r = otlp::Gunzip(req.body, config_.max_body_bytes);
    if (!r.ok()) {
      const Status& s = r.status();
      return fail(AnswerFor(s).http_status, RefusalReason(s), "gzip body: " + s.message(), enc);
    }
    inflated = std::move(r.value());
    body = inflated;
    std::string().swap(req.body);  // the compressed copy is no longer needed
  } else if (!coding.empty() && coding != "identity") {
    return fail(415, "unsupported_media_type",
                "unsupported Content-Encoding '" + coding + "': use gzip or identity", enc);
  }
  if (body.size() > config_.max_body_bytes) {
    return fail(413, "too_large",
                "request body of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                    std::to_string(config_.max_body_bytes) + " bytes",
                enc);
  }

  const int retry_after = config_.retry_after_seconds;
  Export(signal, body, enc, pipeline_, metrics_,
         [signal, enc, retry_after, res](ExportOutcome outcome) {
           HttpResponse r;
           r.content_type = ContentTypeOf(enc);
           if (outcome.status.ok()) {
             switch (signal) {
               case Signal::kTraces:
                 r.body = otlp::EncodeTraceResponse(outcome.rejected, outcome.message, enc);
                 break;
               case Signal::kLogs:
                 r.body = otlp::EncodeLogsResponse(outcome.rejected, outcome.message, enc);
                 break;
               case Signal::kMetrics:
                 r.body = otlp::EncodeMetricsResponse(outcome.rejected, outcome.message, enc);
                 break;
             }
           } else {
             ProtocolAnswer a = AnswerFor(outcome.status);
             r.status = a.http_status;
             r.body = otlp::EncodeRpcStatus(a.grpc_code, outcome.status.message(), enc);
             if (a.retry_after) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
           }
           res.Send(std::move(r));
         });
}

}  // namespace loupe::ingest
