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

}  // namespace

const model::AnyValue* FindOnSpan(const model::Span& span, std::string_view key) {
  return NonEmpty(span.attributes.Find(key));
}

const model::AnyValue* Find(const model::Span& span, std::string_view key) {
  if (const auto* v = FindOnSpan(span, key)) return v;
  if (span.resource) return NonEmpty(span.resource->attributes.Find(key));
  return nullptr;
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
    if (const auto* v = NonEmpty(span.resource->attributes.Find(key))) {
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
    if (const auto* v = NonEmpty(span.resource->attributes.Find(key))) return v;
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
    if (auto i = IntOf(span.resource->attributes.Find(key))) {
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
