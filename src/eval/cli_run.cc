#include "eval/cli_run.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "eval/http_transport.h"

namespace loupe::eval {
namespace {

using nlohmann::json;

struct Answer {
  bool ok = false;
  json body;
};

Answer Call(HttpTransport& t, const std::string& method, const std::string& url, const std::string& body,
            std::ostream& err) {
  HttpCall call;
  call.method = method;
  call.url = url;
  call.body = body;
  call.timeout_seconds = 30;
  call.headers = {{"content-type", "application/json"}};
  if (const char* token = std::getenv("LOUPE_API_TOKEN"); token && *token) {
    call.headers.emplace_back("authorization", std::string("Bearer ") + token);
  }
  HttpReply r = t.Do(call);
  Answer a;
  if (!r.error.ok()) {
    err << "loupe eval: cannot reach " << url << ": " << r.error.message() << "\n";
    return a;
  }
  a.body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (r.status >= 400 || a.body.is_discarded()) {
    std::string msg = r.body.substr(0, 500);
    if (!a.body.is_discarded() && a.body.contains("error") && a.body["error"].contains("message")) {
      msg = a.body["error"]["message"].get<std::string>();
    }
    err << "loupe eval: the server answered " << r.status << ": " << msg << "\n";
    return a;
  }
  a.ok = true;
  return a;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

int RunEval(const EvalRunOptions& o, HttpTransport& t, std::ostream& out, std::ostream& err) {
  if (!(o.rate > 0 && o.rate <= 1)) {
    err << "loupe eval: --rate must be in (0, 1]\n";
    return kEvalError;
  }
  std::string base = o.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  json req = {{"since", o.since}, {"rate", o.rate}, {"force", o.force}};
  if (!o.until.empty()) req["until"] = o.until;
  if (!o.feature.empty()) req["feature"] = o.feature;
  if (!o.rubric.empty()) req["rubric"] = o.rubric;
  Answer started = Call(t, "POST", base + "/api/v1/evaluations/run", req.dump(), err);
  if (!started.ok) return kEvalError;
  const std::string id = started.body.value("id", "");
  if (!o.json) {
    out << "eval run " << id << ": " << started.body.value("calls", 0) << " calls to score with "
        << started.body.value("evaluator", "") << "\n";
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.timeout_seconds);
  Answer progress;
  for (;;) {
    progress = Call(t, "GET", base + "/api/v1/evaluations/run?id=" + Escape(id), "", err);
    if (!progress.ok) return kEvalError;
    if (progress.body.value("complete", false)) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      err << "loupe eval: timed out after " << o.timeout_seconds << "s with " << progress.body.value("pending", 0)
          << " evaluations still pending (see GET /api/v1/evaluation/status: budget, queue)\n";
      return kEvalError;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(o.poll_seconds));
  }
  const json& p = progress.body;
  const json dims = p.value("dimensions", json::object());
  if (o.json) {
    out << p.dump(2) << "\n";
  } else {
    out << "scored " << p.value("done", 0) << ", failed " << p.value("failed", 0) << ", skipped "
        << p.value("skipped", 0) << "\n";
    out << std::left << std::setw(16) << "dimension" << std::right << std::setw(8) << "count" << std::setw(8) << "mean"
        << std::setw(6) << "min" << std::setw(6) << "max" << "\n";
    for (const auto& [name, d] : dims.items()) {
      out << std::left << std::setw(16) << name << std::right << std::setw(8) << d.value("count", 0) << std::setw(8)
          << std::fixed << std::setprecision(2) << d.value("mean", 0.0) << std::setw(6) << std::setprecision(0)
          << d.value("min", 0.0) << std::setw(6) << d.value("max", 0.0) << "\n";
    }
    for (const auto& f : p.value("failures", json::array())) {
      out << "failed " << f.value("trace_id", "") << "/" << f.value("span_id", "") << ": " << f.value("error", "") << "\n";
    }
  }
  if (!o.min_mean) return kEvalOk;
  int code = kEvalOk;
  bool checked = false;
  for (const auto& [name, d] : dims.items()) {
    if (!o.dimension.empty() && name != o.dimension) continue;
    checked = true;
    const double mean = d.value("mean", 0.0);
    if (mean < *o.min_mean) {
      err << "loupe eval: " << name << " mean " << mean << " is below --min-mean " << *o.min_mean << "\n";
      code = kEvalBelowThreshold;
    }
  }
  if (!checked) {
    err << "loupe eval: nothing was scored" << (o.dimension.empty() ? "" : " on " + o.dimension)
        << ", so the --min-mean gate cannot pass\n";
    return kEvalBelowThreshold;
  }
  return code;
}

struct EvalCommand::State {
  CLI::App* eval = nullptr;
  CLI::App* run = nullptr;
  EvalRunOptions options;
  double min_mean = 0;
  CLI::Option* min_mean_opt = nullptr;
};

EvalCommand::EvalCommand(CLI::App& app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.eval = app.add_subcommand("eval", "Quality evaluation of LLM calls (LLM judge and built-in evaluators)");
  s.eval->require_subcommand(1);
  s.run = s.eval->add_subcommand("run", "Score a slice of past calls now; with --min-mean, a CI gate");
  EvalRunOptions& o = s.options;
  s.run->add_option("--since", o.since, "start of the slice: an age (1h, 2d) or RFC 3339 [1h]");
  s.run->add_option("--until", o.until, "end of the slice [now]");
  s.run->add_option("--feature", o.feature, "only calls of this feature");
  s.run->add_option("--rate", o.rate, "fraction of matching calls to score, in (0, 1] [1.0]");
  s.run->add_option("--rubric", o.rubric, "rubric name [evaluation.default_rubric]");
  s.run->add_flag("--force", o.force, "score again calls already scored (a new score version)");
  s.min_mean_opt = s.run->add_option("--min-mean", s.min_mean, "exit 1 when a dimension's mean is below this");
  s.run->add_option("--dimension", o.dimension, "the dimension --min-mean checks [every dimension]");
  s.run->add_option("--timeout", o.timeout_seconds, "seconds to wait for the scores [600]");
  s.run->add_flag("--json", o.json, "print the run's JSON");
  s.run->add_option("--url", o.url, "Loupe's API address [http://127.0.0.1:8080]");
}

EvalCommand::~EvalCommand() = default;

bool EvalCommand::parsed() const { return state_->run->parsed(); }

int EvalCommand::Run() const {
  EvalRunOptions o = state_->options;
  if (state_->min_mean_opt->count() > 0) o.min_mean = state_->min_mean;
  auto transport = NewCurlTransport();
  return RunEval(o, *transport, std::cout, std::cerr);
}

}  // namespace loupe::eval
