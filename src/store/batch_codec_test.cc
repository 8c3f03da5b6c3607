#include "store/batch_codec.h"

#include <gtest/gtest.h>

#include "store/test_util.h"

namespace loupe::store {
namespace {

model::Batch RichBatch() {
  model::Batch b;
  testing::LlmSpec spec;
  spec.cache_read = 7;
  b.spans.push_back(testing::LlmSpan(spec));
  model::Span& s = b.spans[0].span;
  s.attributes.Add("nested", model::KeyValueList{{{"k", model::ArrayValue{{1, 2.5, true, "x"}}}}});
  s.attributes.Add("bytes", model::Bytes{std::string("\0\1\2", 3)});
  s.attributes.Add("neg", int64_t{-42});
  model::Event event;
  event.time_unix_nano = 123;
  event.name = "exception";
  event.attributes.Add("exception.type", "Boom");
  event.dropped_attributes_count = 1;
  s.events.push_back(event);
  s.links.push_back({testing::TraceIdOf(9), testing::SpanIdOf(9), "ts", {}, 0, 1});
  s.status = {model::StatusCode::kError, "bad"};
  s.clock_skew = true;
  model::LogRecord log;
  log.event_name = "gen_ai.user.message";
  log.body = "hello";
  log.trace_id = s.trace_id;
  log.span_id = s.span_id;
  log.resource = s.resource;
  s.logs.push_back(log);
  b.spans[0].llm->time_to_first_token_nanos = 5;
  b.spans[0].llm->finish_reasons = {"stop"};
  b.spans.push_back(testing::PlainSpan(1, 2, 1, 10, "tool"));
  b.spans[1].span.resource = b.spans[0].span.resource;  // shared: interned once
  b.logs.push_back(log);
  return b;
}

TEST(BatchCodec, RoundTripKeepsEveryField) {
  model::Batch in = RichBatch();
  std::string bytes = EncodeBatch(in);
  model::Batch out;
  ASSERT_TRUE(DecodeBatch(bytes, &out).ok());
  ASSERT_EQ(out.spans.size(), 2u);
  const model::Span& a = in.spans[0].span;
  const model::Span& b = out.spans[0].span;
  EXPECT_EQ(b.trace_id, a.trace_id);
  EXPECT_EQ(b.span_id, a.span_id);
  EXPECT_EQ(b.name, a.name);
  EXPECT_EQ(b.attributes, a.attributes);
  EXPECT_EQ(b.resource->attributes, a.resource->attributes);
  EXPECT_EQ(b.scope->name, "test-instrumentation");
  EXPECT_EQ(b.events[0].name, "exception");
  EXPECT_EQ(b.events[0].attributes, a.events[0].attributes);
  EXPECT_EQ(b.links[0].span_id, a.links[0].span_id);
  EXPECT_EQ(b.status.code, model::StatusCode::kError);
  EXPECT_EQ(b.status.message, "bad");
  EXPECT_TRUE(b.clock_skew);
  ASSERT_EQ(b.logs.size(), 1u);
  EXPECT_EQ(b.logs[0].body, a.logs[0].body);
  const model::LlmCall& ca = *in.spans[0].llm;
  const model::LlmCall& cb = *out.spans[0].llm;
  EXPECT_EQ(cb.tokens, ca.tokens);
  EXPECT_EQ(cb.cost, ca.cost);
  EXPECT_EQ(cb.input_messages, ca.input_messages);
  EXPECT_EQ(cb.output_messages, ca.output_messages);
  EXPECT_EQ(cb.team, "search");
  EXPECT_EQ(cb.time_to_first_token_nanos, 5);
  EXPECT_EQ(cb.finish_reasons, ca.finish_reasons);
  EXPECT_FALSE(out.spans[1].llm.has_value());
  // Interned: both spans share one decoded resource.
  EXPECT_EQ(out.spans[0].span.resource.get(), out.spans[1].span.resource.get());
  EXPECT_EQ(out.logs.size(), 1u);
  // Stable: re-encoding gives the same bytes.
  EXPECT_EQ(EncodeBatch(out), bytes);
}

TEST(BatchCodec, SpanRecordWithoutContentAndContentApart) {
  model::Batch in = RichBatch();
  model::SpanRecord out;
  ASSERT_TRUE(DecodeSpanRecord(EncodeSpanRecord(in.spans[0], false), &out).ok());
  EXPECT_TRUE(out.llm->input_messages.empty());
  ASSERT_TRUE(DecodeContent(EncodeContent(*in.spans[0].llm), &*out.llm).ok());
  EXPECT_EQ(out.llm->input_messages, in.spans[0].llm->input_messages);
  EXPECT_NE(ContentText(*in.spans[0].llm).find("capital of France"), std::string::npos);
}

TEST(BatchCodec, TruncatedOrDamagedBytesAreErrorsNotCrashes) {
  std::string bytes = EncodeBatch(RichBatch());
  for (size_t n = 0; n < bytes.size(); n += 7) {
    model::Batch out;
    EXPECT_FALSE(DecodeBatch(std::string_view(bytes).substr(0, n), &out).ok()) << n;
  }
  std::string flipped = bytes;
  for (size_t i = 1; i < flipped.size(); i += 13) {
    flipped[i] = static_cast<char>(~flipped[i]);
    model::Batch out;
    (void)DecodeBatch(flipped, &out);  // may or may not decode; must not crash
  }
}

TEST(BatchCodec, CompressRoundTripAndRejectsGarbage) {
  std::string raw(10000, 'a');
  std::string c = Compress(raw), back;
  EXPECT_LT(c.size(), raw.size() / 10);
  ASSERT_TRUE(Decompress(c, &back).ok());
  EXPECT_EQ(back, raw);
  EXPECT_FALSE(Decompress("not zstd at all", &back).ok());
}

}  // namespace
}  // namespace loupe::store
