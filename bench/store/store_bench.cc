// loupe-store-bench: the store benchmark of issue 4.
//
//   loupe-store-bench --spans 1000000 --dir /tmp/loupe-store-bench [--runs 21]
//
// 1. Checks free disk space for N spans first.
// 2. Builds a store of N LLM spans (traces of 4) spread over the last 30
//    days, in time order, through Consume in groups of 8 batches x 100
//    spans (the pipeline's grouping), with the indexer running: reports
//    durable ack throughput and the end-to-end indexing rate.
// 3. Ack path alone: 3 fresh stores of --ack-spans spans with the indexer
//    off; reports the median ack throughput.
// 4. On the built store (after a maintenance pass sealed the finished
//    days), the median over --runs of: a rollup query team x feature x
//    model over 30 days; a raw query by user with a cost threshold; one
//    whole-trace fetch.
// 5. Bytes on disk per span with content, and after content retention
//    removed it (today's content stays).
#include <sys/statvfs.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>

#include "common/clock.h"
#include "span_gen.h"
#include "store/store.h"

namespace {

using namespace loupe;
using Steady = std::chrono::steady_clock;
constexpr uint64_t kDayNs = 86'400'000'000'000;
constexpr uint64_t kSpansPerTrace = 4;
constexpr size_t kBatchSpans = 100, kGroupBatches = 8;

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int Fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "store-bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  return 1;
}

// Appends traces [first, last) spread evenly over [t0, t0 + span_ns).
// Returns seconds spent inside Consume (the durable ack path).
Result<double> Ingest(store::Store& st, bench::SpanGen& gen, uint64_t first, uint64_t last, uint64_t t0,
                      uint64_t span_ns, uint64_t total_traces) {
  double in_consume = 0;
  std::vector<model::Batch> group;
  std::vector<model::SpanRecord> spans;
  auto flush = [&]() -> Status {
    std::vector<model::Batch*> ptrs;
    for (auto& b : group) ptrs.push_back(&b);
    auto c0 = Steady::now();
    Status s = st.Consume(ptrs);
    in_consume += Seconds(Steady::now() - c0);
    group.clear();
    return s;
  };
  for (uint64_t t = first; t < last; ++t) {
    gen.Trace(t, t0 + (t - 1) * (span_ns / total_traces), &spans);
    if (spans.size() >= kBatchSpans) {
      group.emplace_back();
      group.back().spans = std::move(spans);
      spans.clear();
      if (group.size() == kGroupBatches) {
        Status s = flush();
        if (!s.ok()) return s;
      }
    }
  }
  if (!spans.empty()) {
    group.emplace_back();
    group.back().spans = std::move(spans);
  }
  if (!group.empty()) {
    Status s = flush();
    if (!s.ok()) return s;
  }
  return in_consume;
}

