// ContentPolicy: what Loupe keeps of prompts and completions. Applied to
// each batch once, after normalization (so token counts and attribution
// are already read) and before any consumer (store, fan-out, recent
// calls), so nothing unredacted is stored, forwarded or served.
//
//   full    nothing changes (the default).
//   redact  every string value is scanned: span name and status message,
//           span / resource / scope / event / link attributes (inside
//           arrays, maps and JSON text too), log bodies and attributes,
//           and every text field of the LlmCall (message parts, system
//           instructions, attribution). Matches become the pattern's
//           replacement; the span gets loupe.content.redacted = <count>.
//   none    content keys (content_keys.h), content events' bodies and
//           message attributes, and the LlmCall's messages are dropped,
//           marked loupe.content.dropped = true; what remains is then
//           redacted as above (ids, errors and free-form attributes can
//           hold secrets too).
//
// Thread-safe: Apply may run on several threads; counters are atomic.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/batch.h"
#include "privacy/config.h"

namespace loupe::metrics {
class Counter;
class Registry;
}  // namespace loupe::metrics

namespace loupe::privacy {

class Redactor;

// Marker attributes the policy sets.
inline constexpr std::string_view kRedactedAttribute = "loupe.content.redacted";
inline constexpr std::string_view kDroppedAttribute = "loupe.content.dropped";

class ContentPolicy {
 public:
  // Compiles the patterns (Validate()'s errors name the key path).
  // `registry` receives loupe_redactions_total{pattern} and
  // loupe_content_dropped_total; may be null (then the counters are
  // private, still readable through redactions()/dropped()). Not owned;
  // must outlive the policy.
  static Result<std::unique_ptr<ContentPolicy>> Create(const ContentPolicyConfig& config,
                                                       metrics::Registry* registry);
  ~ContentPolicy();

  CaptureMode mode() const { return config_.capture; }

  // Applies the policy to every span record, its events, links, joined
  // logs and LLM call, and to the batch's unjoined logs. Never fails.
  void Apply(model::Batch& batch) const;

  // Replacements made by `pattern` since Create.
  uint64_t redactions(std::string_view pattern) const;
  // Spans and log records whose content `none` dropped since Create.
  uint64_t dropped() const;

 private:
  class Pass;
  ContentPolicy(ContentPolicyConfig config, std::unique_ptr<Redactor> redactor, metrics::Registry* registry);

  const ContentPolicyConfig config_;
  std::unique_ptr<Redactor> redactor_;
  std::unique_ptr<metrics::Registry> own_registry_;  // when none was given
  std::vector<metrics::Counter*> redaction_counters_;  // by pattern index
  metrics::Counter* dropped_counter_ = nullptr;
};

}  // namespace loupe::privacy
