#include "ingest/export.h"

#include <memory>

#include "ingest/status_map.h"

namespace loupe::ingest {

size_t EstimateCostBytes(size_t body_bytes, otlp::Encoding encoding) {
  // Protobuf is compact (decoded is larger); JSON is verbose (hex ids,
  // quoted keys), so about its own size once decoded.
  return encoding == otlp::Encoding::kProtobuf ? body_bytes * 2 : body_bytes;
}

void CountRefusedRequest(ReceiverMetrics& metrics, Signal signal, std::string_view reason) {
  metrics.Request(signal, "refused", reason);
}

namespace {

// Submits `batch` and answers once the pipeline acknowledged it.
void SubmitAndAnswer(Signal signal, model::Batch batch, int64_t items, size_t cost,
                     int64_t rejected, std::string message, Pipeline& pipeline,
                     ReceiverMetrics& metrics, std::function<void(ExportOutcome)> answer) {
  auto done = [signal, items, rejected, message = std::move(message), &metrics,
               answer = std::move(answer)](Status s) mutable {
    if (s.ok()) {
      metrics.Accepted(signal, items);
      metrics.Request(signal, rejected > 0 ? "partial_success" : "success");
      answer({Status::Ok(), rejected, std::move(message)});
      return;
    }
    std::string_view reason = RefusalReason(s);
    metrics.Refused(signal, reason, items);
    metrics.Request(signal, "refused", reason);
    answer({std::move(s), 0, {}});
  };
  pipeline.Submit(std::move(batch), cost, std::move(done));
}

// Answers a request with nothing to hand downstream.
void AnswerNow(Signal signal, int64_t rejected, std::string message, ReceiverMetrics& metrics,
               const std::function<void(ExportOutcome)>& answer) {
  metrics.Request(signal, rejected > 0 ? "partial_success" : "success");
  answer({Status::Ok(), rejected, std::move(message)});
}

}  // namespace

void Export(Signal signal, std::string_view body, otlp::Encoding encoding, Pipeline& pipeline,
            ReceiverMetrics& metrics, std::function<void(ExportOutcome)> answer) {
  const size_t cost = EstimateCostBytes(body.size(), encoding);
  auto refuse = [&](const Status& s) {
    metrics.Request(signal, "refused", RefusalReason(s));
    answer({s, 0, {}});
  };
  switch (signal) {
    case Signal::kTraces: {
      auto decoded = otlp::DecodeTraces(body, encoding);
      if (!decoded.ok()) return refuse(decoded.status());
      metrics.Refused(signal, "invalid_span", decoded->rejected_spans);
      metrics.Sanitized(decoded->sanitized_strings);
      auto items = static_cast<int64_t>(decoded->batch.spans.size());
      if (items == 0) {
        return AnswerNow(signal, decoded->rejected_spans, std::move(decoded->rejection_message),
                         metrics, answer);
      }
      return SubmitAndAnswer(signal, std::move(decoded->batch), items, cost,
                             decoded->rejected_spans, std::move(decoded->rejection_message),
                             pipeline, metrics, std::move(answer));
    }
    case Signal::kLogs: {
      auto decoded = otlp::DecodeLogs(body, encoding);
      if (!decoded.ok()) return refuse(decoded.status());
      metrics.Refused(signal, "invalid_log_record", decoded->rejected_log_records);
      metrics.Sanitized(decoded->sanitized_strings);
      auto items = static_cast<int64_t>(decoded->logs.size());
      if (items == 0) {
        return AnswerNow(signal, decoded->rejected_log_records,
                         std::move(decoded->rejection_message), metrics, answer);
      }
      model::Batch batch;
      batch.logs = std::move(decoded->logs);
      return SubmitAndAnswer(signal, std::move(batch), items, cost,
                             decoded->rejected_log_records,
                             std::move(decoded->rejection_message), pipeline, metrics,
                             std::move(answer));
    }
    case Signal::kMetrics: {
      // No metrics consumer yet: decoded, counted and acknowledged here.
      auto decoded = otlp::DecodeMetrics(body, encoding);
      if (!decoded.ok()) return refuse(decoded.status());
      metrics.Refused(signal, "invalid_data_point", decoded->rejected_data_points);
      metrics.Accepted(signal, decoded->data_points - decoded->rejected_data_points);
      return AnswerNow(signal, decoded->rejected_data_points,
                       std::move(decoded->rejection_message), metrics, answer);
    }
  }
}

}  // namespace loupe::ingest
