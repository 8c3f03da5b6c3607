// OTLP/JSON decoding: a request shaped like the OpenTelemetry JS SDK's JSON
// exporter output, the lenient forms other emitters use, partial
// rejection, whole-body errors with their paths, invalid text, and limits.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "otlp/decode.h"

namespace loupe::otlp {
namespace {

Result<DecodedTraces> Json(std::string_view body) { return DecodeTraces(body, Encoding::kJson); }

DecodedTraces JsonOk(std::string_view body) {
  Result<DecodedTraces> r = Json(body);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : DecodedTraces{};
}

std::string ErrorOf(std::string_view body) {
  Result<DecodedTraces> r = Json(body);
  EXPECT_FALSE(r.ok()) << body;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  return r.status().message();
}

// One span inside the usual envelope.
std::string OneSpan(std::string_view span_json) {
  return R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"s"},"spans":[)" +
         std::string(span_json) + "]}]}]}";
}

constexpr char kIds[] = R"("traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174")";

// Shaped like @opentelemetry/exporter-trace-otlp-http's JSON: hex ids,
// times as decimal strings, integer enums, intValue as a number.
constexpr char kJsSdkRequest[] = R"({
  "resourceSpans": [{
    "resource": {
      "attributes": [
        {"key": "service.name", "value": {"stringValue": "chat-api"}},
        {"key": "telemetry.sdk.language", "value": {"stringValue": "nodejs"}},
        {"key": "process.pid", "value": {"intValue": 4242}}
      ],
      "droppedAttributesCount": 0
    },
    "scopeSpans": [{
      "scope": {"name": "@opentelemetry/instrumentation-openai", "version": "0.3.0"},
      "spans": [{
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": "eee19b7ec3c1b174",
        "parentSpanId": "eee19b7ec3c1b173",
        "traceState": "",
        "name": "chat gpt-4o-mini",
        "kind": 3,
        "startTimeUnixNano": "1718000000000000000",
        "endTimeUnixNano": "1718000001500000000",
        "attributes": [
          {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
          {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o-mini"}},
          {"key": "gen_ai.usage.input_tokens", "value": {"intValue": 12}},
          {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "34"}},
          {"key": "gen_ai.request.temperature", "value": {"doubleValue": 0.7}},
          {"key": "gen_ai.response.finish_reasons", "value": {"arrayValue": {"values": [{"stringValue": "stop"}]}}}
        ],
        "droppedAttributesCount": 0,
        "events": [{
          "attributes": [{"key": "gen_ai.system", "value": {"stringValue": "openai"}}],
          "name": "gen_ai.user.message",
          "timeUnixNano": "1718000000100000000",
          "droppedAttributesCount": 0
        }],
        "droppedEventsCount": 0,
        "status": {"code": 2, "message": "boom"},
        "links": [{"traceId": "5b8efff798038103d269b633813fc60d", "spanId": "eee19b7ec3c1b175",
                   "attributes": [], "droppedAttributesCount": 0}],
        "droppedLinksCount": 0
      }, {
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": "eee19b7ec3c1b173",
        "name": "POST /chat",
        "kind": 2,
        "startTimeUnixNano": "1717999999000000000",
        "endTimeUnixNano": "1718000002000000000",
        "attributes": [],
        "status": {"code": 0}
      }]
    }]
  }]
})";

