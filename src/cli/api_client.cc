#include "cli/api_client.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace loupe::cli {
namespace {

size_t WriteBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

long ApiRequest(const std::string& method, const std::string& url, std::string* body, std::string* error) {
  static const bool inited = curl_global_init(CURL_GLOBAL_DEFAULT) == 0;
  CURL* curl = inited ? curl_easy_init() : nullptr;
  if (!curl) {
    *error = "cannot initialise libcurl";
    return 0;
  }
  curl_slist* headers = nullptr;
  if (const char* token = std::getenv("LOUPE_API_TOKEN"); token && *token) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + std::string(token)).c_str());
  }
  headers = curl_slist_append(headers, "Accept: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
  // Backups of a large store take a while; a query should not.
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, method == "GET" ? 60L : 3600L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  } else {
    *error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return status;
}

std::string PathEscape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace loupe::cli
