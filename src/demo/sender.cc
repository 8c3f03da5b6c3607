#include "demo/sender.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "fanout/encode.h"
#include "fanout/retry.h"
#include "fanout/transport.h"

namespace loupe::demo {

Result<std::unique_ptr<Sender>> Sender::Create(const std::string& endpoint, const std::atomic<bool>* stop) {
  fanout::EndpointConfig config;
  config.name = "demo";
  config.endpoint = endpoint;
  config.protocol = fanout::Protocol::kHttpProtobuf;
  config.timeout_seconds = 30;
  if (Status s = config.Validate("--otlp-endpoint"); !s.ok()) return s;
  auto transport = fanout::MakeTransport(config);
  if (!transport.ok()) return transport.status();
  return std::unique_ptr<Sender>(
      new Sender(std::move(transport).value(), fanout::HttpTracesUrl(endpoint), stop));
}

Sender::Sender(std::unique_ptr<fanout::Transport> transport, std::string url, const std::atomic<bool>* stop)
    : transport_(std::move(transport)), url_(std::move(url)), stop_(stop) {}

Sender::~Sender() = default;

bool Sender::Wait(double seconds) const {
  using Steady = std::chrono::steady_clock;
  const Steady::time_point until =
      Steady::now() + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(seconds));
  while (Steady::now() < until) {
    if (stop_ != nullptr && stop_->load()) return false;
    Steady::duration left = until - Steady::now();
    std::this_thread::sleep_for(std::min<Steady::duration>(std::chrono::milliseconds(50), left));
  }
  return stop_ == nullptr || !stop_->load();
}

Status Sender::Send(const std::vector<GeneratedTrace>& traces) {
  std::vector<const model::Span*> spans;
  for (const GeneratedTrace& t : traces) {
    for (const model::Span& s : t.spans) spans.push_back(&s);
  }
  if (spans.empty()) return Status::Ok();
  const std::string body = fanout::EncodeTracesProtobuf(spans);
  fanout::Backoff backoff(0.5, 10, /*seed=*/1);
  for (int attempt = 1;; ++attempt) {
    fanout::SendResult r = transport_->Send(body);
    if (r.outcome == fanout::Outcome::kSent) {
      answered_once_ = true;
      ++stats_.requests;
      stats_.traces += static_cast<int64_t>(traces.size());
      stats_.spans += static_cast<int64_t>(spans.size());
      stats_.bytes += static_cast<int64_t>(body.size());
      return Status::Ok();
    }
    const bool no_answer = r.detail.starts_with("no answer");
    if (!no_answer) answered_once_ = true;
    if (r.outcome == fanout::Outcome::kPermanent) {
      return Status::InvalidArgument("Loupe refused the demo's spans (" + r.detail + ") at " + url_);
    }
    ++stats_.retries;
    const int max_attempts = answered_once_ ? kMaxAttempts : kMaxAttemptsUnreachable;
    if (attempt >= max_attempts) {
      return Status::Unavailable("no success after " + std::to_string(attempt) + " attempts at " + url_ +
                                 " (last: " + r.detail + ")" +
                                 (answered_once_ ? "" : "; is Loupe running? (make run)"));
    }
    double wait = r.retry_after ? std::min(*r.retry_after, kMaxWaitSeconds) : backoff.Next();
    if (!Wait(wait)) return Status::Unavailable("stopped");
  }
}

}  // namespace loupe::demo
