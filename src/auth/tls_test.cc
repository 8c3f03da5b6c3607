#include "auth/tls.h"

#include <gtest/gtest.h>

#include "auth/test_certs.h"
#include "server/config_reader.h"

namespace loupe::auth {
namespace {

using testing::TestCerts;

TEST(TlsTest, LoadsMatchingFiles) {
  TestCerts certs;
  ASSERT_TRUE(certs.ok());
  TlsConfig c{certs.Path("server.pem"), certs.Path("server.key"), certs.Path("ca.pem")};
  auto m = LoadTlsFiles(c);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->cert_pem, certs.Read("server.pem"));
  EXPECT_EQ(m->key_pem, certs.Read("server.key"));
  EXPECT_EQ(m->client_ca_pem, certs.Read("ca.pem"));
}

TEST(TlsTest, ErrorsNameTheFile) {
  TestCerts certs;
  ASSERT_TRUE(certs.ok());
  certs.Write("garbage.pem", "not a certificate\n");
  auto expect_error = [](const TlsConfig& c, const std::string& want) {
    auto m = LoadTlsFiles(c);
    ASSERT_FALSE(m.ok());
    EXPECT_NE(m.status().message().find(want), std::string::npos) << m.status().message();
  };
  expect_error({certs.Path("missing.pem"), certs.Path("server.key")},
               "certificate " + certs.Path("missing.pem") + ": cannot read");
  expect_error({certs.Path("garbage.pem"), certs.Path("server.key")},
               "certificate " + certs.Path("garbage.pem") + ": no PEM certificate");
  expect_error({certs.Path("server.pem"), certs.Path("garbage.pem")},
               "private key " + certs.Path("garbage.pem") + ": no unencrypted PEM private key");
  // The client's key is a good key, but not the server certificate's.
  expect_error({certs.Path("server.pem"), certs.Path("client.key")},
               "private key " + certs.Path("client.key") + ": does not belong to the certificate");
  expect_error({certs.Path("server.pem"), certs.Path("server.key"), certs.Path("garbage.pem")},
               "client CA " + certs.Path("garbage.pem") + ": no PEM certificate");
}

TEST(TlsTest, ValidateAndReadConfig) {
  EXPECT_FALSE(TlsConfig{}.enabled());
  EXPECT_TRUE(TlsConfig{}.Validate("x.tls").ok());
  Status s = TlsConfig{"a.pem", ""}.Validate("x.tls");
  EXPECT_EQ(s.message(), "x.tls: set both cert_file and key_file, or neither");
  s = TlsConfig{"", "", "ca.pem"}.Validate("x.tls");
  EXPECT_FALSE(s.ok());

  TestCerts certs;
  ASSERT_TRUE(certs.ok());
  auto r = server::ConfigReader::FromText(
      "receivers:\n  otlp_grpc:\n    tls:\n      cert_file: " + certs.Path("server.pem") +
          "\n      key_file: " + certs.Path("client.key") + "\n",
      "loupe.yaml");
  ASSERT_TRUE(r.ok());
  TlsConfig c;
  ReadTlsConfig(**r, "receivers.otlp_grpc.tls", &c);
  EXPECT_EQ(c.cert_file, certs.Path("server.pem"));
  auto errors = (*r)->Errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("receivers.otlp_grpc.tls: private key " + certs.Path("client.key"), 0),
            0u)
      << errors[0];
}

}  // namespace
}  // namespace loupe::auth
