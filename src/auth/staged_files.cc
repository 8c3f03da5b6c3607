#include "auth/staged_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace loupe::auth {

StagedTlsFiles::~StagedTlsFiles() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status StagedTlsFiles::Write(const std::string& name, const std::string& text) {
  std::string path = dir_ + "/" + name;
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = errno;
      ::close(fd);
      return Status::IoError("cannot write " + tmp + ": " + std::strerror(e));
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IoError("cannot rename " + tmp + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status StagedTlsFiles::Stage(const TlsMaterial& m) {
  if (dir_.empty()) {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/loupe-tls-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return Status::IoError("cannot create a directory for TLS files in " + tmpl + ": " +
                             std::strerror(errno));
    }
    dir_ = tmpl;  // mkdtemp makes it 0700
  }
  std::string identity = m.cert_pem;
  if (!identity.empty() && identity.back() != '\n') identity += '\n';
  identity += m.key_pem;
  if (!m.client_ca_pem.empty()) {
    Status s = Write("client_ca.pem", m.client_ca_pem);
    if (!s.ok()) return s;
    has_ca_ = true;
  }
  return Write("identity.pem", identity);
}

}  // namespace loupe::auth
