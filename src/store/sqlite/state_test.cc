// state.db through the Store interface: scores (idempotence, versions,
// attribution, search, aggregates), the evaluation queue (exactly-once
// finishing, restart, the due index), values, the journal, retention,
// erasure, backup and opening data dirs from before state.db existed.
#include <sqlite3.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "store/sqlite/store_fixture.h"

namespace loupe::store {
namespace {

namespace fs = std::filesystem;
using testing::LlmSpan;
using testing::LlmSpec;
using testing::SpanIdOf;
using testing::TraceIdOf;

Score MakeScore(uint64_t trace, uint64_t span, const std::string& dimension, double value) {
  Score s;
  s.trace_id = TraceIdOf(trace);
  s.span_id = span ? SpanIdOf(span) : model::SpanId{};
  s.evaluator = "judge/default";
  s.dimension = dimension;
  s.value = value;
  s.reasoning = "because";
  s.judge_model = "claude-haiku-4-5";
  s.judge_cost_nanos = 1200;
  return s;
}

// Runs `sql` on a closed store's file and returns the first column of
// every row joined by newlines.
std::string Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string out;
  char* err = nullptr;
  sqlite3_exec(
      db, sql.c_str(),
      [](void* o, int n, char** cols, char**) {
        auto* s = static_cast<std::string*>(o);
        for (int i = 0; i < n; ++i) *s += std::string(cols[i] ? cols[i] : "NULL") + (i + 1 < n ? "|" : "\n");
        return 0;
      },
      &out, &err);
  EXPECT_EQ(err, nullptr) << err;
  sqlite3_free(err);
  sqlite3_close(db);
  return out;
}

TEST_F(SqliteStoreTest, ScoresAreIdempotentUnlessANewVersionIsAsked) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  auto put = store->PutScores({MakeScore(1, 1, "accuracy", 4), MakeScore(1, 1, "safety", 5)}, false);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(*put, 2u);
  // Redelivered: nothing new, and the stored value is not overwritten.
  put = store->PutScores({MakeScore(1, 1, "accuracy", 1)}, false);
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(*put, 0u);
  put = store->PutScores({MakeScore(1, 1, "accuracy", 2)}, true);
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(*put, 1u);

  ScoreQuery q;
  q.dimension = "accuracy";
  auto latest = store->QueryScores(q);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_EQ(latest->scores.size(), 1u);
  EXPECT_EQ(latest->scores[0].version, 2u);
  EXPECT_EQ(latest->scores[0].value, 2);
  EXPECT_EQ(latest->scores[0].judge_model, "claude-haiku-4-5");
  EXPECT_EQ(latest->scores[0].judge_cost_nanos, 1200);
  q.latest_only = false;
  auto all = store->QueryScores(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->scores.size(), 2u);
  std::set<double> values{all->scores[0].value, all->scores[1].value};
  EXPECT_EQ(values, (std::set<double>{2, 4}));

