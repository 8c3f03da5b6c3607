// One libcurl easy handle that POSTs protobuf bodies; used by the exporter's
// background thread only.
#ifndef LOUPE_CLIENT_HTTP_POST_H_
#define LOUPE_CLIENT_HTTP_POST_H_

#include <chrono>
#include <map>
#include <string>

struct curl_slist;  // <curl/curl.h> stays out of this header

namespace loupe::client {

struct PostResult {
  long http_status = 0;  // 0: no HTTP answer (connection failed, timeout)
  std::string error;     // curl's message when http_status is 0
  // OTLP/HTTP: 429, 502, 503, 504 and transport failures are retryable;
  // any other non-2xx is permanent.
  bool ok() const { return http_status >= 200 && http_status < 300; }
  bool retryable() const {
    return http_status == 0 || http_status == 429 || http_status == 502 || http_status == 503 ||
           http_status == 504;
  }
};

// Not thread-safe: one per thread.
class HttpPoster {
 public:
  HttpPoster(std::string url, const std::map<std::string, std::string>& headers,
             std::chrono::milliseconds timeout);
  ~HttpPoster();
  HttpPoster(const HttpPoster&) = delete;
  HttpPoster& operator=(const HttpPoster&) = delete;

  PostResult Post(const std::string& body);

 private:
  void* curl_;                 // CURL*
  struct curl_slist* headers_;
  std::string url_;
  long timeout_ms_;
};

}  // namespace loupe::client

#endif  // LOUPE_CLIENT_HTTP_POST_H_
