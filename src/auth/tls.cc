#include "auth/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "server/config_reader.h"

namespace loupe::auth {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::IoError(std::string(what) + " " + path + ": cannot read: " +
                           std::strerror(errno));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

BioPtr MemBio(const std::string& data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// OpenSSL would otherwise prompt on the terminal for an encrypted key.
int NoPassphrase(char*, int, int, void*) { return -1; }

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return std::string(" (") + buf + ")";
}

Result<X509Ptr> ParseCert(const std::string& pem, const std::string& path, std::string_view what) {
  BioPtr bio = MemBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!cert) {
    std::string detail = OpenSslError();
    return Status::InvalidArgument(std::string(what) + " " + path +
                                   ": no PEM certificate found (want a '-----BEGIN "
                                   "CERTIFICATE-----' block)" + detail);
  }
  return cert;
}

}  // namespace

Status TlsConfig::Validate(std::string_view prefix) const {
  std::string p(prefix);
  if (cert_file.empty() != key_file.empty()) {
    return Status::InvalidArgument(p + ": set both cert_file and key_file, or neither");
  }
  if (!client_ca_file.empty() && cert_file.empty()) {
    return Status::InvalidArgument(p + ".client_ca_file: needs cert_file and key_file");
  }
  return Status::Ok();
}

Result<TlsMaterial> LoadTlsFiles(const TlsConfig& config) {
  TlsMaterial m;
  auto cert_pem = ReadFile(config.cert_file, "certificate");
  if (!cert_pem.ok()) return cert_pem.status();
  auto key_pem = ReadFile(config.key_file, "private key");
  if (!key_pem.ok()) return key_pem.status();
  m.cert_pem = std::move(*cert_pem);
  m.key_pem = std::move(*key_pem);

  auto cert = ParseCert(m.cert_pem, config.cert_file, "certificate");
  if (!cert.ok()) return cert.status();
  if (X509_cmp_current_time(X509_get0_notAfter(cert->get())) < 0) {
    return Status::InvalidArgument("certificate " + config.cert_file + ": has expired");
  }
  BioPtr key_bio = MemBio(m.key_pem);
  KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) {
    std::string detail = OpenSslError();
    return Status::InvalidArgument("private key " + config.key_file +
                                   ": no unencrypted PEM private key found" + detail);
  }
  if (X509_check_private_key(cert->get(), key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("private key " + config.key_file +
                                   ": does not belong to the certificate in " + config.cert_file);
  }
  if (!config.client_ca_file.empty()) {
    auto ca_pem = ReadFile(config.client_ca_file, "client CA");
    if (!ca_pem.ok()) return ca_pem.status();
    m.client_ca_pem = std::move(*ca_pem);
    auto ca = ParseCert(m.client_ca_pem, config.client_ca_file, "client CA");
    if (!ca.ok()) return ca.status();
  }
  return m;
}

void ReadTlsConfig(server::ConfigReader& reader, std::string_view prefix, TlsConfig* out) {
  std::string p(prefix);
  reader.GetString(p + ".cert_file", &out->cert_file);
  reader.GetString(p + ".key_file", &out->key_file);
  reader.GetString(p + ".client_ca_file", &out->client_ca_file);
  Status s = out->Validate(prefix);
  if (s.ok() && out->enabled()) {
    auto loaded = LoadTlsFiles(*out);
    // File problems name the file, not the key: add the key path.
    if (!loaded.ok()) s = Status::InvalidArgument(p + ": " + loaded.status().message());
  }
  if (!s.ok()) reader.AddError(s.message());
}

}  // namespace loupe::auth
