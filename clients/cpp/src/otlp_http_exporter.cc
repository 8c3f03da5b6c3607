#include "loupe/otlp_http_exporter.h"

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "http_post.h"
#include "otlp_encode.h"

namespace loupe {
namespace {

std::string TracesUrl(std::string endpoint) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  size_t scheme = endpoint.find("://");
  size_t path = endpoint.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) endpoint += "/v1/traces";
  return endpoint;
}

std::string Trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s;
}

}  // namespace

ExporterOptions ExporterOptions::FromEnv() {
  ExporterOptions o;
  if (const char* v = std::getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); v != nullptr && *v != '\0') o.endpoint = v;
  if (const char* v = std::getenv("OTEL_SERVICE_NAME"); v != nullptr && *v != '\0') o.service_name = v;
  if (const char* v = std::getenv("OTEL_EXPORTER_OTLP_HEADERS"); v != nullptr) {
    std::string all = v;
    size_t pos = 0;
    while (pos <= all.size()) {
      size_t comma = all.find(',', pos);
      std::string item = all.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      size_t eq = item.find('=');
      if (eq != std::string::npos) o.headers[Trim(item.substr(0, eq))] = Trim(item.substr(eq + 1));
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  return o;
}

// The queue is guarded by mu_; the worker thread alone does I/O. Spans are
// counted by sequence: enqueued_ numbers every accepted span, done_ counts
// those sent or failed, so Flush() waits for done_ to pass a mark.
class OtlpHttpExporter::Impl {
 public:
  explicit Impl(ExporterOptions o)
      : options_(std::move(o)), url_(TracesUrl(options_.endpoint)) {
    if (options_.max_batch_spans == 0) options_.max_batch_spans = 1;
    resource_.attributes = options_.resource_attributes;
    resource_.attributes["service.name"] = options_.service_name;
    worker_ = std::thread([this] { Run(); });
  }

  ~Impl() { Shutdown(); }

  void Export(SpanData span) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= options_.max_queue_spans) {
      ++stats_.dropped;
      return;
    }
    queue_.push_back(std::move(span));
    ++enqueued_;
    if (queue_.size() >= options_.max_batch_spans) wake_.notify_one();
  }

  bool Flush(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    const uint64_t mark = enqueued_;
    const uint64_t failed_before = stats_.failed;
    flush_wanted_ = std::max(flush_wanted_, mark);
    wake_.notify_one();
    bool done = progress_.wait_for(lock, timeout, [&] { return done_ >= mark; });
    return done && stats_.failed == failed_before;
  }

  void Shutdown() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_one();
    worker_.join();
  }

  ExporterStats stats() const {
    std::lock_guard<std::mutex> lock(mu_);
    ExporterStats s = stats_;
    s.queued = queue_.size();
    return s;
  }

  const std::string& url() const { return url_; }

 private:
  void Run() {
    client::HttpPoster poster(url_, options_.headers, options_.request_timeout);
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait_for(lock, options_.flush_interval, [&] {
        return stopping_ || queue_.size() >= options_.max_batch_spans || (flush_wanted_ > done_ && !queue_.empty());
      });
      if (queue_.empty()) {
        if (stopping_) return;
        continue;
      }
      // Send everything there is now, a batch at a time: the interval
      // elapsed, a batch filled, or someone waits in Flush()/Shutdown().
      while (!queue_.empty()) {
        size_t n = std::min(queue_.size(), options_.max_batch_spans);
        std::vector<SpanData> batch(std::make_move_iterator(queue_.begin()),
                                    std::make_move_iterator(queue_.begin() + static_cast<ptrdiff_t>(n)));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
        lock.unlock();
        bool sent = Send(poster, batch);
        lock.lock();
        (sent ? stats_.sent : stats_.failed) += n;
        done_ += n;
        progress_.notify_all();
      }
    }
  }

  // Called without mu_ held. Retries retryable failures with exponential
  // backoff (100 ms, 200 ms, ...), but not once shutdown began: exiting
  // promptly beats waiting out an outage.
  bool Send(client::HttpPoster& poster, const std::vector<SpanData>& batch) {
    const std::string body = client::EncodeExportRequest(resource_, batch);
    std::chrono::milliseconds backoff(100);
    for (int attempt = 0;; ++attempt) {
      client::PostResult r = poster.Post(body);
      if (r.ok()) return true;
      if (!r.retryable() || attempt >= options_.max_retries) return false;
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_) return false;
      wake_.wait_for(lock, backoff, [&] { return stopping_; });
      backoff *= 2;
    }
  }

  ExporterOptions options_;
  const std::string url_;
  client::ResourceInfo resource_;
  mutable std::mutex mu_;
  std::condition_variable wake_;      // worker: work, flush or stop
  std::condition_variable progress_;  // Flush(): done_ advanced
  std::deque<SpanData> queue_;        // guarded by mu_
  uint64_t enqueued_ = 0;             // guarded by mu_
  uint64_t done_ = 0;                 // guarded by mu_
  uint64_t flush_wanted_ = 0;         // guarded by mu_
  bool stopping_ = false;             // guarded by mu_
  ExporterStats stats_;               // guarded by mu_
  std::thread worker_;
};

OtlpHttpExporter::OtlpHttpExporter(ExporterOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
OtlpHttpExporter::~OtlpHttpExporter() = default;
void OtlpHttpExporter::Export(SpanData span) { impl_->Export(std::move(span)); }
bool OtlpHttpExporter::Flush(std::chrono::milliseconds timeout) { return impl_->Flush(timeout); }
void OtlpHttpExporter::Shutdown() { impl_->Shutdown(); }
ExporterStats OtlpHttpExporter::stats() const { return impl_->stats(); }
const std::string& OtlpHttpExporter::url() const { return impl_->url(); }

}  // namespace loupe