double TimeMs(const std::function<bool()>& fn, int runs, bool* ok) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Steady::now();
    *ok = fn() && *ok;
    ms.push_back(Seconds(Steady::now() - t0) * 1e3);
  }
  return Median(ms);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Loupe store benchmark"};
  uint64_t n = 1'000'000, ack_spans = 200'000;
  int runs = 21;
  std::string dir = "/tmp/loupe-store-bench";
  app.add_option("--spans", n, "spans in the 30-day store");
  app.add_option("--ack-spans", ack_spans, "spans per ack-path-only run");
  app.add_option("--runs", runs, "repetitions of each query (median reported)");
  app.add_option("--dir", dir, "scratch directory (removed first)");
  bool keep = false;
  app.add_flag("--keep", keep, "keep the built store in DIR/store (skips the content-less measurement)");
  CLI11_PARSE(app, argc, argv);

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // ~1.2 KB per span indexed plus the log's transient copy; want 2x.
  struct statvfs fsinfo;
  if (statvfs(dir.c_str(), &fsinfo) == 0) {
    uint64_t free_bytes = static_cast<uint64_t>(fsinfo.f_bavail) * fsinfo.f_frsize;
    uint64_t need = n * 2500 + ack_spans * 3 * 1500;
    if (free_bytes < need) {
      std::fprintf(stderr, "store-bench: %s has %.1f GB free, %llu spans need about %.1f GB\n", dir.c_str(),
                   free_bytes / 1e9, static_cast<unsigned long long>(n), need / 1e9);
      return 2;
    }
  }
  const uint64_t traces = std::max<uint64_t>(1, n / kSpansPerTrace);
  const uint64_t now = SystemClock::Get().NowUnixNanos();
  const uint64_t t0 = now - 30 * kDayNs;

  // --- Build the 30-day store, indexer running. ---
  store::StoreConfig config;
  config.data_dir = dir + "/store";
  config.maintenance_interval = std::chrono::hours(1);  // run explicitly below
  auto opened = store::OpenStore(config);
  if (!opened.ok()) return Fail("open", opened.status());
  store::Store& st = **opened;
  Status s = st.Start();
  if (!s.ok()) return Fail("start", s);
  bench::SpanGen gen({}, 1);
  auto wall0 = Steady::now();
  auto in_consume = Ingest(st, gen, 1, traces + 1, t0, 30 * kDayNs, traces);
  if (!in_consume.ok()) return Fail("ingest", in_consume.status());
  double ingest_wall = Seconds(Steady::now() - wall0);
  s = st.WaitForIndexer(std::chrono::hours(2));
  if (!s.ok()) return Fail("indexing", s);
  double index_wall = Seconds(Steady::now() - wall0);
  const double spans = static_cast<double>(traces * kSpansPerTrace);
  std::printf("build: %llu spans over 30 days\n", static_cast<unsigned long long>(traces * kSpansPerTrace));
  std::printf("  ack path (time inside Consume, indexer running): %.0f spans/s\n", spans / *in_consume);
  std::printf("  generator + ingest wall: %.1f s; indexed everything after %.1f s: %.0f spans/s\n", ingest_wall,
              index_wall, spans / index_wall);
  auto m0 = Steady::now();
  s = st.RunMaintenance();
  if (!s.ok()) return Fail("maintenance", s);
  std::printf("  first maintenance pass (seals 30 days): %.1f s\n", Seconds(Steady::now() - m0));

  // --- Queries. ---
  bool ok = true;
  store::RollupQuery rq;
  rq.start_ns = t0 - t0 % 60'000'000'000;
  rq.end_ns = now;
  rq.group_by = {store::Dimension::kTeam, store::Dimension::kFeature, store::Dimension::kModel};
  size_t groups = 0;
  double rollup_ms = TimeMs([&] {
    auto r = st.QueryRollups(rq);
    if (r.ok()) groups = r->size();
    return r.ok();
  }, runs, &ok);
  std::printf("rollup team x feature x model, 30 days: median %.2f ms (%zu groups)\n", rollup_ms, groups);

  std::mt19937_64 rng(9);
  size_t hits = 0;
  double user_ms = TimeMs([&] {
    store::TraceQuery q;
    q.user = bench::SpanGen::UserOf(rng() % 20'000);
    q.min_cost_nanos = 5'000'000;  // $0.005 per call
    q.start_ns = t0;
    auto r = st.SearchTraces(q);
    if (r.ok()) hits += r->traces.size();
    return r.ok();
  }, runs, &ok);
  std::printf("raw query user + cost >= $0.005, 30 days: median %.2f ms (%.1f traces/query)\n", user_ms,
              static_cast<double>(hits) / runs);

  double trace_ms = TimeMs([&] {
    auto r = st.GetTrace(bench::SpanGen::TraceIdOf(1 + rng() % traces));
    return r.ok() && r->spans.size() == kSpansPerTrace;
  }, runs, &ok);
  std::printf("whole trace fetch: median %.2f ms\n", trace_ms);
  if (!ok) std::fprintf(stderr, "store-bench: some queries failed\n");

  // --- Bytes per span. ---
  store::StoreStats stats = st.Stats();
  std::printf("disk with content: %.1f MB = %.0f bytes/span (days %.1f MB = %.0f bytes/span, index %.1f MB, "
              "log %.1f MB, of all that WAL %.1f MB)\n",
              stats.disk_bytes() / 1e6, stats.disk_bytes() / spans, stats.days_bytes / 1e6, stats.days_bytes / spans,
              stats.index_bytes / 1e6, stats.log_bytes / 1e6, stats.wal_bytes / 1e6);
  st.Shutdown();
  if (keep) return ok ? 0 : 1;
  config.retention_content = std::chrono::seconds(1);
  auto reopened = store::OpenStore(config);
  if (!reopened.ok() || !(*reopened)->Start().ok()) return Fail("reopen", Status::Internal("reopen failed"));
  s = (*reopened)->RunMaintenance();
  if (!s.ok()) return Fail("content retention", s);
  stats = (*reopened)->Stats();
  std::printf("disk without content (content retention ran; today's day keeps it): %.1f MB = %.0f bytes/span; "
              "day files %.0f bytes/span\n",
              stats.disk_bytes() / 1e6, stats.disk_bytes() / spans, stats.days_bytes / spans);
  (*reopened)->Shutdown();

  // --- Ack path alone, 3 runs. ---
  std::vector<double> ack_rates;
  for (int r = 0; r < 3; ++r) {
    store::StoreConfig ac;
    ac.data_dir = dir + "/ack" + std::to_string(r);
    ac.run_indexer = false;
    auto as = store::OpenStore(ac);
    if (!as.ok() || !(*as)->Start().ok()) return Fail("ack store", Status::Internal("open failed"));
    bench::SpanGen g({}, 100 + r);
    uint64_t tr = ack_spans / kSpansPerTrace;
    auto secs = Ingest(**as, g, 1, tr + 1, now - kDayNs, kDayNs, tr);
    if (!secs.ok()) return Fail("ack ingest", secs.status());
    ack_rates.push_back(static_cast<double>(tr * kSpansPerTrace) / *secs);
    (*as)->Shutdown();
    std::filesystem::remove_all(ac.data_dir);
  }
  std::printf("ack path alone (indexer off), %llu spans x 3 runs: median %.0f spans/s\n",
              static_cast<unsigned long long>(ack_spans), Median(ack_rates));
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
