#include "demo/cli.h"

namespace loupe::demo {

namespace {

// A duration flag: parsed by ParseDurationFlag, errors shown by CLI11.
void AddDuration(CLI::App* cmd, const std::string& name, double* target, const std::string& help) {
  cmd->add_option_function<std::string>(
      name,
      [target, name](const std::string& text) {
        auto seconds = ParseDurationFlag(text);
        if (!seconds.ok()) throw CLI::ValidationError(name, seconds.status().message());
        *target = *seconds;
      },
      help);
}

}  // namespace

void AddDemoFlags(CLI::App* cmd, DemoOptions* o) {
  cmd->add_option("--otlp-endpoint", o->otlp_endpoint, "Loupe's OTLP/HTTP address")->capture_default_str();
  AddDuration(cmd, "--duration", &o->duration_seconds, "How long to stream live traffic; 0 = until Ctrl-C (default 60s)");
  cmd->add_option("--rate", o->rate, "Live traces per second")->capture_default_str();
  AddDuration(cmd, "--backfill", &o->backfill_seconds,
              "First write this much history with past timestamps, e.g. 7d (default: none)");
  cmd->add_option("--backfill-traces", o->backfill_traces, "Traces in the backfill (default: ~18 per hour)");
  cmd->add_option("--seed", o->seed, "Same seed, same traffic")->capture_default_str();
  cmd->add_option("--judge-stand-in", o->judge_stand_in,
                  "Serve a STAND-IN judge (Anthropic Messages API, deterministic scores) on host:port");
  AddDuration(cmd, "--judge-linger", &o->judge_linger_seconds,
              "Keep the stand-in judge up this long after the live phase (default 10s)");
}

CLI::App* AddDemoCommand(CLI::App* app, DemoOptions* options) {
  CLI::App* cmd = app->add_subcommand("demo", "Send realistic LLM traffic to a running Loupe (see docs/demo.md)");
  AddDemoFlags(cmd, options);
  return cmd;
}

}  // namespace loupe::demo
