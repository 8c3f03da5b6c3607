// A minimal protobuf wire-format writer: enough of the encoding
// (https://protobuf.dev/programming-guides/encoding/) to write OTLP traces
// without linking libprotobuf. Nested messages are written into their own
// ProtoWriter and appended with Message(), which prefixes the length.
#ifndef LOUPE_CLIENT_PROTO_WRITER_H_
#define LOUPE_CLIENT_PROTO_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace loupe::client {

class ProtoWriter {
 public:
  // Wire type 0. Negative int64 values take 10 bytes (two's complement), as protobuf's int64.
  void Varint(uint32_t field, uint64_t value);
  void Int64(uint32_t field, int64_t value) { Varint(field, static_cast<uint64_t>(value)); }
  void Bool(uint32_t field, bool value) { Varint(field, value ? 1 : 0); }
  void Fixed64(uint32_t field, uint64_t value);  // wire type 1
  void Double(uint32_t field, double value);     // wire type 1
  void Fixed32(uint32_t field, uint32_t value);  // wire type 5
  // Wire type 2: strings, bytes and nested messages.
  void Bytes(uint32_t field, std::string_view value);
  void Message(uint32_t field, const ProtoWriter& nested) { Bytes(field, nested.data()); }

  const std::string& data() const { return out_; }
  std::string Release() { return std::move(out_); }

 private:
  void Tag(uint32_t field, uint32_t wire_type);
  void RawVarint(uint64_t value);
  void RawLittleEndian(uint64_t value, int bytes);

  std::string out_;
};

}  // namespace loupe::client

#endif  // LOUPE_CLIENT_PROTO_WRITER_H_
