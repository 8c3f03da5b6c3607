// StagedTlsFiles: a private copy of checked TLS files for a consumer that
// watches files on its own (gRPC's FileWatcherCertificateProvider).
//
// Why: gRPC 1.51's watcher installs whatever it reads, so a half-written
// or broken renewal of the operator's files would break every new
// handshake. Loupe instead checks the operator's files (LoadTlsFiles) and
// only then writes them here, so the watcher only ever sees a good pair,
// and a reload happens when Loupe decides (SIGHUP), as for HTTP.
//
// Certificate chain and key go in ONE file ("identity.pem": the chain, then
// the key) replaced by a single rename, so the watcher can never read a new
// key with an old certificate. PEM readers skip blocks of other types, so
// the same file serves as key file and as certificate file.
//
// The directory is created mode 0700 under $TMPDIR (or /tmp) and removed
// with this object. Not thread-safe: one owner stages.
#pragma once

#include <string>

#include "auth/tls.h"
#include "common/status.h"

namespace loupe::auth {

class StagedTlsFiles {
 public:
  StagedTlsFiles() = default;
  ~StagedTlsFiles();
  StagedTlsFiles(const StagedTlsFiles&) = delete;
  StagedTlsFiles& operator=(const StagedTlsFiles&) = delete;

  // Writes `m` (creating the directory on first use). Each file is written
  // to a temporary name, then renamed over the old one.
  Status Stage(const TlsMaterial& m);

  // Valid after a successful Stage().
  std::string identity_path() const { return dir_ + "/identity.pem"; }
  // "" when the material had no client CA.
  std::string client_ca_path() const { return has_ca_ ? dir_ + "/client_ca.pem" : ""; }

 private:
  Status Write(const std::string& name, const std::string& text);

  std::string dir_;
  bool has_ca_ = false;
};

}  // namespace loupe::auth
