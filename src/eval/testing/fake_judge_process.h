// Runs tests/fake_judge/fake_judge.py as a child process for a test and
// scripts it over HTTP. The process is killed (by its pid) when the
// object goes away.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "eval/http_transport.h"

namespace loupe::eval::testing {

class FakeJudgeProcess {
 public:
  FakeJudgeProcess() {
    const char* src = std::getenv("LOUPE_SOURCE_DIR");
    const std::string script = std::string(src ? src : ".") + "/tests/fake_judge/fake_judge.py";
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      execlp("python3", "python3", script.c_str(), "--port", "0", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[128] = {0};
    if (!out || !fgets(line, sizeof line, out) || std::sscanf(line, "PORT %d", &port_) != 1) {
      if (out) fclose(out);
      throw std::runtime_error("fake judge did not start: " + script);
    }
    out_ = out;
    transport_ = NewCurlTransport();
  }
  ~FakeJudgeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (out_) fclose(out_);
  }

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // POST /control with a JSON body, e.g. {"script": [{"mode": "malformed"}]}.
  void Control(const std::string& json) { Post("/control", json); }
  void Reset() { Post("/reset", "{}"); }
  // GET /requests: the JSON list of requests received.
  std::string Requests() {
    HttpCall call;
    call.method = "GET";
    call.url = base_url() + "/requests";
    call.timeout_seconds = 5;
    return transport_->Do(call).body;
  }

 private:
  void Post(const std::string& path, const std::string& json) {
    HttpCall call;
    call.url = base_url() + path;
    call.headers = {{"content-type", "application/json"}};
    call.body = json;
    call.timeout_seconds = 5;
    HttpReply r = transport_->Do(call);
    if (!r.error.ok() || r.status != 200) throw std::runtime_error("fake judge control failed");
  }

  pid_t pid_ = -1;
  int port_ = 0;
  FILE* out_ = nullptr;
  std::unique_ptr<HttpTransport> transport_;
};

}  // namespace loupe::eval::testing
