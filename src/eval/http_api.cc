// Registration, shared answers, and the scores endpoints.
#include "eval/http_api.h"

#include <cmath>

#include "api/params.h"
#include "eval/http_internal.h"

namespace loupe::eval {

void EvalHttpApi::Register(ingest::HttpServer& server) {
  http::Context c{store_, evaluator_, clock_};
  auto route = [&](const char* method, const char* path, auto fn) {
    server.Handle(method, path, [c, fn](ingest::HttpRequest req, ingest::HttpResponder r) { r.Send(fn(c, req)); });
  };
  route("POST", "/api/v1/scores", http::HandlePostScores);
  route("GET", "/api/v1/scores", http::HandleGetScores);
  route("GET", "/api/v1/evaluations", http::HandleEvaluations);
  route("GET", "/api/v1/evaluation/status", http::HandleStatus);
  route("GET", "/api/v1/compare", http::HandleCompare);
  route("GET", "/api/v1/agreement", http::HandleAgreement);
  route("POST", "/api/v1/evaluations/run", http::HandlePostRun);
  route("GET", "/api/v1/evaluations/run", http::HandleGetRun);
}

namespace http {
namespace {

constexpr size_t kMaxScoresPerRequest = 1000;

bool ValidName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/')) return false;
  }
  return true;
}

// Reads one score object; on error sets *field and returns the message.
std::string ReadScore(const json& in, const std::string& at, uint64_t now, store::Score* out, std::string* field) {
  auto fail = [&](const std::string& name, const std::string& msg) {
    *field = at + name;
    return msg;
  };
  if (!in.is_object()) return fail("", "each score must be a JSON object");
  static const char* kKnown[] = {"trace_id", "span_id", "name", "value", "data_type", "categories", "source",
                                 "evaluator", "author", "comment"};
  for (const auto& [k, v] : in.items()) {
    bool known = false;
    for (const char* n : kKnown) known |= k == n;
    if (!known) return fail(k, "unknown field (known: trace_id, span_id, name, value, data_type, categories, source, evaluator, author, comment)");
  }
  auto str = [&](const char* key, std::string* dst, bool required, size_t max) -> std::string {
    auto it = in.find(key);
    if (it == in.end() || it->is_null()) return required ? fail(key, "is required") : "";
    if (!it->is_string()) return fail(key, "must be a string");
    if (it->get_ref<const std::string&>().size() > max) return fail(key, "is longer than " + std::to_string(max) + " bytes");
    *dst = it->get<std::string>();
    return "";
  };
  std::string trace, span, source = "human", evaluator, data_type, err;
  if (!(err = str("trace_id", &trace, true, 64)).empty()) return err;
  if (!model::ParseHex(trace, &out->trace_id) || model::IsZero(out->trace_id)) {
    return fail("trace_id", "must be 32 hex digits, not all zero");
  }
  if (!(err = str("span_id", &span, false, 64)).empty()) return err;
  if (!span.empty() && (!model::ParseHex(span, &out->span_id) || model::IsZero(out->span_id))) {
    return fail("span_id", "must be 16 hex digits, not all zero (omit it to score the whole trace)");
  }
  if (!(err = str("name", &out->dimension, true, 64)).empty()) return err;
  if (!ValidName(out->dimension)) return fail("name", "must be 1-64 characters of [A-Za-z0-9_.-/]");
  if (!(err = str("source", &source, false, 32)).empty()) return err;
  if (!(err = str("evaluator", &evaluator, false, 64)).empty()) return err;
  if (!(err = str("author", &out->author, false, 256)).empty()) return err;
  if (!(err = str("comment", &out->reasoning, false, 4000)).empty()) return err;
  if (!(err = str("data_type", &data_type, false, 16)).empty()) return err;
  if (source == "human") {
    if (!evaluator.empty() && evaluator != "human") return fail("evaluator", "human scores use the evaluator \"human\"");
    out->source = store::ScoreSource::kHuman;
    out->evaluator = "human";
  } else if (source == "external") {
    if (!evaluator.empty() && !ValidName(evaluator)) return fail("evaluator", "must be 1-64 characters of [A-Za-z0-9_.-/]");
    // The store has no "external" source yet: external scores are kept as
    // automatic (built-in) ones under their own evaluator name.
    out->source = store::ScoreSource::kBuiltin;
    out->evaluator = "external/" + (evaluator.empty() ? std::string("default") : evaluator);
  } else {
    return fail("source", "must be human or external");
  }
  auto v = in.find("value");
  if (v == in.end() || v->is_null()) return fail("value", "is required: a number, true/false, or a category");
  std::string kind;
  if (v->is_boolean()) {
    kind = "boolean";
    out->value = v->get<bool>() ? 1 : 0;
    out->label = v->get<bool>() ? "true" : "false";
  } else if (v->is_number()) {
    kind = "numeric";
    out->value = v->get<double>();
    if (!std::isfinite(out->value)) return fail("value", "must be a finite number");
  } else if (v->is_string()) {
    kind = "categorical";
    auto cats = in.find("categories");
    if (cats == in.end() || !cats->is_array() || cats->empty()) {
      return fail("categories", "is required for a categorical value: the list of allowed categories, in order");
    }
    const std::string& label = v->get_ref<const std::string&>();
    bool found = false;
    for (size_t i = 0; i < cats->size(); ++i) {
      if (!(*cats)[i].is_string()) return fail("categories[" + std::to_string(i) + "]", "must be a string");
      if ((*cats)[i] == label && !found) {
        found = true;
        out->value = static_cast<double>(i);  // the category's position: a faithful encoding, not a judgement
      }
    }
    if (!found) return fail("value", "\"" + label.substr(0, 64) + "\" is not one of the categories");
    out->label = label;
  } else {
    return fail("value", "must be a number, true/false, or a category string");
  }
  if (!data_type.empty() && data_type != kind) {
    return fail("data_type", "is \"" + data_type + "\" but the value is " + kind);
  }
  out->created_ns = now;
  return "";
}

}  // namespace

