#include "api/params.h"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "pricing/money.h"

namespace loupe::api {
namespace {

constexpr uint64_t kSecond = 1'000'000'000ull;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out->push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexDigit(in[i + 1]), lo = HexDigit(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// Reads fixed-width digits at s[pos..pos+n).
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::optional<uint64_t> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d)) {
    return std::nullopt;
  }
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  int64_t secs = sys_days(ymd).time_since_epoch() / std::chrono::seconds(1);
  if (s.size() == 10) return static_cast<uint64_t>(secs) * kSecond;  // a date alone: midnight UTC
  int h, mi, se;
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !Digits(s, 11, 2, &h) ||
      s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &se) || h > 23 ||
      mi > 59 || se > 60) {
    return std::nullopt;
  }
  secs += h * 3600 + mi * 60 + se;
  size_t pos = 19;
  int64_t frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    int64_t scale = 100'000'000;
    ++pos;
    size_t begin = pos;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
      frac += (s[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == begin) return std::nullopt;
  }
  std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh, om;
    if (!Digits(zone, 1, 2, &oh) || !Digits(zone, 4, 2, &om) || oh > 23 || om > 59) return std::nullopt;
    int64_t offset = oh * 3600 + om * 60;
    secs += zone[0] == '+' ? -offset : offset;
  } else {
    return std::nullopt;
  }
  if (secs < 0) return std::nullopt;
  return static_cast<uint64_t>(secs) * kSecond + static_cast<uint64_t>(frac);
}

}  // namespace

std::optional<ParamError> DecodeQuery(std::string_view raw,
                                      std::vector<std::pair<std::string, std::string>>* out) {
  out->clear();
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view item = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string name, value;
    if (!PercentDecode(item.substr(0, eq), &name)) {
      return ParamError{std::string(item.substr(0, eq)), "malformed %-escape in the parameter name"};
    }
    if (eq != std::string_view::npos && !PercentDecode(item.substr(eq + 1), &value)) {
      return ParamError{name, "parameter \"" + name + "\": malformed %-escape in the value"};
    }
    out->emplace_back(std::move(name), std::move(value));
  }
  return std::nullopt;
}

Result<uint64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("empty duration");
  uint64_t total = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t n = 0;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    uint64_t count;
    if (n == 0 || n > 9 || n == rest.size() || !ParseNumber(rest.substr(0, n), &count)) {
      return Status::InvalidArgument("not a duration");
    }
    uint64_t unit;
    switch (rest[n]) {
      case 's': unit = kSecond; break;
      case 'm': unit = 60 * kSecond; break;
      case 'h': unit = 3600 * kSecond; break;
      case 'd': unit = 86'400 * kSecond; break;
      case 'w': unit = 7 * 86'400 * kSecond; break;
      default: return Status::InvalidArgument("not a duration");
    }
    total += count * unit;
    rest = rest.substr(n + 1);
  }
  if (total == 0) return Status::InvalidArgument("a duration must be positive");
  return total;
}

Result<uint64_t> ParseTime(std::string_view text, uint64_t now_ns) {
  if (text == "now") return now_ns;
  if (auto t = ParseRfc3339(text)) return *t;
  uint64_t nanos;
  if (ParseNumber(text, &nanos)) return nanos;
  auto age = ParseDuration(text);
  if (age.ok()) return *age >= now_ns ? 0 : now_ns - *age;
  return Status::InvalidArgument("not a time");
}

