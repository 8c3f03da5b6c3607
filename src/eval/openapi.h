// The OpenAPI fragment of the evaluation endpoints EvalHttpApi registers
// (http_api.h), merged into /api/v1/openapi.json by the server:
//   query_api.AddOpenApiPaths("eval", eval::OpenApiPaths());
#pragma once

#include <string_view>

namespace loupe::eval {

// A JSON object {"paths": {...}, "components": {...}} (api/openapi.h).
// Its "$ref"s use the query API's shared since/until parameters.
std::string_view OpenApiPaths();

}  // namespace loupe::eval
