// Span, LogRecord and their shared context: Loupe's in-memory copy of
// what OTLP delivered, independent of the wire format.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/any_value.h"

namespace loupe::model {

using TraceId = std::array<uint8_t, 16>;
using SpanId = std::array<uint8_t, 8>;

bool IsZero(const TraceId& id);
bool IsZero(const SpanId& id);
std::string ToHex(const TraceId& id);
std::string ToHex(const SpanId& id);
// Parses lower- or upper-case hex of exactly the right length.
bool ParseHex(std::string_view hex, TraceId* out);
bool ParseHex(std::string_view hex, SpanId* out);

enum class SpanKind : uint8_t {
  kUnspecified = 0,
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5,
};
// "SPAN_KIND_CLIENT" etc., as the Collector's span metrics label it.
std::string_view SpanKindName(SpanKind kind);

enum class StatusCode : uint8_t { kUnset = 0, kOk = 1, kError = 2 };
// "STATUS_CODE_ERROR" etc.
std::string_view StatusCodeName(StatusCode code);

struct Resource {
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
  std::string schema_url;
};

struct Scope {
  std::string name;
  std::string version;
  Attributes attributes;
  std::string schema_url;
};

struct Event {
  uint64_t time_unix_nano = 0;
  std::string name;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
};

struct Link {
  TraceId trace_id{};
  SpanId span_id{};
  std::string trace_state;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
};

struct SpanStatus {
  StatusCode code = StatusCode::kUnset;
  std::string message;
};

// One log record. GenAI instrumentations emit prompts and completions as
// log events; those carrying a span id are joined to their span.
struct LogRecord {
  uint64_t time_unix_nano = 0;
  uint64_t observed_time_unix_nano = 0;
  int32_t severity_number = 0;
  std::string severity_text;
  std::string event_name;
  AnyValue body;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
  TraceId trace_id{};  // zero when the record is not in a trace
  SpanId span_id{};
  std::shared_ptr<const Resource> resource;
  std::shared_ptr<const Scope> scope;
};

struct Span {
  TraceId trace_id{};
  SpanId span_id{};
  SpanId parent_span_id{};  // zero for a root span
  std::string trace_state;
  uint32_t flags = 0;
  std::string name;
  SpanKind kind = SpanKind::kUnspecified;
  uint64_t start_time_unix_nano = 0;
  uint64_t end_time_unix_nano = 0;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
  std::vector<Event> events;
  uint32_t dropped_events_count = 0;
  std::vector<Link> links;
  uint32_t dropped_links_count = 0;
  SpanStatus status;
  std::shared_ptr<const Resource> resource;  // never null after decoding
  std::shared_ptr<const Scope> scope;        // never null after decoding

  // Set by the decoder: the span ends before it starts (clock skew). It is
  // kept, and its duration reads as zero.
  bool clock_skew = false;
  // Log events joined to this span by (trace id, span id).
  std::vector<LogRecord> logs;

  bool is_root() const { return IsZero(parent_span_id); }
  // Duration in nanoseconds; 0 for clock-skewed spans.
  uint64_t duration_nanos() const {
    return end_time_unix_nano > start_time_unix_nano ? end_time_unix_nano - start_time_unix_nano : 0;
  }
  // Span attribute first, then resource attribute: the lookup order every
  // attribute-reading rule in Loupe uses.
  const AnyValue* FindAttribute(std::string_view key) const;
};

}  // namespace loupe::model
