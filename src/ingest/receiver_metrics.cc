#include "ingest/receiver_metrics.h"

namespace loupe::ingest {

namespace {

// Per-signal item names: loupe_receiver_{accepted,refused}_<item>_total.
std::string_view ItemName(Signal s) {
  switch (s) {
    case Signal::kTraces:
      return "spans";
    case Signal::kLogs:
      return "log_records";
    case Signal::kMetrics:
      return "metric_points";
  }
  return "items";
}

std::string_view ItemHelp(Signal s) {
  switch (s) {
    case Signal::kTraces:
      return "spans";
    case Signal::kLogs:
      return "log records";
    case Signal::kMetrics:
      return "metric data points";
  }
  return "items";
}

constexpr std::string_view kRequestsName = "loupe_receiver_requests_total";
constexpr std::string_view kRequestsHelp =
    "OTLP export requests answered, by protocol, signal, outcome and refusal reason.";

}  // namespace

std::string_view SignalName(Signal signal) {
  switch (signal) {
    case Signal::kTraces:
      return "traces";
    case Signal::kLogs:
      return "logs";
    case Signal::kMetrics:
      return "metrics";
  }
  return "unknown";
}

ReceiverMetrics::ReceiverMetrics(metrics::Registry& registry, std::string protocol)
    : registry_(registry), protocol_(std::move(protocol)) {
  for (Signal s : {Signal::kTraces, Signal::kLogs, Signal::kMetrics}) {
    size_t i = static_cast<size_t>(s);
    success_[i] = &registry_.GetCounter(kRequestsName, kRequestsHelp,
                                        {{"protocol", protocol_},
                                         {"signal", std::string(SignalName(s))},
                                         {"outcome", "success"},
                                         {"reason", ""}});
    accepted_[i] = &registry_.GetCounter(
        "loupe_receiver_accepted_" + std::string(ItemName(s)) + "_total",
        "OTLP " + std::string(ItemHelp(s)) + " accepted by everything downstream.",
        {{"protocol", protocol_}});
  }
  sanitized_ = &registry_.GetCounter("loupe_receiver_sanitized_strings_total",
                                     "Strings whose invalid UTF-8 was replaced by U+FFFD.",
                                     {{"protocol", protocol_}});
}

void ReceiverMetrics::Request(Signal signal, std::string_view outcome, std::string_view reason) {
  if (outcome == "success") {
    success_[static_cast<size_t>(signal)]->Inc();
    return;
  }
  registry_
      .GetCounter(kRequestsName, kRequestsHelp,
                  {{"protocol", protocol_},
                   {"signal", std::string(SignalName(signal))},
                   {"outcome", std::string(outcome)},
                   {"reason", std::string(reason)}})
      .Inc();
}

void ReceiverMetrics::Accepted(Signal signal, int64_t items) {
  if (items > 0) accepted_[static_cast<size_t>(signal)]->Inc(static_cast<uint64_t>(items));
}

void ReceiverMetrics::Refused(Signal signal, std::string_view reason, int64_t items) {
  if (items <= 0) return;
  registry_
      .GetCounter("loupe_receiver_refused_" + std::string(ItemName(signal)) + "_total",
                  "OTLP " + std::string(ItemHelp(signal)) + " refused, by reason.",
                  {{"protocol", protocol_}, {"reason", std::string(reason)}})
      .Inc(static_cast<uint64_t>(items));
}

void ReceiverMetrics::Sanitized(int64_t strings) {
  if (strings > 0) sanitized_->Inc(static_cast<uint64_t>(strings));
}

}  // namespace loupe::ingest
