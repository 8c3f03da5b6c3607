// Small readers over spans and AnyValues shared by the genai files: "the
// first of these keys that is present", numbers that arrive as strings,
// members of structured values. Every span lookup is span first, then
// resource, as the GenAI reference requires.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/any_value.h"
#include "model/span.h"

namespace loupe::genai {

using KeyList = std::initializer_list<std::string_view>;

// While one is alive, lookups on `span` from this thread (the functions
// below) first ask a 128-bit filter of its attribute keys, by length and
// last byte, and skip the scan when the key cannot be there. Normalising a
// span asks for ~150 keys, nearly all absent; the filter answers those in
// one bit test. Answers are identical with or without it.
// REQUIRES: `span` (and its resource) is not modified while it lives.
class ScopedKeyFilter {
 public:
  explicit ScopedKeyFilter(const model::Span& span);
  ~ScopedKeyFilter();
  ScopedKeyFilter(const ScopedKeyFilter&) = delete;
  ScopedKeyFilter& operator=(const ScopedKeyFilter&) = delete;

  struct Bits {
    uint64_t word[2] = {0, 0};
    void Add(std::string_view key);
    bool MayHave(std::string_view key) const;
  };
  const model::Span* span() const { return span_; }
  const Bits& span_keys() const { return span_keys_; }
  const Bits& resource_keys() const { return resource_keys_; }

 private:
  const model::Span* span_;
  Bits span_keys_, resource_keys_;
  const ScopedKeyFilter* previous_;
};

// The value of `key` on the span, else on its resource; nullptr if absent
// or empty.
const model::AnyValue* Find(const model::Span& span, std::string_view key);
// Same, on the span's own attributes only (content never lives on resources).
const model::AnyValue* FindOnSpan(const model::Span& span, std::string_view key);

// The first key present, trying every key on the span before any on the
// resource. `found` (optional) receives the key that matched.
const model::AnyValue* FindFirst(const model::Span& span, KeyList keys,
                                 std::string_view* found = nullptr);
const model::AnyValue* FindFirst(const model::Span& span, const std::vector<std::string>& keys);

// Integer value: ints, finite doubles (truncated) and numeric strings.
std::optional<int64_t> IntOf(const model::AnyValue* v);
std::optional<double> DoubleOf(const model::AnyValue* v);
// Text of a value ("" for null / empty).
std::string TextOf(const model::AnyValue* v);

std::optional<int64_t> FirstInt(const model::Span& span, KeyList keys,
                                std::string_view* found = nullptr);
std::string FirstText(const model::Span& span, KeyList keys);

// Member of a KeyValueList value (last duplicate wins); nullptr otherwise.
const model::AnyValue* Member(const model::AnyValue& obj, std::string_view key);
const model::AnyValue* Member(const model::AnyValue* obj, std::string_view key);
const model::AnyValue* FirstMember(const model::AnyValue& obj, KeyList keys);

std::string Lower(std::string_view s);
// "2.1.0" -> 2; 0 when it does not start with a number.
int MajorVersion(std::string_view version);

}  // namespace loupe::genai
