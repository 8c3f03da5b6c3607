// The OTLP receivers with ingest tokens and TLS: OTLP/HTTP answers 401 with
// a google.rpc.Status, OTLP/gRPC ends calls UNAUTHENTICATED; gRPC over TLS
// with certificates made by the test, reloaded by file watch.
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "auth/authenticator.h"
#include "auth/test_certs.h"
#include "google/rpc/status.pb.h"
#include "ingest/otlp_grpc.h"
#include "ingest/otlp_http.h"
#include "ingest/test_http_client.h"
#include "ingest/test_otlp.h"
#include "ingest/test_tls_client.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace loupe::ingest {
namespace {

using auth::testing::TestCerts;
using testing::GateConsumer;
namespace pb_trace = testing::pb_trace;

constexpr char kToken[] = "ingest-token-0123456789";

class OtlpAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auth::AuthConfig c;
    c.AddIngestToken(kToken, "app");
    auth_ = std::make_unique<auth::Authenticator>(std::move(c), &registry_);
    config_.grpc_addr = "127.0.0.1:0";
    config_.http_addr = "127.0.0.1:0";
    PipelineConfig pc;
    pc.max_group_batches = 1;
    pipeline_ = std::make_unique<Pipeline>(pc, nullptr, std::vector<model::BatchConsumer*>{&sink_},
                                           registry_);
    pipeline_->Start();
  }
  void TearDown() override {
    sink_.Release();
    if (grpc_) grpc_->Shutdown(2);
    if (http_) http_->Shutdown();
    if (pipeline_) pipeline_->Shutdown();
    grpc_.reset();
    http_.reset();
  }
  Status StartGrpc(auth::TlsConfig tls = {}) {
    grpc_ = std::make_unique<OtlpGrpcReceiver>(config_, *pipeline_, registry_);
    grpc_->RequireAuth(auth_.get());
    grpc_->SetTls(std::move(tls));
    return grpc_->Start();
  }
  grpc::Status Export(std::shared_ptr<grpc::Channel> channel, const char* token,
                      std::string* peer_cn = nullptr) {
    auto stub = pb_trace::TraceService::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (token != nullptr) ctx.AddMetadata("authorization", token);
    pb_trace::ExportTraceServiceResponse res;
    grpc::Status s = stub->Export(&ctx, testing::TraceRequest(1), &res);
    if (peer_cn != nullptr && ctx.auth_context()) {
      auto cn = ctx.auth_context()->FindPropertyValues("x509_common_name");
      *peer_cn = cn.empty() ? "" : std::string(cn[0].data(), cn[0].size());
    }
    return s;
  }
  std::shared_ptr<grpc::Channel> TlsChannel(const TestCerts& certs) {
    grpc::SslCredentialsOptions o;
    o.pem_root_certs = certs.Read("ca.pem");
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    // A fresh connection per channel, so each sees the current certificate.
    args.SetInt("grpc.use_local_subchannel_pool", 1);
    return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(grpc_->port()),
                                     grpc::SslCredentials(o), args);
  }
  bool Metric(const std::string& line) {
    return registry_.Render().find(line + "\n") != std::string::npos;
  }

  metrics::Registry registry_;
  std::unique_ptr<auth::Authenticator> auth_;
  ReceiverConfig config_;
  GateConsumer sink_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<OtlpGrpcReceiver> grpc_;
  std::unique_ptr<OtlpHttpReceiver> http_;
};

