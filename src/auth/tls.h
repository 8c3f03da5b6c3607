// TLS files for a listener: where they are, and a loader that checks them
// with OpenSSL and names the file at fault, because the TLS libraries'
// own errors ("error:0480006C:PEM routines::no start line") do not.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"

namespace loupe::server {
class ConfigReader;
}

namespace loupe::auth {

// <listener>.tls.* (receivers.otlp_grpc.tls, receivers.otlp_http.tls,
// server.api_tls, server.metrics_tls; the lead picks the prefixes).
struct TlsConfig {
  std::string cert_file;       // PEM certificate chain, leaf first
  std::string key_file;        // PEM private key, unencrypted
  std::string client_ca_file;  // optional: require client certificates signed by these CAs

  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
  // Both files or neither; a client CA needs a certificate.
  // Does not touch the files (LoadTlsFiles does). `prefix` names the keys.
  Status Validate(std::string_view prefix) const;
};

// The files' contents, checked: the certificate parses and has not
// expired, the key parses and belongs to the certificate, the client CA
// file holds at least one certificate.
struct TlsMaterial {
  std::string cert_pem;
  std::string key_pem;
  std::string client_ca_pem;  // empty when none
};

// Reads and checks the files of `config` (REQUIRES: config.enabled()).
// Errors name the file and what is wrong with it.
Result<TlsMaterial> LoadTlsFiles(const TlsConfig& config);

// Reads `<prefix>.cert_file`, `.key_file`, `.client_ca_file`, then
// validates them and loads the files,
// recording any problem in `reader` under the key path.
void ReadTlsConfig(server::ConfigReader& reader, std::string_view prefix, TlsConfig* out);

}  // namespace loupe::auth
