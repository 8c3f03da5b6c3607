// state.db: scores. Writing (idempotent per identity, versioned when
// forced), searching with cursor paging, aggregating latest versions and
// per-trace means for the trace list.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>

#include "store/sqlite/state_store.h"

namespace loupe::store::sqlite {
namespace {

constexpr size_t kMaxLimit = 1000;

std::string_view AsBlob(const auto& id) { return {reinterpret_cast<const char*>(id.data()), id.size()}; }

template <size_t N>
void CopyId(std::string_view blob, std::array<uint8_t, N>* id) {
  if (blob.size() == N) std::copy(blob.begin(), blob.end(), id->begin());
}

constexpr const char* kScoreColumns =
    "trace_id, span_id, evaluator, dimension, version, value, label, reasoning, author, source, judge_model, "
    "judge_cost_nanos, created_ns, call_start_ns, service, environment, team, feature, model, provider, "
    "prompt_version, user_id, session_id, id";

Score ReadScore(const Stmt& st) {
  Score s;
  CopyId(st.Blob(0), &s.trace_id);
  CopyId(st.Blob(1), &s.span_id);
  s.evaluator = st.Text(2);
  s.dimension = st.Text(3);
  s.version = static_cast<uint32_t>(st.Int(4));
  s.value = st.Double(5);
  s.label = st.Text(6);
  s.reasoning = st.Text(7);
  s.author = st.Text(8);
  s.source = static_cast<ScoreSource>(st.Int(9));
  s.judge_model = st.Text(10);
  if (!st.IsNull(11)) s.judge_cost_nanos = st.Int(11);
  s.created_ns = static_cast<uint64_t>(st.Int(12));
  s.call_start_ns = static_cast<uint64_t>(st.Int(13));
  std::string* attrs[] = {&s.service, &s.environment, &s.team, &s.feature, &s.model,
                          &s.provider, &s.prompt_version, &s.user, &s.session};
  for (int i = 0; i < 9; ++i) *attrs[i] = st.Text(14 + i);
  return s;
}

// The scores column of a dimension; nullptr for kStatus (scores have none).
const char* ScoreColumn(Dimension d) {
  switch (d) {
    case Dimension::kTeam: return "team";
    case Dimension::kFeature: return "feature";
    case Dimension::kModel: return "model";
    case Dimension::kProvider: return "provider";
    case Dimension::kPromptVersion: return "prompt_version";
    case Dimension::kService: return "service";
    case Dimension::kEnvironment: return "environment";
    case Dimension::kUser: return "user_id";
    case Dimension::kSession: return "session_id";
    case Dimension::kStatus: return nullptr;
  }
  return nullptr;
}

// A WHERE clause built with its bindings, so optional filters read as a list.
struct Where {
  std::string sql = " WHERE 1";
  std::vector<std::function<void(Stmt&, int)>> binds;
  void Text(const char* col, const std::string& v) {
    if (v.empty()) return;
    sql += std::string(" AND ") + col + " = ?";
    binds.push_back([v](Stmt& st, int i) { st.Bind(i, v); });
  }
  void Int(const std::string& clause, int64_t v) {
    sql += " AND " + clause;
    binds.push_back([v](Stmt& st, int i) { st.Bind(i, v); });
  }
  void Blob(const char* col, std::string v) {
    sql += std::string(" AND ") + col + " = ?";
    binds.push_back([v](Stmt& st, int i) { st.BindBlob(i, v); });
  }
  void Apply(Stmt& st) const {
    for (size_t i = 0; i < binds.size(); ++i) binds[i](st, static_cast<int>(i + 1));
  }
};

Status CheckScore(const Score& s) {
  if (s.evaluator.empty()) return Status::InvalidArgument("score: evaluator must not be empty");
  if (s.dimension.empty()) return Status::InvalidArgument("score: dimension must not be empty");
  if (!std::isfinite(s.value)) return Status::InvalidArgument("score " + s.dimension + ": value must be a finite number");
  return Status::Ok();
}

}  // namespace

Result<size_t> StateStore::PutScores(const std::vector<Score>& scores, bool new_version) {
  std::lock_guard<std::mutex> lock(mu_);
  Transaction txn(db_.get());
  LOUPE_RETURN_IF_ERROR(txn.Begin());
  auto n = PutScoresLocked(scores, new_version);
  if (!n.ok()) return n.status();
  LOUPE_RETURN_IF_ERROR(txn.Commit());
  return *n;
}

Result<size_t> StateStore::PutScoresLocked(const std::vector<Score>& scores, bool new_version) {
  for (const Score& s : scores) LOUPE_RETURN_IF_ERROR(CheckScore(s));
  auto top = db_->Prepare(
      "SELECT MAX(version) FROM scores WHERE trace_id = ? AND span_id = ? AND evaluator = ? AND dimension = ?");
  auto unmark = db_->Prepare(
      "UPDATE scores SET latest = 0 WHERE trace_id = ? AND span_id = ? AND evaluator = ? AND dimension = ? "
      "AND latest = 1");
  auto ins = db_->Prepare(
      "INSERT INTO scores(trace_id, span_id, evaluator, dimension, version, latest, value, label, reasoning, author, "
      "source, judge_model, judge_cost_nanos, created_ns, call_start_ns, service, environment, team, feature, model, "
      "provider, prompt_version, user_id, session_id) VALUES(?,?,?,?,?,1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!top.ok()) return top.status();
  if (!unmark.ok()) return unmark.status();
  if (!ins.ok()) return ins.status();
  size_t stored = 0;
  for (const Score& s : scores) {
    auto bind_identity = [&s](Stmt& st) {
      st.BindBlob(1, AsBlob(s.trace_id)).BindBlob(2, AsBlob(s.span_id)).Bind(3, s.evaluator).Bind(4, s.dimension);
    };
    bind_identity(*top);
    Status st;
    int64_t version = 1;
    if (top->Step(&st) && !top->IsNull(0)) {
      if (!new_version) {
        top->Reset();
        continue;  // idempotent: this identity is already scored
      }
      version = top->Int(0) + 1;
    }
    top->Reset();
    LOUPE_RETURN_IF_ERROR(st);
    if (version > 1) {
      bind_identity(*unmark);
      LOUPE_RETURN_IF_ERROR(unmark->Run());
    }
    bind_identity(*ins);
    int i = 5;
    ins->Bind(i++, version);
    ins->Bind(i++, s.value);
    for (const std::string* v : {&s.label, &s.reasoning, &s.author}) ins->Bind(i++, *v);
    ins->Bind(i++, static_cast<int64_t>(s.source));
    ins->Bind(i++, s.judge_model);
    if (s.judge_cost_nanos) ins->Bind(i++, *s.judge_cost_nanos); else ins->BindNull(i++);
    ins->Bind(i++, static_cast<int64_t>(s.created_ns));
    ins->Bind(i++, static_cast<int64_t>(s.call_start_ns));
    for (const std::string* v : {&s.service, &s.environment, &s.team, &s.feature, &s.model, &s.provider,
                                 &s.prompt_version, &s.user, &s.session}) {
      ins->Bind(i++, *v);
    }
    LOUPE_RETURN_IF_ERROR(ins->Run());
    ++stored;
  }
  return stored;
}

Result<ScorePage> StateStore::QueryScores(const ScoreQuery& q) {
  Where w;
  if (q.latest_only) w.sql += " AND latest = 1";
  if (q.trace_id) w.Blob("trace_id", std::string(AsBlob(*q.trace_id)));
  if (q.span_id) w.Blob("span_id", std::string(AsBlob(*q.span_id)));
  w.Text("evaluator", q.evaluator);
  w.Text("dimension", q.dimension);
  if (q.source) w.Int("source = ?", static_cast<int64_t>(*q.source));
  w.Text("team", q.team);
  w.Text("feature", q.feature);
  w.Text("model", q.model);
  w.Text("prompt_version", q.prompt_version);
  w.Text("service", q.service);
  w.Text("environment", q.environment);
  w.Text("user_id", q.user);
  w.Text("session_id", q.session);
  if (q.start_ns) w.Int("call_start_ns >= ?", static_cast<int64_t>(q.start_ns));
  if (q.end_ns) w.Int("call_start_ns < ?", static_cast<int64_t>(q.end_ns));
  if (!q.cursor.empty()) {
    // "<call_start_ns>:<row id>" of the last score of the previous page.
    auto colon = q.cursor.find(':');
    int64_t start = 0, id = 0;
    const char* b = q.cursor.data();
    const char* e = b + q.cursor.size();
    bool ok = colon != std::string::npos && std::from_chars(b, b + colon, start).ptr == b + colon &&
              std::from_chars(b + colon + 1, e, id).ptr == e;
    if (!ok) return Status::InvalidArgument("cursor: not one this store issued");
    w.sql += " AND (call_start_ns < " + std::to_string(start) + " OR (call_start_ns = " + std::to_string(start) +
             " AND id < " + std::to_string(id) + "))";
  }
  const size_t limit = std::clamp<size_t>(q.limit, 1, kMaxLimit);
  std::string sql = std::string("SELECT ") + kScoreColumns + " FROM scores" + w.sql +
                    " ORDER BY call_start_ns DESC, id DESC LIMIT " + std::to_string(limit + 1);
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare(sql);
  if (!st.ok()) return st.status();
  w.Apply(*st);
  ScorePage page;
  Status s;
  int64_t last_id = 0;
  while (st->Step(&s)) {
    if (page.scores.size() == limit) {
      page.next_cursor = std::to_string(page.scores.back().call_start_ns) + ":" + std::to_string(last_id);
      break;
    }
    page.scores.push_back(ReadScore(*st));
    last_id = st->Int(23);
  }
  LOUPE_RETURN_IF_ERROR(s);
  return page;
}

Result<std::vector<ScoreAggregateRow>> StateStore::AggregateScores(const ScoreAggregateQuery& q) {
  std::string dims;
  for (Dimension d : q.group_by) {
    const char* col = ScoreColumn(d);
    if (!col) return Status::InvalidArgument("group_by: scores cannot be grouped by " + std::string(DimensionName(d)));
    dims += std::string(col) + ", ";
  }
  Where w;
  w.sql += " AND latest = 1";
  for (const auto& [d, v] : q.where) {
    const char* col = ScoreColumn(d);
    if (!col) return Status::InvalidArgument("where: scores cannot be filtered by " + std::string(DimensionName(d)));
    w.sql += std::string(" AND ") + col + " = ?";
    std::string value = v;
    w.binds.push_back([value](Stmt& st, int i) { st.Bind(i, value); });
  }
  w.Text("evaluator", q.evaluator);
  w.Text("dimension", q.dimension);
  if (q.source) w.Int("source = ?", static_cast<int64_t>(*q.source));
  if (q.start_ns) w.Int("call_start_ns >= ?", static_cast<int64_t>(q.start_ns));
  if (q.end_ns) w.Int("call_start_ns < ?", static_cast<int64_t>(q.end_ns));
  const std::string bucket =
      q.step_ns ? "(call_start_ns / " + std::to_string(q.step_ns) + ") * " + std::to_string(q.step_ns) : "0";
  // Column positions in GROUP BY/ORDER BY must be plain integers.
  const std::string pos = std::to_string(q.group_by.size() + 1);
  const std::string sql = "SELECT " + dims + bucket +
        " AS bucket, evaluator, dimension, COUNT(*), TOTAL(value), TOTAL(value * value), MIN(value), MAX(value) "
        "FROM scores" + w.sql + " GROUP BY " + dims + pos + ", evaluator, dimension ORDER BY " + dims +
        "evaluator, dimension, " + pos;
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare(sql);
  if (!st.ok()) return st.status();
  w.Apply(*st);
  std::vector<ScoreAggregateRow> out;
  Status s;
  const int n = static_cast<int>(q.group_by.size());
  while (st->Step(&s)) {
    ScoreAggregateRow row;
    for (int i = 0; i < n; ++i) row.key.emplace_back(st->Text(i));
    row.bucket_start_ns = static_cast<uint64_t>(st->Int(n));
    row.evaluator = st->Text(n + 1);
    row.dimension = st->Text(n + 2);
    row.count = st->Int(n + 3);
    row.sum = st->Double(n + 4);
    row.sum_squares = st->Double(n + 5);
    row.min = st->Double(n + 6);
    row.max = st->Double(n + 7);
    out.push_back(std::move(row));
  }
  LOUPE_RETURN_IF_ERROR(s);
  return out;
}

Status StateStore::TraceScores(const std::vector<model::TraceId>& traces,
                               std::map<model::TraceId, std::vector<TraceScore>>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  auto st = db_->Prepare(
      "SELECT evaluator, dimension, AVG(value), COUNT(*) FROM scores WHERE trace_id = ? AND latest = 1 "
      "GROUP BY evaluator, dimension ORDER BY evaluator, dimension");
  if (!st.ok()) return st.status();
  for (const model::TraceId& id : traces) {
    st->BindBlob(1, AsBlob(id));
    Status s;
    while (st->Step(&s)) {
      (*out)[id].push_back({std::string(st->Text(0)), std::string(st->Text(1)), st->Double(2), st->Int(3)});
    }
    st->Reset();
    LOUPE_RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

}  // namespace loupe::store::sqlite
