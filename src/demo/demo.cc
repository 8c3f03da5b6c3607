#include "demo/demo.h"

#include <cctype>
#include <csignal>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <thread>

#include "common/clock.h"
#include "demo/backfill.h"
#include "demo/generator.h"
#include "demo/stand_in_judge.h"
#include "demo/world.h"

namespace loupe::demo {

namespace {

constexpr uint64_t kNanosPerSecond = 1'000'000'000;
constexpr size_t kBackfillBatch = 100;   // traces per request while backfilling
constexpr double kLiveFlushSeconds = 1;  // live traces wait at most this long

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

Status DemoOptions::Validate() const {
  if (otlp_endpoint.rfind("http://", 0) != 0 && otlp_endpoint.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("--otlp-endpoint: want http(s)://host:port (got \"" + otlp_endpoint + "\")");
  }
  if (!(duration_seconds >= 0) || !std::isfinite(duration_seconds)) {
    return Status::InvalidArgument("--duration: must be >= 0 (0 runs until interrupted)");
  }
  if (!(rate > 0) || rate > 10000) {
    return Status::InvalidArgument("--rate: must be in (0, 10000] traces per second (got " + Fixed(rate, 3) + ")");
  }
  if (!(backfill_seconds >= 0) || backfill_seconds > 90 * 86400.0) {
    return Status::InvalidArgument("--backfill: must be between 0 and 90d");
  }
  if (backfill_traces > 1000000) return Status::InvalidArgument("--backfill-traces: at most 1000000");
  if (!(judge_linger_seconds >= 0)) return Status::InvalidArgument("--judge-linger: must be >= 0");
  if (!judge_stand_in.empty() && judge_stand_in.find(':') == std::string::npos) {
    return Status::InvalidArgument("--judge-stand-in: want host:port (got \"" + judge_stand_in + "\")");
  }
  return Status::Ok();
}

Result<double> ParseDurationFlag(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("duration \"" + std::string(text) +
                                   "\": want e.g. 60s, 90m, 1h30m, 7d, 2w, 500ms or 0");
  };
  if (text.empty()) return bad();
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return bad();
    double number;
    const std::string digits(text.substr(start, i - start));
    try {
      size_t used = 0;
      number = std::stod(digits, &used);
      if (used != digits.size()) return bad();
    } catch (const std::exception&) {
      return bad();
    }
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale;
    if (unit.empty()) {
      if (start != 0 || i != text.size()) return bad();  // a bare number must be alone
      scale = 1;
    } else if (unit == "ms") {
      scale = 0.001;
    } else if (unit == "s") {
      scale = 1;
    } else if (unit == "m") {
      scale = 60;
    } else if (unit == "h") {
      scale = 3600;
    } else if (unit == "d") {
      scale = 86400;
    } else if (unit == "w") {
      scale = 7 * 86400;
    } else {
      return bad();
    }
    total += number * scale;
  }
  return total;
}

Demo::Demo(DemoOptions options, std::ostream* out) : options_(std::move(options)), out_(out) {}

Demo::~Demo() = default;

void Demo::Print(const std::string& line) {
  if (out_ != nullptr) *out_ << line << std::endl;
}

