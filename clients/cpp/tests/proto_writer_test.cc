// Byte-level checks of the wire format against the protobuf encoding spec.
#include "proto_writer.h"

#include <gtest/gtest.h>

namespace loupe::client {
namespace {

std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(ProtoWriterTest, VarintUsesSevenBitGroupsLowFirst) {
  ProtoWriter w;
  w.Varint(1, 150);  // the spec's example: 08 96 01
  EXPECT_EQ(w.data(), B({0x08, 0x96, 0x01}));
}

TEST(ProtoWriterTest, NegativeInt64TakesTenBytes) {
  ProtoWriter w;
  w.Int64(3, -1);
  EXPECT_EQ(w.data(), B({0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
}

TEST(ProtoWriterTest, FixedWidthIsLittleEndian) {
  ProtoWriter w;
  w.Fixed64(7, 0x0102030405060708ULL);
  w.Fixed32(16, 0x101);  // field 16 needs a two-byte tag: (16<<3)|5 = 0x85 0x01
  EXPECT_EQ(w.data(), B({0x39, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x85, 0x01, 0x01, 0x01, 0x00, 0x00}));
}

TEST(ProtoWriterTest, DoubleIsIeee754Bits) {
  ProtoWriter w;
  w.Double(4, 1.0);  // 0x3FF0000000000000
  EXPECT_EQ(w.data(), B({0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}));
}

TEST(ProtoWriterTest, NestedMessagesAreLengthPrefixed) {
  ProtoWriter inner;
  inner.Bytes(1, "hi");
  inner.Bool(2, true);
  ProtoWriter outer;
  outer.Message(3, inner);
  EXPECT_EQ(outer.data(), B({0x1a, 0x06, 0x0a, 0x02, 'h', 'i', 0x10, 0x01}));
}

TEST(ProtoWriterTest, LongBytesGetMultiByteLength) {
  ProtoWriter w;
  w.Bytes(1, std::string(200, 'x'));
  ASSERT_EQ(w.data().size(), 1u + 2u + 200u);
  EXPECT_EQ(w.data().substr(0, 3), B({0x0a, 0xc8, 0x01}));
}

}  // namespace
}  // namespace loupe::client
