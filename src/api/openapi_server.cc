// The OpenAPI fragment of the routes server/server.cc registers on the API
// port itself. openapi_test.cc compares its operations with the Handle
// calls in server.cc, and tests/e2e/test_openapi.py with a running server.
#include "api/openapi.h"

namespace loupe::api {

std::string_view ServerOpenApiPaths() {
  static constexpr std::string_view kFragment = R"json({
  "paths": {
    "/healthz": {"get": {"summary": "Alive", "security": [],
      "responses": {"200": {"description": "The process answers", "content": {"text/plain": {"schema": {"type": "string", "enum": ["ok\n"]}}}}}}},
    "/readyz": {"get": {"summary": "Ready: every listener is up and the store is open with its indexer running", "security": [],
      "responses": {
        "200": {"description": "Ready", "content": {"text/plain": {"schema": {"type": "string", "enum": ["ready\n"]}}}},
        "503": {"description": "Starting, stopping, or the store is unhealthy; the text says which", "content": {"text/plain": {"schema": {"type": "string", "pattern": "^not ready: "}}}}}}},
    "/metrics": {"get": {"summary": "Loupe's own metrics and span metrics, Prometheus text format 0.0.4",
      "description": "Open without a token when auth.metrics_open is true.",
      "responses": {"200": {"description": "Exposition", "content": {"text/plain; version=0.0.4; charset=utf-8": {"schema": {"type": "string"}}}}}}},
    "/api/v1/llm-calls/recent": {"get": {"summary": "The newest normalised and priced LLM calls, from memory, newest first",
      "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 100},
        "description": "At most this many (capped by server.recent_calls). A missing, zero or unreadable value means 100."}],
      "responses": {"200": {"description": "Calls", "content": {"application/json": {"schema": {
        "type": "object", "required": ["calls"], "properties": {"calls": {"type": "array", "items": {"$ref": "#/components/schemas/RecentLlmCall"}}}}}}}}}},
    "/api/v1/pricing/unpriced": {"get": {"summary": "Models that matched no catalog price since start-up, most calls first",
      "responses": {"200": {"description": "Unpriced models", "content": {"application/json": {"schema": {
        "type": "object", "required": ["models", "overflow"], "properties": {
          "models": {"type": "array", "items": {"type": "object", "required": ["provider", "model", "calls", "reported_cost_calls"], "properties": {
            "provider": {"type": "string"}, "model": {"type": "string"}, "calls": {"type": "integer", "minimum": 1},
            "reported_cost_calls": {"type": "integer", "minimum": 0, "description": "Of those, calls whose span reported its own cost."}}}},
          "overflow": {"type": "integer", "minimum": 0, "description": "Calls of models beyond the tracked set."}}}}}}}}},
    "/api/v1/admin/backup": {"post": {"summary": "An online, consistent copy of the store (admin)",
      "parameters": [{"name": "dir", "in": "query", "required": true, "schema": {"type": "string"}, "description": "The directory to write the backup to, on the server."}],
      "responses": {
        "200": {"description": "Written", "content": {"application/json": {"schema": {"type": "object", "required": ["backup"], "properties": {"backup": {"type": "string"}}}}}},
        "400": {"$ref": "#/components/responses/ServerError"},
        "500": {"$ref": "#/components/responses/ServerError"},
        "503": {"$ref": "#/components/responses/ServerError"}}}},
    "/api/v1/users/{user_id}": {"delete": {"summary": "Erase one end user's stored data (privacy requests; admin)",
      "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Percent-decoded."}],
      "responses": {
        "200": {"description": "Erased", "content": {"application/json": {"schema": {"type": "object", "required": ["user", "spans_erased"], "properties": {
          "user": {"type": "string"}, "spans_erased": {"type": "integer", "minimum": 0}}}}}},
        "400": {"$ref": "#/components/responses/ServerError"},
        "500": {"$ref": "#/components/responses/ServerError"},
        "503": {"$ref": "#/components/responses/ServerError"}}}}
  },
  "components": {
    "responses": {
      "ServerError": {"description": "The reason, as one string", "content": {"application/json": {"schema": {
        "type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}}
    },
    "schemas": {
      "RecentLlmCall": {"type": "object", "description": "One normalised call as the live tail keeps it (docs/api.md, LLM call object).",
        "required": ["trace_id", "span_id", "span_name", "service", "start_time_unix_nano", "duration_ms", "status_code", "clock_skew",
                     "dialect", "provider", "request_model", "response_model", "operation", "service_tier", "counts_usage", "tokens", "cost",
                     "team", "feature", "user", "session", "prompt_name", "prompt_version", "environment", "finish_reasons", "error_type",
                     "time_to_first_token_ms", "system_instructions", "input_messages", "output_messages"],
        "properties": {
          "trace_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}, "span_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
          "span_name": {"type": "string"}, "service": {"type": "string"},
          "start_time_unix_nano": {"type": "integer", "minimum": 0}, "duration_ms": {"type": "number"},
          "status_code": {"type": "string"}, "clock_skew": {"type": "boolean"},
          "dialect": {"type": "string"}, "provider": {"type": "string"}, "request_model": {"type": "string"}, "response_model": {"type": "string"},
          "operation": {"type": "string"}, "service_tier": {"type": "string"},
          "counts_usage": {"type": "boolean", "description": "False for aggregate spans (agent roots) whose usage is counted on their children."},
          "tokens": {"type": "object", "required": ["input", "cache_read", "cache_write", "output", "reasoning", "total"], "properties": {
            "input": {"type": "integer", "nullable": true}, "cache_read": {"type": "integer", "nullable": true},
            "cache_write": {"type": "integer", "nullable": true}, "output": {"type": "integer", "nullable": true},
            "reasoning": {"type": "integer", "nullable": true}, "total": {"type": "integer", "nullable": true}}},
          "cost": {"type": "object", "required": ["source", "total_nanos", "total_usd", "catalog_nanos", "reported_nanos", "input_nanos", "cache_read_nanos",
                                                  "cache_write_nanos", "output_nanos", "reasoning_nanos", "price_entry", "price_match", "price_tier"], "properties": {
            "source": {"type": "string", "enum": ["unknown", "catalog", "reported"]},
            "total_nanos": {"type": "integer", "nullable": true}, "total_usd": {"type": "number", "nullable": true},
            "catalog_nanos": {"type": "integer", "nullable": true}, "reported_nanos": {"type": "integer", "nullable": true},
            "input_nanos": {"type": "integer"}, "cache_read_nanos": {"type": "integer"}, "cache_write_nanos": {"type": "integer"},
            "output_nanos": {"type": "integer"}, "reasoning_nanos": {"type": "integer"},
            "price_entry": {"type": "string"}, "price_match": {"type": "string"}, "price_tier": {"type": "string"}}},
          "team": {"type": "string"}, "feature": {"type": "string"}, "user": {"type": "string"}, "session": {"type": "string"},
          "prompt_name": {"type": "string"}, "prompt_version": {"type": "string"}, "environment": {"type": "string"},
          "finish_reasons": {"type": "array", "items": {"type": "string"}}, "error_type": {"type": "string"},
          "time_to_first_token_ms": {"type": "number", "nullable": true},
          "system_instructions": {"type": "array", "items": {"$ref": "#/components/schemas/MessagePart"}},
          "input_messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
          "output_messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}}}},
      "Message": {"type": "object", "required": ["role", "parts"], "properties": {
        "role": {"type": "string"}, "parts": {"type": "array", "items": {"$ref": "#/components/schemas/MessagePart"}},
        "name": {"type": "string"}, "finish_reason": {"type": "string"}}},
      "MessagePart": {"type": "object", "required": ["type"], "description": "text, tool_call, tool_call_response, reasoning, blob, uri, ...; only the fields a part has are present.", "properties": {
        "type": {"type": "string"}, "content": {"type": "string"}, "id": {"type": "string"}, "name": {"type": "string"},
        "arguments": {"type": "string"}, "response": {"type": "string"}, "mime_type": {"type": "string"}}}
    }
  }
})json";
  return kFragment;
}

}  // namespace loupe::api
