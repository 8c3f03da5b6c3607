// Test helpers for the OTLP receivers: request builders, gzip, and a
// consumer that can hold the pipeline (test-only).
#pragma once

#include <zlib.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "model/consumer.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace loupe::ingest::testing {

namespace pb_trace = opentelemetry::proto::collector::trace::v1;
namespace pb_logs = opentelemetry::proto::collector::logs::v1;
namespace pb_metrics = opentelemetry::proto::collector::metrics::v1;

// `valid` good spans, then `invalid` spans whose span id has 7 bytes.
inline pb_trace::ExportTraceServiceRequest TraceRequest(int valid, int invalid = 0) {
  pb_trace::ExportTraceServiceRequest req;
  auto* ss = req.add_resource_spans()->add_scope_spans();
  for (int i = 0; i < valid + invalid; ++i) {
    auto* s = ss->add_spans();
    s->set_trace_id(std::string(16, '\x01'));
    s->set_span_id(i < valid ? std::string(7, '\x02') + static_cast<char>(i + 1)
                             : std::string(7, '\x02'));
    s->set_name("span" + std::to_string(i));
    s->set_start_time_unix_nano(1000);
    s->set_end_time_unix_nano(2000);
  }
  return req;
}

inline pb_logs::ExportLogsServiceRequest LogsRequest(int n) {
  pb_logs::ExportLogsServiceRequest req;
  auto* sl = req.add_resource_logs()->add_scope_logs();
  for (int i = 0; i < n; ++i) {
    sl->add_log_records()->mutable_body()->set_string_value("log" + std::to_string(i));
  }
  return req;
}

inline pb_metrics::ExportMetricsServiceRequest MetricsRequest(int points) {
  pb_metrics::ExportMetricsServiceRequest req;
  auto* m = req.add_resource_metrics()->add_scope_metrics()->add_metrics();
  m->set_name("m");
  for (int i = 0; i < points; ++i) m->mutable_gauge()->add_data_points()->set_as_int(i);
  return req;
}

inline std::string Gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Records span names and log counts; Hold() makes Consume wait until
// Release(), to fill the queue behind it.
class GateConsumer : public model::BatchConsumer {
 public:
  Status Consume(std::span<model::Batch* const> batches) override {
    std::unique_lock lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !held_; });
    for (model::Batch* b : batches) {
      for (auto& s : b->spans) spans_.push_back(s.span.name);
      logs_ += b->logs.size();
    }
    return Status::Ok();
  }
  void Hold() {
    std::lock_guard lock(mu_);
    held_ = true;
  }
  void Release() {
    std::lock_guard lock(mu_);
    held_ = false;
    cv_.notify_all();
  }
  void WaitEntered(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }
  std::vector<std::string> spans() {
    std::lock_guard lock(mu_);
    return spans_;
  }
  size_t logs() {
    std::lock_guard lock(mu_);
    return logs_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  int entered_ = 0;
  std::vector<std::string> spans_;
  size_t logs_ = 0;
};

}  // namespace loupe::ingest::testing
