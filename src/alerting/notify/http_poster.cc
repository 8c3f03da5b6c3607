// HttpPoster over libcurl: one easy handle per call (notifications are
// rare; simplicity beats connection reuse here).
#include "alerting/notify/http_poster.h"

#include <curl/curl.h>

#include <cstdlib>
#include <mutex>

namespace loupe::alerting {
namespace {

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() < 512) out->append(data, std::min(size * n, 512 - out->size()));
  return size * n;
}

size_t ReadHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  auto* retry_after = static_cast<std::optional<double>*>(user);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      std::string value(line.substr(kName.size()));
      char* end = nullptr;
      double v = std::strtod(value.c_str(), &end);
      if (end != value.c_str() && v >= 0) *retry_after = v;  // HTTP-dates are ignored: backoff applies
    }
  }
  return size * n;
}

class CurlPoster final : public HttpPoster {
 public:
  CurlPoster() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  PostResult Post(const HttpPost& post) override {
    PostResult result;
    CURL* curl = curl_easy_init();
    if (!curl) {
      result.error = "curl_easy_init failed";
      return result;
    }
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    for (const auto& [k, v] : post.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, post.url.c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(post.timeout_seconds * 1000));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "loupe-alerting");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.retry_after);
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
      result.error = std::string("no answer: ") + curl_easy_strerror(rc);
    } else {
      long status = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      result.status = static_cast<int>(status);
      if (!IsSuccess(result.status)) result.error = "HTTP " + std::to_string(status) + ": " + body;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return result;
  }
};

}  // namespace

std::unique_ptr<HttpPoster> MakeCurlPoster() { return std::make_unique<CurlPoster>(); }

bool IsSuccess(int status) { return status >= 200 && status < 300; }
bool IsRetryable(int status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

}  // namespace loupe::alerting