TEST_F(OtlpAuthTest, HttpNeedsAnIngestToken) {
  http_ = std::make_unique<OtlpHttpReceiver>(config_, *pipeline_, registry_);
  http_->RequireAuth(auth_.get());
  ASSERT_TRUE(http_->Start().ok());
  std::string body = testing::TraceRequest(1).SerializeAsString();
  std::map<std::string, std::string> h = {{"Content-Type", "application/x-protobuf"}};
  {
    testing::TestClient c(http_->port());
    auto r = c.Request("POST", "/v1/traces", body, h);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.headers["www-authenticate"], "Bearer realm=\"loupe\"");
    google::rpc::Status s;
    ASSERT_TRUE(s.ParseFromString(r.body));
    EXPECT_EQ(s.code(), 16);  // UNAUTHENTICATED
    EXPECT_EQ(s.message().rfind("missing bearer token", 0), 0u) << s.message();
  }
  {
    testing::TestClient c(http_->port());
    auto jh = std::map<std::string, std::string>{{"Content-Type", "application/json"},
                                                 {"Authorization", "Bearer wrong-token-000000"}};
    auto r = c.Request("POST", "/v1/traces", "{}", jh);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.headers["content-type"], "application/json");
    EXPECT_NE(r.body.find("unknown token"), std::string::npos) << r.body;
  }
  EXPECT_TRUE(sink_.spans().empty());
  h["Authorization"] = std::string("Bearer ") + kToken;
  testing::TestClient c(http_->port());
  auto r = c.Request("POST", "/v1/traces", body, h);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(sink_.spans().size(), 1u);
  EXPECT_TRUE(Metric(
      "loupe_receiver_requests_total{outcome=\"refused\",protocol=\"http\","
      "reason=\"unauthenticated\",signal=\"traces\"} 2"));
  EXPECT_TRUE(Metric("loupe_auth_failures_total{listener=\"otlp_http\",reason=\"missing\"} 1"));
}

TEST_F(OtlpAuthTest, GrpcNeedsAnIngestToken) {
  ASSERT_TRUE(StartGrpc().ok());
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_->port()),
                                     grpc::InsecureChannelCredentials());
  grpc::Status s = Export(channel, nullptr);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message().rfind("missing bearer token", 0), 0u) << s.error_message();
  s = Export(channel, "Bearer not-the-token-0000000");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message().rfind("unknown token", 0), 0u) << s.error_message();
  EXPECT_TRUE(sink_.spans().empty());
  s = Export(channel, (std::string("Bearer ") + kToken).c_str());
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(sink_.spans().size(), 1u);
  EXPECT_TRUE(Metric(
      "loupe_receiver_requests_total{outcome=\"refused\",protocol=\"grpc\","
      "reason=\"unauthenticated\",signal=\"traces\"} 2"));
}

TEST_F(OtlpAuthTest, GrpcOverTlsWithTokenAndFileWatchReload) {
  TestCerts certs("grpc-one");
  ASSERT_TRUE(certs.ok());
  auth::TlsConfig tls{certs.Path("server.pem"), certs.Path("server.key")};
  ASSERT_TRUE(StartGrpc(tls).ok());
  const std::string token = std::string("Bearer ") + kToken;

  std::string cn;
  grpc::Status s = Export(TlsChannel(certs), token.c_str(), &cn);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(cn, "grpc-one");
  s = Export(TlsChannel(certs), nullptr);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // Plain text to a TLS port does not get through.
  auto plain = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_->port()),
                                   grpc::InsecureChannelCredentials());
  EXPECT_EQ(Export(plain, token.c_str()).error_code(), grpc::StatusCode::UNAVAILABLE);

  // Renewed files are picked up by the watcher without a restart.
  ASSERT_TRUE(certs.Issue("renewed", "grpc-two"));
  certs.Write("server.key", certs.Read("renewed.key"));
  certs.Write("server.pem", certs.Read("renewed.pem"));
  ASSERT_TRUE(grpc_->ReloadTls().ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    cn.clear();
    s = Export(TlsChannel(certs), token.c_str(), &cn);
  } while (cn != "grpc-two" && std::chrono::steady_clock::now() < deadline);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(cn, "grpc-two");

  // A broken file: ReloadTls names it, and serving goes on with the last
  // good certificate.
  certs.Write("server.pem", "garbage\n");
  Status r = grpc_->ReloadTls();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find(certs.Path("server.pem")), std::string::npos) << r.message();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // > reload interval
  cn.clear();
  s = Export(TlsChannel(certs), token.c_str(), &cn);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(cn, "grpc-two");
}

TEST_F(OtlpAuthTest, GrpcTlsBadFilesAtStartNameTheFile) {
  TestCerts certs;
  ASSERT_TRUE(certs.ok());
  Status s = StartGrpc({certs.Path("server.pem"), certs.Path("missing.key")});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("receivers.otlp_grpc.tls: private key " + certs.Path("missing.key")),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace loupe::ingest
