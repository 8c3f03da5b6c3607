// OTLP/HTTP transport over libcurl. One easy handle per transport keeps
// the connection alive between requests.
#include <curl/curl.h>
#include <zlib.h>

#include <chrono>
#include <string>

#include "fanout/encode.h"
#include "fanout/transport.h"

namespace loupe::fanout {

std::string HttpTracesUrl(std::string_view endpoint) {
  size_t scheme = endpoint.find("://");
  size_t path = endpoint.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (path == std::string_view::npos || endpoint.substr(path) == "/") {
    std::string url(endpoint.substr(0, path));
    return url + "/v1/traces";
  }
  return std::string(endpoint);
}

std::string GzipCompress(std::string_view in) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

namespace {

// curl_global_init is not thread-safe; run it once, before any handle.
void GlobalInitOnce() {
  static const bool done = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)done;
}

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  std::string* out = static_cast<std::string*>(user);
  if (out->size() < 4096) out->append(data, std::min(size * n, 4096 - out->size()));
  return size * n;
}

size_t ReadHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
      *static_cast<std::string*>(user) = std::string(value);
    }
  }
  return size * n;
}

class HttpTransport final : public Transport {
 public:
  explicit HttpTransport(const EndpointConfig& config) : config_(config), url_(HttpTracesUrl(config.endpoint)) {
    GlobalInitOnce();
    curl_ = curl_easy_init();
    bool json = config.protocol == Protocol::kHttpJson;
    headers_ = curl_slist_append(headers_, json ? "Content-Type: application/json"
                                                : "Content-Type: application/x-protobuf");
    if (config.gzip) headers_ = curl_slist_append(headers_, "Content-Encoding: gzip");
    headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
    for (const auto& [k, v] : config.headers) headers_ = curl_slist_append(headers_, (k + ": " + v).c_str());
  }
  ~HttpTransport() override {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }

  SendResult Send(std::string_view request) override {
    SendResult result;
    std::string body;
    if (config_.protocol == Protocol::kHttpJson) {
      auto json = ProtobufToJson(request);
      if (!json.ok()) return {Outcome::kPermanent, "cannot encode as JSON: " + json.status().message(), {}};
      body = std::move(json).value();
    } else {
      body.assign(request);
    }
    if (config_.gzip) body = GzipCompress(body);

    std::string response, retry_after;
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout_seconds * 1000));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, ReadHeader);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &retry_after);
    if (config_.tls_insecure) {
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!config_.tls_ca_file.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, config_.tls_ca_file.c_str());

    CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) {
      return {ClassifyHttp(0), std::string("no answer: ") + curl_easy_strerror(rc), {}};
    }
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    result.outcome = ClassifyHttp(static_cast<int>(status));
    if (result.outcome != Outcome::kSent) {
      result.detail = "HTTP " + std::to_string(status);
      if (!response.empty() && config_.protocol == Protocol::kHttpJson) result.detail += ": " + response;
    }
    if (!retry_after.empty()) {
      auto now = std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch());
      result.retry_after = ParseRetryAfter(retry_after, now.count());
    }
    return result;
  }

 private:
  const EndpointConfig config_;
  const std::string url_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
};

}  // namespace

std::unique_ptr<Transport> MakeGrpcTransport(const EndpointConfig& config, Status* error);

Result<std::unique_ptr<Transport>> MakeTransport(const EndpointConfig& config) {
  if (config.protocol == Protocol::kGrpc) {
    Status error;
    auto t = MakeGrpcTransport(config, &error);
    if (!error.ok()) return error;
    return t;
  }
  return std::unique_ptr<Transport>(std::make_unique<HttpTransport>(config));
}

}  // namespace loupe::fanout
