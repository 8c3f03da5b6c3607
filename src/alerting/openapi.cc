// The alerting routes' OpenAPI fragment, written from http_api.cc and
// alert_json.cc. openapi_test.cc checks it against the routes Register
// adds and against real answers.
#include "alerting/openapi.h"

namespace loupe::alerting {

std::string_view OpenApiPaths() {
  static constexpr std::string_view kFragment = R"json({
  "paths": {
    "/api/v1/alerts": {"get": {"summary": "Active (pending, firing) and recently resolved alerts, and the recent firing/resolved history",
      "responses": {"200": {"description": "Alerts", "content": {"application/json": {"schema": {"type": "object", "required": ["alerts", "history"], "properties": {
        "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/AlertingAlert"}},
        "history": {"type": "array", "description": "The last 100 transitions to firing or resolved, newest first, as the alert was then.", "items": {"$ref": "#/components/schemas/AlertingAlert"}},
        "historyError": {"type": "string", "description": "Present when the journal could not be read."}}}}}}}}},
    "/api/v1/alert-rules": {"get": {"summary": "The rules with their health, last evaluation and last error",
      "responses": {"200": {"description": "Rules", "content": {"application/json": {"schema": {"type": "object", "required": ["rules"], "properties": {
        "rules": {"type": "array", "items": {"$ref": "#/components/schemas/AlertingRule"}}}}}}}}}},
    "/api/v1/alert-rules/reload": {"post": {"summary": "Re-read alerting.rules_file (admin); on error the running rules stay",
      "responses": {
        "200": {"description": "Reloaded", "content": {"application/json": {"schema": {"type": "object", "required": ["status", "rules"], "properties": {
          "status": {"type": "string", "enum": ["reloaded"]}, "rules": {"type": "integer", "minimum": 0}}}}}},
        "400": {"$ref": "#/components/responses/AlertingBadRequest"}}}},
    "/api/v1/silences": {
      "get": {"summary": "Silences: pending, active and expired",
        "responses": {"200": {"description": "Silences", "content": {"application/json": {"schema": {"type": "object", "required": ["silences"], "properties": {
          "silences": {"type": "array", "items": {"$ref": "#/components/schemas/AlertingSilence"}}}}}}}}},
      "post": {"summary": "Create a silence (admin): matching alerts keep their state but are not notified",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertingSilenceInput"}}}},
        "responses": {
          "200": {"description": "Created", "content": {"application/json": {"schema": {"type": "object", "required": ["silenceID"], "properties": {"silenceID": {"type": "string"}}}}}},
          "400": {"$ref": "#/components/responses/AlertingBadRequest"},
          "500": {"$ref": "#/components/responses/AlertingFailure"},
          "503": {"$ref": "#/components/responses/AlertingFailure"}}}},
    "/api/v1/silences/{silence_id}": {"delete": {"summary": "Expire a silence now (admin)",
      "parameters": [{"name": "silence_id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {
        "200": {"description": "Expired", "content": {"application/json": {"schema": {"type": "object", "required": ["status", "silenceID"], "properties": {
          "status": {"type": "string", "enum": ["expired"]}, "silenceID": {"type": "string"}}}}}},
        "400": {"$ref": "#/components/responses/AlertingBadRequest"},
        "404": {"$ref": "#/components/responses/AlertingNotFound"},
        "500": {"$ref": "#/components/responses/AlertingFailure"},
        "503": {"$ref": "#/components/responses/AlertingFailure"}}}},
    "/api/v1/alert-notifiers": {"get": {"summary": "Each notifier's sent, failed, dropped, retried and queued notifications",
      "responses": {"200": {"description": "Notifiers", "content": {"application/json": {"schema": {"type": "object", "required": ["notifiers"], "properties": {
        "notifiers": {"type": "array", "items": {"type": "object", "required": ["name", "kind", "sent", "failed", "dropped", "retries", "queued", "lastError"], "properties": {
          "name": {"type": "string"}, "kind": {"type": "string", "enum": ["alertmanager", "webhook", "slack", "pagerduty"]},
          "sent": {"type": "integer", "minimum": 0}, "failed": {"type": "integer", "minimum": 0}, "dropped": {"type": "integer", "minimum": 0},
          "retries": {"type": "integer", "minimum": 0}, "queued": {"type": "integer", "minimum": 0}, "lastError": {"type": "string"}}}}}}}}}}}}
  },
  "components": {
    "responses": {
      "AlertingBadRequest": {"description": "The reason, naming the field", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertingError"}}}},
      "AlertingNotFound": {"description": "No such silence", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertingError"}}}},
      "AlertingFailure": {"description": "A store error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertingError"}}}}
    },
    "schemas": {
      "AlertingError": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["status", "message"], "properties": {
        "status": {"type": "integer"}, "message": {"type": "string"}}}}},
      "AlertingLabels": {"type": "object", "additionalProperties": {"type": "string"}},
      "AlertingTime": {"type": "string", "nullable": true, "description": "RFC 3339; null when it has not happened.", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T"},
      "AlertingAlert": {"type": "object", "required": ["fingerprint", "rule", "state", "labels", "annotations", "summary", "value", "baseline", "threshold", "activeAt", "firedAt", "resolvedAt", "lastActiveAt", "lastEvaluation", "ns", "generatorURL", "examples", "silenced"], "properties": {
        "fingerprint": {"type": "string"}, "rule": {"type": "string"},
        "state": {"type": "string", "enum": ["inactive", "pending", "firing", "resolved"]},
        "labels": {"$ref": "#/components/schemas/AlertingLabels"}, "annotations": {"$ref": "#/components/schemas/AlertingLabels"},
        "summary": {"type": "string"},
        "value": {"type": "number", "nullable": true}, "baseline": {"type": "number", "nullable": true}, "threshold": {"type": "number", "nullable": true},
        "activeAt": {"$ref": "#/components/schemas/AlertingTime"}, "firedAt": {"$ref": "#/components/schemas/AlertingTime"},
        "resolvedAt": {"$ref": "#/components/schemas/AlertingTime"}, "lastActiveAt": {"$ref": "#/components/schemas/AlertingTime"},
        "lastEvaluation": {"$ref": "#/components/schemas/AlertingTime"},
        "ns": {"type": "array", "minItems": 5, "maxItems": 5, "items": {"type": "integer", "minimum": 0}, "description": "activeAt, firedAt, resolvedAt, lastActiveAt, lastEvaluation as Unix nanoseconds (0: not yet)."},
        "generatorURL": {"type": "string", "description": "The UI's traces for this group and window, under server.external_url."},
        "examples": {"type": "object", "required": ["slowest", "mostExpensive", "lowestScored"], "description": "Trace ids; empty when none.", "properties": {
          "slowest": {"type": "string"}, "mostExpensive": {"type": "string"}, "lowestScored": {"type": "string"}}},
        "silenced": {"type": "boolean"}}},
      "AlertingRule": {"type": "object", "required": ["name", "kind", "group_by", "filters", "window_seconds", "baseline", "for_seconds", "keep_firing_for_seconds", "min_samples", "no_data", "severity", "labels", "annotations", "health", "lastError", "lastEvaluation", "evaluationTime", "groups", "pending", "firing"],
        "description": "Kind-specific fields: latency_regression percentile, ratio; quality_regression threshold, max_drop, evaluator, dimension; cost_spike factor, min_usd; error_rate threshold; budget period, amount_usd. baseline previous adds baseline_window_seconds, seasonal adds seasonal_days.",
        "properties": {
        "name": {"type": "string"}, "kind": {"type": "string", "enum": ["latency_regression", "quality_regression", "cost_spike", "error_rate", "budget"]},
        "group_by": {"type": "array", "items": {"type": "string"}}, "filters": {"$ref": "#/components/schemas/AlertingLabels"},
        "window_seconds": {"type": "number"}, "baseline": {"type": "string", "enum": ["none", "previous", "day_ago", "week_ago", "seasonal"]},
        "for_seconds": {"type": "number"}, "keep_firing_for_seconds": {"type": "number"}, "min_samples": {"type": "integer"},
        "no_data": {"type": "string", "enum": ["resolve", "keep_state", "alert"]}, "severity": {"type": "string"},
        "labels": {"$ref": "#/components/schemas/AlertingLabels"}, "annotations": {"$ref": "#/components/schemas/AlertingLabels"},
        "health": {"type": "string", "enum": ["unknown", "ok", "err"]}, "lastError": {"type": "string"},
        "lastEvaluation": {"$ref": "#/components/schemas/AlertingTime"}, "evaluationTime": {"type": "number", "description": "Seconds the last evaluation took."},
        "groups": {"type": "integer", "minimum": 0}, "pending": {"type": "integer", "minimum": 0}, "firing": {"type": "integer", "minimum": 0},
        "percentile": {"type": "number"}, "ratio": {"type": "number"}, "threshold": {"type": "number"}, "max_drop": {"type": "number"},
        "evaluator": {"type": "string"}, "dimension": {"type": "string"}, "factor": {"type": "number"}, "min_usd": {"type": "number"},
        "period": {"type": "string", "enum": ["day", "month"]}, "amount_usd": {"type": "number"},
        "baseline_window_seconds": {"type": "number"}, "seasonal_days": {"type": "integer"}}},
      "AlertingSilence": {"type": "object", "required": ["id", "matchers", "startsAt", "endsAt", "createdBy", "comment", "status"], "properties": {
        "id": {"type": "string"}, "matchers": {"type": "array", "items": {"type": "string"}, "description": "name=value, name!=value, name=~regex, name!~regex."},
        "startsAt": {"type": "string"}, "endsAt": {"type": "string"}, "createdBy": {"type": "string"}, "comment": {"type": "string"},
        "status": {"type": "object", "required": ["state"], "properties": {"state": {"type": "string", "enum": ["pending", "active", "expired"]}}}}},
      "AlertingSilenceInput": {"type": "object", "required": ["matchers", "endsAt"], "description": "Alertmanager's silence shape is accepted too.", "properties": {
        "id": {"type": "string", "description": "Optional; assigned when absent."},
        "matchers": {"type": "array", "items": {"oneOf": [
          {"type": "string", "description": "name=value, name!=value, name=~regex or name!~regex"},
          {"type": "object", "required": ["name", "value"], "properties": {"name": {"type": "string"}, "value": {"type": "string"},
            "isRegex": {"type": "boolean", "default": false}, "isEqual": {"type": "boolean", "default": true}}}]}},
        "startsAt": {"type": "string", "description": "RFC 3339; default now."}, "endsAt": {"type": "string", "description": "RFC 3339, in the future."},
        "createdBy": {"type": "string"}, "comment": {"type": "string"}}}
    }
  }
})json";
  return kFragment;
}

}  // namespace loupe::alerting
