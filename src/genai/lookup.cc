#include "genai/lookup.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace loupe::genai {
namespace {

const model::AnyValue* NonEmpty(const model::AnyValue* v) {
  if (v == nullptr || v->empty()) return nullptr;
  if (const auto* s = v->AsString(); s != nullptr && s->empty()) return nullptr;
  return v;
}

thread_local const ScopedKeyFilter* tl_filter = nullptr;

size_t Bit(std::string_view key) {
  const size_t last = key.empty() ? 0 : static_cast<unsigned char>(key.back());
  return (key.size() * 31 + last * 7) & 127;
}

// The span's own attributes, or nullptr for sure when the filter says so.
const model::AnyValue* SpanAttr(const model::Span& span, std::string_view key) {
  if (tl_filter != nullptr && tl_filter->span() == &span && !tl_filter->span_keys().MayHave(key)) return nullptr;
  return span.attributes.Find(key);
}

const model::AnyValue* ResourceAttr(const model::Span& span, std::string_view key) {
  if (!span.resource) return nullptr;
  if (tl_filter != nullptr && tl_filter->span() == &span && !tl_filter->resource_keys().MayHave(key)) return nullptr;
  return span.resource->attributes.Find(key);
}

}  // namespace

void ScopedKeyFilter::Bits::Add(std::string_view key) {
  size_t b = Bit(key);
  word[b >> 6] |= uint64_t{1} << (b & 63);
}

bool ScopedKeyFilter::Bits::MayHave(std::string_view key) const {
  size_t b = Bit(key);
  return (word[b >> 6] >> (b & 63)) & 1;
}

ScopedKeyFilter::ScopedKeyFilter(const model::Span& span) : span_(&span), previous_(tl_filter) {
  for (const auto& kv : span.attributes.items()) span_keys_.Add(kv.key);
  if (span.resource) {
    for (const auto& kv : span.resource->attributes.items()) resource_keys_.Add(kv.key);
  }
  tl_filter = this;
}

ScopedKeyFilter::~ScopedKeyFilter() { tl_filter = previous_; }

const model::AnyValue* FindOnSpan(const model::Span& span, std::string_view key) {
  return NonEmpty(SpanAttr(span, key));
}

const model::AnyValue* Find(const model::Span& span, std::string_view key) {
  if (const auto* v = FindOnSpan(span, key)) return v;
  return NonEmpty(ResourceAttr(span, key));
}

const model::AnyValue* FindFirst(const model::Span& span, KeyList keys, std::string_view* found) {
  for (std::string_view key : keys) {
    if (const auto* v = FindOnSpan(span, key)) {
      if (found) *found = key;
      return v;
    }
  }
  if (!span.resource) return nullptr;
  for (std::string_view key : keys) {
    if (const auto* v = NonEmpty(ResourceAttr(span, key))) {
      if (found) *found = key;
      return v;
    }
  }
  return nullptr;
}

const model::AnyValue* FindFirst(const model::Span& span, const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    if (const auto* v = FindOnSpan(span, key)) return v;
  }
  if (!span.resource) return nullptr;
  for (const auto& key : keys) {
    if (const auto* v = NonEmpty(ResourceAttr(span, key))) return v;
  }
  return nullptr;
}

std::optional<int64_t> IntOf(const model::AnyValue* v) {
  if (v == nullptr) return std::nullopt;
  if (const auto* i = v->AsInt()) return *i;
  if (const auto* d = v->AsDouble()) {
    // Outside +-2^62 the cast would be undefined; no token count is that big.
    if (!std::isfinite(*d) || std::fabs(*d) > 4.6e18) return std::nullopt;
    return static_cast<int64_t>(*d);
  }
  if (const auto* s = v->AsString()) {
    int64_t parsed = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), parsed);
    if (ec == std::errc() && end == s->data() + s->size()) return parsed;
    // "123.0" from SDKs that stringify floats.
    if (auto d = DoubleOf(v); d && std::fabs(*d) <= 4.6e18) return static_cast<int64_t>(*d);
  }
  return std::nullopt;
}

std::optional<double> DoubleOf(const model::AnyValue* v) {
  if (v == nullptr) return std::nullopt;
  if (const auto* d = v->AsDouble()) {
    if (std::isfinite(*d)) return *d;
    return std::nullopt;
  }
  if (const auto* i = v->AsInt()) return static_cast<double>(*i);
  if (const auto* s = v->AsString()) {
    double parsed = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), parsed);
    if (ec == std::errc() && end == s->data() + s->size() && std::isfinite(parsed)) return parsed;
  }
  return std::nullopt;
}

std::string TextOf(const model::AnyValue* v) { return v == nullptr ? std::string() : v->ToText(); }

std::optional<int64_t> FirstInt(const model::Span& span, KeyList keys, std::string_view* found) {
  // A key whose value is not a number is skipped, not fatal: the next
  // dialect's key may still say. Span keys first, then resource keys.
  for (std::string_view key : keys) {
    if (auto i = IntOf(FindOnSpan(span, key))) {
      if (found) *found = key;
      return i;
    }
  }
  if (!span.resource) return std::nullopt;
  for (std::string_view key : keys) {
    if (auto i = IntOf(ResourceAttr(span, key))) {
      if (found) *found = key;
      return i;
    }
  }
  return std::nullopt;
}

std::string FirstText(const model::Span& span, KeyList keys) { return TextOf(FindFirst(span, keys)); }

const model::AnyValue* Member(const model::AnyValue& obj, std::string_view key) {
  const auto* kv = obj.AsKvList();
  if (kv == nullptr) return nullptr;
  for (auto it = kv->values.rbegin(); it != kv->values.rend(); ++it) {
    if (it->key == key) return NonEmpty(&it->value);
  }
  return nullptr;
}

const model::AnyValue* Member(const model::AnyValue* obj, std::string_view key) {
  return obj == nullptr ? nullptr : Member(*obj, key);
}

const model::AnyValue* FirstMember(const model::AnyValue& obj, KeyList keys) {
  for (std::string_view key : keys) {
    if (const auto* v = Member(obj, key)) return v;
  }
  return nullptr;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int MajorVersion(std::string_view version) {
  if (!version.empty() && (version[0] == 'v' || version[0] == 'V')) version.remove_prefix(1);
  int major = 0;
  auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), major);
  if (ec != std::errc() || end == version.data()) return 0;
  return major;
}

}  // namespace loupe::genai
