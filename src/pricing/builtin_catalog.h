// The builtin catalog file (catalog/builtin.json), embedded at build time
// by embed_file.cmake so `loupe` needs no data file at run time.
#pragma once

#include <string_view>

namespace loupe::pricing {

// The bytes of catalog/builtin.json.
std::string_view BuiltinCatalogText();

}  // namespace loupe::pricing
