#include "http_post.h"

#include <curl/curl.h>

#include <mutex>

namespace loupe::client {
namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

HttpPoster::HttpPoster(std::string url, const std::map<std::string, std::string>& headers,
                       std::chrono::milliseconds timeout)
    : curl_(nullptr), headers_(nullptr), url_(std::move(url)), timeout_ms_(static_cast<long>(timeout.count())) {
  // curl_global_init is not thread-safe on every libcurl build: once per process.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  headers_ = curl_slist_append(headers_, "Content-Type: application/x-protobuf");
  headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
  for (const auto& [k, v] : headers) headers_ = curl_slist_append(headers_, (k + ": " + v).c_str());
}

HttpPoster::~HttpPoster() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_slist_free_all(headers_);
}

PostResult HttpPoster::Post(const std::string& body) {
  PostResult r;
  CURL* c = static_cast<CURL*>(curl_);
  if (c == nullptr) {
    r.error = "curl_easy_init failed";
    return r;
  }
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // we run on a background thread
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Discard);
  CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    r.error = curl_easy_strerror(code);
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.http_status);
  return r;
}

}  // namespace loupe::client
