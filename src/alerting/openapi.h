// The OpenAPI fragment of the alerting routes AlertingHttpApi registers
// (http_api.h), merged into /api/v1/openapi.json by the server:
//   query_api.AddOpenApiPaths("alerting", alerting::OpenApiPaths());
#pragma once

#include <string_view>

namespace loupe::alerting {

// A JSON object {"paths": {...}, "components": {...}} (api/openapi.h);
// self-contained: its "$ref"s point only at its own components.
std::string_view OpenApiPaths();

}  // namespace loupe::alerting
