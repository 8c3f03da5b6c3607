// loupe-loadgen: an OTLP load generator for Loupe (or any OTLP receiver).
// Sends GenAI spans over gRPC or HTTP/protobuf at a target rate and reports
// spans/s, acknowledgement latency (p50/p99) and, given --server-pid, the
// server's CPU-seconds per million spans and its RSS.
//
//   loupe-loadgen --protocol grpc --endpoint 127.0.0.1:4317 --rate 10000
//       --duration 20 --server-pid <pid of loupe serve>
#include <curl/curl.h>
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <thread>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "proc_stats.h"
#include "span_factory.h"

namespace loupe::bench {
namespace {

using Clock = std::chrono::steady_clock;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using opentelemetry::proto::collector::trace::v1::TraceService;

struct Options {
  std::string protocol = "grpc";
  std::string endpoint = "127.0.0.1:4317";
  double rate = 10000;  // spans/s, all workers together
  double duration = 20;
  double warmup = 3;
  size_t batch = 100;
  int workers = 4;
  SpanShape shape;
  std::string dialects = "otel";
  int server_pid = 0;
};

struct WorkerResult {
  std::vector<uint32_t> latencies_us;  // measured window only
  uint64_t spans_ok = 0, spans_failed = 0, requests_failed = 0;
};

// A request template whose ids and times are refreshed before each send, so
// building load costs the generator little CPU.
class Refresher {
 public:
  explicit Refresher(uint64_t seed) : rng_(seed) {}
  void Refresh(ExportTraceServiceRequest* req) {
    uint64_t now = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    for (auto& rs : *req->mutable_resource_spans()) {
      for (auto& ss : *rs.mutable_scope_spans()) {
        for (auto& s : *ss.mutable_spans()) {
          uint64_t ids[3] = {rng_(), rng_(), rng_()};
          s.set_trace_id(reinterpret_cast<const char*>(ids), 16);
          s.set_span_id(reinterpret_cast<const char*>(ids + 2), 8);
          uint64_t d = s.end_time_unix_nano() - s.start_time_unix_nano();
          s.set_end_time_unix_nano(now);
          s.set_start_time_unix_nano(now - d);
        }
      }
    }
  }

 private:
  std::mt19937_64 rng_;
};

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

void RunWorker(const Options& o, int index, Clock::time_point start, Clock::time_point measure_from,
               Clock::time_point end, WorkerResult* result) {
  SpanFactory factory(o.shape, 1000 + static_cast<uint64_t>(index));
  ExportTraceServiceRequest req = factory.Make(o.batch);
  Refresher refresher(77 + static_cast<uint64_t>(index));
  const double per_worker = o.rate / o.workers;
  const auto interval = std::chrono::duration<double>(static_cast<double>(o.batch) / per_worker);

  std::unique_ptr<TraceService::Stub> stub;
  CURL* curl = nullptr;
  std::string url, body;
  curl_slist* headers = nullptr;
  if (o.protocol == "grpc") {
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(64 << 20);
    args.SetInt("grpc.channel_id", index);  // one connection per worker
    stub = TraceService::NewStub(grpc::CreateCustomChannel(o.endpoint, grpc::InsecureChannelCredentials(), args));
  } else {
    curl = curl_easy_init();
    url = "http://" + o.endpoint + "/v1/traces";
    headers = curl_slist_append(headers, "Content-Type: application/x-protobuf");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  }

  for (uint64_t k = 0;; ++k) {
    auto due = start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(k));
    if (due >= end) break;
    std::this_thread::sleep_until(due);  // returns at once when behind: then it runs closed-loop
    // Behind schedule (closed loop), the schedule alone would keep sending
    // past the end of the measured window: the clock decides.
    if (Clock::now() >= end) break;
    refresher.Refresh(&req);
    bool ok;
    auto sent = Clock::now();
    if (stub) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      ExportTraceServiceResponse resp;
      ok = stub->Export(&ctx, req, &resp).ok() && resp.partial_success().rejected_spans() == 0;
    } else {
      req.SerializeToString(&body);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
      long status = 0;
      ok = curl_easy_perform(curl) == CURLE_OK &&
           curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200;
    }
    auto done = Clock::now();
    if (sent < measure_from) continue;
    result->latencies_us.push_back(
        static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(done - sent).count()));
    if (ok) {
      result->spans_ok += o.batch;
    } else {
      result->spans_failed += o.batch;
      ++result->requests_failed;
    }
  }
  if (curl) curl_easy_cleanup(curl);
  if (headers) curl_slist_free_all(headers);
}

double Percentile(std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return v[i] / 1000.0;
}

