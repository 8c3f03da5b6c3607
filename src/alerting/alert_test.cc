// The alert state machine, table-driven with a fake clock.
#include "alerting/alert.h"

#include <gtest/gtest.h>

#include <vector>

namespace loupe::alerting {
namespace {

constexpr uint64_t kSec = 1'000'000'000ull;

struct Step {
  uint64_t t;  // seconds
  Verdict verdict;
  AlertState want;
};

struct Case {
  const char* name;
  double for_s, keep_s;
  std::vector<Step> steps;
};

TEST(StepAlertTest, Table) {
  using enum AlertState;
  const Verdict A = Verdict::kActive, I = Verdict::kInactive, K = Verdict::kKeep;
  const std::vector<Case> cases = {
      {"for 0 fires at once", 0, 0, {{10, A, kFiring}, {20, A, kFiring}, {30, I, kResolved}, {40, I, kResolved}}},
      {"pending until for has passed", 60, 0, {{0, A, kPending}, {30, A, kPending}, {60, A, kFiring}, {90, A, kFiring}}},
      {"pending that clears never fires", 60, 0, {{0, A, kPending}, {30, I, kInactive}, {45, A, kPending}, {100, A, kPending}, {105, A, kFiring}}},
      {"keep_firing_for holds a flap", 0, 60,
       {{0, A, kFiring}, {30, I, kFiring}, {59, I, kFiring}, {60, I, kResolved}}},
      {"keep_firing_for restarts when active again", 0, 60,
       {{0, A, kFiring}, {30, I, kFiring}, {50, A, kFiring}, {100, I, kFiring}, {110, I, kResolved}}},
      {"resolved then active is a new episode", 30, 0,
       {{0, A, kPending}, {30, A, kFiring}, {60, I, kResolved}, {90, A, kPending}, {120, A, kFiring}}},
      {"keep verdict changes nothing", 0, 0, {{0, A, kFiring}, {30, K, kFiring}, {60, I, kResolved}, {90, K, kResolved}}},
      {"inactive stays inactive", 0, 0, {{0, I, kInactive}, {30, K, kInactive}}},
  };
  for (const auto& c : cases) {
    Alert a;
    for (const auto& s : c.steps) {
      StepAlert(s.verdict, s.t * kSec, c.for_s, c.keep_s, &a);
      EXPECT_EQ(AlertStateName(a.state), AlertStateName(s.want)) << c.name << " at t=" << s.t;
    }
  }
}

TEST(StepAlertTest, TimesAreRecorded) {
  Alert a;
  EXPECT_TRUE(StepAlert(Verdict::kActive, 10 * kSec, 20, 0, &a));
  EXPECT_EQ(a.active_at_ns, 10 * kSec);
  EXPECT_EQ(a.fired_at_ns, 0u);
  EXPECT_FALSE(StepAlert(Verdict::kActive, 20 * kSec, 20, 0, &a));
  EXPECT_TRUE(StepAlert(Verdict::kActive, 30 * kSec, 20, 0, &a));
  EXPECT_EQ(a.fired_at_ns, 30 * kSec);
  EXPECT_TRUE(StepAlert(Verdict::kInactive, 40 * kSec, 20, 0, &a));
  EXPECT_EQ(a.resolved_at_ns, 40 * kSec);
  EXPECT_EQ(a.last_active_ns, 30 * kSec);
}

TEST(FingerprintTest, StableAndDistinct) {
  Labels a = {{"alertname", "X"}, {"team", "search"}};
  Labels b = {{"alertname", "X"}, {"team", "ads"}};
  Labels c = {{"alertname", "Xteam"}, {"", "search"}};
  EXPECT_EQ(Fingerprint(a), Fingerprint(Labels(a)));
  EXPECT_NE(Fingerprint(a), Fingerprint(b));
  EXPECT_NE(Fingerprint(a), Fingerprint(c));
  EXPECT_EQ(Fingerprint(a).size(), 16u);
}

}  // namespace
}  // namespace loupe::alerting
