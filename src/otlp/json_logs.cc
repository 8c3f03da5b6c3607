// OTLP/JSON ExportLogsServiceRequest -> DecodedLogs.
#include <optional>

#include "otlp/json_decode.h"
#include "otlp/json_reader.h"

namespace loupe::otlp {
namespace {

// SeverityNumber names, index = value.
constexpr std::string_view kSeverities[] = {
    "SEVERITY_NUMBER_UNSPECIFIED", "SEVERITY_NUMBER_TRACE",  "SEVERITY_NUMBER_TRACE2",
    "SEVERITY_NUMBER_TRACE3",      "SEVERITY_NUMBER_TRACE4", "SEVERITY_NUMBER_DEBUG",
    "SEVERITY_NUMBER_DEBUG2",      "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
    "SEVERITY_NUMBER_INFO",        "SEVERITY_NUMBER_INFO2",  "SEVERITY_NUMBER_INFO3",
    "SEVERITY_NUMBER_INFO4",       "SEVERITY_NUMBER_WARN",   "SEVERITY_NUMBER_WARN2",
    "SEVERITY_NUMBER_WARN3",       "SEVERITY_NUMBER_WARN4",  "SEVERITY_NUMBER_ERROR",
    "SEVERITY_NUMBER_ERROR2",      "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
    "SEVERITY_NUMBER_FATAL",       "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3",
    "SEVERITY_NUMBER_FATAL4"};

class LogsDecoder {
 public:
  Result<DecodedLogs> Decode(std::string_view body) {
    JsonElement root;
    LOUPE_RETURN_IF_ERROR(reader_.Parse(body, &root));
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(root, nullptr, [&](std::string_view key, JsonElement v) {
      if (key != "resourcelogs") return Status::Ok();
      return reader_.ForEachItem(v, "resourceLogs", [&](JsonElement rl) { return ResourceLogs(rl); });
    }));
    out_.rejected_log_records = rejections_.count();
    out_.rejection_message = rejections_.Message();
    out_.sanitized_strings = reader_.sanitized_strings();
    return std::move(out_);
  }

 private:
  Status ResourceLogs(JsonElement rl) {
    std::optional<JsonElement> resource, schema_url, scope_logs;
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(rl, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "resource") resource = v;
      if (key == "schemaurl") schema_url = v;
      if (key == "scopelogs") scope_logs = v;
      return Status::Ok();
    }));
    std::shared_ptr<const model::Resource> r;
    LOUPE_RETURN_IF_ERROR(reader_.Resource(resource ? &*resource : nullptr, schema_url ? &*schema_url : nullptr, &r));
    if (!scope_logs) return Status::Ok();
    return reader_.ForEachItem(*scope_logs, "scopeLogs", [&](JsonElement sl) { return ScopeLogs(sl, r); });
  }

  Status ScopeLogs(JsonElement sl, const std::shared_ptr<const model::Resource>& resource) {
    std::optional<JsonElement> scope, schema_url, records;
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(sl, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "scope") scope = v;
      if (key == "schemaurl") schema_url = v;
      if (key == "logrecords") records = v;
      return Status::Ok();
    }));
    std::shared_ptr<const model::Scope> s;
    LOUPE_RETURN_IF_ERROR(reader_.Scope(scope ? &*scope : nullptr, schema_url ? &*schema_url : nullptr, &s));
    if (!records) return Status::Ok();
    return reader_.ForEachItem(*records, "logRecords", [&](JsonElement log) { return Log(log, resource, s); });
  }

  Status Log(JsonElement e, const std::shared_ptr<const model::Resource>& resource,
             const std::shared_ptr<const model::Scope>& scope) {
    model::LogRecord& log = out_.logs.emplace_back();
    HexId trace_id, span_id;
    LOUPE_RETURN_IF_ERROR(reader_.ForEachMember(e, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "timeunixnano") return reader_.Uint64(v, "timeUnixNano", &log.time_unix_nano);
      if (key == "observedtimeunixnano") return reader_.Uint64(v, "observedTimeUnixNano", &log.observed_time_unix_nano);
      if (key == "severitynumber") return reader_.Enum(v, "severityNumber", kSeverities, &log.severity_number);
      if (key == "severitytext") return reader_.String(v, "severityText", &log.severity_text);
      if (key == "eventname") return reader_.String(v, "eventName", &log.event_name);
      if (key == "body") return reader_.Value(v, "body", &log.body, 1);
      if (key == "attributes") return reader_.Attributes(v, "attributes", &log.attributes);
      if (key == "droppedattributescount") {
        return reader_.Uint32(v, "droppedAttributesCount", &log.dropped_attributes_count);
      }
      if (key == "flags") return reader_.Uint32(v, "flags", &log.flags);
      if (key == "traceid") return reader_.Id(v, "traceId", &trace_id);
      if (key == "spanid") return reader_.Id(v, "spanId", &span_id);
      return Status::Ok();
    }));
    int64_t index = next_index_++;
    std::string problem = LogIdProblem(trace_id.view(), span_id.view());
    if (!problem.empty()) {
      rejections_.Add(Rejections::Describe("log record", index, log.event_name), problem);
      out_.logs.pop_back();
      return Status::Ok();
    }
    if (trace_id.size != 0) log.trace_id = trace_id.view().To<16>();
    if (span_id.size != 0) log.span_id = span_id.view().To<8>();
    log.resource = resource;
    log.scope = scope;
    return Status::Ok();
  }

  JsonReader reader_;
  DecodedLogs out_;
  Rejections rejections_;
  int64_t next_index_ = 0;
};

}  // namespace

Result<DecodedLogs> DecodeLogsJson(std::string_view body) { return LogsDecoder().Decode(body); }

}  // namespace loupe::otlp