TEST(JsonDecodeTest, JsSdkShapedRequest) {
  DecodedTraces d = JsonOk(kJsSdkRequest);
  EXPECT_EQ(d.rejected_spans, 0);
  ASSERT_EQ(d.batch.spans.size(), 2u);
  const model::Span& s = d.batch.spans[0].span;
  EXPECT_EQ(model::ToHex(s.trace_id), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(model::ToHex(s.span_id), "eee19b7ec3c1b174");
  EXPECT_EQ(model::ToHex(s.parent_span_id), "eee19b7ec3c1b173");
  EXPECT_EQ(s.name, "chat gpt-4o-mini");
  EXPECT_EQ(s.kind, model::SpanKind::kClient);
  EXPECT_EQ(s.start_time_unix_nano, 1718000000000000000ULL);
  EXPECT_EQ(s.end_time_unix_nano, 1718000001500000000ULL);
  EXPECT_EQ(*s.attributes.Find("gen_ai.request.model")->AsString(), "gpt-4o-mini");
  EXPECT_EQ(*s.attributes.Find("gen_ai.usage.input_tokens")->AsInt(), 12);
  EXPECT_EQ(*s.attributes.Find("gen_ai.usage.output_tokens")->AsInt(), 34);
  EXPECT_DOUBLE_EQ(*s.attributes.Find("gen_ai.request.temperature")->AsDouble(), 0.7);
  EXPECT_EQ(s.attributes.Find("gen_ai.response.finish_reasons")->AsArray()->values[0], model::AnyValue("stop"));
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].name, "gen_ai.user.message");
  EXPECT_EQ(s.events[0].time_unix_nano, 1718000000100000000ULL);
  EXPECT_EQ(s.status.code, model::StatusCode::kError);
  EXPECT_EQ(s.status.message, "boom");
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(model::ToHex(s.links[0].span_id), "eee19b7ec3c1b175");
  EXPECT_EQ(*s.resource->attributes.Find("service.name")->AsString(), "chat-api");
  EXPECT_EQ(*s.resource->attributes.Find("process.pid")->AsInt(), 4242);
  EXPECT_EQ(s.scope->name, "@opentelemetry/instrumentation-openai");
  EXPECT_EQ(s.scope->version, "0.3.0");
  const model::Span& root = d.batch.spans[1].span;
  EXPECT_TRUE(root.is_root());
  EXPECT_EQ(root.kind, model::SpanKind::kServer);
  EXPECT_EQ(root.resource.get(), s.resource.get());
  EXPECT_EQ(root.scope.get(), s.scope.get());
}

TEST(JsonDecodeTest, NumbersAndStringsAreBothAccepted) {
  std::string span = std::string("{") + kIds + R"(,"name":"n",
      "startTimeUnixNano":1718000000000000000,"endTimeUnixNano":"1718000000000000001",
      "flags":"257","droppedAttributesCount":"2",
      "attributes":[
        {"key":"a","value":{"intValue":"-9223372036854775808"}},
        {"key":"b","value":{"intValue":9223372036854775807}},
        {"key":"c","value":{"doubleValue":"NaN"}},
        {"key":"d","value":{"doubleValue":3}},
        {"key":"e","value":{"doubleValue":"-Infinity"}},
        {"key":"f","value":{"intValue":5.0}},
        {"key":"g","value":{"doubleValue":"2.5"}}]})";
  DecodedTraces d = JsonOk(OneSpan(span));
  ASSERT_EQ(d.batch.spans.size(), 1u);
  const model::Span& s = d.batch.spans[0].span;
  EXPECT_EQ(s.start_time_unix_nano, 1718000000000000000ULL);
  EXPECT_EQ(s.end_time_unix_nano, 1718000000000000001ULL);
  EXPECT_EQ(s.flags, 257u);
  EXPECT_EQ(s.dropped_attributes_count, 2u);
  EXPECT_EQ(*s.attributes.Find("a")->AsInt(), INT64_MIN);
  EXPECT_EQ(*s.attributes.Find("b")->AsInt(), INT64_MAX);
  EXPECT_TRUE(std::isnan(*s.attributes.Find("c")->AsDouble()));
  EXPECT_EQ(*s.attributes.Find("d")->AsDouble(), 3.0);
  EXPECT_EQ(*s.attributes.Find("e")->AsDouble(), -INFINITY);
  EXPECT_EQ(*s.attributes.Find("f")->AsInt(), 5);
  EXPECT_EQ(*s.attributes.Find("g")->AsDouble(), 2.5);
}

