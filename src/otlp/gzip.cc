// Gunzip with an output limit, the defence against gzip bombs: a small body
// can inflate to gigabytes, so inflation stops as soon as the output
// passes the limit, before more memory is taken.
#include <zlib.h>

#include <algorithm>
#include <climits>

#include "otlp/decode.h"

namespace loupe::otlp {
namespace {

// Owns a zlib stream so every return path ends it.
class Inflater {
 public:
  Inflater() = default;
  ~Inflater() {
    if (initialized_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  bool Init() {
    // 16 + MAX_WBITS: gzip framing only (Content-Encoding: gzip).
    initialized_ = inflateInit2(&stream_, 16 + MAX_WBITS) == Z_OK;
    return initialized_;
  }
  z_stream* stream() { return &stream_; }

 private:
  z_stream stream_{};
  bool initialized_ = false;
};

std::string ZlibMessage(const z_stream& s, int rc) {
  if (s.msg != nullptr) return s.msg;
  return "zlib error " + std::to_string(rc);
}

}  // namespace

Result<std::string> Gunzip(std::string_view compressed, size_t max_output_bytes) {
  if (compressed.empty()) return Status::InvalidArgument("gzip: empty body");
  if (compressed.size() > UINT_MAX) return Status::TooLarge("gzip: compressed body over 4 GiB");
  Inflater inflater;
  if (!inflater.Init()) return Status::Internal("gzip: cannot initialise zlib");
  z_stream* z = inflater.stream();
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z->avail_in = static_cast<uInt>(compressed.size());

  std::string out;
  // Typical compression ratios of OTLP payloads are 5-10x; the guess only
  // saves reallocations and never exceeds the limit.
  out.reserve(std::min(max_output_bytes, compressed.size() * 4));
  constexpr size_t kChunk = 32 * 1024;
  char buf[kChunk];
  while (true) {
    z->next_out = reinterpret_cast<Bytef*>(buf);
    z->avail_out = kChunk;
    int rc = inflate(z, Z_NO_FLUSH);
    size_t produced = kChunk - z->avail_out;
    if (produced > max_output_bytes - out.size()) {
      return Status::TooLarge("decompressed body exceeds " + std::to_string(max_output_bytes) + " bytes");
    }
    out.append(buf, produced);
    if (rc == Z_STREAM_END) {
      if (z->avail_in == 0) return out;
      // Concatenated gzip members form one body (RFC 1952, section 2.2).
      if (inflateReset(z) != Z_OK) return Status::InvalidArgument("gzip: corrupt data after the first member");
      continue;
    }
    if (rc == Z_BUF_ERROR && z->avail_in == 0) return Status::InvalidArgument("gzip: truncated body");
    if (rc != Z_OK && rc != Z_BUF_ERROR) return Status::InvalidArgument("gzip: corrupt body: " + ZlibMessage(*z, rc));
  }
}

}  // namespace loupe::otlp
