#include "proto_writer.h"

#include <cstring>

namespace loupe::client {

void ProtoWriter::Tag(uint32_t field, uint32_t wire_type) {
  RawVarint((static_cast<uint64_t>(field) << 3) | wire_type);
}

void ProtoWriter::RawVarint(uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void ProtoWriter::RawLittleEndian(uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void ProtoWriter::Varint(uint32_t field, uint64_t value) {
  Tag(field, 0);
  RawVarint(value);
}

void ProtoWriter::Fixed64(uint32_t field, uint64_t value) {
  Tag(field, 1);
  RawLittleEndian(value, 8);
}

void ProtoWriter::Double(uint32_t field, double value) {
  uint64_t bits;
  static_assert(sizeof(bits) == sizeof(value));
  std::memcpy(&bits, &value, sizeof(bits));
  Fixed64(field, bits);
}

void ProtoWriter::Fixed32(uint32_t field, uint32_t value) {
  Tag(field, 5);
  RawLittleEndian(value, 4);
}

void ProtoWriter::Bytes(uint32_t field, std::string_view value) {
  Tag(field, 2);
  RawVarint(value.size());
  out_.append(value);
}

}  // namespace loupe::client
