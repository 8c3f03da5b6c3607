#include "otlp/json_repair.h"

#include "otlp/utf8.h"

namespace loupe::otlp {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The UTF-16 code unit of the escape "\uXXXX" at in[i], or -1.
int EscapedUnit(std::string_view in, size_t i) {
  if (i + 6 > in.size() || in[i] != '\\' || in[i + 1] != 'u') return -1;
  int v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int h = HexValue(in[k]);
    if (h < 0) return -1;
    v = v << 4 | h;
  }
  return v;
}

}  // namespace

int64_t RepairJsonStrings(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size() + 16);
  int64_t changed_strings = 0;
  bool in_string = false, changed = false;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  size_t i = 0, n = in.size();
  while (i < n) {
    char c = in[i];
    if (!in_string) {
      if (c == '"') in_string = true, changed = false;
      out->push_back(c);
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = false;
      if (changed) ++changed_strings;
      out->push_back(c);
      ++i;
    } else if (c == '\\') {
      int unit = EscapedUnit(in, i);
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        int next = EscapedUnit(in, i + 6);
        if (next >= 0xDC00 && next <= 0xDFFF) {
          out->append(in.substr(i, 12));
          i += 12;
        } else {
          out->append("\\ufffd");
          changed = true;
          i += 6;
        }
      } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
        out->append("\\ufffd");
        changed = true;
        i += 6;
      } else {
        // Any other escape: copy the backslash and the escaped character so
        // that an escaped quote does not end the string.
        out->append(in.substr(i, 2));
        i += 2;
      }
    } else if (static_cast<unsigned char>(c) < 0x80) {
      out->push_back(c);
      ++i;
    } else {
      size_t bad = 0;
      size_t len = Utf8SequenceLength(p + i, n - i, &bad);
      if (len > 0) {
        out->append(in.substr(i, len));
        i += len;
      } else {
        out->append("\xEF\xBF\xBD");
        changed = true;
        i += bad;
      }
    }
  }
  if (in_string && changed) ++changed_strings;
  return changed_strings;
}

}  // namespace loupe::otlp
