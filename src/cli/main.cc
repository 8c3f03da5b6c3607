// loupe: the command line. `serve` runs the server; the other commands
// are tools over the same configuration and catalog.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <optional>

#include "alerting/config.h"
#include "alerting/prometheus_export.h"
#include "cli/api_client.h"
#include "demo/cli.h"
#include "eval/cli_run.h"
#include "cli/query.h"
#include "pricing/catalog_io.h"
#include "pricing/describe.h"
#include "pricing/litellm_import.h"
#include "server/config.h"
#include "server/server.h"

namespace {

using loupe::server::Config;
using loupe::server::LoadResult;

// Flags that override loupe.yaml, so scripts can run several instances.
struct ServeFlags {
  std::string config_path;
  std::optional<std::string> otlp_grpc_addr, otlp_http_addr, metrics_addr, api_addr, data_dir, log_level;
};

int PrintErrors(const std::vector<std::string>& errors) {
  for (const auto& e : errors) std::cerr << "error: " << e << "\n";
  return 2;
}

LoadResult LoadOrDefaults(const std::string& path) {
  if (path.empty()) return LoadResult{};
  return loupe::server::LoadConfigFile(path);
}

int Serve(const ServeFlags& flags) {
  LoadResult loaded = LoadOrDefaults(flags.config_path);
  if (!loaded.errors.empty()) return PrintErrors(loaded.errors);
  Config& c = loaded.config;
  if (flags.otlp_grpc_addr) c.receivers.grpc_addr = *flags.otlp_grpc_addr;
  if (flags.otlp_http_addr) c.receivers.http_addr = *flags.otlp_http_addr;
  if (flags.metrics_addr) c.server.metrics_addr = *flags.metrics_addr;
  if (flags.api_addr) c.server.api_addr = *flags.api_addr;
  if (flags.data_dir) c.server.data_dir = *flags.data_dir;
  if (flags.log_level) c.server.log_level = *flags.log_level;
  std::vector<std::string> errors = c.Validate();
  if (!errors.empty()) return PrintErrors(errors);
  return loupe::server::RunServe(std::move(c));
}

int ConfigCheck(const std::string& path) {
  LoadResult loaded = loupe::server::LoadConfigFile(path);
  if (!loaded.errors.empty()) {
    PrintErrors(loaded.errors);
    std::cerr << path << ": " << loaded.errors.size() << " error(s)\n";
    return 1;
  }
  std::cout << path << ": OK\n";
  return 0;
}

int PricesLookup(const std::string& config_path, const std::string& model, const std::string& provider) {
  LoadResult loaded = LoadOrDefaults(config_path);
  if (!loaded.errors.empty()) return PrintErrors(loaded.errors);
  auto pricing = loupe::pricing::LoadPricing(loaded.config.pricing);
  if (!pricing.ok()) return PrintErrors({pricing.status().message()});
  std::cout << loupe::pricing::DescribeLookup(*pricing->catalog, model, provider);
  return 0;
}

int PricesImport(const std::string& path, const std::string& out_path) {
  auto report = loupe::pricing::RunPricesImport(path, out_path);
  if (!report.ok()) return PrintErrors({report.status().message()});
  std::cout << *report;
  return 0;
}

// `loupe rules export`: the effective alert rules as a Prometheus rules file.
int RulesExport(const std::string& config_path, const std::string& format) {
  if (format != "prometheus") return PrintErrors({"--format: only \"prometheus\" is supported, got \"" + format + "\""});
  LoadResult loaded = LoadOrDefaults(config_path);
  if (!loaded.errors.empty()) return PrintErrors(loaded.errors);
  std::vector<loupe::alerting::Rule> rules;
  loupe::Status s = loupe::alerting::EffectiveRules(loaded.config.alerting, &rules);
  if (!s.ok()) return PrintErrors({s.message()});
  std::cout << loupe::alerting::ExportPrometheusRules(rules);
  return 0;
}

// Asks the running server (its admin API) for an operation on the store.
int Admin(const std::string& method, const std::string& url) {
  std::string body, error;
  long status = loupe::cli::ApiRequest(method, url, &body, &error);
  if (status == 0) {
    std::cerr << "error: cannot reach Loupe at " << url << ": " << error << "\n";
    return 1;
  }
  if (status != 200) {
    std::cerr << "error: Loupe answered " << status << ": " << body << "\n";
    return 1;
  }
  std::cout << body << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Loupe: an observability server for LLM applications"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "loupe 0.1.0");

  ServeFlags serve_flags;
  CLI::App* serve = app.add_subcommand("serve", "Receive OTLP, understand and price every LLM call");
  serve->add_option("--config", serve_flags.config_path, "YAML configuration file (loupe.yaml)");
  serve->add_option("--otlp-grpc-addr", serve_flags.otlp_grpc_addr, "OTLP/gRPC listen address [127.0.0.1:4317]");
  serve->add_option("--otlp-http-addr", serve_flags.otlp_http_addr, "OTLP/HTTP listen address [127.0.0.1:4318]");
  serve->add_option("--metrics-addr", serve_flags.metrics_addr, "Prometheus /metrics address [127.0.0.1:8889]");
  serve->add_option("--api-addr", serve_flags.api_addr, "API address: /metrics, /healthz, /readyz, /api/v1 [127.0.0.1:8080]");
  serve->add_option("--data-dir", serve_flags.data_dir, "Data directory");
  serve->add_option("--log-level", serve_flags.log_level, "trace, debug, info, warn, error or off [info]");

  CLI::App* config = app.add_subcommand("config", "Configuration tools");
  config->require_subcommand(1);
  std::string check_path;
  CLI::App* check = config->add_subcommand("check", "Report every error in a config file with its key path");
  check->add_option("FILE", check_path, "loupe.yaml")->required();

  CLI::App* prices = app.add_subcommand("prices", "Price catalog tools");
  prices->require_subcommand(1);
  std::string lookup_model, lookup_provider, prices_config;
  CLI::App* lookup = prices->add_subcommand("lookup", "Show which catalog entry a model string matches, and why");
  lookup->add_option("MODEL", lookup_model, "model string as spans carry it")->required();
  lookup->add_option("--provider", lookup_provider, "provider hint, e.g. aws.bedrock");
  lookup->add_option("--config", prices_config, "loupe.yaml, for its overrides file and Azure deployments");
  std::string import_path, import_out;
  CLI::App* import = prices->add_subcommand("import", "Load a LiteLLM-format price file");
  import->add_option("FILE", import_path, "model_prices_and_context_window.json")->required();
  import->add_option("--out", import_out, "write the converted catalog here (usable as pricing.overrides_file)");

  std::string admin_url = "http://127.0.0.1:8080";
  std::string backup_dir;
  CLI::App* backup = app.add_subcommand("backup", "Make an online, consistent copy of a running Loupe's store");
  backup->add_option("DIR", backup_dir, "new directory for the copy (on the server's machine)")->required();
  backup->add_option("--url", admin_url, "Loupe's API address [http://127.0.0.1:8080]");
  std::string delete_user;
  CLI::App* erase = app.add_subcommand("delete", "Erase one end user's data from a running Loupe (privacy requests)");
  erase->add_option("--user", delete_user, "the user id, as spans carry it")->required();
  erase->add_option("--url", admin_url, "Loupe's API address [http://127.0.0.1:8080]");

  std::string rules_config, rules_format = "prometheus";
  CLI::App* rules = app.add_subcommand("rules", "Alert rule tools");
  rules->require_subcommand(1);
  CLI::App* rules_export = rules->add_subcommand("export", "Write the effective alert rules as a Prometheus rules file");
  rules_export->add_option("--format", rules_format, "output format: prometheus")->capture_default_str();
  rules_export->add_option("--config", rules_config, "YAML configuration file (loupe.yaml); default rules without it");

  loupe::demo::DemoOptions demo_options;
  CLI::App* demo = loupe::demo::AddDemoCommand(&app, &demo_options);

  loupe::cli::QueryCommand query(app);
  loupe::eval::EvalCommand eval_command(app);

  CLI11_PARSE(app, argc, argv);

  if (query.parsed()) return query.Run();
  if (eval_command.parsed()) return eval_command.Run();
  if (*backup) return Admin("POST", admin_url + "/api/v1/admin/backup?dir=" + loupe::cli::PathEscape(backup_dir));
  if (*erase) return Admin("DELETE", admin_url + "/api/v1/users/" + loupe::cli::PathEscape(delete_user));

  if (*serve) return Serve(serve_flags);
  if (*demo) return loupe::demo::RunDemo(demo_options);
  if (*check) return ConfigCheck(check_path);
  if (*rules_export) return RulesExport(rules_config, rules_format);
  if (*lookup) return PricesLookup(prices_config, lookup_model, lookup_provider);
  if (*import) return PricesImport(import_path, import_out);
  return 2;
}
