#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>

#include "otlp/decode.h"

namespace loupe::otlp {
namespace {

// Gzips `repeat` copies of `chunk` without holding the whole input.
std::string GzipRepeated(std::string_view chunk, size_t repeat) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out;
  char buf[16384];
  for (size_t i = 0; i < repeat; ++i) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    z.avail_in = static_cast<uInt>(chunk.size());
    int flush = i + 1 == repeat ? Z_FINISH : Z_NO_FLUSH;
    int rc;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      rc = deflate(&z, flush);
      out.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }
  deflateEnd(&z);
  return out;
}

std::string Gzip(std::string_view data) { return GzipRepeated(data, 1); }

TEST(GunzipTest, RoundTrip) {
  std::string body;
  for (int i = 0; i < 20000; ++i) body += "span " + std::to_string(i) + ";";
  Result<std::string> r = Gunzip(Gzip(body), 1 << 20);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, body);
}

TEST(GunzipTest, ExactlyAtTheLimitIsAcceptedOneByteOverIsNot) {
  std::string body(100000, 'a');
  std::string gz = Gzip(body);
  EXPECT_TRUE(Gunzip(gz, body.size()).ok());
  Result<std::string> over = Gunzip(gz, body.size() - 1);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), Status::Code::kTooLarge);
  EXPECT_EQ(over.status().message(), "decompressed body exceeds 99999 bytes");
}

TEST(GunzipTest, ConcatenatedMembersFormOneBody) {
  Result<std::string> r = Gunzip(Gzip("hello, ") + Gzip("world"), 100);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "hello, world");
}

TEST(GunzipTest, CorruptTruncatedAndNonGzipAreInvalidArgument) {
  std::string body;
  for (int i = 0; i < 5000; ++i) body += std::to_string(i * 7919 % 10007);
  std::string gz = Gzip(body);
  std::string corrupt = gz;
  for (size_t i = 20; i < 60; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  for (const std::string& bad : {corrupt, gz.substr(0, gz.size() / 2), std::string("not gzip at all"),
                                 std::string(), gz + "trailing junk"}) {
    Result<std::string> r = Gunzip(bad, 1 << 20);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << r.status().ToString();
    EXPECT_EQ(r.status().message().rfind("gzip: ", 0), 0u) << r.status().message();
  }
  // A checksum mismatch is corruption too.
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] = static_cast<char>(bad_crc[bad_crc.size() - 6] ^ 1);
  EXPECT_FALSE(Gunzip(bad_crc, 1 << 20).ok());
}

TEST(GunzipTest, BombStopsAtTheLimit) {
  // 100 MiB of zeros compress to about 100 KiB.
  std::string zeros(1 << 20, '\0');
  std::string bomb = GzipRepeated(zeros, 100);
  ASSERT_LT(bomb.size(), 200u * 1024);
  constexpr size_t kLimit = 20u << 20;
  auto start = std::chrono::steady_clock::now();
  Result<std::string> r = Gunzip(bomb, kLimit);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTooLarge);
  EXPECT_EQ(r.status().message(), "decompressed body exceeds 20971520 bytes");
  // Inflating 20 MiB takes tens of milliseconds; the full 100 MiB would
  // take several times longer.
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

}  // namespace
}  // namespace loupe::otlp