TEST(JsonDecodeTest, SnakeCaseKeysEnumNamesAndUnknownFields) {
  constexpr char kBody[] = R"({"resource_spans":[{"unknown":{"deep":[1,2,{"x":null}]},
      "resource":{"attributes":[{"key":"service.name","value":{"string_value":"svc"}}],"novel":1},
      "schema_url":"res-schema",
      "scope_spans":[{"scope":{"name":"sc","version":"1","extra":true},"schema_url":"scope-schema",
        "spans":[{"trace_id":"5B8EFFF798038103D269B633813FC60C","span_id":"eee19b7ec3c1b174",
          "parent_span_id":"","name":"n","kind":"SPAN_KIND_CONSUMER","start_time_unix_nano":"5",
          "end_time_unix_nano":"6","status":{"code":"STATUS_CODE_OK","whatever":[]},
          "attributes":[{"key":"k","value":{"bool_value":true},"comment":"ignored"},
                        {"key":"b","value":{"bytesValue":"AP8="}},
                        {"key":"u","value":{"bytesValue":"-_8"}},
                        {"key":"m","value":{"kvlistValue":{"values":[{"key":"in","value":{"intValue":"1"}}]}}},
                        {"key":"nul","value":{"stringValue":null}},
                        {"key":"empty","value":{}}],
          "futureField":{"a":"b"}}]}]}],"topLevelExtra":42})";
  DecodedTraces d = JsonOk(kBody);
  ASSERT_EQ(d.batch.spans.size(), 1u);
  const model::Span& s = d.batch.spans[0].span;
  EXPECT_EQ(model::ToHex(s.trace_id), "5b8efff798038103d269b633813fc60c");
  EXPECT_TRUE(s.is_root());
  EXPECT_EQ(s.kind, model::SpanKind::kConsumer);
  EXPECT_EQ(s.status.code, model::StatusCode::kOk);
  EXPECT_EQ(s.start_time_unix_nano, 5u);
  EXPECT_EQ(*s.attributes.Find("k")->AsBool(), true);
  EXPECT_EQ(s.attributes.Find("b")->v, model::AnyValue::Variant(model::Bytes{std::string("\x00\xff", 2)}));
  EXPECT_EQ(s.attributes.Find("u")->v, model::AnyValue::Variant(model::Bytes{std::string("\xfb\xff", 2)}));
  EXPECT_EQ(s.attributes.Find("m")->AsKvList()->values[0].value, model::AnyValue(1));
  EXPECT_TRUE(s.attributes.Find("nul")->empty());
  EXPECT_TRUE(s.attributes.Find("empty")->empty());
  EXPECT_EQ(*s.resource->attributes.Find("service.name")->AsString(), "svc");
  EXPECT_EQ(s.resource->schema_url, "res-schema");
  EXPECT_EQ(s.scope->name, "sc");
  EXPECT_EQ(s.scope->schema_url, "scope-schema");
}

TEST(JsonDecodeTest, BadIdLengthsRejectOnlyTheirSpan) {
  std::string body = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"good"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b1","name":"x"},
      {"name":"late ids","spanId":"eee19b7ec3c1b174","traceId":"5b8efff798038103d269b633813fc6"},
      {"traceId":"00000000000000000000000000000000","spanId":"eee19b7ec3c1b174","name":"zero"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"ab","name":"p"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","name":"also good",
       "startTimeUnixNano":"10","endTimeUnixNano":"9"}]}]}]})";
  DecodedTraces d = JsonOk(body);
  ASSERT_EQ(d.batch.spans.size(), 2u);
  EXPECT_EQ(d.batch.spans[0].span.name, "good");
  EXPECT_EQ(d.batch.spans[1].span.name, "also good");
  EXPECT_TRUE(d.batch.spans[1].span.clock_skew);
  EXPECT_FALSE(d.batch.spans[0].span.clock_skew);
  EXPECT_EQ(d.rejected_spans, 4);
  EXPECT_EQ(d.rejection_message,
            "span 1 (name \"x\"): span_id has 7 bytes, want 8; "
            "span 2 (name \"late ids\"): trace_id has 15 bytes, want 16; "
            "span 3 (name \"zero\"): trace_id is all zeros; "
            "span 4 (name \"p\"): parent_span_id has 1 bytes, want 8");
}

