// The evaluation endpoints' OpenAPI fragment, written from http_api.cc,
// http_eval.cc and http_compare.cc. openapi_test.cc checks it against the
// routes Register adds, the handlers' parameter tables and body fields,
// and real answers.
#include "eval/openapi.h"

namespace loupe::eval {

std::string_view OpenApiPaths() {
  static constexpr std::string_view kFragment = R"json({
  "paths": {
    "/api/v1/scores": {
      "post": {"summary": "Attach human or external scores to a trace or span (admin)",
        "description": "One score object, or {\"scores\": [...], \"new_version\": bool} with up to 1000. A score identical to the stored one is ignored; with new_version a changed score becomes a new version instead of replacing the latest.",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"oneOf": [
          {"$ref": "#/components/schemas/EvalScoreInput"},
          {"type": "object", "required": ["scores"], "additionalProperties": false, "properties": {
            "scores": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"$ref": "#/components/schemas/EvalScoreInput"}},
            "new_version": {"type": "boolean", "default": false}}}]}}}},
        "responses": {
          "201": {"description": "Stored", "content": {"application/json": {"schema": {"type": "object", "required": ["stored", "ignored"], "properties": {
            "stored": {"type": "integer", "minimum": 0}, "ignored": {"type": "integer", "minimum": 0, "description": "Scores identical to what is stored."}}}}}},
          "400": {"$ref": "#/components/responses/EvalBadRequest"},
          "500": {"$ref": "#/components/responses/EvalFailure"},
          "503": {"$ref": "#/components/responses/EvalUnavailable"}}},
      "get": {"summary": "Search scores (judge, built-in, human), newest call first",
        "parameters": [
          {"name": "trace_id", "in": "query", "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{32}$"}},
          {"name": "span_id", "in": "query", "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{16}$"}},
          {"name": "evaluator", "in": "query", "schema": {"type": "string"}, "description": "judge/<rubric>, a built-in evaluator, human, or external/<name>."},
          {"name": "dimension", "in": "query", "schema": {"type": "string"}},
          {"name": "source", "in": "query", "schema": {"type": "string", "enum": ["judge", "builtin", "human"]}},
          {"name": "team", "in": "query", "schema": {"type": "string"}},
          {"name": "feature", "in": "query", "schema": {"type": "string"}},
          {"name": "model", "in": "query", "schema": {"type": "string"}},
          {"name": "prompt_version", "in": "query", "schema": {"type": "string"}},
          {"name": "service", "in": "query", "schema": {"type": "string"}},
          {"name": "environment", "in": "query", "schema": {"type": "string"}},
          {"name": "user", "in": "query", "schema": {"type": "string"}},
          {"name": "session", "in": "query", "schema": {"type": "string"}},
          {"$ref": "#/components/parameters/since"}, {"$ref": "#/components/parameters/until"},
          {"name": "all_versions", "in": "query", "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}, "description": "true: every version of each score, not only the latest."},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
          {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "next_cursor of the previous page."}],
        "responses": {
          "200": {"description": "A page of scores", "content": {"application/json": {"schema": {"type": "object", "required": ["scores", "next_cursor"], "properties": {
            "scores": {"type": "array", "items": {"$ref": "#/components/schemas/EvalScore"}},
            "next_cursor": {"type": "string", "description": "Empty on the last page."}}}}}},
          "400": {"$ref": "#/components/responses/EvalBadRequest"},
          "500": {"$ref": "#/components/responses/EvalFailure"},
          "503": {"$ref": "#/components/responses/EvalUnavailable"}}}},
    "/api/v1/evaluations": {"get": {"summary": "The evaluation queue: pending, done, failed (with the judge's raw answer) and skipped tasks",
      "parameters": [
        {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["pending", "done", "failed", "skipped"]}},
        {"name": "evaluator", "in": "query", "schema": {"type": "string"}},
        {"name": "trace_id", "in": "query", "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{32}$"}},
        {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "Tasks enqueued at or after this time: RFC 3339, an age like 1h, or Unix nanoseconds."},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
      "responses": {
        "200": {"description": "Queue totals and matching tasks", "content": {"application/json": {"schema": {"type": "object", "required": ["queue", "evaluations"], "properties": {
          "queue": {"$ref": "#/components/schemas/EvalQueue"},
          "evaluations": {"type": "array", "items": {"$ref": "#/components/schemas/EvalTask"}}}}}}},
        "400": {"$ref": "#/components/responses/EvalBadRequest"},
        "500": {"$ref": "#/components/responses/EvalFailure"},
        "503": {"$ref": "#/components/responses/EvalUnavailable"}}}},
    "/api/v1/evaluation/status": {"get": {"summary": "Judge budget and spend today, paused or not, queue, workers, canary",
      "description": "With evaluation disabled only enabled (false) and, when the store answers, queue.",
      "responses": {
        "200": {"description": "Status", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalStatus"}}}},
        "400": {"$ref": "#/components/responses/EvalBadRequest"}}}},
    "/api/v1/compare": {"get": {"summary": "Prompt version a against b on one score dimension (Welch's t-test), with cost and tokens per request",
      "parameters": [
        {"name": "feature", "in": "query", "required": true, "schema": {"type": "string"}},
        {"name": "dimension", "in": "query", "required": true, "schema": {"type": "string"}},
        {"name": "a", "in": "query", "required": true, "schema": {"type": "string"}, "description": "The baseline prompt version."},
        {"name": "b", "in": "query", "required": true, "schema": {"type": "string"}, "description": "The prompt version compared with a."},
        {"name": "evaluator", "in": "query", "schema": {"type": "string"}, "description": "Default: the judge with the default rubric."},
        {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "Default: 30 days ago."},
        {"$ref": "#/components/parameters/until"},
        {"name": "alpha", "in": "query", "schema": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "exclusiveMaximum": true, "maximum": 1, "default": 0.05}}],
      "responses": {
        "200": {"description": "Both versions and the difference", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalComparison"}}}},
        "400": {"$ref": "#/components/responses/EvalBadRequest"},
        "500": {"$ref": "#/components/responses/EvalFailure"},
        "503": {"$ref": "#/components/responses/EvalUnavailable"}}}},
    "/api/v1/agreement": {"get": {"summary": "How often the judge agrees with people, by dimension",
      "parameters": [
        {"name": "feature", "in": "query", "schema": {"type": "string"}},
        {"name": "dimension", "in": "query", "schema": {"type": "string"}, "description": "Only this dimension (thumbs are always compared)."},
        {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "Default: 30 days ago."},
        {"$ref": "#/components/parameters/until"},
        {"name": "tolerance", "in": "query", "schema": {"type": "number", "minimum": 0, "default": 1}, "description": "within_tolerance counts pairs at most this far apart."}],
      "responses": {
        "200": {"description": "Agreement", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalAgreement"}}}},
        "400": {"$ref": "#/components/responses/EvalBadRequest"},
        "500": {"$ref": "#/components/responses/EvalFailure"},
        "503": {"$ref": "#/components/responses/EvalUnavailable"}}}},
    "/api/v1/evaluations/run": {
      "post": {"summary": "Score a slice of past calls now (loupe eval run; admin)",
        "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalRunRequest"}}}},
        "responses": {
          "202": {"description": "Enqueued", "content": {"application/json": {"schema": {"type": "object", "required": ["id", "evaluator", "run", "calls", "enqueued"], "properties": {
            "id": {"type": "string", "description": "For GET /api/v1/evaluations/run?id="}, "evaluator": {"type": "string"},
            "run": {"type": "integer", "minimum": 0}, "calls": {"type": "integer", "minimum": 0},
            "enqueued": {"type": "integer", "minimum": 0, "description": "New in the queue; the other calls were already there."}}}}}},
          "400": {"$ref": "#/components/responses/EvalBadRequest"},
          "500": {"$ref": "#/components/responses/EvalFailure"},
          "503": {"$ref": "#/components/responses/EvalUnavailable"}}},
      "get": {"summary": "Progress and results of an on-demand run",
        "parameters": [{"name": "id", "in": "query", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "The run", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalRun"}}}},
          "400": {"$ref": "#/components/responses/EvalBadRequest"},
          "404": {"$ref": "#/components/responses/EvalNotFound"},
          "500": {"$ref": "#/components/responses/EvalFailure"},
          "503": {"$ref": "#/components/responses/EvalUnavailable"}}}}
  },
  "components": {
    "responses": {
      "EvalBadRequest": {"description": "A bad parameter or body field, named", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalError"}}}},
      "EvalNotFound": {"description": "Unknown", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalError"}}}},
      "EvalFailure": {"description": "A store error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalError"}}}},
      "EvalUnavailable": {"description": "Evaluation disabled, or the store not ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvalError"}}}}
    },
    "schemas": {
      "EvalError": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["status", "message"], "properties": {
        "status": {"type": "integer"}, "message": {"type": "string"},
        "parameter": {"type": "string", "description": "The query parameter at fault."},
        "field": {"type": "string", "description": "The body field at fault, e.g. scores[2].value; empty when the body as a whole is."}}}}},
      "EvalTime": {"type": "string", "description": "RFC 3339, or empty when not set.", "pattern": "^$|^[0-9]{4}-[0-9]{2}-[0-9]{2}T"},
      "EvalScoreInput": {"type": "object", "required": ["trace_id", "name", "value"], "additionalProperties": false, "properties": {
        "trace_id": {"type": "string", "pattern": "^[0-9a-fA-F]{32}$"},
        "span_id": {"type": "string", "pattern": "^[0-9a-fA-F]{16}$", "description": "Omit to score the whole trace."},
        "name": {"type": "string", "pattern": "^[A-Za-z0-9_./-]{1,64}$", "description": "The score dimension, e.g. thumbs or accuracy."},
        "value": {"oneOf": [{"type": "number"}, {"type": "boolean"}, {"type": "string"}], "description": "A number, true/false (stored as 1/0), or one of categories (stored as its position)."},
        "data_type": {"type": "string", "enum": ["numeric", "boolean", "categorical"], "description": "When given, must agree with value."},
        "categories": {"type": "array", "minItems": 1, "items": {"type": "string"}, "description": "Required with a categorical value, in order."},
        "source": {"type": "string", "enum": ["human", "external"], "default": "human"},
        "evaluator": {"type": "string", "description": "external only (stored as external/<evaluator>); human scores use human."},
        "author": {"type": "string", "maxLength": 256},
        "comment": {"type": "string", "maxLength": 4000}}},
      "EvalScore": {"type": "object", "required": ["trace_id", "span_id", "evaluator", "dimension", "value", "label", "reasoning", "author", "source", "judge_model", "judge_cost_usd", "created", "version", "call_start", "service", "environment", "team", "feature", "model", "provider", "prompt_version", "user", "session"], "properties": {
        "trace_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}, "span_id": {"type": "string", "pattern": "^[0-9a-f]{16}$", "nullable": true},
        "evaluator": {"type": "string"}, "dimension": {"type": "string"}, "value": {"type": "number"},
        "label": {"type": "string"}, "reasoning": {"type": "string", "description": "The judge's reasoning or a person's comment."}, "author": {"type": "string"},
        "source": {"type": "string", "enum": ["judge", "builtin", "human"], "description": "External scores are kept as builtin under external/<name>."},
        "judge_model": {"type": "string"}, "judge_cost_usd": {"type": "number", "nullable": true},
        "created": {"$ref": "#/components/schemas/EvalTime"}, "version": {"type": "integer", "minimum": 0},
        "call_start": {"$ref": "#/components/schemas/EvalTime"},
        "service": {"type": "string"}, "environment": {"type": "string"}, "team": {"type": "string"}, "feature": {"type": "string"},
        "model": {"type": "string"}, "provider": {"type": "string"}, "prompt_version": {"type": "string"},
        "user": {"type": "string"}, "session": {"type": "string"}}},
      "EvalQueue": {"type": "object", "required": ["pending", "done", "failed", "skipped", "oldest_pending_due"], "properties": {
        "pending": {"type": "integer", "minimum": 0}, "done": {"type": "integer", "minimum": 0}, "failed": {"type": "integer", "minimum": 0},
        "skipped": {"type": "integer", "minimum": 0}, "oldest_pending_due": {"$ref": "#/components/schemas/EvalTime"}}},
      "EvalTask": {"type": "object", "required": ["id", "trace_id", "span_id", "evaluator", "run", "state", "attempts", "reason", "error", "raw_answer", "due", "enqueued", "finished"], "properties": {
        "id": {"type": "integer", "minimum": 0}, "trace_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"}, "span_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
        "evaluator": {"type": "string"}, "run": {"type": "integer", "minimum": 0},
        "state": {"type": "string", "enum": ["pending", "done", "failed", "skipped"]}, "attempts": {"type": "integer", "minimum": 0},
        "reason": {"type": "string", "description": "Why it was sampled."}, "error": {"type": "string"},
        "raw_answer": {"type": "string", "description": "failed: the judge's last raw answer."},
        "due": {"$ref": "#/components/schemas/EvalTime"}, "enqueued": {"$ref": "#/components/schemas/EvalTime"}, "finished": {"$ref": "#/components/schemas/EvalTime"}}},
      "EvalStatus": {"type": "object", "required": ["enabled"], "properties": {
        "enabled": {"type": "boolean"}, "started": {"type": "boolean"}, "paused": {"type": "boolean"},
        "paused_reason": {"type": "string"}, "resumes_at": {"$ref": "#/components/schemas/EvalTime"},
        "budget": {"type": "object", "required": ["day", "daily_usd", "spent_today_usd", "remaining_usd"], "properties": {
          "day": {"type": "string", "description": "YYYY-MM-DD (UTC)."}, "daily_usd": {"type": "number"},
          "spent_today_usd": {"type": "number"}, "remaining_usd": {"type": "number", "minimum": 0}}},
        "queue": {"$ref": "#/components/schemas/EvalQueue"},
        "intake_buffered": {"type": "integer", "minimum": 0},
        "skipped": {"type": "object", "required": ["backlog", "budget"], "properties": {"backlog": {"type": "integer", "minimum": 0}, "budget": {"type": "integer", "minimum": 0}}},
        "workers": {"type": "object", "required": ["busy", "concurrency"], "properties": {"busy": {"type": "integer", "minimum": 0}, "concurrency": {"type": "integer", "minimum": 0}}},
        "judge": {"type": "object", "required": ["provider", "model", "base_url"], "properties": {"provider": {"type": "string"}, "model": {"type": "string"}, "base_url": {"type": "string"}}},
        "canary": {"type": "object", "required": ["ran", "passed", "detail"], "properties": {"ran": {"type": "boolean"}, "passed": {"type": "boolean"}, "detail": {"type": "string"}}},
        "last_error": {"type": "string"}}},
      "EvalComparison": {"type": "object", "required": ["feature", "dimension", "evaluator", "since", "until", "versions", "difference", "verdict"], "properties": {
        "feature": {"type": "string"}, "dimension": {"type": "string"}, "evaluator": {"type": "string"},
        "since": {"$ref": "#/components/schemas/EvalTime"}, "until": {"$ref": "#/components/schemas/EvalTime"},
        "versions": {"type": "array", "minItems": 2, "maxItems": 2, "description": "a, then b.", "items": {"type": "object",
          "required": ["prompt_version", "count", "mean", "stddev", "ci95", "requests", "cost_per_request_usd", "tokens_per_request", "unpriced_requests"], "properties": {
          "prompt_version": {"type": "string"}, "count": {"type": "integer", "minimum": 0},
          "mean": {"type": "number", "nullable": true}, "stddev": {"type": "number", "nullable": true},
          "ci95": {"type": "array", "nullable": true, "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
          "requests": {"type": "integer", "minimum": 0}, "cost_per_request_usd": {"type": "number", "nullable": true},
          "tokens_per_request": {"type": "number", "nullable": true}, "unpriced_requests": {"type": "integer", "minimum": 0}}}},
        "difference": {"type": "object", "required": ["mean_b_minus_a", "test", "t", "df", "p_value", "alpha", "significant"], "properties": {
          "mean_b_minus_a": {"type": "number", "nullable": true}, "test": {"type": "string", "enum": ["welch_t"]},
          "t": {"type": "number", "nullable": true}, "df": {"type": "number", "nullable": true}, "p_value": {"type": "number", "nullable": true},
          "alpha": {"type": "number"}, "significant": {"type": "boolean"}}},
        "verdict": {"type": "string"}}},
      "EvalAgreement": {"type": "object", "required": ["feature", "human_scores", "pairs", "exact_agreement", "within_tolerance", "tolerance", "dimensions"], "properties": {
        "feature": {"type": "string"}, "human_scores": {"type": "integer", "minimum": 0}, "pairs": {"type": "integer", "minimum": 0},
        "exact_agreement": {"type": "number", "nullable": true}, "within_tolerance": {"type": "number", "nullable": true}, "tolerance": {"type": "number"},
        "dimensions": {"type": "object", "additionalProperties": {"type": "object", "required": ["pairs", "exact_agreement", "within_tolerance", "mean_abs_difference"], "properties": {
          "pairs": {"type": "integer", "minimum": 0}, "exact_agreement": {"type": "number", "nullable": true},
          "within_tolerance": {"type": "number", "nullable": true}, "mean_abs_difference": {"type": "number", "nullable": true}}}}}},
      "EvalRunRequest": {"type": "object", "additionalProperties": false, "properties": {
        "since": {"type": "string", "default": "1h", "description": "RFC 3339 or an age like 1h."}, "until": {"type": "string"},
        "feature": {"type": "string"}, "rubric": {"type": "string", "description": "Default: the default rubric."},
        "rate": {"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 1, "default": 1},
        "force": {"type": "boolean", "default": false, "description": "Re-score calls already scored (a new score version)."},
        "max_calls": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1000}}},
      "EvalRun": {"type": "object", "required": ["id", "evaluator", "calls", "pending", "done", "failed", "skipped", "complete", "dimensions", "failures"], "properties": {
        "id": {"type": "string"}, "evaluator": {"type": "string"}, "calls": {"type": "integer", "minimum": 0},
        "pending": {"type": "integer", "minimum": 0}, "done": {"type": "integer", "minimum": 0}, "failed": {"type": "integer", "minimum": 0},
        "skipped": {"type": "integer", "minimum": 0}, "complete": {"type": "boolean"},
        "dimensions": {"type": "object", "additionalProperties": {"type": "object", "required": ["count", "mean", "min", "max"], "properties": {
          "count": {"type": "integer", "minimum": 1}, "mean": {"type": "number"}, "min": {"type": "number"}, "max": {"type": "number"}}}},
        "failures": {"type": "array", "maxItems": 20, "items": {"type": "object", "required": ["trace_id", "span_id", "error"], "properties": {
          "trace_id": {"type": "string"}, "span_id": {"type": "string"}, "error": {"type": "string"}}}}}}
    }
  }
})json";
  return kFragment;
}

}  // namespace loupe::eval
