// Export: the transport-independent half of an OTLP export request, shared
// by the HTTP and gRPC receivers. Decodes the body, counts invalid items,
// submits the rest to the pipeline and reports the outcome once the
// pipeline acknowledged, so both protocols count and answer alike.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ingest/pipeline.h"
#include "ingest/receiver_metrics.h"
#include "otlp/decode.h"

namespace loupe::ingest {

struct ExportOutcome {
  Status status;            // OK (possibly partial), or why the whole request was refused
  int64_t rejected = 0;     // items left out as invalid (partial success)
  std::string message;      // partial_success.error_message
};

// Estimated memory of a decoded request, charged against the pipeline's
// byte budget: decoded spans take a small multiple of their wire size.
size_t EstimateCostBytes(size_t body_bytes, otlp::Encoding encoding);

// Decodes `body` (already decompressed) and calls `answer` exactly once:
// at once for undecodable bodies, requests with nothing to keep, metrics
// and refusals, else from the pipeline thread after the acknowledgement.
// Counts the request and its items in `metrics`. `answer` must be quick.
void Export(Signal signal, std::string_view body, otlp::Encoding encoding, Pipeline& pipeline,
            ReceiverMetrics& metrics, std::function<void(ExportOutcome)> answer);

// Counts a request refused before decoding (too large, wrong media type).
void CountRefusedRequest(ReceiverMetrics& metrics, Signal signal, std::string_view reason);

}  // namespace loupe::ingest
