// The API-facing questions: trace search filters and per-trace scores,
// rollups by user and session, the session list, Health, and content
// retention reaching the raw content attributes of stored spans.
#include <fstream>
#include <sstream>

#include "store/batch_codec.h"
#include "store/sqlite/db.h"
#include "store/sqlite/store_fixture.h"

namespace loupe::store {
namespace {

namespace fs = std::filesystem;
using testing::LlmSpan;
using testing::LlmSpec;
using testing::SpanIdOf;
using testing::TraceIdOf;

std::vector<model::TraceId> Ids(const TracePage& page) {
  std::vector<model::TraceId> out;
  for (const auto& t : page.traces) out.push_back(t.trace_id);
  return out;
}

class SearchTest : public SqliteStoreTest {
 protected:
  // Trace 1: openai, v1, 1 ms. Trace 2: anthropic, v2, a 2 s trace (root
  // plus a late child). Trace 3: openai, v2, user u2, session s2.
  void Fill(Store& store) {
    LlmSpec a;
    a.trace = 1;
    a.start_ns = kDay0 + 10 * kMinuteNs;
    LlmSpec b;
    b.trace = 2;
    b.provider = "anthropic";
    b.model = "claude";
    b.prompt_version = "v2";
    b.start_ns = kDay0 + 20 * kMinuteNs;
    b.cost_nanos = 9000;
    LlmSpec c;
    c.trace = 3;
    c.prompt_version = "v2";
    c.user = "u2";
    c.session = "s2";
    c.start_ns = kDay0 + 30 * kMinuteNs;
    c.input = 50;
    LlmSpec late = b;
    late.span = 2;
    late.parent = 1;
    late.start_ns = b.start_ns + 1'999'000'000;
    ASSERT_TRUE(AppendSpans(store, {LlmSpan(a), LlmSpan(b), LlmSpan(c), LlmSpan(late)}).ok());
    ASSERT_TRUE(store.WaitForIndexer(std::chrono::seconds(10)).ok());
  }
};

TEST_F(SearchTest, TraceSearchFiltersByCallFieldsDurationAndScores) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  Fill(*store);
  auto search = [&](TraceQuery q) {
    auto page = store->SearchTraces(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? Ids(*page) : std::vector<model::TraceId>{};
  };
  TraceQuery q;
  q.provider = "anthropic";
  EXPECT_EQ(search(q), std::vector<model::TraceId>{TraceIdOf(2)});
  q = {};
  q.prompt_version = "v2";
  EXPECT_EQ(search(q), (std::vector<model::TraceId>{TraceIdOf(3), TraceIdOf(2)}));
  q = {};
  q.environment = "prod";
  EXPECT_TRUE(search(q).empty());
  q.environment = "test";
  EXPECT_EQ(search(q).size(), 3u);
  q = {};
  q.min_duration_ns = 1'500'000'000;  // only trace 2 lasts that long, though each of its spans is short
  EXPECT_EQ(search(q), std::vector<model::TraceId>{TraceIdOf(2)});

  // Scores: trace 1 accuracy 2 then forced 5 (latest wins), trace 3 accuracy 2.
  Score s;
  s.trace_id = TraceIdOf(1);
  s.span_id = SpanIdOf(1);
  s.evaluator = "judge/default";
  s.dimension = "accuracy";
  s.value = 2;
  ASSERT_TRUE(store->PutScores({s}, false).ok());
  s.value = 5;
  ASSERT_TRUE(store->PutScores({s}, true).ok());
  Score relevance = s;
  relevance.dimension = "relevance";
  relevance.value = 3;
  Score other = s;
  other.trace_id = TraceIdOf(3);
  other.value = 2;
  ASSERT_TRUE(store->PutScores({relevance, other}, false).ok());

  q = {};
  q.score_below = ScoreBelow{"", "accuracy", 3};
  EXPECT_EQ(search(q), std::vector<model::TraceId>{TraceIdOf(3)});
  q.score_below = ScoreBelow{"judge/other", "accuracy", 3};
  EXPECT_TRUE(search(q).empty());
  q.score_below = ScoreBelow{"judge/default", "accuracy", 6};
  q.provider = "openai";
  EXPECT_EQ(search(q), (std::vector<model::TraceId>{TraceIdOf(3), TraceIdOf(1)}));
  q.score_below = ScoreBelow{"", "", 3};
  EXPECT_EQ(store->SearchTraces(q).status().code(), Status::Code::kInvalidArgument);

  auto page = store->SearchTraces({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->traces.size(), 3u);
  const TraceSummary& t1 = page->traces[2];
  ASSERT_EQ(t1.trace_id, TraceIdOf(1));
  ASSERT_EQ(t1.scores.size(), 2u);
  EXPECT_EQ(t1.scores[0].dimension, "accuracy");
  EXPECT_DOUBLE_EQ(t1.scores[0].mean, 5);
  EXPECT_EQ(t1.scores[0].count, 1);
  EXPECT_EQ(t1.scores[1].dimension, "relevance");
  EXPECT_TRUE(page->traces[1].scores.empty());  // trace 2 is not scored
}

TEST_F(SearchTest, RollupsByUserAndSessionMatchTheCalls) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  Fill(*store);
  RollupQuery q;
  q.start_ns = kDay0;
  q.end_ns = kDay0 + kDayNs;
  q.group_by = {Dimension::kUser, Dimension::kProvider};
  auto rows = store->QueryRollups(q);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  // Ordered by cost: u1/anthropic (2 calls x 9000), u1/openai, u2/openai.
  EXPECT_EQ((*rows)[0].key, (std::vector<std::string>{"u1", "anthropic"}));
  EXPECT_EQ((*rows)[0].requests, 2);
  EXPECT_EQ((*rows)[0].cost_nanos, 18000);
  EXPECT_EQ((*rows)[0].latency.count(), 2u);
  int64_t u2_input = 0;
  for (const auto& r : *rows) {
    if (r.key[0] == "u2") u2_input = r.input_tokens;
  }
  EXPECT_EQ(u2_input, 50);

  // Per-call answers agree with the rollup tables on what both can say.
  RollupQuery plain = q;
  plain.group_by = {Dimension::kProvider};
  auto from_rollups = store->QueryRollups(plain);
  ASSERT_TRUE(from_rollups.ok());
  plain.where = {{Dimension::kSession, "s1"}};
  auto s1 = store->QueryRollups(plain);
  ASSERT_TRUE(s1.ok());
  int64_t total = 0, total_s1 = 0;
  for (const auto& r : *from_rollups) total += r.requests;
  for (const auto& r : *s1) total_s1 += r.requests;
  EXPECT_EQ(total, 4);
  EXPECT_EQ(total_s1, 3);

  // Older than span retention: no table can answer by user.
  q.start_ns = 0;
  auto old = store->QueryRollups(q);
  EXPECT_EQ(old.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(old.status().message().rfind("user:", 0), 0u) << old.status().ToString();
}

TEST_F(SearchTest, SessionsListNewestFirstWithTotalsAndPaging) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::vector<model::SpanRecord> spans;
  // Sessions s0..s4, each two traces; s_i's last call at minute 10*i + 5.
  // Session s4 also has a call the day before (it crosses midnight).
  for (uint64_t i = 0; i < 5; ++i) {
    for (uint64_t k = 0; k < 2; ++k) {
      LlmSpec spec;
      spec.trace = 10 * i + k + 1;
      spec.session = "s" + std::to_string(i);
      spec.user = k ? "late-user" : "u" + std::to_string(i);
      spec.start_ns = kDay0 + (10 * i + 5 * k) * kMinuteNs;
      spans.push_back(LlmSpan(spec));
    }
  }
  LlmSpec before;
  before.trace = 99;
  before.session = "s4";
  before.start_ns = kDay0 - kHourNs;
  spans.push_back(LlmSpan(before));
  ASSERT_TRUE(AppendSpans(*store, spans).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());

  SessionQuery q;
  q.limit = 2;
  std::vector<std::string> order;
  for (int page_no = 0; page_no < 5; ++page_no) {
    auto page = store->ListSessions(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& s : page->sessions) order.push_back(s.session_id);
    if (page_no == 0) {
      const SessionSummary& s4 = page->sessions[0];
      EXPECT_EQ(s4.session_id, "s4");
      EXPECT_EQ(s4.traces, 3);
      EXPECT_EQ(s4.llm_calls, 3);
      EXPECT_EQ(s4.tokens, 3 * 120);
      EXPECT_EQ(s4.cost_nanos, 3 * 1500);
      EXPECT_EQ(s4.first_ns, kDay0 - kHourNs);
      EXPECT_EQ(s4.last_ns, kDay0 + 45 * kMinuteNs + 1'000'000);
      EXPECT_EQ(s4.user, "late-user");
    }
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"s4", "s3", "s2", "s1", "s0"}));

