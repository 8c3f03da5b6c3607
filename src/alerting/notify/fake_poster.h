// A recording HttpPoster for the notifier tests: answers from a script.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "alerting/notify/http_poster.h"

namespace loupe::alerting::testing {

class FakePoster : public HttpPoster {
 public:
  PostResult Post(const HttpPost& post) override {
    std::lock_guard lock(mu_);
    posts_.push_back(post);
    if (script_.empty()) return {default_status, default_status == 0 ? "connection refused" : "", {}};
    PostResult r = script_.front();
    script_.pop_front();
    return r;
  }
  void Script(std::vector<PostResult> answers) {
    std::lock_guard lock(mu_);
    script_.assign(answers.begin(), answers.end());
  }
  std::vector<HttpPost> posts() const {
    std::lock_guard lock(mu_);
    return posts_;
  }
  int default_status = 200;

 private:
  mutable std::mutex mu_;
  std::deque<PostResult> script_;
  std::vector<HttpPost> posts_;
};

}  // namespace loupe::alerting::testing
