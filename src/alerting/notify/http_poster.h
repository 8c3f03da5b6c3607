// HttpPoster: one POST to a notification target. An interface so the
// notifier's retry and queue logic is tested with a fake; production uses
// libcurl (MakeCurlPoster).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace loupe::alerting {

struct HttpPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type: application/json is implied
  std::string body;
  double timeout_seconds = 10;
};

struct PostResult {
  int status = 0;         // HTTP status; 0 when there was no answer
  std::string error;      // transport error or the start of the answer's body
  std::optional<double> retry_after;  // seconds, when the target sent Retry-After
};

class HttpPoster {
 public:
  virtual ~HttpPoster() = default;
  // Thread-safe.
  virtual PostResult Post(const HttpPost& post) = 0;
};

std::unique_ptr<HttpPoster> MakeCurlPoster();

// 2xx: sent. 0 (no answer), 408, 429 and 5xx: worth retrying. Else permanent.
bool IsSuccess(int status);
bool IsRetryable(int status);

}  // namespace loupe::alerting