Status Demo::Run() {
  std::unique_ptr<StandInJudge> judge;
  if (!options_.judge_stand_in.empty()) {
    judge = std::make_unique<StandInJudge>(options_.judge_stand_in, out_);
    LOUPE_RETURN_IF_ERROR(judge->Start());
    judge_port_.store(judge->port());
  }
  auto sender = Sender::Create(options_.otlp_endpoint, &stop_);
  if (!sender.ok()) return sender.status();

  const uint64_t now = SystemClock::Get().NowUnixNanos();
  const auto backfill_nanos = static_cast<uint64_t>(options_.backfill_seconds * kNanosPerSecond);
  GeneratorOptions gen_options;
  gen_options.seed = options_.seed;
  // With history, support_chat moves to the worse v4 part-way through it
  // (at most two days ago), so the before/after shows in every view.
  if (backfill_nanos > 0) {
    gen_options.worse_prompt_rollout_unix_nanos = now - std::min(backfill_nanos / 3, 2 * 86400 * kNanosPerSecond);
  }
  Generator gen(gen_options);
  Print("loupe demo: sending to " + options_.otlp_endpoint + " (seed " + std::to_string(options_.seed) +
        "); support_chat " + std::string(kWorsePromptVersion) + " is the worse prompt version");

  Status s = backfill_nanos > 0 ? Backfill(gen, **sender, now) : Status::Ok();
  if (s.ok()) s = Live(gen, **sender);
  stats_ = (*sender)->stats();
  if (s.code() == Status::Code::kUnavailable && stop_.load()) s = Status::Ok();  // interrupted, not failed
  if (!s.ok()) return s;

  Print("done: " + std::to_string(stats_.traces) + " traces, " + std::to_string(stats_.spans) + " spans in " +
        std::to_string(stats_.requests) + " requests (" + std::to_string(stats_.retries) + " retried, " +
        std::to_string(failed_traces_) + " traces with errors)");
  if (judge) {
    if (!stop_.load() && options_.judge_linger_seconds > 0) {
      Print("keeping the stand-in judge up " + Fixed(options_.judge_linger_seconds, 0) +
            "s for evaluations still queued (Ctrl-C to skip)");
      auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(options_.judge_linger_seconds);
      while (!stop_.load() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    Print("stand-in judge answered " + std::to_string(judge->requests()) + " requests");
    judge->Shutdown();
  }
  return Status::Ok();
}

Status Demo::Backfill(Generator& gen, Sender& sender, uint64_t now) {
  const size_t count = options_.backfill_traces > 0 ? options_.backfill_traces
                                                     : DefaultBackfillCount(options_.backfill_seconds);
  const auto range = static_cast<uint64_t>(options_.backfill_seconds * kNanosPerSecond);
  std::vector<uint64_t> times = BackfillTimes(options_.seed, now, range, count);
  Print("backfill: " + std::to_string(times.size()) + " traces over the last " +
        Fixed(options_.backfill_seconds / 3600.0, 1) + " h");
  std::vector<GeneratedTrace> batch;
  size_t sent = 0;
  for (size_t i = 0; i < times.size() && !stop_.load(); ++i) {
    batch.push_back(gen.Next(times[i]));
    // History ends before the live phase starts, however long the trace.
    if (batch.back().end_unix_nanos > now - kNanosPerSecond) {
      ShiftTrace(&batch.back(), -static_cast<int64_t>(batch.back().end_unix_nanos - (now - kNanosPerSecond)));
    }
    if (batch.back().failed) ++failed_traces_;
    if (batch.size() == kBackfillBatch || i + 1 == times.size()) {
      LOUPE_RETURN_IF_ERROR(sender.Send(batch));
      sent += batch.size();
      batch.clear();
      if (sent % (kBackfillBatch * 10) == 0 || sent == times.size()) {
        Print("backfill: " + std::to_string(sent) + "/" + std::to_string(times.size()) + " traces, " +
              std::to_string(sender.stats().spans) + " spans");
      }
    }
  }
  return Status::Ok();
}

Status Demo::Live(Generator& gen, Sender& sender) {
  using Steady = std::chrono::steady_clock;
  Rng arrivals(Mix64(options_.seed ^ 0xa771ull));
  const Steady::time_point begin = Steady::now();
  const bool forever = options_.duration_seconds == 0;
  Print(forever ? "live: " + Fixed(options_.rate, 1) + " traces/s until Ctrl-C"
                : "live: " + Fixed(options_.rate, 1) + " traces/s for " + Fixed(options_.duration_seconds, 0) + "s");
  std::vector<GeneratedTrace> buffer;
  double next_due = arrivals.Exponential(1.0 / options_.rate);  // seconds since begin
  Steady::time_point last_flush = begin, last_report = begin;
  const int64_t traces_before = sender.stats().traces;

  auto flush = [&]() -> Status {
    if (buffer.empty()) return Status::Ok();
    Status s = sender.Send(buffer);
    buffer.clear();
    last_flush = Steady::now();
    return s;
  };
  while (!stop_.load()) {
    const double elapsed = std::chrono::duration<double>(Steady::now() - begin).count();
    if (!forever && elapsed >= options_.duration_seconds) break;
    while (next_due <= elapsed && (forever || next_due < options_.duration_seconds)) {
      // The trace ends "now": it happened just before it is sent.
      const uint64_t end = SystemClock::Get().NowUnixNanos();
      GeneratedTrace t = gen.Next(end);
      ShiftTrace(&t, -static_cast<int64_t>(t.end_unix_nanos - t.start_unix_nanos));
      if (t.failed) ++failed_traces_;
      buffer.push_back(std::move(t));
      next_due += arrivals.Exponential(1.0 / options_.rate);
    }
    if (!buffer.empty() && (Steady::now() - last_flush >= std::chrono::duration<double>(kLiveFlushSeconds) ||
                            buffer.size() >= kBackfillBatch)) {
      LOUPE_RETURN_IF_ERROR(flush());
    }
    if (Steady::now() - last_report >= std::chrono::seconds(5)) {
      last_report = Steady::now();
      Print("live: " + std::to_string(sender.stats().traces - traces_before) + " traces, " +
            std::to_string(sender.stats().spans) + " spans sent in total, " + std::to_string(sender.stats().retries) +
            " retries");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return flush();
}

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void OnInterrupt(int) { g_interrupted.store(true); }

}  // namespace

int RunDemo(const DemoOptions& options) {
  if (Status s = options.Validate(); !s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    return 2;
  }
  g_interrupted.store(false);
  auto old_int = std::signal(SIGINT, OnInterrupt);
  auto old_term = std::signal(SIGTERM, OnInterrupt);
  Demo demo(options, &std::cout);
  std::atomic<bool> finished{false};
  // Signal handlers may only touch lock-free atomics; a watcher forwards.
  std::thread watcher([&] {
    while (!finished.load()) {
      if (g_interrupted.load()) demo.Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  Status s = demo.Run();
  finished.store(true);
  watcher.join();
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  if (!s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace loupe::demo
