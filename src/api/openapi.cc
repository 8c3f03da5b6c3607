// The OpenAPI 3 document served at /api/v1/openapi.json: the query API's
// own paths, written by hand (query_api_test.cc checks that every route and
// every parameter of the handlers' tables appears here, and that answers
// carry the documented fields), plus the fragments other modules add
// through OpenApiSpec::Add.
#include "api/openapi.h"

#include <array>

#include "api/handlers.h"

namespace loupe::api {
namespace internal {

const std::string& OpenApiDocument() {
  static const std::string doc = R"json({
  "openapi": "3.0.3",
  "info": {"title": "Loupe API", "version": "1",
    "description": "Read traces, sessions, cost and latency aggregates and prices; scores, evaluations and alerts. Times are RFC 3339 or an age like 7d, 24h, 30m. Money is USD floats plus exact integer nano-dollars. Bad parameters get 400 naming the parameter. When auth.api_tokens is set, every /api/ request needs a bearer token (read for GET, admin for anything else) and gets 401 without one, 403 with a token of too small a scope."},
  "security": [{}, {"bearer": []}],
  "paths": {
    "/api/v1/traces": {"get": {"summary": "Search traces, newest first",
      "parameters": [
        {"$ref": "#/components/parameters/since"}, {"$ref": "#/components/parameters/until"},
        {"name": "service", "in": "query", "schema": {"type": "string"}},
        {"name": "environment", "in": "query", "schema": {"type": "string"}, "description": "deployment.environment(.name) of an LLM call."},
        {"name": "team", "in": "query", "schema": {"type": "string"}},
        {"name": "feature", "in": "query", "schema": {"type": "string"}},
        {"name": "model", "in": "query", "schema": {"type": "string"}, "description": "Request or response model."},
        {"name": "provider", "in": "query", "schema": {"type": "string"}},
        {"name": "prompt_version", "in": "query", "schema": {"type": "string"}},
        {"name": "user", "in": "query", "schema": {"type": "string"}},
        {"name": "session", "in": "query", "schema": {"type": "string"}},
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["ok", "error"]}},
        {"name": "min_cost_usd", "in": "query", "schema": {"type": "number", "minimum": 0}, "description": "One LLM call of the trace cost at least this."},
        {"name": "min_duration_ms", "in": "query", "schema": {"type": "number", "minimum": 0}, "description": "The whole trace lasted at least this long."},
        {"name": "score_below", "in": "query", "schema": {"type": "string", "pattern": "^.+:-?[0-9.]+$"}, "description": "DIMENSION:VALUE, e.g. accuracy:3: traces with a latest score on that dimension below VALUE."},
        {"name": "score_evaluator", "in": "query", "schema": {"type": "string"}, "description": "With score_below: only scores by this evaluator."},
        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Full-text query over prompts and completions (FTS5 syntax)."},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "next_cursor of the previous page."}],
      "responses": {
        "200": {"description": "A page of traces", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TracePage"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}}}},
    "/api/v1/traces/{trace_id}": {"get": {"summary": "One whole trace, spans in tree order",
      "parameters": [{"name": "trace_id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{32}$"}}],
      "responses": {
        "200": {"description": "The trace", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Trace"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "404": {"$ref": "#/components/responses/NotFound"}}}},
    "/api/v1/sessions": {"get": {"summary": "Sessions (LLM calls sharing a session id), most recently active first",
      "parameters": [
        {"$ref": "#/components/parameters/since"}, {"$ref": "#/components/parameters/until"},
        {"name": "user", "in": "query", "schema": {"type": "string"}, "description": "Sessions with at least one call by this user."},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "next_cursor of the previous page."}],
      "responses": {
        "200": {"description": "Sessions, most recently active first", "content": {"application/json": {"schema": {
          "type": "object", "required": ["sessions", "next_cursor"], "properties": {
            "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/SessionSummary"}},
            "next_cursor": {"type": "string", "nullable": true}}}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}}}},
    "/api/v1/sessions/{session_id}": {"get": {"summary": "One session's traces in order, with totals",
      "parameters": [
        {"name": "session_id", "in": "path", "required": true, "schema": {"type": "string"}},
        {"$ref": "#/components/parameters/since"}, {"$ref": "#/components/parameters/until"}],
      "responses": {
        "200": {"description": "The session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SessionDetail"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "404": {"$ref": "#/components/responses/NotFound"}}}},
    "/api/v1/stats": {"get": {"summary": "Aggregates of LLM calls from rollups, grouped and optionally as time series",
      "parameters": [
        {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "Default: 24h ago."},
        {"$ref": "#/components/parameters/until"},
        {"name": "team", "in": "query", "schema": {"type": "string"}},
        {"name": "feature", "in": "query", "schema": {"type": "string"}},
        {"name": "model", "in": "query", "schema": {"type": "string"}},
        {"name": "provider", "in": "query", "schema": {"type": "string"}},
        {"name": "prompt_version", "in": "query", "schema": {"type": "string"}},
        {"name": "service", "in": "query", "schema": {"type": "string"}},
        {"name": "environment", "in": "query", "schema": {"type": "string"}},
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["ok", "error"]}},
        {"name": "user", "in": "query", "schema": {"type": "string"}, "description": "User and session come from the stored calls, so they cover span retention only."},
        {"name": "session", "in": "query", "schema": {"type": "string"}},
        {"name": "score_evaluator", "in": "query", "schema": {"type": "string"}, "description": "score_avg / score_count over this evaluator's scores only."},
        {"name": "score_dimension", "in": "query", "schema": {"type": "string"}, "description": "score_avg / score_count over this dimension only."},
        {"name": "min_cost_usd", "in": "query", "schema": {"type": "number"}, "description": "Not supported on stats: 400."},
        {"name": "min_duration_ms", "in": "query", "schema": {"type": "number"}, "description": "Not supported on stats: 400."},
        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Not supported on stats: 400."},
        {"name": "group_by", "in": "query", "schema": {"type": "string"}, "description": "Comma-separated: team, feature, model, provider, prompt_version, service, environment, status, user, session."},
        {"name": "measures", "in": "query", "schema": {"type": "string"}, "description": "Comma-separated: requests, errors, error_rate, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, cost_nanos, unpriced_requests, cost_per_request, p50_ms, p95_ms, p99_ms, score_avg, score_count (objects keyed by score dimension; not with group_by status, not for order_by). Default: requests, errors, input_tokens, output_tokens, cost_usd."},
        {"name": "step", "in": "query", "schema": {"type": "string"}, "description": "Time-series step, whole minutes: 1h, 15m, 1d."},
        {"name": "order_by", "in": "query", "schema": {"type": "string"}, "description": "A measure, optionally :asc or :desc (default desc). Default: the first measure."},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}],
      "responses": {
        "200": {"description": "Groups", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stats"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}}}},
    "/api/v1/prices": {"get": {"summary": "The catalog entry a model string matches, and why",
      "parameters": [
        {"name": "model", "in": "query", "required": true, "schema": {"type": "string"}},
        {"name": "provider", "in": "query", "schema": {"type": "string"}, "description": "Provider hint, any alias (e.g. aws.bedrock)."},
        {"name": "at", "in": "query", "schema": {"type": "string"}, "description": "Match prices in force at this time. Default: now."}],
      "responses": {
        "200": {"description": "The match (matched=false when none)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PriceLookup"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"}}}},
    "/api/v1/openapi.json": {"get": {"summary": "This document",
      "responses": {"200": {"description": "OpenAPI 3 document", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
  },
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "One of auth.api_tokens (read or admin)."}
    },
    "parameters": {
      "since": {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "RFC 3339 time, an age like 7d, or Unix nanoseconds."},
      "until": {"name": "until", "in": "query", "schema": {"type": "string"}, "description": "RFC 3339 time, an age like 1h, or Unix nanoseconds. Exclusive."}
    },
    "responses": {
      "BadRequest": {"description": "A bad parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "Not stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["status", "message", "parameter"], "properties": {
        "status": {"type": "integer"}, "message": {"type": "string"}, "parameter": {"type": "string", "nullable": true}}}}},
      "TraceSummary": {"type": "object", "required": ["trace_id", "root_name", "service", "start", "start_time_unix_nano", "duration_ms", "spans", "llm_calls", "tokens", "cost_nanos", "cost_usd", "status", "scores"], "properties": {
        "trace_id": {"type": "string"}, "root_name": {"type": "string"}, "service": {"type": "string"},
        "start": {"type": "string", "format": "date-time"}, "start_time_unix_nano": {"type": "integer"},
        "duration_ms": {"type": "number"}, "spans": {"type": "integer"}, "llm_calls": {"type": "integer"},
        "tokens": {"type": "integer"}, "cost_nanos": {"type": "integer"}, "cost_usd": {"type": "number"},
        "status": {"type": "string", "enum": ["ok", "error"]}, "scores": {"type": "array", "items": {"$ref": "#/components/schemas/TraceScore"}}}},
      "TraceScore": {"type": "object", "required": ["evaluator", "dimension", "mean", "count"], "description": "The mean of one evaluator's latest scores on one dimension within the trace.", "properties": {
        "evaluator": {"type": "string"}, "dimension": {"type": "string"}, "mean": {"type": "number"}, "count": {"type": "integer"}}},
      "Score": {"type": "object", "required": ["trace_id", "span_id", "evaluator", "dimension", "value", "source", "created", "version"], "properties": {
        "trace_id": {"type": "string"}, "span_id": {"type": "string", "nullable": true}, "evaluator": {"type": "string"}, "dimension": {"type": "string"},
        "value": {"type": "number"}, "label": {"type": "string", "nullable": true}, "reasoning": {"type": "string", "nullable": true},
        "author": {"type": "string", "nullable": true}, "source": {"type": "string", "enum": ["judge", "builtin", "human"]},
        "judge_model": {"type": "string", "nullable": true}, "judge_cost_usd": {"type": "number", "nullable": true},
        "created": {"type": "string", "format": "date-time"}, "version": {"type": "integer"}}},
      "TracePage": {"type": "object", "required": ["traces", "next_cursor"], "properties": {
        "traces": {"type": "array", "items": {"$ref": "#/components/schemas/TraceSummary"}},
        "next_cursor": {"type": "string", "nullable": true}}},
      "Span": {"type": "object", "required": ["span_id", "parent_span_id", "depth", "name", "kind", "service", "start", "start_time_unix_nano", "end_time_unix_nano", "duration_ms", "status", "attributes", "resource", "scope", "events", "links", "llm_call"], "properties": {
        "span_id": {"type": "string"}, "parent_span_id": {"type": "string", "nullable": true}, "depth": {"type": "integer"},
        "name": {"type": "string"}, "kind": {"type": "string"}, "service": {"type": "string"},
        "start": {"type": "string", "format": "date-time"}, "start_time_unix_nano": {"type": "integer"}, "end_time_unix_nano": {"type": "integer"},
        "duration_ms": {"type": "number"},
        "status": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}},
        "attributes": {"type": "object"}, "resource": {"type": "object"}, "scope": {"type": "object"},
        "events": {"type": "array", "items": {"type": "object"}}, "links": {"type": "array", "items": {"type": "object"}},
        "llm_call": {"allOf": [{"$ref": "#/components/schemas/LlmCall"}], "nullable": true}}},
      "LlmCall": {"type": "object", "description": "The normalized call (docs/api.md, LLM call object) plus the price entry used.", "required": ["provider", "request_model", "response_model", "tokens", "cost", "price", "input_messages", "output_messages"], "properties": {
        "provider": {"type": "string"}, "request_model": {"type": "string"}, "response_model": {"type": "string"},
        "tokens": {"type": "object", "properties": {"input": {"type": "integer", "nullable": true}, "cache_read": {"type": "integer", "nullable": true}, "cache_write": {"type": "integer", "nullable": true}, "output": {"type": "integer", "nullable": true}, "reasoning": {"type": "integer", "nullable": true}, "total": {"type": "integer", "nullable": true}}},
        "cost": {"type": "object", "properties": {"source": {"type": "string", "enum": ["unknown", "catalog", "reported"]}, "total_nanos": {"type": "integer", "nullable": true}, "total_usd": {"type": "number", "nullable": true}, "price_entry": {"type": "string"}}},
        "price": {"type": "object", "nullable": true},
        "input_messages": {"type": "array", "items": {"type": "object"}}, "output_messages": {"type": "array", "items": {"type": "object"}}}},
      "Trace": {"type": "object", "required": ["trace_id", "start", "duration_ms", "totals", "spans", "logs", "scores"], "properties": {
        "trace_id": {"type": "string"}, "start": {"type": "string", "format": "date-time"}, "duration_ms": {"type": "number"},
        "totals": {"type": "object", "properties": {"spans": {"type": "integer"}, "llm_calls": {"type": "integer"}, "tokens": {"type": "integer"}, "cost_nanos": {"type": "integer"}, "cost_usd": {"type": "number"}, "unpriced_calls": {"type": "integer"}, "error_spans": {"type": "integer"}}},
        "spans": {"type": "array", "items": {"$ref": "#/components/schemas/Span"}},
        "logs": {"type": "array", "items": {"type": "object"}}, "scores": {"type": "array", "items": {"$ref": "#/components/schemas/Score"}}}},
      "SessionSummary": {"type": "object", "required": ["session_id", "start", "end", "duration_ms", "traces_count", "llm_calls", "tokens", "cost_nanos", "cost_usd", "user"], "properties": {
        "session_id": {"type": "string"}, "start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"},
        "duration_ms": {"type": "number"}, "traces_count": {"type": "integer"}, "llm_calls": {"type": "integer"}, "tokens": {"type": "integer"},
        "cost_nanos": {"type": "integer"}, "cost_usd": {"type": "number"}, "user": {"type": "string", "nullable": true}}},
      "SessionDetail": {"type": "object", "required": ["session_id", "start", "end", "duration_ms", "traces_count", "llm_calls", "tokens", "cost_nanos", "cost_usd", "error_traces", "traces", "complete"], "properties": {
        "session_id": {"type": "string"}, "start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"},
        "duration_ms": {"type": "number"}, "traces_count": {"type": "integer"}, "llm_calls": {"type": "integer"}, "tokens": {"type": "integer"},
        "cost_nanos": {"type": "integer"}, "cost_usd": {"type": "number"}, "error_traces": {"type": "integer"},
        "traces": {"type": "array", "items": {"$ref": "#/components/schemas/TraceSummary"}}, "complete": {"type": "boolean"}}},
      "Stats": {"type": "object", "required": ["since", "until", "groups"], "properties": {
        "since": {"type": "string", "format": "date-time"}, "until": {"type": "string", "format": "date-time", "nullable": true},
        "step_seconds": {"type": "integer"},
        "groups": {"type": "array", "items": {"type": "object", "required": ["key"], "description": "One flat field per requested measure (number or null), plus series when step is given.", "properties": {
          "key": {"type": "object", "additionalProperties": {"type": "string"}},
          "series": {"type": "array", "items": {"type": "object", "required": ["start", "start_time_unix_nano"], "properties": {"start": {"type": "string", "format": "date-time"}, "start_time_unix_nano": {"type": "integer"}}}}},
          "additionalProperties": {"oneOf": [{"type": "number", "nullable": true}, {"type": "object", "additionalProperties": {"type": "number"}}]}}}}},
      "PriceLookup": {"type": "object", "required": ["model", "provider_hint", "matched", "why", "entry", "alternatives"], "properties": {
        "model": {"type": "string"}, "provider_hint": {"type": "string"}, "matched": {"type": "boolean"}, "why": {"type": "string"},
        "entry": {"type": "object", "nullable": true, "properties": {"key": {"type": "string"}, "provider": {"type": "string"}, "model": {"type": "string"}, "mode": {"type": "string"}, "origin": {"type": "string"}, "prices": {"type": "array", "items": {"type": "object"}}}},
        "alternatives": {"type": "array", "items": {"type": "string"}}, "note": {"type": "string"}}}
    }
  }
})json";
  return doc;
}

}  // namespace internal

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 8> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
constexpr std::array<std::string_view, 4> kPathItemFields = {"summary", "description", "parameters", "servers"};

bool IsOneOf(std::string_view key, const auto& names) {
  for (std::string_view n : names) {
    if (n == key) return true;
  }
  return false;
}

// Every "$ref" under `node` must resolve in `doc`; returns the first that
// does not, with where it was found, or "".
std::string FindDanglingRef(const json& doc, const json& node, const std::string& where) {
  if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      std::string bad = FindDanglingRef(doc, node[i], where + "[" + std::to_string(i) + "]");
      if (!bad.empty()) return bad;
    }
    return "";
  }
  if (!node.is_object()) return "";
  for (const auto& [key, value] : node.items()) {
    if (key == "$ref" && value.is_string()) {
      const std::string& ref = value.get_ref<const std::string&>();
      bool ok = false;
      if (ref.starts_with("#/")) {
        try {
          ok = doc.contains(json::json_pointer(ref.substr(1)));
        } catch (const json::exception&) {
          ok = false;  // not a JSON pointer
        }
      }
      if (!ok) return "\"$ref\": \"" + ref + "\" at " + where + " resolves to nothing in the document";
      continue;
    }
    std::string bad = FindDanglingRef(doc, value, where + "." + key);
    if (!bad.empty()) return bad;
  }
  return "";
}

// Merges `paths` into doc["paths"]: new operations only.
std::string MergePaths(const json& paths, json* doc) {
  if (!paths.is_object()) return "\"paths\" must be an object";
  json& out = (*doc)["paths"];
  for (const auto& [path, item] : paths.items()) {
    if (!path.starts_with("/")) return "path \"" + path + "\" must start with /";
    if (!item.is_object()) return "paths." + path + " must be an object";
    json& target = out[path];
    for (const auto& [key, value] : item.items()) {
      const bool method = IsOneOf(key, kMethods);
      if (!method && !IsOneOf(key, kPathItemFields)) {
        return "paths." + path + ": \"" + key + "\" is neither an HTTP method (lower case) nor a path item field";
      }
      if (target.contains(key)) {
        if (!method) return "paths." + path + "." + key + " is already set by another module";
        std::string upper;
        for (char c : key) upper.push_back(static_cast<char>(c - 'a' + 'A'));
        return upper + " " + path + " is already documented";
      }
      if (method && (!value.is_object() || !value.contains("responses"))) {
        return "paths." + path + "." + key + " must be an operation object with \"responses\"";
      }
      target[key] = value;
    }
  }
  return "";
}

// Merges `components` into doc["components"]: new names only.
std::string MergeComponents(const json& components, json* doc) {
  if (!components.is_object()) return "\"components\" must be an object";
  json& out = (*doc)["components"];
  for (const auto& [section, entries] : components.items()) {
    if (!entries.is_object()) return "components." + section + " must be an object";
    for (const auto& [name, value] : entries.items()) {
      if (out.contains(section) && out[section].contains(name)) {
        return "components." + section + "." + name + " is already defined";
      }
      out[section][name] = value;
    }
  }
  return "";
}

}  // namespace

OpenApiSpec::OpenApiSpec() : text_(internal::OpenApiDocument()) {}

Status OpenApiSpec::Add(std::string_view module, std::string_view fragment) {
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument("openapi fragment of " + std::string(module) + ": " + what);
  };
  json frag;
  try {
    frag = json::parse(fragment);
  } catch (const json::parse_error& e) {
    return bad(std::string("not valid JSON: ") + e.what());
  }
  if (!frag.is_object()) return bad("want a JSON object with \"paths\" and \"components\"");
  for (const auto& [key, value] : frag.items()) {
    if (key != "paths" && key != "components") return bad("unknown key \"" + key + "\" (want paths, components)");
  }
  // Our own text: parses, or the base document test fails first.
  json doc = json::parse(text_);
  if (frag.contains("paths")) {
    if (std::string e = MergePaths(frag["paths"], &doc); !e.empty()) return bad(e);
  }
  if (frag.contains("components")) {
    if (std::string e = MergeComponents(frag["components"], &doc); !e.empty()) return bad(e);
  }
  if (std::string e = FindDanglingRef(doc, frag, "fragment"); !e.empty()) return bad(e);
  text_ = doc.dump(1);
  return Status::Ok();
}

}  // namespace loupe::api
