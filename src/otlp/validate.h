// Per-item validation shared by the protobuf and JSON decoders, so both
// encodings reject exactly the same spans and log records with the same
// words. Internal to otlp/.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loupe::otlp {

// The raw bytes of an id as it arrived. `size` is the true decoded length;
// `data` holds the bytes only when size <= 16 (longer ids are invalid and
// only their length matters).
struct IdBytes {
  const uint8_t* data = nullptr;
  size_t size = 0;

  static IdBytes Of(std::string_view bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
  }
  bool IsZero() const;
  // REQUIRES: size == N
  template <size_t N>
  std::array<uint8_t, N> To() const {
    std::array<uint8_t, N> out{};
    for (size_t i = 0; i < N; ++i) out[i] = data[i];
    return out;
  }
};

// "" when a span's ids are valid, else the first problem, e.g.
// "span_id has 7 bytes, want 8". trace_id: 16 non-zero bytes; span_id: 8
// non-zero bytes; parent_span_id: empty or 8 bytes.
std::string SpanIdProblem(IdBytes trace_id, IdBytes span_id, IdBytes parent_span_id);
// Links need the same trace_id/span_id as spans (no parent).
std::string LinkIdProblem(IdBytes trace_id, IdBytes span_id);
// Log records: each id empty or of the right length.
std::string LogIdProblem(IdBytes trace_id, IdBytes span_id);

// Collects individually rejected items: counts them all and keeps the first
// few problems for the partial-success message.
class Rejections {
 public:
  // `what` names the item, e.g. Describe("span", 3, name).
  void Add(std::string what, std::string_view problem);
  int64_t count() const { return count_; }
  // "span 3 (name \"x\"): span_id has 7 bytes, want 8; ... (and 4 more)".
  std::string Message() const;

  // "span 3 (name \"chat\")"; the name is cut to 64 bytes.
  // REQUIRES: name is valid UTF-8.
  static std::string Describe(std::string_view kind, int64_t index, std::string_view name);

 private:
  static constexpr size_t kKeep = 5;
  int64_t count_ = 0;
  std::vector<std::string> first_;
};

}  // namespace loupe::otlp