ingest::HttpResponse Json(int status, const json& body) {
  ingest::HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

ingest::HttpResponse Error(int status, const std::string& kind, const std::string& name, const std::string& message) {
  json e = {{"status", status}, {"message", message}};
  if (!kind.empty()) e[kind] = name;
  return Json(status, {{"error", e}});
}

ingest::HttpResponse StoreError(const Status& s) {
  switch (s.code()) {
    case Status::Code::kNotFound: return Error(404, "", "", s.message());
    case Status::Code::kInvalidArgument: return Error(400, "", "", s.message());
    case Status::Code::kUnavailable:
    case Status::Code::kFailedPrecondition: return Error(503, "", "", s.message());
    default: return Error(500, "", "", s.message());
  }
}

std::string Rfc3339(uint64_t ns) { return ns ? api::FormatRfc3339(ns) : ""; }

json ScoreJson(const store::Score& s) {
  json j = {{"trace_id", model::ToHex(s.trace_id)},
            {"span_id", model::IsZero(s.span_id) ? json(nullptr) : json(model::ToHex(s.span_id))},
            {"evaluator", s.evaluator},
            {"dimension", s.dimension},
            {"value", s.value},
            {"label", s.label},
            {"reasoning", s.reasoning},
            {"author", s.author},
            {"source", store::ScoreSourceName(s.source)},
            {"judge_model", s.judge_model},
            {"judge_cost_usd", s.judge_cost_nanos ? json(static_cast<double>(*s.judge_cost_nanos) / 1e9) : json(nullptr)},
            {"created", Rfc3339(s.created_ns)},
            {"version", s.version},
            {"call_start", Rfc3339(s.call_start_ns)}};
  for (const auto& [k, v] : {std::pair{"service", &s.service}, {"environment", &s.environment}, {"team", &s.team},
                             {"feature", &s.feature}, {"model", &s.model}, {"provider", &s.provider},
                             {"prompt_version", &s.prompt_version}, {"user", &s.user}, {"session", &s.session}}) {
    j[k] = *v;
  }
  return j;
}

json TaskJson(const store::EvalTask& t) {
  return {{"id", t.id},
          {"trace_id", model::ToHex(t.trace_id)},
          {"span_id", model::ToHex(t.span_id)},
          {"evaluator", t.evaluator},
          {"run", t.run},
          {"state", store::EvalStateName(t.state)},
          {"attempts", t.attempts},
          {"reason", t.reason},
          {"error", t.error},
          {"raw_answer", t.raw_answer},
          {"due", Rfc3339(t.due_ns)},
          {"enqueued", Rfc3339(t.enqueued_ns)},
          {"finished", Rfc3339(t.finished_ns)}};
}

ingest::HttpResponse HandlePostScores(const Context& c, const ingest::HttpRequest& req) {
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Error(400, "field", "", "the body is not valid JSON");
  bool new_version = false;
  json items;
  std::string prefix;
  if (body.is_object() && body.contains("scores")) {
    for (const auto& [k, v] : body.items()) {
      if (k != "scores" && k != "new_version") return Error(400, "field", k, "unknown field (known: scores, new_version)");
    }
    if (auto nv = body.find("new_version"); nv != body.end()) {
      if (!nv->is_boolean()) return Error(400, "field", "new_version", "must be true or false");
      new_version = nv->get<bool>();
    }
    items = body["scores"];
    if (!items.is_array() || items.empty()) return Error(400, "field", "scores", "must be a non-empty list");
    if (items.size() > kMaxScoresPerRequest) {
      return Error(400, "field", "scores", "at most " + std::to_string(kMaxScoresPerRequest) + " scores per request");
    }
    prefix = "scores";
  } else {
    items = json::array({body});
  }
  std::vector<store::Score> scores;
  const uint64_t now = c.clock->NowUnixNanos();
  for (size_t i = 0; i < items.size(); ++i) {
    store::Score s;
    std::string field;
    const std::string at = prefix.empty() ? "" : prefix + "[" + std::to_string(i) + "].";
    std::string err = ReadScore(items[i], at, now, &s, &field);
    if (!err.empty()) return Error(400, "field", field, field + ": " + err);
    scores.push_back(std::move(s));
  }
  const size_t n = scores.size();
  auto stored = c.store->PutScores(std::move(scores), new_version);
  if (!stored.ok()) return StoreError(stored.status());
  return Json(201, {{"stored", *stored}, {"ignored", n - *stored}});
}

ingest::HttpResponse HandleGetScores(const Context& c, const ingest::HttpRequest& req) {
  store::ScoreQuery q;
  std::string trace, span, source, all_versions;
  api::ParamTable t(c.clock->NowUnixNanos());
  t.String("trace_id", &trace)
      .String("span_id", &span)
      .String("evaluator", &q.evaluator)
      .String("dimension", &q.dimension)
      .OneOf("source", {"judge", "builtin", "human"}, &source)
      .String("team", &q.team)
      .String("feature", &q.feature)
      .String("model", &q.model)
      .String("prompt_version", &q.prompt_version)
      .String("service", &q.service)
      .String("environment", &q.environment)
      .String("user", &q.user)
      .String("session", &q.session)
      .Time("since", &q.start_ns)
      .Time("until", &q.end_ns)
      .OneOf("all_versions", {"true", "false"}, &all_versions)
      .Count("limit", &q.limit, 1, 1000)
      .String("cursor", &q.cursor);
  if (auto e = t.Apply(req.query)) return Error(400, "parameter", e->parameter, e->message);
  if (!trace.empty()) {
    model::TraceId id;
    if (!model::ParseHex(trace, &id)) return Error(400, "parameter", "trace_id", "trace_id: want 32 hex digits");
    q.trace_id = id;
  }
  if (!span.empty()) {
    model::SpanId id;
    if (!model::ParseHex(span, &id)) return Error(400, "parameter", "span_id", "span_id: want 16 hex digits");
    q.span_id = id;
  }
  if (!source.empty()) {
    store::ScoreSource s;
    store::ParseScoreSource(source, &s);
    q.source = s;
  }
  q.latest_only = all_versions != "true";
  auto page = c.store->QueryScores(q);
  if (!page.ok()) return StoreError(page.status());
  json out = json::array();
  for (const auto& s : page->scores) out.push_back(ScoreJson(s));
  return Json(200, {{"scores", out}, {"next_cursor", page->next_cursor}});
}

}  // namespace http
}  // namespace loupe::eval