  // Made-up values are refused rather than stored.
  Score bad = MakeScore(1, 1, "relevance", std::nan(""));
  EXPECT_EQ(store->PutScores({bad}, false).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(SqliteStoreTest, ScoresTakeTheirAttributionFromTheIndexedCall) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  LlmSpec spec;
  spec.trace = 7;
  spec.span = 2;
  spec.parent = 1;
  spec.start_ns = kDay0 + 10 * kMinuteNs;
  spec.team = "billing";
  spec.feature = "summarize";
  spec.user = "u9";
  spec.session = "s9";
  spec.prompt_version = "v3";
  ASSERT_TRUE(AppendSpans(*store, {testing::PlainSpan(7, 1, 0, kDay0 + 9 * kMinuteNs, "agent"), LlmSpan(spec)}).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());

  Score span_score = MakeScore(7, 2, "accuracy", 3);
  Score trace_score = MakeScore(7, 0, "thumbs", 1);
  trace_score.source = ScoreSource::kHuman;
  trace_score.team = "override";  // set by the caller: kept
  Score unknown = MakeScore(99, 1, "accuracy", 5);
  unknown.created_ns = kDay0 + kHourNs;
  ASSERT_TRUE(store->PutScores({span_score, trace_score, unknown}, false).ok());

  ScoreQuery q;
  q.trace_id = TraceIdOf(7);
  auto page = store->QueryScores(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->scores.size(), 2u);
  for (const Score& s : page->scores) {
    EXPECT_EQ(s.call_start_ns, spec.start_ns) << s.dimension;  // the trace's first LLM call, not its root
    EXPECT_EQ(s.feature, "summarize");
    EXPECT_EQ(s.user, "u9");
    EXPECT_EQ(s.session, "s9");
    EXPECT_EQ(s.prompt_version, "v3");
    EXPECT_EQ(s.service, "chat-api");
    EXPECT_EQ(s.model, "gpt-4o");
    EXPECT_EQ(s.team, s.dimension == "thumbs" ? "override" : "billing");
    EXPECT_GT(s.created_ns, 0u);
  }
  // Not indexed: its creation time stands in, so windows still see it.
  q.trace_id = TraceIdOf(99);
  page = store->QueryScores(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->scores.size(), 1u);
  EXPECT_EQ(page->scores[0].call_start_ns, kDay0 + kHourNs);
  EXPECT_EQ(page->scores[0].feature, "");
}

TEST_F(SqliteStoreTest, ScoreSearchPagesNewestCallFirstAndFilters) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::vector<Score> scores;
  for (uint64_t i = 1; i <= 25; ++i) {
    Score s = MakeScore(i, 1, "accuracy", static_cast<double>(i % 5 + 1));
    s.call_start_ns = kDay0 + i * kMinuteNs;
    s.feature = i % 2 ? "odd" : "even";
    scores.push_back(s);
  }
  ASSERT_TRUE(store->PutScores(scores, false).ok());
  ScoreQuery q;
  q.limit = 10;
  std::vector<uint64_t> starts;
  for (int page_no = 0; page_no < 5; ++page_no) {
    auto page = store->QueryScores(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const Score& s : page->scores) starts.push_back(s.call_start_ns);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  ASSERT_EQ(starts.size(), 25u);
  for (size_t i = 0; i < starts.size(); ++i) EXPECT_EQ(starts[i], kDay0 + (25 - i) * kMinuteNs);

  ScoreQuery f;
  f.feature = "odd";
  f.start_ns = kDay0 + 5 * kMinuteNs;
  f.end_ns = kDay0 + 11 * kMinuteNs;
  auto page = store->QueryScores(f);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->scores.size(), 3u);  // 5, 7, 9
  EXPECT_EQ(page->scores[0].call_start_ns, kDay0 + 9 * kMinuteNs);
  f.cursor = "garbage";
  EXPECT_EQ(store->QueryScores(f).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(SqliteStoreTest, ScoreAggregatesUseLatestVersionsPerGroupAndBucket) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  std::vector<Score> scores;
  // v6: 2, 4 in the first hour; v7: 5 in the first hour and 3 in the second.
  struct { uint64_t trace; const char* version; double value; uint64_t at; } rows[] = {
      {1, "v6", 2, 10}, {2, "v6", 4, 20}, {3, "v7", 5, 30}, {4, "v7", 3, 70}};
  for (const auto& r : rows) {
    Score s = MakeScore(r.trace, 1, "accuracy", r.value);
    s.feature = "chat";
    s.prompt_version = r.version;
    s.call_start_ns = kDay0 + r.at * kMinuteNs;
    scores.push_back(s);
  }
  ASSERT_TRUE(store->PutScores(scores, false).ok());
  Score forced = scores[0];
  forced.value = 1;  // replaces 2 in the aggregates
  ASSERT_TRUE(store->PutScores({forced}, true).ok());

  ScoreAggregateQuery q;
  q.group_by = {Dimension::kPromptVersion};
  q.where = {{Dimension::kFeature, "chat"}};
  auto rows_or = store->AggregateScores(q);
  ASSERT_TRUE(rows_or.ok()) << rows_or.status().ToString();
  ASSERT_EQ(rows_or->size(), 2u);
  const ScoreAggregateRow& v6 = (*rows_or)[0];
  EXPECT_EQ(v6.key, std::vector<std::string>{"v6"});
  EXPECT_EQ(v6.count, 2);
  EXPECT_DOUBLE_EQ(v6.sum, 5);
  EXPECT_DOUBLE_EQ(v6.sum_squares, 17);
  EXPECT_DOUBLE_EQ(v6.min, 1);
  EXPECT_DOUBLE_EQ(v6.max, 4);
  EXPECT_EQ((*rows_or)[1].key, std::vector<std::string>{"v7"});
  EXPECT_DOUBLE_EQ((*rows_or)[1].mean(), 4);

  q.step_ns = kHourNs;
  q.group_by = {};
  rows_or = store->AggregateScores(q);
  ASSERT_TRUE(rows_or.ok());
  ASSERT_EQ(rows_or->size(), 2u);
  EXPECT_EQ((*rows_or)[0].bucket_start_ns, kDay0);
  EXPECT_EQ((*rows_or)[0].count, 3);
  EXPECT_EQ((*rows_or)[1].bucket_start_ns, kDay0 + kHourNs);
  EXPECT_EQ((*rows_or)[1].count, 1);

  q.group_by = {Dimension::kStatus};
  auto bad = store->AggregateScores(q);
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("status"), std::string::npos);
}

