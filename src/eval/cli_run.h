// `loupe eval run`: scores a slice of past calls on a running Loupe and,
// as a CI gate, exits non-zero when a mean falls below --min-mean.
//
//   loupe eval run --since 1h --feature chat --rate 1.0 [--rubric NAME]
//                  [--min-mean 3.5] [--dimension accuracy] [--force] [--url URL]
//
// Talks to the server over HTTP: POST /api/v1/evaluations/run, then polls
// GET /api/v1/evaluations/run?id= until every evaluation finished (or
// --timeout). A bearer token, when the API wants one, comes from
// LOUPE_API_TOKEN.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace loupe::eval {

class HttpTransport;

struct EvalRunOptions {
  std::string url = "http://127.0.0.1:8080";
  std::string since = "1h";
  std::string until;
  std::string feature;
  double rate = 1.0;
  std::string rubric;
  bool force = false;
  std::optional<double> min_mean;  // the gate: every checked dimension's mean must reach it
  std::string dimension;           // empty: every dimension the rubric scores
  double timeout_seconds = 600;
  double poll_seconds = 1;
  bool json = false;               // print the final run JSON instead of a table
};

// Exit codes.
inline constexpr int kEvalOk = 0;
inline constexpr int kEvalBelowThreshold = 1;  // a mean under --min-mean (or nothing scored with a gate)
inline constexpr int kEvalError = 2;           // bad input, server error, unreachable, timeout

int RunEval(const EvalRunOptions& options, HttpTransport& transport, std::ostream& out, std::ostream& err);

// Adds `eval run` to `app`; the object must outlive app.parse().
class EvalCommand {
 public:
  explicit EvalCommand(CLI::App& app);
  ~EvalCommand();
  bool parsed() const;
  int Run() const;  // prints to stdout/stderr; returns the exit code

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace loupe::eval
