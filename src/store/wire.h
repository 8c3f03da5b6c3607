// Wire primitives for the store's own record format: little-endian
// varints and length-prefixed strings. The Reader never reads past its
// input; every getter returns false on truncated or malformed bytes, so a
// damaged record becomes a Status, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loupe::store {

class Writer {
 public:
  void PutByte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void PutVarint(uint64_t v);
  // Zig-zag, so small negative numbers stay small.
  void PutSigned(int64_t v) { PutVarint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void PutDouble(double d);
  void PutString(std::string_view s);
  void PutRaw(std::string_view s) { out_.append(s); }

  std::string& buffer() { return out_; }
  std::string Release() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool GetByte(uint8_t* b);
  bool GetVarint(uint64_t* v);
  bool GetSigned(int64_t* v);
  bool GetDouble(double* d);
  bool GetString(std::string* s);
  bool GetRaw(size_t n, std::string_view* s);
  // A count that cannot exceed the bytes left: guards against a corrupt
  // length asking for a huge allocation.
  bool GetCount(uint64_t* n);

  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace loupe::store
