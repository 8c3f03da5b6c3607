// Content policy configuration (`content.*` in loupe.yaml): whether Loupe
// keeps prompts and completions as sent, redacted, or not at all, and
// which patterns redaction looks for. Defaults are documented here and in
// docs/privacy.md; Validate() and ReadContentPolicyConfig name the key path.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace loupe::server {
class ConfigReader;
}

namespace loupe::privacy {

// content.capture
enum class CaptureMode {
  kFull,    // content kept as sent (the default)
  kRedact,  // every string value scanned; matches replaced
  kNone,    // content keys, content events and messages dropped; the rest redacted
};

// "full", "redact", "none".
Result<CaptureMode> ParseCaptureMode(std::string_view text);
std::string_view CaptureModeName(CaptureMode mode);

// content.redact.patterns[i]
struct CustomPattern {
  std::string name;   // counter label and default replacement; [a-z0-9_]+, not a built-in's name
  std::string regex;  // RE2 syntax
  // What a match becomes; \0..\9 refer to the match and its groups. Empty:
  // "[REDACTED:<name>]".
  std::string replacement;
};

struct ContentPolicyConfig {
  CaptureMode capture = CaptureMode::kFull;
  // content.redact.builtin: {name: bool}. A built-in not listed keeps its
  // default (every one on, except ipv4). Names: BuiltinPatternNames().
  std::map<std::string, bool> builtin;
  std::vector<CustomPattern> patterns;  // content.redact.patterns, applied after the built-ins
  // content.redact.keep_keys: attribute keys whose values are never
  // rewritten (e.g. user.id when user ids are e-mail addresses and must
  // stay groupable). LlmCall fields read from such a key are kept too.
  std::vector<std::string> keep_keys;

  // Checks built-in names, custom names, every regex (RE2's message) and
  // every replacement; the message starts with the key path.
  Status Validate() const;
};

// Reads content.* over the defaults in *out. Every problem (types, unknown
// capture mode, unknown built-in, bad regex with RE2's message, bad
// replacement) is recorded in the reader, naming its key path.
void ReadContentPolicyConfig(server::ConfigReader& reader, ContentPolicyConfig* out);

}  // namespace loupe::privacy
