#include "model/span.h"

#include <algorithm>

#include "model/llm_call.h"

namespace loupe::model {
namespace {

template <size_t N>
std::string HexOf(const std::array<uint8_t, N>& id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(N * 2, '0');
  for (size_t i = 0; i < N; ++i) {
    out[2 * i] = kHex[id[i] >> 4];
    out[2 * i + 1] = kHex[id[i] & 15];
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <size_t N>
bool ParseHexInto(std::string_view hex, std::array<uint8_t, N>* out) {
  if (hex.size() != N * 2) return false;
  for (size_t i = 0; i < N; ++i) {
    int hi = HexDigit(hex[2 * i]), lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace

bool IsZero(const TraceId& id) { return std::all_of(id.begin(), id.end(), [](uint8_t b) { return b == 0; }); }
bool IsZero(const SpanId& id) { return std::all_of(id.begin(), id.end(), [](uint8_t b) { return b == 0; }); }
std::string ToHex(const TraceId& id) { return HexOf(id); }
std::string ToHex(const SpanId& id) { return HexOf(id); }
bool ParseHex(std::string_view hex, TraceId* out) { return ParseHexInto(hex, out); }
bool ParseHex(std::string_view hex, SpanId* out) { return ParseHexInto(hex, out); }

std::string_view SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kUnspecified: return "SPAN_KIND_UNSPECIFIED";
    case SpanKind::kInternal: return "SPAN_KIND_INTERNAL";
    case SpanKind::kServer: return "SPAN_KIND_SERVER";
    case SpanKind::kClient: return "SPAN_KIND_CLIENT";
    case SpanKind::kProducer: return "SPAN_KIND_PRODUCER";
    case SpanKind::kConsumer: return "SPAN_KIND_CONSUMER";
  }
  return "SPAN_KIND_UNSPECIFIED";
}

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kUnset: return "STATUS_CODE_UNSET";
    case StatusCode::kOk: return "STATUS_CODE_OK";
    case StatusCode::kError: return "STATUS_CODE_ERROR";
  }
  return "STATUS_CODE_UNSET";
}

std::string_view CostSourceName(CostSource source) {
  switch (source) {
    case CostSource::kUnknown: return "unknown";
    case CostSource::kCatalog: return "catalog";
    case CostSource::kReported: return "reported";
  }
  return "unknown";
}

const AnyValue* Span::FindAttribute(std::string_view key) const {
  if (const AnyValue* v = attributes.Find(key)) return v;
  if (resource) return resource->attributes.Find(key);
  return nullptr;
}

}  // namespace loupe::model
