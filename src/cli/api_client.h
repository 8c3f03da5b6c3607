// ApiClient: the one HTTP client the CLI uses to talk to a running Loupe
// (libcurl). The bearer token, when the API wants one, comes from
// LOUPE_API_TOKEN.
#pragma once

#include <string>

namespace loupe::cli {

// Sends `method url` with an optional JSON body; returns the HTTP status,
// or 0 with `error` set when the server could not be reached.
long ApiRequest(const std::string& method, const std::string& url, std::string* body, std::string* error);

// Percent-encodes everything but unreserved characters.
std::string PathEscape(const std::string& s);

}  // namespace loupe::cli