TEST(JsonDecodeTest, WholeBodyErrorsNameThePath) {
  std::string spans = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a"},{"name":"b"},
      {"traceId":"zz8efff798038103d269b633813fc60c","name":"c"}]}]}]})";
  EXPECT_EQ(ErrorOf(spans), "json: resourceSpans[0].scopeSpans[0].spans[2].traceId: not hex");
  EXPECT_EQ(ErrorOf(R"({"resourceSpans":[{"scopeSpans":[{"spans":{}}]}]})"),
            "json: resourceSpans[0].scopeSpans[0].spans: expected an array");
  EXPECT_EQ(ErrorOf(OneSpan(R"({"startTimeUnixNano":"12x"})")),
            "json: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: not an unsigned 64-bit integer: \"12x\"");
  EXPECT_EQ(ErrorOf(OneSpan(R"({"startTimeUnixNano":-1})")),
            "json: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: negative value -1");
  EXPECT_EQ(ErrorOf(OneSpan(R"({"kind":"SPAN_KIND_WHATEVER"})")),
            "json: resourceSpans[0].scopeSpans[0].spans[0].kind: unknown enum value \"SPAN_KIND_WHATEVER\"");
  EXPECT_EQ(ErrorOf(OneSpan(R"({"attributes":[{"key":"k","value":{"intValue":"1.5"}}]})")),
            "json: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: not a 64-bit integer: \"1.5\"");
  EXPECT_EQ(ErrorOf(OneSpan(R"({"attributes":[{"key":"k","value":{"bytesValue":"*"}}]})")),
            "json: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.bytesValue: not base64");
  EXPECT_EQ(ErrorOf(OneSpan(R"({"status":{"message":7}})")),
            "json: resourceSpans[0].scopeSpans[0].spans[0].status.message: expected a string, got a number");
  EXPECT_EQ(ErrorOf(OneSpan(R"({"spanId":"abc"})")),
            "json: resourceSpans[0].scopeSpans[0].spans[0].spanId: not hex (odd number of digits)");
  EXPECT_EQ(ErrorOf(R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":"plain"}]}}]})"),
            "json: resourceSpans[0].resource.attributes[0].value: expected an object");
}

TEST(JsonDecodeTest, MalformedBodies) {
  EXPECT_EQ(ErrorOf(""), "json: empty body");
  EXPECT_EQ(ErrorOf("[]"), "json: expected an object at the top level, got an array");
  std::string syntax = ErrorOf("{\"resourceSpans\": [\n  {\"scopeSpans\": x}]}");
  EXPECT_EQ(syntax.rfind("json: line 2, column 18: syntax error", 0), 0u) << syntax;
  std::string truncated = ErrorOf(std::string(kJsSdkRequest).substr(0, 300));
  EXPECT_EQ(truncated.rfind("json: line ", 0), 0u) << truncated;
  EXPECT_EQ(ErrorOf("\x01\x02garbage\xff").rfind("json: ", 0), 0u);
  // An empty object is a valid empty request.
  DecodedTraces d = JsonOk("{}");
  EXPECT_TRUE(d.batch.spans.empty());
}