EvalTask Task(uint64_t trace, uint64_t due, uint32_t run = 0) {
  EvalTask t;
  t.trace_id = TraceIdOf(trace);
  t.span_id = SpanIdOf(1);
  t.evaluator = "judge/default";
  t.run = run;
  t.due_ns = due;
  t.reason = "rate 0.1";
  return t;
}

TEST_F(SqliteStoreTest, EvaluationsFinishExactlyOnceAcrossARestart) {
  EvalTask first;
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
    auto added = store->EnqueueEvaluations({Task(1, 300), Task(2, 100), Task(3, 200), Task(4, 900)});
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    EXPECT_EQ(*added, 4u);
    added = store->EnqueueEvaluations({Task(1, 50), Task(1, 50, /*run=*/1)});  // redelivery + a forced re-run
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(*added, 1u);

    auto due = store->DueEvaluations(300, 10, {});
    ASSERT_TRUE(due.ok()) << due.status().ToString();
    ASSERT_EQ(due->size(), 4u);  // trace 4 is not due yet
    EXPECT_EQ((*due)[0].trace_id, TraceIdOf(1));  // the re-run, due at 50
    EXPECT_EQ((*due)[0].run, 1u);
    EXPECT_EQ((*due)[1].trace_id, TraceIdOf(2));
    EXPECT_EQ((*due)[3].trace_id, TraceIdOf(1));
    EXPECT_EQ((*due)[3].reason, "rate 0.1");
    auto skipping = store->DueEvaluations(300, 2, {(*due)[0].id, (*due)[1].id});
    ASSERT_TRUE(skipping.ok());
    ASSERT_EQ(skipping->size(), 2u);
    EXPECT_EQ((*skipping)[0].trace_id, TraceIdOf(3));

    first = (*due)[1];  // trace 2
    first.state = EvalState::kDone;
    first.attempts = 1;
    first.finished_ns = 400;
    ASSERT_TRUE(store->FinishEvaluation(first, {MakeScore(2, 1, "accuracy", 4)}).ok());

    EvalTask retry = (*due)[2];  // trace 3: a 429, try later
    retry.due_ns = 5000;
    retry.attempts = 1;
    retry.error = "429";
    ASSERT_TRUE(store->DeferEvaluation(retry).ok());
    store->Shutdown();
  }
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  // The same task again (a crash after the judge answered, say): refused,
  // and its scores are not stored a second time.
  EvalTask again = first;
  Status s = store->FinishEvaluation(again, {MakeScore(2, 1, "accuracy", 1)});
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition) << s.ToString();
  ScoreQuery q;
  q.latest_only = false;
  auto scores = store->QueryScores(q);
  ASSERT_TRUE(scores.ok());
  ASSERT_EQ(scores->scores.size(), 1u);
  EXPECT_EQ(scores->scores[0].value, 4);

  auto due = store->DueEvaluations(1000, 10, {});
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 3u);  // both runs of trace 1 and trace 4; trace 3 deferred
  auto stats = store->EvaluationStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 4u);
  EXPECT_EQ(stats->done, 1u);
  EXPECT_EQ(stats->oldest_pending_due_ns, 50u);

  EvalTaskQuery tq;
  tq.state = EvalState::kPending;
  tq.trace_id = TraceIdOf(3);
  auto tasks = store->QueryEvaluations(tq);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].error, "429");
  EXPECT_EQ((*tasks)[0].due_ns, 5000u);

  // A failed evaluation keeps the raw answer and stores no score.
  EvalTask failed = (*due)[0];
  failed.state = EvalState::kFailed;
  failed.raw_answer = "{\"accuracy\": 9}";
  failed.error = "accuracy: 9 is outside 1..5";
  ASSERT_TRUE(store->FinishEvaluation(failed, {}).ok());
  tq = {};
  tq.state = EvalState::kFailed;
  tasks = store->QueryEvaluations(tq);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].raw_answer, "{\"accuracy\": 9}");
  EXPECT_EQ(store->DeferEvaluation(failed).code(), Status::Code::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, ATenThousandTaskBacklogIsReadThroughTheDueIndex) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
    std::vector<EvalTask> tasks;
    for (uint64_t i = 0; i < 10'000; ++i) tasks.push_back(Task(i + 1, 1000 + (i * 7919) % 10'000));
    auto added = store->EnqueueEvaluations(tasks);
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(*added, 10'000u);
    auto due = store->DueEvaluations(UINT64_MAX / 2, 64, {});
    ASSERT_TRUE(due.ok());
    ASSERT_EQ(due->size(), 64u);
    for (size_t i = 1; i < due->size(); ++i) EXPECT_LE((*due)[i - 1].due_ns, (*due)[i].due_ns);
    EXPECT_EQ((*due)[0].due_ns, 1000u);
    store->Shutdown();
  }
  const std::string plan = Sql(dir_ + "/state.db",
                               "EXPLAIN QUERY PLAN SELECT id FROM eval_tasks WHERE state = 0 AND due_ns <= 5 "
                               "ORDER BY due_ns, id LIMIT 10");
  EXPECT_NE(plan.find("eval_by_due"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;  // no sort of the backlog
}

TEST_F(SqliteStoreTest, ValuesAndTheJournalAreDurable) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
    ASSERT_TRUE(store->PutValue("eval.first_seen", "chat/v7", "1750000000").ok());
    ASSERT_TRUE(store->PutValue("eval.first_seen", "chat/v6", "1740000000").ok());
    ASSERT_TRUE(store->PutValue("alert.state", "p95", std::string("\0binary", 7)).ok());
    ASSERT_TRUE(store->PutValue("eval.first_seen", "chat/v6", "1740000001").ok());  // replaces
    ASSERT_TRUE(store->DeleteValue("eval.first_seen", "missing").ok());
    for (uint64_t i = 0; i < 5; ++i) {
      auto seq = store->AppendJournal({0, i % 2 ? "alert" : "eval", kDay0 + i, "{\"i\":" + std::to_string(i) + "}"});
      ASSERT_TRUE(seq.ok());
      EXPECT_EQ(*seq, i + 1);
    }
    store->Shutdown();
  }
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  auto v = store->GetValue("alert.state", "p95");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, std::string("\0binary", 7));
  auto list = store->ListValues("eval.first_seen");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0], (std::pair<std::string, std::string>{"chat/v6", "1740000001"}));
  ASSERT_TRUE(store->DeleteValue("eval.first_seen", "chat/v6").ok());
  v = store->GetValue("eval.first_seen", "chat/v6");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());

  JournalQuery q;
  q.kind = "alert";
  auto entries = store->QueryJournal(q);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].seq, 4u);  // newest first
  EXPECT_EQ((*entries)[0].payload, "{\"i\":3}");
  q = {};
  q.since_ns = kDay0 + 1;
  q.until_ns = kDay0 + 3;
  entries = store->QueryJournal(q);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(store->AppendJournal({0, "", 1, "{}"}).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(SqliteStoreTest, RetentionDropsOldScoresAndJournalEntries) {
  config_.retention_spans = std::chrono::hours(24 * 2);
  config_.retention_rollups = std::chrono::hours(24 * 4);
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  Score old_score = MakeScore(1, 1, "accuracy", 3);
  old_score.call_start_ns = kDay0 + kHourNs;
  Score new_score = MakeScore(2, 1, "accuracy", 4);
  new_score.call_start_ns = kDay0 + 2 * kDayNs + kHourNs;
  ASSERT_TRUE(store->PutScores({old_score, new_score}, false).ok());
  ASSERT_TRUE(store->AppendJournal({0, "alert", kDay0, "{}"}).ok());
  ASSERT_TRUE(store->AppendJournal({0, "alert", kDay0 + 2 * kDayNs, "{}"}).ok());
  ASSERT_TRUE(store->PutValue("eval.first_seen", "chat/v1", "x").ok());

  clock_.Set(kDay0 + 3 * kDayNs + kHourNs);  // day 0 is past span retention, not rollup retention
  ASSERT_TRUE(store->RunMaintenance().ok());
  ScoreQuery q;
  auto scores = store->QueryScores(q);
  ASSERT_TRUE(scores.ok());
  ASSERT_EQ(scores->scores.size(), 1u);
  EXPECT_EQ(scores->scores[0].trace_id, TraceIdOf(2));
  auto journal = store->QueryJournal({});
  ASSERT_TRUE(journal.ok());
  EXPECT_EQ(journal->size(), 2u);

  clock_.Set(kDay0 + 4 * kDayNs + kHourNs);  // kDay0 now past the 4-day rollup retention
  ASSERT_TRUE(store->RunMaintenance().ok());
  journal = store->QueryJournal({});
  ASSERT_TRUE(journal.ok());
  ASSERT_EQ(journal->size(), 1u);
  EXPECT_EQ((*journal)[0].time_ns, kDay0 + 2 * kDayNs);
  auto v = store->GetValue("eval.first_seen", "chat/v1");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->has_value());  // values never expire
}

