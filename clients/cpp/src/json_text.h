// JSON string escaping for the GenAI message attributes, so the library
// needs no JSON dependency for the little JSON it writes.
#ifndef LOUPE_CLIENT_JSON_TEXT_H_
#define LOUPE_CLIENT_JSON_TEXT_H_

#include <string>
#include <string_view>

namespace loupe::client {

// Appends `text` as a quoted JSON string. Control characters are escaped;
// other bytes are copied (the server repairs invalid UTF-8).
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace loupe::client

#endif  // LOUPE_CLIENT_JSON_TEXT_H_