  SessionQuery by_user;
  by_user.user = "u2";
  auto page = store->ListSessions(by_user);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->sessions.size(), 1u);
  EXPECT_EQ(page->sessions[0].session_id, "s2");
  SessionQuery windowed;
  windowed.start_ns = kDay0;
  windowed.end_ns = kDay0 + 12 * kMinuteNs;
  page = store->ListSessions(windowed);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->sessions.size(), 2u);  // s1 (minute 10) and s0
  EXPECT_EQ(page->sessions[0].session_id, "s1");
  EXPECT_EQ(page->sessions[0].llm_calls, 1);
  windowed.cursor = "nonsense";
  EXPECT_EQ(store->ListSessions(windowed).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(SearchTest, HealthFollowsTheLifecycle) {
  auto store = Open();
  EXPECT_EQ(store->Health().code(), Status::Code::kUnavailable);
  ASSERT_TRUE(store->Start().ok());
  EXPECT_TRUE(store->Health().ok()) << store->Health().ToString();
  fs::rename(dir_ + "/state.db", dir_ + "/state.db.moved");
  Status gone = store->Health();
  EXPECT_EQ(gone.code(), Status::Code::kUnavailable);
  EXPECT_NE(gone.message().find("state.db"), std::string::npos);
  fs::rename(dir_ + "/state.db.moved", dir_ + "/state.db");
  EXPECT_TRUE(store->Health().ok());
  store->Shutdown();
  EXPECT_EQ(store->Health().code(), Status::Code::kUnavailable);
}

// Every span and log body of a day file, decompressed, joined.
std::string DecompressedBodies(const std::string& path) {
  auto db = sqlite::Db::Open(path, false);
  EXPECT_TRUE(db.ok());
  std::string out, raw;
  for (const char* sql : {"SELECT body FROM spans", "SELECT body FROM logs", "SELECT data FROM content"}) {
    auto st = (*db)->Prepare(sql);
    EXPECT_TRUE(st.ok());
    Status s;
    while (st->Step(&s)) {
      EXPECT_TRUE(Decompress(st->Blob(0), &raw).ok());
      out += raw;
    }
  }
  return out;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_F(SearchTest, ContentRetentionStripsRawContentAttributesFromStoredSpans) {
  config_.retention_content = std::chrono::hours(24);
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  LlmSpec spec;
  spec.start_ns = kDay0 + kMinuteNs;
  spec.prompt = "zebra-normalized";
  model::SpanRecord rec = LlmSpan(spec);
  rec.span.attributes.Add("gen_ai.input.messages", "[{\"role\":\"user\",\"content\":\"zebra-input-messages\"}]");
  rec.span.attributes.Add("gen_ai.prompt.0.content", "zebra-legacy-prompt");
  rec.span.attributes.Add("llm.output_messages.0.message.content", "zebra-openinference");
  rec.span.attributes.Add("input.value", "zebra-input-value");
  rec.span.attributes.Add("gen_ai.prompt.name", "kept-prompt-name");
  model::Event event;
  event.name = "gen_ai.user.message";
  event.attributes.Add("content", "zebra-event");
  rec.span.events.push_back(event);
  model::Event exception;
  exception.name = "exception";
  exception.attributes.Add("exception.message", "kept-exception");
  rec.span.events.push_back(exception);
  std::vector<model::Batch> group(1);
  group[0].spans.push_back(rec);
  model::LogRecord log;
  log.event_name = "gen_ai.choice";
  log.time_unix_nano = spec.start_ns;
  log.trace_id = TraceIdOf(42);  // not joined to a stored span: kept in the logs table
  log.body = model::AnyValue(std::string("zebra-log-body"));
  group[0].logs.push_back(log);
  ASSERT_TRUE(Append(*store, group).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  const std::string day_file = dir_ + "/days/" + DayFiles()[0];
  ASSERT_NE(DecompressedBodies(day_file).find("zebra-legacy-prompt"), std::string::npos);  // the test sees it

  clock_.Set(kDay0 + 2 * kDayNs + kHourNs);  // day 0 past content retention, within span retention
  ASSERT_TRUE(store->RunMaintenance().ok());
  store->Shutdown();
  const std::string bodies = DecompressedBodies(day_file);
  EXPECT_EQ(bodies.find("zebra"), std::string::npos) << "content survived in a decompressed body";
  EXPECT_NE(bodies.find("kept-prompt-name"), std::string::npos);
  EXPECT_NE(bodies.find("kept-exception"), std::string::npos);
  for (const char* suffix : {"", "-wal"}) {
    EXPECT_EQ(FileBytes(day_file + suffix).find("zebra"), std::string::npos) << suffix;  // FTS terms too
  }
  auto reopened = Open();
  ASSERT_TRUE(reopened->Start().ok());
  auto trace = reopened->GetTrace(TraceIdOf(1));
  ASSERT_TRUE(trace.ok());
  const model::Span& span = trace->spans[0].record.span;
  EXPECT_EQ(span.attributes.Find("input.value"), nullptr);
  EXPECT_NE(span.attributes.Find("gen_ai.request.model"), nullptr);
  ASSERT_EQ(span.events.size(), 2u);
  EXPECT_TRUE(span.events[0].attributes.empty());
}

}  // namespace
}  // namespace loupe::store