TEST(JsonDecodeTest, InvalidUtf8AndLoneSurrogatesAreRepaired) {
  std::string span = std::string("{") + kIds +
                     ",\"name\":\"chat \xff\",\"attributes\":["
                     "{\"key\":\"emoji\",\"value\":{\"stringValue\":\"cut \\ud83d\"}},"
                     "{\"key\":\"pair\",\"value\":{\"stringValue\":\"ok \\ud83d\\ude00 \\\" \\\\\"}},"
                     "{\"key\":\"low\",\"value\":{\"stringValue\":\"\\udc00x\"}},"
                     "{\"key\":\"utf8\",\"value\":{\"stringValue\":\"caf\xc3\xa9\"}}]}";
  DecodedTraces d = JsonOk(OneSpan(span));
  ASSERT_EQ(d.batch.spans.size(), 1u);
  const model::Span& s = d.batch.spans[0].span;
  EXPECT_EQ(s.name, "chat \xEF\xBF\xBD");
  EXPECT_EQ(*s.attributes.Find("emoji")->AsString(), "cut \xEF\xBF\xBD");
  EXPECT_EQ(*s.attributes.Find("pair")->AsString(), "ok \xF0\x9F\x98\x80 \" \\");
  EXPECT_EQ(*s.attributes.Find("low")->AsString(), "\xEF\xBF\xBDx");
  EXPECT_EQ(*s.attributes.Find("utf8")->AsString(), "caf\xc3\xa9");
  EXPECT_EQ(d.sanitized_strings, 3);
}

