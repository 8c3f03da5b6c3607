// Time helpers. Everything inside Loupe is Unix nanoseconds (int64/uint64),
// as in OTLP; a Clock interface lets tests pin "now".
#pragma once

#include <chrono>
#include <cstdint>

namespace loupe {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual uint64_t NowUnixNanos() const = 0;
};

class SystemClock final : public Clock {
 public:
  uint64_t NowUnixNanos() const override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }
  static const SystemClock& Get() {
    static const SystemClock clock;
    return clock;
  }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(uint64_t now) : now_(now) {}
  uint64_t NowUnixNanos() const override { return now_; }
  void Set(uint64_t now) { now_ = now; }
  void Advance(uint64_t nanos) { now_ += nanos; }

 private:
  uint64_t now_;
};

}  // namespace loupe
