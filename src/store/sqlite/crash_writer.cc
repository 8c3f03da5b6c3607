// store_crash_writer DATA_DIR THREADS: the child process of the kill -9
// test. THREADS threads append groups to a store concurrently, forever;
// after each group's Consume returned OK the thread prints one line per
// acknowledged span, "<trace hex> <span hex>", in a single write(2) so the
// parent sees only whole lines. Every fifth group is a redelivery of the
// thread's previous group, as a retrying client would send.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "store/test_util.h"

namespace {

using namespace loupe;

std::vector<model::Batch> Group(uint64_t thread, uint64_t n) {
  std::vector<model::Batch> group(2);
  for (uint64_t b = 0; b < 2; ++b) {
    for (uint64_t s = 0; s < 5; ++s) {
      store::testing::LlmSpec spec;
      spec.trace = thread * 1'000'000 + n;
      spec.span = b * 5 + s + 1;
      spec.start_ns = 1'750'000'000'000'000'000ull + n * 1'000'000'000ull;
      spec.team = "team-" + std::to_string(thread);
      group[b].spans.push_back(store::testing::LlmSpan(spec));
    }
  }
  return group;
}

void Run(store::Store* store, uint64_t thread) {
  for (uint64_t n = 1;; ++n) {
    uint64_t id = n % 5 == 0 ? n - 1 : n;  // redeliver the previous group
    std::vector<model::Batch> group = Group(thread, id);
    std::vector<model::Batch*> ptrs;
    for (auto& b : group) ptrs.push_back(&b);
    Status s = store->Consume(ptrs);
    if (!s.ok()) {
      std::fprintf(stderr, "consume: %s\n", s.ToString().c_str());
      std::_Exit(2);
    }
    std::string out;
    for (const auto& b : group) {
      for (const auto& r : b.spans) out += model::ToHex(r.span.trace_id) + " " + model::ToHex(r.span.span_id) + "\n";
    }
    if (::write(1, out.data(), out.size()) != static_cast<ssize_t>(out.size())) std::_Exit(3);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: store_crash_writer DATA_DIR THREADS\n");
    return 1;
  }
  store::StoreConfig config;
  config.data_dir = argv[1];
  config.clock = store::testing::PinnedClock();
  auto opened = store::OpenStore(config);
  if (!opened.ok()) return 1;
  std::unique_ptr<store::Store> store = std::move(*opened);
  Status s = store->Start();
  if (!s.ok()) {
    std::fprintf(stderr, "start: %s\n", s.ToString().c_str());
    return 1;
  }
  std::vector<std::thread> threads;
  for (int t = 1; t <= std::atoi(argv[2]); ++t) threads.emplace_back(Run, store.get(), static_cast<uint64_t>(t));
  for (auto& t : threads) t.join();  // never: the parent kills us
  return 0;
}
