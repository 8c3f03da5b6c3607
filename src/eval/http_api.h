// EvalHttpApi: the evaluation endpoints under /api/v1 (docs/evaluation.md):
//   POST /api/v1/scores              human and external scores
//   GET  /api/v1/scores              search scores (judge, built-in, human)
//   GET  /api/v1/evaluations         the queue: pending, done, failures with raw answers
//   GET  /api/v1/evaluation/status   budget, spend today, paused?, queue, canary
//   GET  /api/v1/compare             prompt version A vs B on one score dimension
//   GET  /api/v1/agreement           how often the judge agrees with people
//   POST /api/v1/evaluations/run     score a slice now (`loupe eval run`)
//   GET  /api/v1/evaluations/run     progress and results of such a run (?id=)
// Handlers run the store queries on the HTTP server's thread (they are
// index lookups); they never block on the judge.
#pragma once

#include "common/clock.h"

namespace loupe::ingest {
class HttpServer;
}
namespace loupe::store {
class Store;
}

namespace loupe::eval {

class Evaluator;

class EvalHttpApi {
 public:
  // Not owned; all must outlive the server. `evaluator` is null when
  // evaluation is disabled: scores, compare and agreement still work,
  // status says disabled, run answers 503.
  EvalHttpApi(store::Store* store, Evaluator* evaluator, const Clock* clock)
      : store_(store), evaluator_(evaluator), clock_(clock) {}

  // REQUIRES: called before server.Start().
  void Register(ingest::HttpServer& server);

 private:
  store::Store* store_;
  Evaluator* evaluator_;
  const Clock* clock_;
};

}  // namespace loupe::eval
