// The finished-span record the client hands to an exporter, and the
// exporter interface. Plain data: no OpenTelemetry SDK involved.
#ifndef LOUPE_SPAN_DATA_H_
#define LOUPE_SPAN_DATA_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace loupe {

// An attribute value: the OTLP AnyValue kinds the helper emits.
using AttrValue = std::variant<std::string, int64_t, double, bool, std::vector<std::string>>;
using Attributes = std::vector<std::pair<std::string, AttrValue>>;

// The W3C ids of a span. All-zero means "unset" (an invalid context).
struct SpanContext {
  std::array<uint8_t, 16> trace_id{};
  std::array<uint8_t, 8> span_id{};

  bool valid() const;
  std::string TraceIdHex() const;  // 32 lowercase hex digits
  std::string SpanIdHex() const;   // 16 lowercase hex digits
  // Parses hex ids (e.g. from a traceparent header); false if malformed.
  static bool FromHex(const std::string& trace_hex, const std::string& span_hex, SpanContext* out);
};

enum class SpanKind : int { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };
enum class StatusCode : int { kUnset = 0, kOk = 1, kError = 2 };

struct SpanEvent {
  std::string name;
  uint64_t time_unix_nano = 0;
  Attributes attributes;
};

struct SpanData {
  SpanContext context;
  std::array<uint8_t, 8> parent_span_id{};  // all-zero: a root span
  std::string name;
  SpanKind kind = SpanKind::kClient;
  uint64_t start_unix_nano = 0;
  uint64_t end_unix_nano = 0;
  Attributes attributes;
  std::vector<SpanEvent> events;
  StatusCode status_code = StatusCode::kUnset;
  std::string status_message;
};

// Where finished spans go. Export() is called from the thread that ends the
// span and must not block on the network. Implementations are thread-safe.
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  virtual void Export(SpanData span) = 0;
};

}  // namespace loupe

#endif  // LOUPE_SPAN_DATA_H_
