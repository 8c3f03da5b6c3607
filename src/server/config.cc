#include "server/config.h"

#include "eval/config_read.h"

#include <algorithm>
#include <chrono>

#include "server/config_reader.h"

namespace loupe::server {
namespace {

// Extra attribute keys from the file are tried after the built-in ones,
// so a config cannot silently lose the conventions' own keys.
void AppendKeys(ConfigReader& r, std::string_view path, std::vector<std::string>* keys) {
  std::vector<std::string> extra;
  r.GetStringList(path, &extra);
  for (auto& k : extra) {
    if (std::find(keys->begin(), keys->end(), k) == keys->end()) keys->push_back(std::move(k));
  }
}

void ReadDuration(ConfigReader& r, std::string_view path, std::chrono::seconds* out) {
  double seconds = static_cast<double>(out->count());
  r.GetSeconds(path, &seconds);
  *out = std::chrono::seconds(static_cast<int64_t>(seconds));
}

void ReadFanout(ConfigReader& r, fanout::FanoutConfig* out) {
  const size_t n = r.ListSize("fanout.endpoints");
  for (size_t i = 0; i < n; ++i) {
    const std::string p = "fanout.endpoints[" + std::to_string(i) + "].";
    fanout::EndpointConfig e;
    r.GetString(p + "name", &e.name);
    r.GetString(p + "endpoint", &e.endpoint);
    std::string protocol = std::string(fanout::ProtocolName(e.protocol));
    r.GetString(p + "protocol", &protocol);
    if (auto parsed = fanout::ParseProtocol(protocol); parsed.ok()) {
      e.protocol = *parsed;
    } else {
      r.AddError(p + "protocol: " + parsed.status().message());
    }
    std::map<std::string, std::string> headers;
    r.GetStringMap(p + "headers", &headers);
    e.headers.assign(headers.begin(), headers.end());
    r.GetBool(p + "gzip", &e.gzip);
    r.GetBool(p + "tls.insecure_skip_verify", &e.tls_insecure);
    r.GetString(p + "tls.ca_file", &e.tls_ca_file);
    std::string kind = "all";
    r.GetString(p + "filter.kind", &kind);
    if (kind == "all") e.filter.kind = fanout::EndpointFilter::Kind::kAll;
    else if (kind == "llm_only") e.filter.kind = fanout::EndpointFilter::Kind::kLlmOnly;
    else if (kind == "attribute") e.filter.kind = fanout::EndpointFilter::Kind::kAttribute;
    else r.AddError(p + "filter.kind: want all, llm_only or attribute; got \"" + kind + "\"");
    r.GetString(p + "filter.attribute.key", &e.filter.attribute_key);
    r.GetString(p + "filter.attribute.value", &e.filter.attribute_value);
    r.GetSeconds(p + "timeout", &e.timeout_seconds);
    int64_t bytes = static_cast<int64_t>(e.max_batch_bytes);
    r.GetBytes(p + "max_batch_bytes", &bytes);
    e.max_batch_bytes = static_cast<size_t>(std::max<int64_t>(0, bytes));
    r.GetBytes(p + "max_queue_bytes", &e.max_queue_bytes);
    r.GetSeconds(p + "retry.initial_backoff", &e.initial_backoff_seconds);
    r.GetSeconds(p + "retry.max_backoff", &e.max_backoff_seconds);
    r.GetBool(p + "fsync", &e.fsync);
    out->endpoints.push_back(std::move(e));
  }
}

void ReadConfig(ConfigReader& r, Config* c) {
  privacy::ReadContentPolicyConfig(r, &c->content);  // records its own validation errors
  ServerConfig& s = c->server;
  r.GetString("server.api_addr", &s.api_addr);
  r.GetString("server.metrics_addr", &s.metrics_addr);
  r.GetString("server.data_dir", &s.data_dir);
  r.GetString("server.log_level", &s.log_level);
  r.GetInt("server.recent_calls", &s.recent_calls);
  r.GetSeconds("server.shutdown_timeout", &s.shutdown_timeout_seconds);
  r.GetString("server.external_url", &s.external_url);
  auth::ReadAuthConfig(r, &c->auth);
  eval::ReadEvalConfig(r, &c->evaluation);  // records its own validation errors
  // Problems are recorded on the reader with their key paths.
  (void)alerting::ReadAlertingConfig(r, &c->alerting);
  auth::ReadTlsConfig(r, "receivers.otlp_grpc.tls", &c->grpc_tls);
  auth::ReadTlsConfig(r, "receivers.otlp_http.tls", &c->http_tls);
  auth::ReadTlsConfig(r, "server.api_tls", &c->api_tls);
  auth::ReadTlsConfig(r, "server.metrics_tls", &c->metrics_tls);

  ingest::ReceiverConfig& rc = c->receivers;
  r.GetBool("receivers.otlp_grpc.enabled", &rc.grpc_enabled);
  r.GetString("receivers.otlp_grpc.addr", &rc.grpc_addr);
  r.GetBool("receivers.otlp_http.enabled", &rc.http_enabled);
  r.GetString("receivers.otlp_http.addr", &rc.http_addr);
  int64_t max_body = static_cast<int64_t>(rc.max_body_bytes);
  r.GetBytes("receivers.otlp_http.max_body_bytes", &max_body);
  rc.max_body_bytes = static_cast<size_t>(std::max<int64_t>(0, max_body));
  int64_t retry_after = rc.retry_after_seconds;
  r.GetInt("receivers.retry_after_seconds", &retry_after);
  rc.retry_after_seconds = static_cast<int>(retry_after);
  int64_t threads = rc.http_threads;
  r.GetInt("receivers.otlp_http.threads", &threads);
  rc.http_threads = static_cast<int>(threads);
  r.GetSize("receivers.otlp_http.max_connections", &rc.http_max_connections);
  int64_t read_timeout = rc.http_read_timeout_seconds;
  r.GetInt("receivers.otlp_http.read_timeout_seconds", &read_timeout);
  rc.http_read_timeout_seconds = static_cast<int>(read_timeout);

  ingest::PipelineConfig& p = c->pipeline;
  r.GetSize("pipeline.max_queue_batches", &p.max_queue_batches);
  int64_t v = static_cast<int64_t>(p.max_queue_bytes);
  r.GetBytes("pipeline.max_queue_bytes", &v);
  p.max_queue_bytes = static_cast<size_t>(std::max<int64_t>(0, v));
  r.GetSize("pipeline.max_group_batches", &p.max_group_batches);

  genai::AttributionConfig& a = c->normalization.attribution;
  AppendKeys(r, "attribution.team_keys", &a.team_keys);
  AppendKeys(r, "attribution.feature_keys", &a.feature_keys);
  AppendKeys(r, "attribution.user_keys", &a.user_keys);
  AppendKeys(r, "attribution.session_keys", &a.session_keys);
  AppendKeys(r, "attribution.prompt_name_keys", &a.prompt_name_keys);
  AppendKeys(r, "attribution.prompt_version_keys", &a.prompt_version_keys);
  AppendKeys(r, "attribution.environment_keys", &a.environment_keys);
  r.GetString("attribution.default_team", &a.default_team);
  r.GetBoolMap("normalization.input_includes_cache_by_service", &c->normalization.input_includes_cache_by_service);
  r.GetSize("normalization.dedup_trace_capacity", &c->normalization.dedup_trace_capacity);
  r.GetSize("normalization.early_logs_max_records", &c->normalization.early_logs_max_records);
  r.GetSeconds("normalization.early_logs_max_age", &c->normalization.early_logs_max_age_seconds);

  store::StoreConfig& st = c->store;
  r.GetBool("store.fsync", &st.fsync);
  ReadDuration(r, "retention.spans", &st.retention_spans);
  ReadDuration(r, "retention.content", &st.retention_content);
  ReadDuration(r, "retention.rollups", &st.retention_rollups);
  v = static_cast<int64_t>(st.max_disk_bytes);
  r.GetBytes("retention.max_disk_bytes", &v);
  st.max_disk_bytes = static_cast<uint64_t>(std::max<int64_t>(0, v));
  double check_seconds = std::chrono::duration<double>(st.maintenance_interval).count();
  r.GetSeconds("retention.check_interval", &check_seconds);
  st.maintenance_interval = std::chrono::milliseconds(static_cast<int64_t>(check_seconds * 1000));
  ReadDuration(r, "rollups.seal_after", &st.seal_after);
  r.GetBool("store.enabled", &c->store_enabled);

  metrics::SpanMetricsConfig& sm = c->span_metrics;
  r.GetBool("span_metrics.enabled", &sm.enabled);
  std::vector<std::map<std::string, std::string>> dims;
  r.GetMapList("span_metrics.dimensions", &dims);
  if (!dims.empty()) {
    sm.dimensions.clear();
    for (size_t i = 0; i < dims.size(); ++i) {
      metrics::SpanMetricsDimension d;
      for (const auto& [key, value] : dims[i]) {
        if (key == "name") d.name = value;
        else if (key == "default") d.default_value = value;
        else r.AddError("span_metrics.dimensions[" + std::to_string(i) + "]." + key + ": unknown key (want name, default)");
      }
      sm.dimensions.push_back(std::move(d));
    }
  }
  r.GetDoubleList("span_metrics.histogram_buckets_ms", &sm.histogram_buckets_ms);
  r.GetSize("span_metrics.cardinality_limit", &sm.cardinality_limit);
  double expiry = static_cast<double>(sm.series_expiry_seconds);
  r.GetSeconds("span_metrics.series_expiry_seconds", &expiry);
  sm.series_expiry_seconds = static_cast<int64_t>(expiry);
  r.GetBool("span_metrics.genai_histograms", &sm.genai_histograms);
  r.GetSize("span_metrics.dedup_capacity", &sm.dedup_capacity);

  ReadFanout(r, &c->fanout);

  pricing::PricingConfig& pc = c->pricing;
  r.GetString("pricing.overrides_file", &pc.overrides_file);
  r.GetBool("pricing.prefer_reported_cost", &pc.prefer_reported_cost);
  r.GetString("pricing.cache_write_default", &pc.cache_write_default);
  r.GetStringMap("pricing.azure_deployments", &pc.azure_deployments);
}

LoadResult Load(Result<std::unique_ptr<ConfigReader>> reader) {
  LoadResult result;
  if (!reader.ok()) {
    result.errors.push_back(reader.status().message());
    return result;
  }
  ReadConfig(**reader, &result.config);
  result.errors = (*reader)->Errors();
  for (auto& e : result.config.Validate()) result.errors.push_back(std::move(e));
  return result;
}

}  // namespace

Status ServerConfig::Validate() const {
  if (api_addr.empty()) return Status::InvalidArgument("server.api_addr: must not be empty");
  if (auto r = ingest::ParseHostPort(api_addr, "server.api_addr"); !r.ok()) return r.status();
  if (!metrics_addr.empty()) {
    if (auto r = ingest::ParseHostPort(metrics_addr, "server.metrics_addr"); !r.ok()) return r.status();
  }
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), log_level) == std::end(kLevels)) {
    return Status::InvalidArgument("server.log_level: must be one of trace, debug, info, warn, error, off; got \"" +
                                   log_level + "\"");
  }
  if (recent_calls < 0 || recent_calls > 1000000) {
    return Status::InvalidArgument("server.recent_calls: must be 0..1000000");
  }
  if (shutdown_timeout_seconds < 0) return Status::InvalidArgument("server.shutdown_timeout: must not be negative");
  if (!external_url.empty() && external_url.rfind("http://", 0) != 0 && external_url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("server.external_url: must start with http:// or https://; got \"" + external_url + "\"");
  }
  return Status::Ok();
}

std::string ServerConfig::ExternalUrl() const {
  std::string url = external_url.empty() ? "http://" + api_addr : external_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::vector<std::string> Config::Validate() const {
  std::vector<std::string> errors;
  for (const Status& s : {server.Validate(), receivers.Validate(), pipeline.Validate(), normalization.Validate(),
                          pricing.Validate(), span_metrics.Validate(), store.Validate(),
                          fanout.Validate(), grpc_tls.Validate("receivers.otlp_grpc.tls"),
                          http_tls.Validate("receivers.otlp_http.tls"), api_tls.Validate("server.api_tls"),
                          metrics_tls.Validate("server.metrics_tls"), alerting.Validate()}) {
    if (!s.ok()) errors.push_back(s.message());
  }
  return errors;
}

LoadResult LoadConfigFile(const std::string& path) { return Load(ConfigReader::FromFile(path)); }

LoadResult LoadConfigText(std::string_view yaml, const std::string& source_name) {
  return Load(ConfigReader::FromText(yaml, source_name));
}

}  // namespace loupe::server
