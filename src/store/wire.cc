#include "store/wire.h"

#include <cstring>

namespace loupe::store {

void Writer::PutVarint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void Writer::PutDouble(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(bits >> (8 * i)));
}

void Writer::PutString(std::string_view s) {
  PutVarint(s.size());
  out_.append(s);
}

bool Reader::GetByte(uint8_t* b) {
  if (pos_ >= in_.size()) return false;
  *b = static_cast<uint8_t>(in_[pos_++]);
  return true;
}

bool Reader::GetVarint(uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (pos_ >= in_.size()) return false;
    uint8_t byte = static_cast<uint8_t>(in_[pos_++]);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *v = result;
      return true;
    }
  }
  return false;  // more than 10 bytes: malformed
}

bool Reader::GetSigned(int64_t* v) {
  uint64_t u;
  if (!GetVarint(&u)) return false;
  *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  return true;
}

bool Reader::GetDouble(double* d) {
  if (in_.size() - pos_ < 8) return false;
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_ + i])) << (8 * i);
  pos_ += 8;
  std::memcpy(d, &bits, sizeof bits);
  return true;
}

bool Reader::GetRaw(size_t n, std::string_view* s) {
  if (in_.size() - pos_ < n) return false;
  *s = in_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Reader::GetString(std::string* s) {
  uint64_t n;
  std::string_view raw;
  if (!GetVarint(&n) || n > in_.size() - pos_ || !GetRaw(n, &raw)) return false;
  s->assign(raw);
  return true;
}

bool Reader::GetCount(uint64_t* n) {
  return GetVarint(n) && *n <= in_.size() - pos_;
}

}  // namespace loupe::store