std::string FormatRfc3339(uint64_t unix_nanos) {
  using namespace std::chrono;
  const sys_seconds secs{seconds(static_cast<int64_t>(unix_nanos / kSecond))};
  const sys_days days = floor<std::chrono::days>(secs);
  const year_month_day ymd{days};
  const hh_mm_ss<seconds> hms{secs - days};
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                        static_cast<int>(hms.seconds().count()));
  std::string out(buf, static_cast<size_t>(n));
  if (uint64_t frac = unix_nanos % kSecond) {
    std::snprintf(buf, sizeof buf, ".%09llu", static_cast<unsigned long long>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

ParamTable& ParamTable::Add(std::string name, std::string expected, Setter set, bool repeatable) {
  params_.push_back({std::move(name), std::move(expected), std::move(set), repeatable});
  return *this;
}

ParamTable& ParamTable::String(std::string name, std::string* out) {
  return Add(std::move(name), "a non-empty string", [out](std::string_view v) {
    if (v.empty()) return false;
    *out = std::string(v);
    return true;
  });
}

ParamTable& ParamTable::Time(std::string name, uint64_t* out) {
  const uint64_t now = now_ns_;
  return Add(std::move(name), "an RFC 3339 time (2025-06-15T10:00:00Z) or an age like 7d, 24h, 30m",
             [out, now](std::string_view v) {
               auto t = ParseTime(v, now);
               if (t.ok()) *out = *t;
               return t.ok();
             });
}

ParamTable& ParamTable::Duration(std::string name, uint64_t* out_ns) {
  return Add(std::move(name), "a duration like 1h, 15m, 1d", [out_ns](std::string_view v) {
    auto d = ParseDuration(v);
    if (d.ok()) *out_ns = *d;
    return d.ok();
  });
}

ParamTable& ParamTable::Count(std::string name, size_t* out, size_t min, size_t max) {
  std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  return Add(std::move(name), std::move(expected), [out, min, max](std::string_view v) {
    size_t n;
    if (!ParseNumber(v, &n) || n < min || n > max) return false;
    *out = n;
    return true;
  });
}

ParamTable& ParamTable::Decimal(std::string name, std::optional<double>* out) {
  return Add(std::move(name), "a non-negative number", [out](std::string_view v) {
    double d;
    if (!ParseNumber(v, &d) || !(d >= 0) || d > 1e15) return false;
    *out = d;
    return true;
  });
}

ParamTable& ParamTable::Millis(std::string name, uint64_t* out_ns) {
  return Add(std::move(name), "a non-negative number of milliseconds", [out_ns](std::string_view v) {
    double ms;
    if (!ParseNumber(v, &ms) || !(ms >= 0) || ms > 1e12) return false;
    *out_ns = static_cast<uint64_t>(ms * 1e6);
    return true;
  });
}

ParamTable& ParamTable::Usd(std::string name, std::optional<int64_t>* out_nanos) {
  return Add(std::move(name), "a non-negative USD amount like 0.05", [out_nanos](std::string_view v) {
    auto nanos = pricing::ParseDecimalNanos(v);
    if (nanos.ok()) *out_nanos = *nanos;
    return nanos.ok();
  });
}

namespace {
std::string Choices(const std::vector<std::string>& choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : ", ") + c;
  return out;
}
bool Contains(const std::vector<std::string>& v, std::string_view s) {
  for (const auto& x : v) {
    if (x == s) return true;
  }
  return false;
}
}  // namespace

ParamTable& ParamTable::OneOf(std::string name, std::vector<std::string> choices, std::string* out) {
  std::string expected = "one of " + Choices(choices);
  return Add(std::move(name), std::move(expected), [out, choices](std::string_view v) {
    if (!Contains(choices, v)) return false;
    *out = std::string(v);
    return true;
  });
}

ParamTable& ParamTable::ListOf(std::string name, std::vector<std::string> choices,
                               std::vector<std::string>* out) {
  std::string expected = "a comma-separated list of " + Choices(choices);
  return Add(
      std::move(name), std::move(expected),
      [out, choices](std::string_view v) {
        while (true) {
          size_t comma = v.find(',');
          std::string_view item = v.substr(0, comma);
          if (!Contains(choices, item)) return false;
          bool dup = false;
          for (const auto& x : *out) dup = dup || x == item;
          if (!dup) out->emplace_back(item);
          if (comma == std::string_view::npos) return true;
          v = v.substr(comma + 1);
        }
      },
      /*repeatable=*/true);
}

ParamTable& ParamTable::Unsupported(std::string name, std::string why) {
  Add(std::move(name), "", [](std::string_view) { return false; });
  params_.back().unsupported = std::move(why);
  return *this;
}

ParamTable& ParamTable::Custom(std::string name, std::string expected, Setter set) {
  return Add(std::move(name), std::move(expected), std::move(set));
}

std::optional<ParamError> ParamTable::Apply(std::string_view raw_query) const {
  std::vector<std::pair<std::string, std::string>> items;
  if (auto e = DecodeQuery(raw_query, &items)) return e;
  std::vector<std::string> seen;
  for (const auto& [name, value] : items) {
    const Param* p = nullptr;
    for (const Param& q : params_) {
      if (q.name == name) p = &q;
    }
    if (!p) {
      std::string known;
      for (const Param& q : params_) known += (known.empty() ? "" : ", ") + q.name;
      return ParamError{name, "unknown parameter \"" + name + "\"; this endpoint takes: " +
                                  (known.empty() ? "no parameters" : known)};
    }
    if (!p->repeatable && Contains(seen, name)) {
      return ParamError{name, "parameter \"" + name + "\" given more than once"};
    }
    seen.push_back(name);
    if (!p->unsupported.empty()) {
      return ParamError{name, "parameter \"" + name + "\" is not supported yet: " + p->unsupported};
    }
    if (!p->set(value)) {
      std::string shown = value.size() > 100 ? value.substr(0, 100) + "..." : value;
      return ParamError{name, "parameter \"" + name + "\": expected " + p->expected + ", got \"" + shown + "\""};
    }
  }
  return std::nullopt;
}

std::vector<std::string> ParamTable::names() const {
  std::vector<std::string> out;
  for (const Param& p : params_) out.push_back(p.name);
  return out;
}

}  // namespace loupe::api
