#include "alerting/time_format.h"

#include <chrono>
#include <cctype>
#include <cstdio>

namespace loupe::alerting {

std::string Rfc3339(uint64_t ns) {
  using namespace std::chrono;
  const auto secs = static_cast<int64_t>(ns / 1'000'000'000ull);
  const auto ms = static_cast<int>((ns / 1'000'000ull) % 1000);
  sys_days day = floor<days>(sys_seconds(seconds(secs)));
  year_month_day ymd(day);
  int64_t rem = secs - duration_cast<seconds>(day.time_since_epoch()).count();
  char buf[40];
  if (ms == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(rem / 3600),
                  static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(rem / 3600),
                  static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60), ms);
  }
  return buf;
}

Result<uint64_t> ParseRfc3339(std::string_view t) {
  using namespace std::chrono;
  auto bad = [&] { return Status::InvalidArgument("\"" + std::string(t) + "\" is not an RFC 3339 time"); };
  int y, mo, d, h, mi, s, n = 0;
  std::string text(t);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 || n != 19) {
    return bad();
  }
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return bad();
  int64_t secs = duration_cast<seconds>(sys_days(ymd).time_since_epoch()).count() + h * 3600 + mi * 60 + s;
  size_t i = 19;
  uint64_t frac_ns = 0;
  if (i < text.size() && text[i] == '.') {
    uint64_t scale = 100'000'000;
    ++i;
    if (i >= text.size() || !isdigit(static_cast<unsigned char>(text[i]))) return bad();
    while (i < text.size() && isdigit(static_cast<unsigned char>(text[i]))) {
      frac_ns += static_cast<uint64_t>(text[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z') && i + 1 == text.size()) {
  } else if (i + 6 == text.size() && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':') {
    int oh, om;
    if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return bad();
    int64_t off = oh * 3600 + om * 60;
    secs -= text[i] == '+' ? off : -off;
  } else {
    return bad();
  }
  if (secs < 0) return bad();
  return static_cast<uint64_t>(secs) * 1'000'000'000ull + frac_ns;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace loupe::alerting
