// Config: everything `loupe serve` reads from loupe.yaml, as the config
// structs of the stages it wires. Every key and default is documented in
// docs/configuration.md; flags override the file.
#pragma once

#include <string>
#include <vector>

#include "alerting/config.h"
#include "auth/config.h"
#include "auth/tls.h"
#include "common/result.h"
#include "eval/config.h"
#include "fanout/config.h"
#include "genai/config.h"
#include "ingest/config.h"
#include "metrics/span_metrics_config.h"
#include "pricing/config.h"
#include "privacy/config.h"
#include "store/store_config.h"

namespace loupe::server {

// server.*
struct ServerConfig {
  std::string api_addr = "127.0.0.1:8080";      // server.api_addr
  std::string metrics_addr = "127.0.0.1:8889";  // server.metrics_addr
  std::string data_dir;                          // server.data_dir: the embedded store; empty = a temporary one
  std::string log_level = "info";                // server.log_level
  int64_t recent_calls = 1000;                   // server.recent_calls: calls kept for /api/v1/llm-calls/recent
  double shutdown_timeout_seconds = 30;          // server.shutdown_timeout
  // server.external_url: how users reach this Loupe (behind a proxy, on
  // another host), used in links Loupe hands out: alert generatorURLs,
  // CLI output. Empty: http://<api_addr>.
  std::string external_url;

  // external_url, or the default built from api_addr; no trailing slash.
  std::string ExternalUrl() const;

  Status Validate() const;
};

struct Config {
  ServerConfig server;
  ingest::ReceiverConfig receivers;
  ingest::PipelineConfig pipeline;
  genai::NormalizerConfig normalization;  // attribution.* and normalization.*
  pricing::PricingConfig pricing;
  // store.fsync, retention.*, rollups.*: see docs/storage.md. data_dir
  // comes from server.data_dir.
  store::StoreConfig store;
  // store.enabled: false runs Loupe as a collector only (metrics, recent
  // calls), with nothing stored; the benchmark's "store off" mode.
  bool store_enabled = true;
  metrics::SpanMetricsConfig span_metrics;  // span_metrics.*
  fanout::FanoutConfig fanout;              // fanout.endpoints[]
  auth::AuthConfig auth;                    // auth.*: bearer tokens
  alerting::AlertingConfig alerting;        // alerting.*: docs/alerting.md
  eval::EvalConfig evaluation;              // evaluation.*: docs/evaluation.md
  privacy::ContentPolicyConfig content;     // content.*: docs/privacy.md
  // TLS per listener: receivers.otlp_grpc.tls, receivers.otlp_http.tls,
  // server.api_tls, server.metrics_tls (cert_file, key_file, client_ca_file).
  auth::TlsConfig grpc_tls, http_tls, api_tls, metrics_tls;

  // Every stage's Validate(), collected.
  std::vector<std::string> Validate() const;
};

// Reads `path` over the defaults. Returns every problem found (syntax,
// types, unknown keys, invalid values), each naming its key path.
struct LoadResult {
  Config config;
  std::vector<std::string> errors;
};
LoadResult LoadConfigFile(const std::string& path);
LoadResult LoadConfigText(std::string_view yaml, const std::string& source_name);

}  // namespace loupe::server
