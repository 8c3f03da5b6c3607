// A small OTLP/HTTP protobuf span exporter: a bounded in-memory queue that
// never blocks the caller, one background thread that batches and POSTs to
// {endpoint}/v1/traces with libcurl, and a flush on destruction.
#ifndef LOUPE_OTLP_HTTP_EXPORTER_H_
#define LOUPE_OTLP_HTTP_EXPORTER_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "loupe/span_data.h"

namespace loupe {

struct ExporterOptions {
  // Base URL (http://host:4318) or full URL; "/v1/traces" is appended when
  // the URL has no path. OTEL_EXPORTER_OTLP_ENDPOINT is NOT read: callers
  // choose, see FromEnv().
  std::string endpoint = "http://localhost:4318";
  std::map<std::string, std::string> headers;  // e.g. {"Authorization", "Bearer ..."}
  std::string service_name = "unknown_service";
  std::map<std::string, std::string> resource_attributes;  // e.g. deployment.environment.name
  size_t max_queue_spans = 2048;  // beyond this, new spans are dropped and counted
  size_t max_batch_spans = 512;   // spans per request
  std::chrono::milliseconds flush_interval{1000};
  std::chrono::milliseconds request_timeout{10000};
  int max_retries = 3;  // on 429/502/503/504 and connection errors only

  // Defaults overridden by OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME and
  // OTEL_EXPORTER_OTLP_HEADERS (k=v,k2=v2) when set.
  static ExporterOptions FromEnv();
};

struct ExporterStats {
  uint64_t sent = 0;     // spans the server accepted (2xx)
  uint64_t failed = 0;   // spans given up on after retries or a permanent error
  uint64_t dropped = 0;  // spans refused because the queue was full
  uint64_t queued = 0;   // spans waiting now
};

// Thread-safe. Destruction flushes what is queued (bounded by
// request_timeout per request) and joins the thread.
class OtlpHttpExporter final : public SpanExporter {
 public:
  explicit OtlpHttpExporter(ExporterOptions options = {});
  ~OtlpHttpExporter() override;
  OtlpHttpExporter(const OtlpHttpExporter&) = delete;
  OtlpHttpExporter& operator=(const OtlpHttpExporter&) = delete;

  // Queues the span; drops it (counted in stats().dropped) when full. Never blocks on I/O.
  void Export(SpanData span) override;
  // Blocks until every span queued before the call was sent or failed, or
  // the timeout passed. Returns true if all of them were sent.
  bool Flush(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Flushes and stops the thread; later Export() calls drop. Idempotent.
  void Shutdown();
  ExporterStats stats() const;
  const std::string& url() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loupe

#endif  // LOUPE_OTLP_HTTP_EXPORTER_H_