TEST_F(SqliteStoreTest, DeleteUserErasesTheirScoresAndEvaluations) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  ASSERT_TRUE(AppendSpans(*store, {Call(1, kDay0 + kMinuteNs, "alice"), Call(2, kDay0 + kMinuteNs, "bob")}).ok());
  ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
  Score a = MakeScore(1, 1, "accuracy", 2);
  a.reasoning = "alice-secret-reasoning";
  ASSERT_TRUE(store->PutScores({a, MakeScore(1, 0, "thumbs", 0), MakeScore(2, 1, "accuracy", 5)}, false).ok());
  ASSERT_TRUE(store->EnqueueEvaluations({Task(1, 10), Task(2, 10)}).ok());

  auto erased = store->DeleteUser("alice");
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_EQ(*erased, 1u);
  auto scores = store->QueryScores({});
  ASSERT_TRUE(scores.ok());
  ASSERT_EQ(scores->scores.size(), 1u);
  EXPECT_EQ(scores->scores[0].user, "bob");
  auto due = store->DueEvaluations(100, 10, {});
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].trace_id, TraceIdOf(2));
  store->Shutdown();
  std::ifstream in(dir_ + "/state.db", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_EQ(bytes.str().find("alice-secret-reasoning"), std::string::npos);
}

TEST_F(SqliteStoreTest, BackupCarriesTheState) {
  auto store = Open();
  ASSERT_TRUE(store->Start().ok());
  ASSERT_TRUE(store->PutScores({MakeScore(1, 1, "accuracy", 4)}, false).ok());
  ASSERT_TRUE(store->PutValue("alert.silence", "s1", "until tomorrow").ok());
  const std::string backup = dir_ + "-backup";
  fs::remove_all(backup);
  ASSERT_TRUE(store->Backup(backup).ok());
  store->Shutdown();
  StoreConfig restored = config_;
  restored.data_dir = backup;
  auto copy = Open(restored);
  ASSERT_TRUE(copy->Start().ok());
  auto scores = copy->QueryScores({});
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ(scores->scores.size(), 1u);
  auto v = copy->GetValue("alert.silence", "s1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value_or(""), "until tomorrow");
  copy->Shutdown();
  fs::remove_all(backup);
}

TEST_F(SqliteStoreTest, AStoreFromBeforeStateDbOpensButALostStateDbIsAnError) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Start().ok());
    ASSERT_TRUE(AppendSpans(*store, {Call(1, kDay0 + kMinuteNs)}).ok());
    ASSERT_TRUE(store->WaitForIndexer(std::chrono::seconds(10)).ok());
    store->Shutdown();
  }
  // As the previous release left it: no state.db and no marker.
  fs::remove(dir_ + "/state.db");
  fs::remove(dir_ + "/state.db-wal");
  fs::remove(dir_ + "/state.db-shm");
  Sql(dir_ + "/index.db", "DELETE FROM meta WHERE key = 'state_db'");
  {
    auto store = Open();
    Status s = store->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_TRUE(store->GetTrace(TraceIdOf(1)).ok());
    ASSERT_TRUE(store->PutScores({MakeScore(1, 1, "accuracy", 4)}, false).ok());
    store->Shutdown();
  }
  EXPECT_EQ(Sql(dir_ + "/state.db", "SELECT kind, version FROM schema_version"), "loupe-state|1\n");
  // Now state.db is part of the store: losing it must not look empty.
  fs::remove(dir_ + "/state.db");
  auto store = Open();
  Status s = store->Start();
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("state.db"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace loupe::store