int Run(const Options& o) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto start = Clock::now();
  auto measure_from = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
  auto end = measure_from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
  std::vector<WorkerResult> results(static_cast<size_t>(o.workers));
  std::vector<std::thread> threads;
  for (int i = 0; i < o.workers; ++i) {
    threads.emplace_back(RunWorker, std::cref(o), i, start, measure_from, end, &results[static_cast<size_t>(i)]);
  }
  std::optional<ProcSample> before, after;
  uint64_t max_rss = 0;
  std::this_thread::sleep_until(measure_from);
  auto measured_start = Clock::now();
  if (o.server_pid > 0) before = ReadProc(o.server_pid);
  while (Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (o.server_pid > 0) {
      if (auto s = ReadProc(o.server_pid)) max_rss = std::max(max_rss, s->rss_bytes);
    }
  }
  if (o.server_pid > 0) after = ReadProc(o.server_pid);
  auto measured_end = Clock::now();
  for (auto& t : threads) t.join();

  WorkerResult all;
  for (auto& r : results) {
    all.latencies_us.insert(all.latencies_us.end(), r.latencies_us.begin(), r.latencies_us.end());
    all.spans_ok += r.spans_ok;
    all.spans_failed += r.spans_failed;
    all.requests_failed += r.requests_failed;
  }
  double seconds = std::chrono::duration<double>(measured_end - measured_start).count();
  double spans_per_s = static_cast<double>(all.spans_ok) / seconds;
  double p50 = Percentile(all.latencies_us, 0.50), p99 = Percentile(all.latencies_us, 0.99);
  std::printf("protocol=%s target_rate=%.0f batch=%zu span_bytes=%zu content_bytes=%zu dialects=%s workers=%d\n",
              o.protocol.c_str(), o.rate, o.batch, o.shape.span_bytes, o.shape.content_bytes, o.dialects.c_str(),
              o.workers);
  std::printf("spans_acked=%llu spans_failed=%llu requests_failed=%llu seconds=%.1f\n",
              static_cast<unsigned long long>(all.spans_ok), static_cast<unsigned long long>(all.spans_failed),
              static_cast<unsigned long long>(all.requests_failed), seconds);
  std::printf("spans_per_second=%.0f ack_p50_ms=%.2f ack_p99_ms=%.2f\n", spans_per_s, p50, p99);
  if (before && after) {
    double cpu = after->cpu_seconds - before->cpu_seconds;
    double per_million = all.spans_ok ? cpu / (static_cast<double>(all.spans_ok) / 1e6) : 0;
    std::printf("server_cpu_seconds=%.2f server_cpu_seconds_per_million_spans=%.2f server_cpu_cores=%.2f\n", cpu,
                per_million, cpu / seconds);
    std::printf("server_rss_max_mb=%.1f server_peak_rss_mb=%.1f\n", static_cast<double>(max_rss) / 1048576.0,
                static_cast<double>(after->hwm_bytes) / 1048576.0);
  } else if (o.server_pid > 0) {
    std::printf("server pid %d: /proc unreadable\n", o.server_pid);
  }
  curl_global_cleanup();
  return all.spans_ok > 0 ? 0 : 1;
}

}  // namespace
}  // namespace loupe::bench

int main(int argc, char** argv) {
  loupe::bench::Options o;
  CLI::App app{"OTLP load generator for Loupe"};
  app.add_option("--protocol", o.protocol, "grpc or http")->check(CLI::IsMember({"grpc", "http"}));
  app.add_option("--endpoint", o.endpoint, "host:port of the OTLP receiver");
  app.add_option("--rate", o.rate, "target spans per second (all workers)")->check(CLI::PositiveNumber);
  app.add_option("--duration", o.duration, "measured seconds")->check(CLI::PositiveNumber);
  app.add_option("--warmup", o.warmup, "seconds of load before measuring")->check(CLI::NonNegativeNumber);
  app.add_option("--batch", o.batch, "spans per request")->check(CLI::PositiveNumber);
  app.add_option("--workers", o.workers, "concurrent connections")->check(CLI::Range(1, 256));
  app.add_option("--span-bytes", o.shape.span_bytes, "approximate encoded bytes per span");
  app.add_option("--content-bytes", o.shape.content_bytes, "prompt + completion text bytes per span");
  app.add_option("--dialects", o.dialects, "comma list: otel, openinference, openllmetry, vercel");
  app.add_option("--server-pid", o.server_pid, "pid of the server, for its CPU and RSS");
  CLI11_PARSE(app, argc, argv);
  o.shape.dialects.clear();
  std::stringstream in(o.dialects);
  std::string name;
  while (std::getline(in, name, ',')) {
    loupe::bench::Dialect d;
    if (!loupe::bench::ParseDialect(name, &d)) {
      std::fprintf(stderr, "unknown dialect %s\n", name.c_str());
      return 2;
    }
    o.shape.dialects.push_back(d);
  }
  if (o.shape.dialects.empty()) return 2;
  return loupe::bench::Run(o);
}
