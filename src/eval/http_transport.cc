#include "eval/http_transport.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

namespace loupe::eval {
namespace {

struct Transfer {
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool too_large = false;
  const std::atomic<bool>* cancel = nullptr;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  if (t->body.size() + len > kMaxReplyBytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, len);
  return len;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  std::string_view line(data, len);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos && t->headers.size() < 100) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
    t->headers.emplace_back(std::move(name), std::string(value));
  }
  return len;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->cancel && t->cancel->load() ? 1 : 0;
}

class CurlTransport final : public HttpTransport {
 public:
  CurlTransport() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  HttpReply Do(const HttpCall& call) override {
    HttpReply reply;
    CURL* curl = curl_easy_init();
    if (!curl) {
      reply.error = Status::Internal("curl_easy_init failed");
      return reply;
    }
    Transfer t;
    t.cancel = call.cancel;
    curl_slist* headers = nullptr;
    // curl drops "Name:" with no value; "Name;" sends it empty.
    for (const auto& [k, v] : call.headers) {
      headers = curl_slist_append(headers, (v.empty() ? k + ";" : k + ": " + v).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
    if (call.method == "POST" || !call.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    }
    if (call.method == "GET") curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(call.timeout_seconds * 1000));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(call.timeout_seconds, 10.0) * 1000));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);

    reply.status = static_cast<int>(status);
    reply.body = std::move(t.body);
    reply.headers = std::move(t.headers);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      reply.timed_out = true;
      reply.error = Status::Unavailable("no answer within " + std::to_string(call.timeout_seconds) + "s from " + call.url);
    } else if (rc == CURLE_ABORTED_BY_CALLBACK) {
      reply.error = Status::Unavailable("cancelled (shutting down)");
    } else if (t.too_large) {
      reply.error = Status::TooLarge("answer over " + std::to_string(kMaxReplyBytes) + " bytes from " + call.url);
    } else if (rc != CURLE_OK) {
      reply.error = Status::Unavailable(std::string(curl_easy_strerror(rc)) + " (" + call.url + ")");
    }
    return reply;
  }
};

}  // namespace

std::string_view HttpReply::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

std::unique_ptr<HttpTransport> NewCurlTransport() { return std::make_unique<CurlTransport>(); }

}  // namespace loupe::eval
