// HttpServer over TLS with certificates the test makes itself: serving,
// reload without dropping the listener, bad files, client certificates.
#include <gtest/gtest.h>

#include "auth/test_certs.h"
#include "ingest/http_server.h"
#include "ingest/test_http_client.h"
#include "ingest/test_tls_client.h"
#include "metrics/registry.h"

namespace loupe::ingest {
namespace {

using auth::testing::TestCerts;
using testing::TlsTestClient;

class HttpServerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(certs_.ok()) << "the openssl CLI failed"; }
  auth::TlsConfig Files(const std::string& prefix = "server", bool client_ca = false) {
    return {certs_.Path(prefix + ".pem"), certs_.Path(prefix + ".key"),
            client_ca ? certs_.Path("ca.pem") : ""};
  }
  Status Start(auth::TlsConfig tls) {
    HttpServerConfig c;
    c.shutdown_grace_seconds = 2;
    server_ = std::make_unique<HttpServer>(c, "api", &registry_);
    server_->Handle("GET", "/hello", [](HttpRequest, HttpResponder r) {
      r.Send(HttpResponse::Text(200, "hello over tls"));
    });
    server_->SetTls(std::move(tls));
    return server_->Start();
  }

  TestCerts certs_{"server-one"};
  metrics::Registry registry_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTlsTest, ServesHttps) {
  ASSERT_TRUE(Start(Files()).ok());
  EXPECT_TRUE(server_->tls());
  TlsTestClient c(server_->port(), certs_.Path("ca.pem"));
  ASSERT_FALSE(c.Connect()) << "handshake failed";
  EXPECT_EQ(c.PeerCommonName(), "server-one");
  auto r = c.Request("GET", "/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello over tls");
  EXPECT_EQ(c.Request("GET", "/hello").status, 200);  // keep-alive over TLS
}

TEST_F(HttpServerTlsTest, PlainHttpToATlsPortGetsNoAnswer) {
  ASSERT_TRUE(Start(Files()).ok());
  testing::TestClient plain(server_->port());
  plain.SendRaw("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(plain.ServerClosed());
  // The server goes on serving TLS clients.
  TlsTestClient c(server_->port(), certs_.Path("ca.pem"));
  ASSERT_FALSE(c.Connect());
  EXPECT_EQ(c.Request("GET", "/hello").status, 200);
}

TEST_F(HttpServerTlsTest, BadFilesAtStartNameTheFile) {
  certs_.Write("garbage.pem", "-----BEGIN CERTIFICATE-----\nnope\n");
  Status s = Start({certs_.Path("garbage.pem"), certs_.Path("server.key")});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(certs_.Path("garbage.pem")), std::string::npos) << s.message();
  s = Start({certs_.Path("server.pem"), certs_.Path("client.key")});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("does not belong to the certificate"), std::string::npos)
      << s.message();
}

TEST_F(HttpServerTlsTest, ReloadSwapsTheCertificateAndKeepsTheListener) {
  ASSERT_TRUE(Start(Files()).ok());
  uint16_t port = server_->port();
  TlsTestClient before(port, certs_.Path("ca.pem"));
  ASSERT_FALSE(before.Connect());
  EXPECT_EQ(before.PeerCommonName(), "server-one");

  // Renew: new certificate and key under the same file names, then reload.
  ASSERT_TRUE(certs_.Issue("renewed", "server-two"));
  certs_.Write("server.pem", certs_.Read("renewed.pem"));
  certs_.Write("server.key", certs_.Read("renewed.key"));
  ASSERT_TRUE(server_->ReloadTls().ok());
  EXPECT_EQ(server_->port(), port);
  TlsTestClient after(port, certs_.Path("ca.pem"));
  ASSERT_FALSE(after.Connect());
  EXPECT_EQ(after.PeerCommonName(), "server-two");
  EXPECT_EQ(after.Request("GET", "/hello").status, 200);
  // A connection made before the reload keeps working.
  EXPECT_EQ(before.Request("GET", "/hello").status, 200);

  // A broken renewal: the reload fails, names the file, and the last good
  // certificate stays in use.
  certs_.Write("server.key", "not a key\n");
  Status s = server_->ReloadTls();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("keeping the previous certificate"), std::string::npos);
  EXPECT_NE(s.message().find(certs_.Path("server.key")), std::string::npos) << s.message();
  TlsTestClient still(port, certs_.Path("ca.pem"));
  ASSERT_FALSE(still.Connect());
  EXPECT_EQ(still.PeerCommonName(), "server-two");
  EXPECT_EQ(still.Request("GET", "/hello").status, 200);
  std::string m = registry_.Render();
  EXPECT_NE(m.find("loupe_tls_reloads_total{outcome=\"success\",server=\"api\"} 1"),
            std::string::npos) << m;
  EXPECT_NE(m.find("loupe_tls_reloads_total{outcome=\"failure\",server=\"api\"} 1"),
            std::string::npos);
}

TEST_F(HttpServerTlsTest, ClientCertificatesWhenAClientCaIsSet) {
  ASSERT_TRUE(Start(Files("server", /*client_ca=*/true)).ok());
  TlsTestClient anonymous(server_->port(), certs_.Path("ca.pem"));
  boost::system::error_code ec = anonymous.Connect();
  bool refused = static_cast<bool>(ec);
  if (!refused) {
    // TLS 1.3 reports the missing certificate after the handshake: on
    // first use of the connection.
    try {
      refused = anonymous.Request("GET", "/hello").status != 200;
    } catch (const std::exception&) {
      refused = true;
    }
  }
  EXPECT_TRUE(refused);
  TlsTestClient known(server_->port(), certs_.Path("ca.pem"), certs_.Path("client.pem"),
                      certs_.Path("client.key"));
  ASSERT_FALSE(known.Connect());
  EXPECT_EQ(known.Request("GET", "/hello").status, 200);
}

TEST_F(HttpServerTlsTest, ReloadWithoutTlsIsANoOp) {
  HttpServer plain(HttpServerConfig{}, "x", nullptr);
  EXPECT_FALSE(plain.tls());
  EXPECT_TRUE(plain.ReloadTls().ok());
}

}  // namespace
}  // namespace loupe::ingest
