#include "genai/call_fields.h"

#include <gtest/gtest.h>

#include "genai/fixture.h"
#include "genai/lookup.h"

namespace loupe::genai {
namespace {

using testing::MakeSpan;

// The key filter only skips scans: every lookup answers as without it.
TEST(Lookup, KeyFilterAnswersAsWithout) {
  model::Attributes a;
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) keys.push_back("k." + std::string(static_cast<size_t>(i % 7), 'x') + std::to_string(i));
  for (size_t i = 0; i < keys.size(); i += 2) a.Add(keys[i], static_cast<int64_t>(i));
  a.Add("empty", "");
  model::Span span = MakeSpan("s", "x", a);
  auto resource = std::make_shared<model::Resource>(*span.resource);
  resource->attributes.Add("service.name", "svc");
  resource->attributes.Add(keys[1], int64_t{1001});
  span.resource = resource;
  keys.push_back("service.name");
  keys.push_back("empty");
  keys.push_back("");

  std::vector<const model::AnyValue*> on_span, anywhere;
  std::vector<std::optional<int64_t>> ints;
  for (const auto& k : keys) {
    on_span.push_back(FindOnSpan(span, k));
    anywhere.push_back(Find(span, k));
    ints.push_back(FirstInt(span, {k}));
  }
  ScopedKeyFilter filter(span);
  for (size_t i = 0; i < keys.size(); ++i) {
    SCOPED_TRACE(keys[i]);
    EXPECT_EQ(FindOnSpan(span, keys[i]), on_span[i]);
    EXPECT_EQ(Find(span, keys[i]), anywhere[i]);
    EXPECT_EQ(FirstInt(span, {keys[i]}), ints[i]);
  }
  EXPECT_EQ(TextOf(FindFirst(span, {"nope", "service.name"})), "svc");
  EXPECT_EQ(*IntOf(Find(span, keys[1])), 1001);  // on the resource only
  EXPECT_EQ(*IntOf(FindOnSpan(span, keys[2])), 2);
  {
    // A filter for another span does not answer for this one.
    model::Span other = MakeSpan("s", "y", model::Attributes());
    ScopedKeyFilter inner(other);
    EXPECT_EQ(*IntOf(FindOnSpan(span, keys[2])), 2);
  }
  EXPECT_EQ(*IntOf(FindOnSpan(span, keys[4])), 4);
}

TEST(Cost, UsdRoundsToNearestNanoDollar) {
  EXPECT_EQ(UsdToNanos(0.0081), 8100000);
  EXPECT_EQ(UsdToNanos(0.0000000014), 1);
  EXPECT_EQ(UsdToNanos(0.0000000016), 2);
  EXPECT_EQ(UsdToNanos(1.0), 1000000000);
  EXPECT_FALSE(UsdToNanos(-1).has_value());
  EXPECT_FALSE(UsdToNanos(1e300).has_value());
}

TEST(Cost, KeysInPriorityOrder) {
  model::Attributes a;
  a.Add("gen_ai.usage.cost", 0.5);
  a.Add("llm.cost.total", 0.25);
  EXPECT_EQ(ReadReportedCostNanos(MakeSpan("s", "x", a)), 250000000);
  model::Attributes lf;
  lf.Add("langfuse.observation.cost_details", R"({"input": 0.001, "output": 0.002})");
  EXPECT_EQ(ReadReportedCostNanos(MakeSpan("s", "x", lf)), 3000000);  // no total: the sum
  model::Attributes bad;
  bad.Add("ai.cost_usd", "NaN");
  EXPECT_FALSE(ReadReportedCostNanos(MakeSpan("s", "x", bad)).has_value());
}

TEST(TimeToFirstToken, KeysAndUnits) {
  model::Attributes a;
  a.Add("gen_ai.response.time_to_first_chunk", 0.5);
  EXPECT_EQ(ReadTimeToFirstToken(MakeSpan("s", "x", a)), 500000000);
  model::Attributes v;
  v.Add("ai.response.msToFirstChunk", 120);
  EXPECT_EQ(ReadTimeToFirstToken(MakeSpan("s", "x", v)), 120000000);
  model::Span ev = MakeSpan("s", "x", {});
  model::Event first;
  first.name = "ai.stream.firstChunk";
  first.time_unix_nano = ev.start_time_unix_nano + 7000;
  ev.events.push_back(first);
  EXPECT_EQ(ReadTimeToFirstToken(ev), 7000);
  model::Attributes neg;
  neg.Add("gen_ai.server.time_to_first_token", -1.0);
  EXPECT_FALSE(ReadTimeToFirstToken(MakeSpan("s", "x", neg)).has_value());
}

TEST(Iso8601, Parses) {
  EXPECT_EQ(ParseIso8601Nanos("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIso8601Nanos("\"2025-01-01T00:00:00.300000Z\""), 1735689600300000000);
  EXPECT_EQ(ParseIso8601Nanos("2025-01-01T02:00:00+02:00"), 1735689600000000000);
  EXPECT_EQ(ParseIso8601Nanos("2024-02-29 12:00:00.5"), 1709208000500000000);
  EXPECT_FALSE(ParseIso8601Nanos("yesterday").has_value());
  EXPECT_FALSE(ParseIso8601Nanos("2025-13-01T00:00:00Z").has_value());
}

TEST(ServiceTier, ResponseTierWinsAndStandardIsBlank) {
  model::Attributes a;
  a.Add("openai.request.service_tier", "auto");
  a.Add("openai.response.service_tier", "priority");
  EXPECT_EQ(ReadServiceTier(MakeSpan("s", "x", a)), "priority");
  model::Attributes d;
  d.Add("openai.response.service_tier", "default");
  EXPECT_EQ(ReadServiceTier(MakeSpan("s", "x", d)), "");
  model::Attributes b;
  b.Add("gen_ai.openai.request.service_tier", "Batch");
  EXPECT_EQ(ReadServiceTier(MakeSpan("s", "x", b)), "batch");
}

TEST(ErrorType, FromAttributeExceptionOrStatus) {
  model::Span ok = MakeSpan("s", "x", {});
  EXPECT_EQ(ReadErrorType(ok), "");
  model::Span failed = MakeSpan("s", "x", {});
  failed.status.code = model::StatusCode::kError;
  EXPECT_EQ(ReadErrorType(failed), "_OTHER");
  model::Event ex;
  ex.name = "exception";
  ex.attributes.Add("exception.type", "TimeoutError");
  failed.events.push_back(ex);
  EXPECT_EQ(ReadErrorType(failed), "TimeoutError");
  failed.attributes.Add("error.type", "timeout");
  EXPECT_EQ(ReadErrorType(failed), "timeout");
}

TEST(ErrorType, PythonClassStringBecomesTheCanonicalName) {
  // opentelemetry-instrumentation-openai-v2 2.4b0 writes str(type(e)).
  model::Attributes a;
  a.Add("error.type", "<class 'openai.BadRequestError'>");
  EXPECT_EQ(ReadErrorType(MakeSpan("s", "x", a)), "openai.BadRequestError");
  EXPECT_EQ(CanonicalErrorType("BadRequestError"), "BadRequestError");  // 2.3b0
  EXPECT_EQ(CanonicalErrorType("<class ''>"), "<class ''>");            // nothing inside: left alone
  EXPECT_EQ(CanonicalErrorType("<class 'x'"), "<class 'x'");
}

TEST(Models, OpenInferenceRequestModelFromInvocationParameters) {
  // openinference-instrumentation-openai 0.1.66: llm.model_name is the
  // response's model; the request parameters name the one asked for.
  model::Attributes a;
  a.Add("openinference.span.kind", "LLM");
  a.Add("llm.model_name", "gpt-4o-mini-2024-07-18");
  a.Add("llm.invocation_parameters", R"({"model": "gpt-4o-mini", "max_tokens": 100})");
  model::Span span = MakeSpan("s", "ChatCompletion", a);
  EXPECT_EQ(ReadRequestModel(span), "gpt-4o-mini");
  EXPECT_EQ(ReadResponseModel(span), "gpt-4o-mini-2024-07-18");
  // Without parameters (JS embeddings), the one name is both.
  model::Attributes e;
  e.Add("openinference.span.kind", "EMBEDDING");
  e.Add("embedding.model_name", "text-embedding-3-small");
  model::Span emb = MakeSpan("e", "OpenAI Embeddings", e);
  EXPECT_EQ(ReadRequestModel(emb), "text-embedding-3-small");
  EXPECT_EQ(ReadResponseModel(emb), "text-embedding-3-small");
  // llm.model_name outside OpenInference is not taken as a response model.
  model::Attributes o;
  o.Add("llm.model_name", "gpt-4o");
  EXPECT_EQ(ReadResponseModel(MakeSpan("o", "x", o)), "");
}

TEST(FinishReasons, OpenInferenceKey) {
  model::Attributes a;
  a.Add("openinference.span.kind", "LLM");
  a.Add("llm.finish_reason", "tool_calls");
  EXPECT_EQ(ReadFinishReasons(MakeSpan("s", "x", a), Content{}), std::vector<std::string>{"tool_calls"});
}

TEST(Lookup, SpanBeforeResourceAndNumericStrings) {
  model::Attributes res;
  res.Add("k1", "resource");
  model::Attributes a;
  a.Add("k2", "span");
  model::Span s = MakeSpan("s", "x", a, "", "", res);
  // k1 is only on the resource, k2 on the span: the span's key wins even
  // though k1 is listed first.
  EXPECT_EQ(FirstText(s, {"k1", "k2"}), "span");
  EXPECT_EQ(FirstText(s, {"k1"}), "resource");
  model::AnyValue str("12"), flt("12.0"), junk("12abc");
  EXPECT_EQ(IntOf(&str), 12);
  EXPECT_EQ(IntOf(&flt), 12);
  EXPECT_FALSE(IntOf(&junk).has_value());
  EXPECT_EQ(MajorVersion("v6.0.1"), 6);
  EXPECT_EQ(MajorVersion(""), 0);
}

}  // namespace
}  // namespace loupe::genai
