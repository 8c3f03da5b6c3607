// The `demo` subcommand's flags, so the `loupe` binary (src/cli/main.cc)
// and the stand-alone `loupe-demo` share one definition:
//
//   DemoOptions demo_options;
//   CLI::App* demo = loupe::demo::AddDemoCommand(&app, &demo_options);
//   ... CLI11_PARSE(app, argc, argv);
//   if (*demo) return loupe::demo::RunDemo(demo_options);
#pragma once

#include <CLI/CLI.hpp>

#include "demo/demo.h"

namespace loupe::demo {

// Adds `demo` to `app`; parsed values land in `*options` (which must
// outlive parsing). Durations accept ParseDurationFlag's forms.
CLI::App* AddDemoCommand(CLI::App* app, DemoOptions* options);

// Adds the same flags to `cmd` itself (for a binary that is only the demo).
void AddDemoFlags(CLI::App* cmd, DemoOptions* options);

}  // namespace loupe::demo
