// Redactor: the compiled form of the enabled patterns. One RE2::Set pass
// tells which patterns occur in a string (most strings: none, and most of
// those skip even that pass thanks to the built-ins' exact pre-checks);
// only the patterns that occur are then run to find and replace matches.
//
// Immutable after Create; Redact is safe to call from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "privacy/config.h"

namespace re2 {
class RE2;
}

namespace loupe::privacy {

class Redactor {
 public:
  // Compiles the built-ins enabled by `config.builtin` and every custom
  // pattern. Fails with the key path and RE2's message on a bad regex or
  // replacement (config.Validate()).
  static Result<std::unique_ptr<Redactor>> Create(const ContentPolicyConfig& config);
  ~Redactor();

  // Pattern names, in the order they are applied; counts are indexed alike.
  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return patterns_.size(); }

  // Replaces every accepted match in *text, pattern after pattern (a later
  // pattern sees the earlier replacements). Adds the number of matches
  // replaced to (*counts)[pattern index] (resized to size() if smaller).
  // Returns true if *text changed.
  bool Redact(std::string* text, std::vector<uint64_t>* counts) const;

  // False only when no pattern can match `text` (every pattern has an
  // exact pre-check and none passes).
  bool MayMatch(std::string_view text) const;
  // True when custom patterns are configured (they have no pre-check).
  bool has_custom() const { return first_custom_ < patterns_.size(); }
  // Redact() with the custom patterns only.
  bool RedactCustom(std::string* text, std::vector<uint64_t>* counts) const;

 private:
  struct Pattern;
  struct SetHolder;
  Redactor();
  // Applies pattern i to *text; returns the number of replacements.
  uint64_t ApplyOne(const Pattern& p, std::string* text) const;
  bool RedactFrom(size_t first, std::string* text, std::vector<uint64_t>* counts) const;

  std::vector<std::unique_ptr<Pattern>> patterns_;
  std::vector<std::string> names_;
  std::unique_ptr<SetHolder> set_;
  // True when every pattern has an exact pre-check (built-ins only).
  bool all_prechecked_ = true;
  size_t first_custom_ = 0;  // patterns_[first_custom_..] are the custom ones
};

}  // namespace loupe::privacy
