// OTLP/JSON request decoders (json_traces.cc, json_logs.cc,
// json_metrics.cc). Internal to otlp/: callers use otlp/decode.h.
#pragma once

#include <string_view>

#include "common/result.h"
#include "otlp/decode.h"

namespace loupe::otlp {

Result<DecodedTraces> DecodeTracesJson(std::string_view body);
Result<DecodedLogs> DecodeLogsJson(std::string_view body);
Result<DecodedMetrics> DecodeMetricsJson(std::string_view body);

}  // namespace loupe::otlp