TEST(JsonDecodeTest, TenThousandAttributesDecodeQuickly) {
  std::string attrs;
  for (int i = 0; i < 10000; ++i) {
    if (i) attrs += ',';
    attrs += R"({"key":"key.)" + std::to_string(i) + R"(","value":{"stringValue":"value"}})";
  }
  std::string body = OneSpan(std::string("{") + kIds + ",\"attributes\":[" + attrs + "]}");
  auto start = std::chrono::steady_clock::now();
  DecodedTraces d = JsonOk(body);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(d.batch.spans.size(), 1u);
  ASSERT_EQ(d.batch.spans[0].span.attributes.size(), 10000u);
  EXPECT_EQ(d.batch.spans[0].span.attributes.items()[9999].key, "key.9999");
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

// An attribute value of `depth` AnyValues nested through arrayValue.
std::string NestedValue(int depth) {
  std::string open, close;
  for (int i = 1; i < depth; ++i) {
    open += R"({"arrayValue":{"values":[)";
    close += "]}}";
  }
  return open + R"({"intValue":1})" + close;
}

TEST(JsonDecodeTest, DeepNestingIsRejectedWithItsDepth) {
  auto body = [](int depth) {
    return OneSpan(std::string("{") + kIds + R"(,"attributes":[{"key":"d","value":)" + NestedValue(depth) + "}]}");
  };
  DecodedTraces ok = JsonOk(body(kMaxAnyValueDepth));
  ASSERT_EQ(ok.batch.spans.size(), 1u);
  std::string err = ErrorOf(body(kMaxAnyValueDepth + 1));
  EXPECT_EQ(err.rfind("json: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.arrayValue.values[0]", 0), 0u)
      << err;
  EXPECT_NE(err.find(": AnyValue nested deeper than 64 levels"), std::string::npos) << err;
  // Far deeper than any parser limit: still an error, never a crash.
  std::string bomb(100000, '[');
  EXPECT_NE(ErrorOf(bomb).find("json: "), std::string::npos);
  std::string deep_kv = R"({"kvlistValue":{"values":[{"key":"k","value":)";
  std::string kv_body;
  for (int i = 0; i < 200; ++i) kv_body += deep_kv;
  kv_body += "{}";
  for (int i = 0; i < 200; ++i) kv_body += "}]}}";
  EXPECT_NE(ErrorOf(OneSpan(std::string("{") + kIds + R"(,"attributes":[{"key":"d","value":)" + kv_body + "}]}"))
                .find("nested deeper than 64 levels"),
            std::string::npos);
}

TEST(JsonDecodeLogsTest, LogsWithIdsEventNameAndBody) {
  constexpr char kBody[] = R"({"resourceLogs":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"chat-api"}}]},
    "scopeLogs":[{"scope":{"name":"opentelemetry.instrumentation.openai_v2"},"logRecords":[
      {"timeUnixNano":"1718000000000000000","observedTimeUnixNano":1718000000000000001,
       "severityNumber":9,"severityText":"INFO","eventName":"gen_ai.choice",
       "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","flags":1,
       "body":{"kvlistValue":{"values":[{"key":"index","value":{"intValue":"0"}},
         {"key":"message","value":{"kvlistValue":{"values":[{"key":"content","value":{"stringValue":"Hello!"}}]}}}]}},
       "attributes":[{"key":"gen_ai.system","value":{"stringValue":"openai"}}]},
      {"severity_number":"SEVERITY_NUMBER_WARN","body":{"stringValue":"no ids"},"traceId":"","spanId":""},
      {"eventName":"gen_ai.user.message","traceId":"5b8efff798038103d269b633813fc60c","spanId":"ee"}]}]}]})";
  Result<DecodedLogs> r = DecodeLogs(kBody, Encoding::kJson);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->logs.size(), 2u);
  const model::LogRecord& l = r->logs[0];
  EXPECT_EQ(l.time_unix_nano, 1718000000000000000ULL);
  EXPECT_EQ(l.observed_time_unix_nano, 1718000000000000001ULL);
  EXPECT_EQ(l.severity_number, 9);
  EXPECT_EQ(l.severity_text, "INFO");
  EXPECT_EQ(l.event_name, "gen_ai.choice");
  EXPECT_EQ(model::ToHex(l.trace_id), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(model::ToHex(l.span_id), "eee19b7ec3c1b174");
  EXPECT_EQ(l.flags, 1u);
  ASSERT_NE(l.body.AsKvList(), nullptr);
  EXPECT_EQ(l.body.ToJson(), R"({"index":0,"message":{"content":"Hello!"}})");
  EXPECT_EQ(*l.attributes.Find("gen_ai.system")->AsString(), "openai");
  EXPECT_EQ(*l.resource->attributes.Find("service.name")->AsString(), "chat-api");
  EXPECT_EQ(l.scope->name, "opentelemetry.instrumentation.openai_v2");
  EXPECT_EQ(r->logs[1].severity_number, 13);
  EXPECT_TRUE(model::IsZero(r->logs[1].trace_id));
  EXPECT_EQ(r->logs[1].body, model::AnyValue("no ids"));
  EXPECT_EQ(r->rejected_log_records, 1);
  EXPECT_EQ(r->rejection_message, "log record 2 (name \"gen_ai.user.message\"): span_id has 1 bytes, want 8");

  Result<DecodedLogs> bad = DecodeLogs(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":[]}]}]}]})", Encoding::kJson);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "json: resourceLogs[0].scopeLogs[0].logRecords[0].body: expected an object");
}

TEST(JsonDecodeMetricsTest, CountsDataPoints) {
  constexpr char kBody[] = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
      {"name":"g","gauge":{"dataPoints":[{"asDouble":1},{"asInt":"2"}]}},
      {"name":"s","sum":{"dataPoints":[{"asInt":"3"}],"aggregationTemporality":2,"isMonotonic":true}},
      {"name":"h","histogram":{"dataPoints":[{"count":"1","bucketCounts":["1"],"explicitBounds":[]}]}},
      {"name":"e","exponentialHistogram":{"dataPoints":[{}]}},
      {"name":"q","summary":{"dataPoints":[{}, {}]}}]}]}]})";
  Result<DecodedMetrics> r = DecodeMetrics(kBody, Encoding::kJson);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data_points, 7);
  Result<DecodedMetrics> bad = DecodeMetrics(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[1]}}]}]}]})", Encoding::kJson);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "json: resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0]: expected an object");
}

}  // namespace
}  // namespace loupe::otlp
