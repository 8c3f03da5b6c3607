// Reads `evaluation.*` from loupe.yaml into an EvalConfig. Called by
// server/config.cc; kept here so the keys live next to the config type.
#pragma once

#include "eval/config.h"

namespace loupe::server {
class ConfigReader;
}

namespace loupe::eval {

// Fills *out from the keys present (absent keys keep their defaults),
// then records EvalConfig::Validate()'s error, if any, in the reader: the
// caller need not validate again. Type errors name the key path.
void ReadEvalConfig(server::ConfigReader& r, EvalConfig* out);

}  // namespace loupe::eval
