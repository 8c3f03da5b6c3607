// AnyValue and Attributes: OTLP's attribute values, owned by Loupe's own
// types so that modules past otlp/ never see protobuf.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace loupe::model {

struct KeyValue;
struct AnyValue;

struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};
struct ArrayValue {
  std::vector<AnyValue> values;
  bool operator==(const ArrayValue&) const;
};
struct KeyValueList {
  std::vector<KeyValue> values;
  bool operator==(const KeyValueList&) const;
};

// An attribute value. std::monostate is OTLP's empty AnyValue.
struct AnyValue {
  using Variant = std::variant<std::monostate, std::string, bool, int64_t, double, Bytes,
                               ArrayValue, KeyValueList>;
  Variant v;

  AnyValue() = default;
  AnyValue(std::string s) : v(std::move(s)) {}          // NOLINT
  AnyValue(const char* s) : v(std::string(s)) {}        // NOLINT
  AnyValue(bool b) : v(b) {}                            // NOLINT
  AnyValue(int64_t i) : v(i) {}                         // NOLINT
  AnyValue(int i) : v(static_cast<int64_t>(i)) {}       // NOLINT
  AnyValue(double d) : v(d) {}                          // NOLINT
  AnyValue(Bytes b) : v(std::move(b)) {}                // NOLINT
  AnyValue(ArrayValue a) : v(std::move(a)) {}           // NOLINT
  AnyValue(KeyValueList kv) : v(std::move(kv)) {}       // NOLINT

  bool empty() const { return std::holds_alternative<std::monostate>(v); }
  const std::string* AsString() const { return std::get_if<std::string>(&v); }
  const int64_t* AsInt() const { return std::get_if<int64_t>(&v); }
  const double* AsDouble() const { return std::get_if<double>(&v); }
  const bool* AsBool() const { return std::get_if<bool>(&v); }
  const ArrayValue* AsArray() const { return std::get_if<ArrayValue>(&v); }
  const KeyValueList* AsKvList() const { return std::get_if<KeyValueList>(&v); }

  // The value as text: strings as they are, numbers and bools printed,
  // arrays and maps as JSON. Used for labels and content.
  std::string ToText() const;
  // The value as JSON (strings quoted).
  std::string ToJson() const;

  bool operator==(const AnyValue&) const = default;
};

struct KeyValue {
  std::string key;
  AnyValue value;
  bool operator==(const KeyValue&) const = default;
};

inline bool ArrayValue::operator==(const ArrayValue& o) const { return values == o.values; }
inline bool KeyValueList::operator==(const KeyValueList& o) const { return values == o.values; }

// An ordered attribute list. Lookups are linear: spans carry tens of
// attributes, and a hash index would cost more than it saves. Duplicate
// keys (invalid in OTLP but seen in the wild) resolve to the last one.
class Attributes {
 public:
  Attributes() = default;
  explicit Attributes(std::vector<KeyValue> items) : items_(std::move(items)) {}

  const AnyValue* Find(std::string_view key) const;
  // The value as text, or nullptr-equivalent empty optional semantics via
  // the bool return: true when present and non-empty.
  bool GetText(std::string_view key, std::string* out) const;
  // Integer value; doubles are truncated and numeric strings parsed
  // (several SDKs send token counts as strings).
  bool GetInt(std::string_view key, int64_t* out) const;
  bool GetDouble(std::string_view key, double* out) const;

  void Set(std::string key, AnyValue value);
  void Add(std::string key, AnyValue value) { items_.push_back({std::move(key), std::move(value)}); }

  const std::vector<KeyValue>& items() const { return items_; }
  std::vector<KeyValue>& mutable_items() { return items_; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

  bool operator==(const Attributes&) const = default;

 private:
  std::vector<KeyValue> items_;
};

}  // namespace loupe::model
