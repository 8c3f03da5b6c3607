// HttpTransport: one blocking HTTP request, the only thing the judge
// clients and the CLI need from the network. The libcurl implementation is
// the production one; tests talk to tests/fake_judge over it too.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace loupe::eval {

struct HttpCall {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  double timeout_seconds = 60;
  // When set and becoming true, the transfer is aborted (shutdown).
  const std::atomic<bool>* cancel = nullptr;
};

struct HttpReply {
  // OK when an HTTP answer arrived (any status). Unavailable for timeouts,
  // refused or dropped connections, and cancellation (message says which).
  Status error;
  bool timed_out = false;
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  std::string_view Header(std::string_view lower_name) const;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Thread-safe: called from every evaluator worker at once.
  virtual HttpReply Do(const HttpCall& call) = 0;
};

// Answers larger than this are cut off and reported as an error.
inline constexpr size_t kMaxReplyBytes = 4u << 20;

std::unique_ptr<HttpTransport> NewCurlTransport();

}  // namespace loupe::eval
