#include "otlp/utf8.h"

#include <simdjson.h>

#include <cstring>

namespace loupe::otlp {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

bool IsCont(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

size_t Utf8SequenceLength(const unsigned char* p, size_t n, size_t* bad) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    *bad = 1;
    return 0;
  }
  size_t i = 1;
  for (; i < need; ++i) {
    if (i >= n) break;
    unsigned char b = p[i];
    bool ok = i == 1 ? (b >= lo && b <= hi) : IsCont(b);
    if (!ok) break;
  }
  if (i == need) return need;
  *bad = i;
  return 0;
}

bool IsValidUtf8(std::string_view s) {
  // simdjson's validator is much faster on long text (prompts, completions);
  // its dispatch overhead is not worth it for short keys.
  if (s.size() >= 64) return simdjson::validate_utf8(s.data(), s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    size_t bad = 0;
    size_t len = Utf8SequenceLength(p + i, n - i, &bad);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool SanitizeUtf8(std::string_view in, std::string* out) {
  if (IsValidUtf8(in)) {
    out->assign(in.data(), in.size());
    return false;
  }
  out->clear();
  out->reserve(in.size() + 8);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  size_t n = in.size(), i = 0;
  while (i < n) {
    size_t bad = 0;
    size_t len = Utf8SequenceLength(p + i, n - i, &bad);
    if (len > 0) {
      out->append(in.data() + i, len);
      i += len;
    } else {
      out->append(kReplacement, 3);
      i += bad;
    }
  }
  return true;
}

std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  while (end > 0 && IsCont(static_cast<unsigned char>(s[end]))) --end;
  return s.substr(0, end);
}

}  // namespace loupe::otlp
