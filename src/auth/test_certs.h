// Test-only: a throwaway CA, server and client certificates made with the
// openssl CLI in a fresh temporary directory, so no test depends on a
// checked-in key (or on one that expires).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace loupe::auth::testing {

class TestCerts {
 public:
  // Makes ca.pem/ca.key, server.pem/server.key (CN=`server_cn`, SAN
  // localhost and 127.0.0.1) and client.pem/client.key. ok() tells whether
  // every openssl command succeeded.
  explicit TestCerts(const std::string& server_cn = "loupe-test-server") {
    char tmpl[] = "/tmp/loupe-certs-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (d == nullptr) return;
    dir_ = d;
    ok_ = Run("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2"
              " -subj /CN=loupe-test-ca -keyout " + Path("ca.key") + " -out " + Path("ca.pem")) &&
          Issue("server", server_cn) && Issue("client", "loupe-test-client");
  }
  ~TestCerts() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  TestCerts(const TestCerts&) = delete;
  TestCerts& operator=(const TestCerts&) = delete;

  bool ok() const { return ok_; }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Read(const std::string& name) const {
    std::ifstream in(Path(name), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(Path(name), std::ios::binary | std::ios::trunc) << text;
  }
  // Another certificate and key for the server name, signed by the same CA
  // (e.g. to check a reload took effect): files `<prefix>.pem`, `<prefix>.key`.
  bool Issue(const std::string& prefix, const std::string& cn) {
    std::string ext = Path(prefix + ".ext");
    std::ofstream(ext) << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
    return Run("req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=" + cn +
               " -keyout " + Path(prefix + ".key") + " -out " + Path(prefix + ".csr")) &&
           Run("x509 -req -days 2 -in " + Path(prefix + ".csr") + " -CA " + Path("ca.pem") +
               " -CAkey " + Path("ca.key") + " -CAcreateserial -CAserial " + Path("ca.srl") +
               " -extfile " + ext + " -out " + Path(prefix + ".pem"));
  }

 private:
  static bool Run(const std::string& args) {
    return std::system(("openssl " + args + " >/dev/null 2>&1").c_str()) == 0;
  }

  std::string dir_;
  bool ok_ = false;
};

}  // namespace loupe::auth::testing
