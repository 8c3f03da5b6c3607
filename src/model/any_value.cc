#include "model/any_value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace loupe::model {
namespace {

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string FormatDouble(double d) {
  if (!std::isfinite(d)) return std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

void AppendJson(const AnyValue& value, std::string* out) {
  struct Visitor {
    std::string* out;
    void operator()(std::monostate) const { out->append("null"); }
    void operator()(const std::string& s) const { AppendJsonString(s, out); }
    void operator()(bool b) const { out->append(b ? "true" : "false"); }
    void operator()(int64_t i) const { out->append(std::to_string(i)); }
    void operator()(double d) const {
      if (std::isfinite(d)) out->append(FormatDouble(d));
      else AppendJsonString(FormatDouble(d), out);
    }
    void operator()(const Bytes& b) const {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string hex;
      for (unsigned char c : b.data) {
        hex.push_back(kHex[c >> 4]);
        hex.push_back(kHex[c & 15]);
      }
      AppendJsonString(hex, out);
    }
    void operator()(const ArrayValue& a) const {
      out->push_back('[');
      for (size_t i = 0; i < a.values.size(); ++i) {
        if (i) out->push_back(',');
        AppendJson(a.values[i], out);
      }
      out->push_back(']');
    }
    void operator()(const KeyValueList& kv) const {
      out->push_back('{');
      for (size_t i = 0; i < kv.values.size(); ++i) {
        if (i) out->push_back(',');
        AppendJsonString(kv.values[i].key, out);
        out->push_back(':');
        AppendJson(kv.values[i].value, out);
      }
      out->push_back('}');
    }
  };
  std::visit(Visitor{out}, value.v);
}

}  // namespace

std::string AnyValue::ToJson() const {
  std::string out;
  AppendJson(*this, &out);
  return out;
}

std::string AnyValue::ToText() const {
  if (const auto* s = AsString()) return *s;
  if (const auto* d = AsDouble()) return FormatDouble(*d);
  if (empty()) return "";
  return ToJson();
}

const AnyValue* Attributes::Find(std::string_view key) const {
  // The normaliser asks for ~150 keys per span, most of them absent, and
  // keys of one family share long prefixes ("gen_ai.usage."): comparing
  // the size and the last byte first rejects nearly every other key
  // without a memcmp call.
  const size_t n = key.size();
  if (n == 0) {
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
      if (it->key.empty()) return &it->value;
    }
    return nullptr;
  }
  const char last = key[n - 1];
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    const std::string& k = it->key;
    if (k.size() == n && k[n - 1] == last && std::memcmp(k.data(), key.data(), n - 1) == 0) {
      return &it->value;
    }
  }
  return nullptr;
}

bool Attributes::GetText(std::string_view key, std::string* out) const {
  const AnyValue* v = Find(key);
  if (v == nullptr || v->empty()) return false;
  *out = v->ToText();
  return !out->empty();
}

bool Attributes::GetInt(std::string_view key, int64_t* out) const {
  const AnyValue* v = Find(key);
  if (v == nullptr) return false;
  if (const auto* i = v->AsInt()) { *out = *i; return true; }
  if (const auto* d = v->AsDouble()) {
    if (!std::isfinite(*d)) return false;
    *out = static_cast<int64_t>(*d);
    return true;
  }
  if (const auto* s = v->AsString()) {
    int64_t parsed = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), parsed);
    if (ec != std::errc() || end != s->data() + s->size()) return false;
    *out = parsed;
    return true;
  }
  return false;
}

bool Attributes::GetDouble(std::string_view key, double* out) const {
  const AnyValue* v = Find(key);
  if (v == nullptr) return false;
  if (const auto* d = v->AsDouble()) { *out = *d; return std::isfinite(*d); }
  if (const auto* i = v->AsInt()) { *out = static_cast<double>(*i); return true; }
  if (const auto* s = v->AsString()) {
    double parsed = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), parsed);
    if (ec != std::errc() || end != s->data() + s->size() || !std::isfinite(parsed)) return false;
    *out = parsed;
    return true;
  }
  return false;
}

void Attributes::Set(std::string key, AnyValue value) {
  for (auto& kv : items_) {
    if (kv.key == key) { kv.value = std::move(value); return; }
  }
  items_.push_back({std::move(key), std::move(value)});
}

}  // namespace loupe::model
