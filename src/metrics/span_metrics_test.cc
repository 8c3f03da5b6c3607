#include "metrics/span_metrics.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace loupe::metrics {
namespace {

constexpr uint64_t kT0 = 1'700'000'000'000'000'000ULL;
constexpr uint64_t kMs = 1'000'000;

// ---- building spans --------------------------------------------------------

std::shared_ptr<const model::Resource> MakeResource(std::vector<model::KeyValue> attrs) {
  auto r = std::make_shared<model::Resource>();
  r->attributes = model::Attributes(std::move(attrs));
  return r;
}

model::SpanRecord MakeSpan(std::string name, uint64_t duration_ms, std::vector<model::KeyValue> attrs = {},
                           std::shared_ptr<const model::Resource> resource = nullptr) {
  static uint64_t next_id = 1;
  model::SpanRecord r;
  uint64_t id = next_id++;
  for (int i = 0; i < 8; ++i) r.span.span_id[i] = static_cast<uint8_t>(id >> (8 * i));
  r.span.trace_id[0] = 1;
  r.span.name = std::move(name);
  r.span.kind = model::SpanKind::kClient;
  r.span.status.code = model::StatusCode::kOk;
  r.span.start_time_unix_nano = kT0;
  r.span.end_time_unix_nano = kT0 + duration_ms * kMs;
  r.span.attributes = model::Attributes(std::move(attrs));
  r.span.resource = resource ? std::move(resource) : MakeResource({{"service.name", "checkout"}});
  return r;
}

model::SpanRecord MakeLlmSpan(std::string team, std::string feature, std::string prompt_version,
                              int64_t input, int64_t output, std::optional<int64_t> cost_nanos) {
  model::SpanRecord r = MakeSpan("chat gpt-4o", 1200, {{"gen_ai.request.model", "gpt-4o"}});
  model::LlmCall call;
  call.provider = "openai";
  call.request_model = "gpt-4o";
  call.response_model = "gpt-4o-2024-08-06";
  call.operation = "chat";
  call.team = std::move(team);
  call.feature = std::move(feature);
  call.prompt_version = std::move(prompt_version);
  call.tokens.input = input;
  call.tokens.output = output;
  call.cost.total_nanos = cost_nanos;
  call.cost.source = cost_nanos ? model::CostSource::kCatalog : model::CostSource::kUnknown;
  r.llm = std::move(call);
  return r;
}

void RecordAll(SpanMetrics& m, std::vector<model::SpanRecord>& records, bool if_new = false) {
  std::vector<const model::SpanRecord*> ptrs;
  for (auto& r : records) ptrs.push_back(&r);
  if (if_new) {
    m.RecordIfNew(ptrs);
  } else {
    m.Record(ptrs);
  }
}

// ---- reading the exposition ------------------------------------------------

std::string Scrape(const SpanMetrics& m) {
  std::string out;
  ExpositionWriter w(&out);
  m.Collect(w);
  return out;
}

// "name{a="1",b="2"}" with labels sorted, -> value.
std::map<std::string, double> Samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t brace = line.find('{');
    size_t space = line.rfind(' ');
    std::string name = line.substr(0, std::min(brace, space));
    std::vector<std::string> labels;
    if (brace != std::string::npos) {
      std::string body = line.substr(brace + 1, line.rfind('}') - brace - 1);
      size_t pos = 0;
      while (pos < body.size()) {
        size_t q1 = body.find('"', pos);
        size_t q2 = q1 + 1;
        while (body[q2] != '"') q2 += body[q2] == '\\' ? 2 : 1;
        labels.push_back(body.substr(pos, q2 + 1 - pos));
        pos = q2 + 2;  // skip '",'
      }
    }
    std::sort(labels.begin(), labels.end());
    std::string key = name + "{";
    for (size_t i = 0; i < labels.size(); ++i) key += (i ? "," : "") + labels[i];
    key += "}";
    out[key] = std::stod(line.substr(space + 1));
  }
  return out;
}

// Sum over the samples named `name` whose labels include every `want`
// ("k=\"v\"" fragments).
double Sum(const std::map<std::string, double>& samples, const std::string& name,
           std::vector<std::string> want = {}) {
  double total = 0;
  for (const auto& [key, v] : samples) {
    if (key.compare(0, name.size() + 1, name + "{") != 0) continue;
    bool all = true;
    for (const auto& w : want) all = all && key.find(w) != std::string::npos;
    if (all) total += v;
  }
  return total;
}

size_t Count(const std::map<std::string, double>& samples, const std::string& name) {
  size_t n = 0;
  for (const auto& [key, v] : samples) n += key.compare(0, name.size() + 1, name + "{") == 0;
  return n;
}

// ---- span metrics (the Collector's families) -------------------------------

TEST(SpanMetrics, CountsCallsAndDurationsInTheConfiguredBuckets) {
  ManualClock clock(kT0);
  SpanMetrics m(SpanMetricsConfig(), &clock);
  std::vector<model::SpanRecord> spans;
  spans.push_back(MakeSpan("GET /cart", 50));
  spans.push_back(MakeSpan("GET /cart", 300));
  spans.push_back(MakeSpan("GET /cart", 20000));
  RecordAll(m, spans);
  auto s = Samples(Scrape(m));
  const std::string labels =
      "service_name=\"checkout\",span_kind=\"SPAN_KIND_CLIENT\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_OK\"";
  EXPECT_EQ(s["traces_span_metrics_calls_total{" + labels + "}"], 3);
  EXPECT_EQ(s["traces_span_metrics_duration_milliseconds_bucket{le=\"100\"," + labels + "}"], 1);
  EXPECT_EQ(s["traces_span_metrics_duration_milliseconds_bucket{le=\"250\"," + labels + "}"], 1);
  EXPECT_EQ(s["traces_span_metrics_duration_milliseconds_bucket{le=\"500\"," + labels + "}"], 2);
  EXPECT_EQ(s["traces_span_metrics_duration_milliseconds_bucket{le=\"10000\"," + labels + "}"], 2);
  EXPECT_EQ(s["traces_span_metrics_duration_milliseconds_bucket{le=\"+Inf\"," + labels + "}"], 3);
  EXPECT_EQ(s["traces_span_metrics_duration_milliseconds_sum{" + labels + "}"], 20350);
  EXPECT_EQ(s["traces_span_metrics_duration_milliseconds_count{" + labels + "}"], 3);
}

TEST(SpanMetrics, DimensionsComeFromSpanThenResourceThenDefault) {
  ManualClock clock(kT0);
  SpanMetricsConfig config;
  config.dimensions = {{"ai.team", std::nullopt}, {"ai.feature", "none"}, {"retry.count", std::nullopt}};
  SpanMetrics m(config, &clock);
  auto resource = MakeResource({{"service.name", "svc"}, {"ai.team", "resource-team"}, {"ai.feature", "rf"}});
  std::vector<model::SpanRecord> spans;
  // Span attribute wins over the resource's.
  spans.push_back(MakeSpan("a", 1, {{"ai.team", "span-team"}}, resource));
  // Resource fills in what the span lacks; a non-string value is printed.
  spans.push_back(MakeSpan("b", 1, {{"retry.count", int64_t{3}}}, resource));
  // Neither: the default, else the label is left off; empty = absent.
  spans.push_back(MakeSpan("c", 1, {{"ai.team", ""}}, MakeResource({{"service.name", "svc"}})));
  RecordAll(m, spans);
  auto s = Samples(Scrape(m));
  EXPECT_EQ(s["traces_span_metrics_calls_total{ai_feature=\"rf\",ai_team=\"span-team\",service_name=\"svc\","
              "span_kind=\"SPAN_KIND_CLIENT\",span_name=\"a\",status_code=\"STATUS_CODE_OK\"}"],
            1);
  EXPECT_EQ(s["traces_span_metrics_calls_total{ai_feature=\"rf\",ai_team=\"resource-team\",retry_count=\"3\","
              "service_name=\"svc\",span_kind=\"SPAN_KIND_CLIENT\",span_name=\"b\",status_code=\"STATUS_CODE_OK\"}"],
            1);
  EXPECT_EQ(s["traces_span_metrics_calls_total{ai_feature=\"none\",service_name=\"svc\","
              "span_kind=\"SPAN_KIND_CLIENT\",span_name=\"c\",status_code=\"STATUS_CODE_OK\"}"],
            1);
  EXPECT_EQ(Count(s, "traces_span_metrics_calls_total"), 3u);
}

TEST(SpanMetrics, OverflowGoesToOneMarkedSeriesAndIsCounted) {
  ManualClock clock(kT0);
  SpanMetricsConfig config;
  config.cardinality_limit = 2;
  SpanMetrics m(config, &clock);
  std::vector<model::SpanRecord> spans;
  for (std::string name : {"a", "b", "c", "d", "a"}) spans.push_back(MakeSpan(name, 10));
  RecordAll(m, spans);
  auto s = Samples(Scrape(m));
  EXPECT_EQ(Count(s, "traces_span_metrics_calls_total"), 3u);  // a, b, overflow
  EXPECT_EQ(s["traces_span_metrics_calls_total{otel_metric_overflow=\"true\"}"], 2);  // c, d
  EXPECT_EQ(Sum(s, "traces_span_metrics_calls_total", {"span_name=\"a\""}), 2);
  EXPECT_EQ(s["traces_span_metrics_duration_milliseconds_count{otel_metric_overflow=\"true\"}"], 2);
  EXPECT_EQ(s["loupe_span_metrics_overflow_total{table=\"traces_span_metrics\"}"], 2);
  EXPECT_EQ(s["loupe_span_metrics_series{table=\"traces_span_metrics\"}"], 3);
  EXPECT_EQ(m.GetCounts().span_series, 2u);
}

TEST(SpanMetrics, IdleSeriesExpireAndFreeTheirSlot) {
  ManualClock clock(kT0);
  SpanMetricsConfig config;
  config.cardinality_limit = 1;
  config.series_expiry_seconds = 600;
  SpanMetrics m(config, &clock);
  std::vector<model::SpanRecord> old_span = {MakeSpan("prompt-v1", 10)};
  RecordAll(m, old_span);
  clock.Advance(300ull * 1'000'000'000);
  std::vector<model::SpanRecord> refresh = {MakeSpan("prompt-v1", 10)};
  RecordAll(m, refresh);  // used again: the idle clock restarts
  clock.Advance(400ull * 1'000'000'000);
  auto s = Samples(Scrape(m));
  EXPECT_EQ(Sum(s, "traces_span_metrics_calls_total", {"span_name=\"prompt-v1\""}), 2);  // 400 s idle < 600 s

  clock.Advance(601ull * 1'000'000'000);
  std::vector<model::SpanRecord> new_span = {MakeSpan("prompt-v2", 10)};
  RecordAll(m, new_span);  // v1 expired first, so v2 gets the one slot
  s = Samples(Scrape(m));
  EXPECT_EQ(Sum(s, "traces_span_metrics_calls_total", {"span_name=\"prompt-v1\""}), 0);
  EXPECT_EQ(Sum(s, "traces_span_metrics_calls_total", {"span_name=\"prompt-v2\""}), 1);
  EXPECT_EQ(s.count("traces_span_metrics_calls_total{otel_metric_overflow=\"true\"}"), 0u);
  EXPECT_EQ(s["loupe_span_metrics_expired_series_total{table=\"traces_span_metrics\"}"], 1);
}

TEST(SpanMetrics, ZeroExpiryKeepsSeriesForever) {
  ManualClock clock(kT0);
  SpanMetricsConfig config;
  config.series_expiry_seconds = 0;
  SpanMetrics m(config, &clock);
  std::vector<model::SpanRecord> spans = {MakeSpan("x", 10)};
  RecordAll(m, spans);
  clock.Advance(1'000'000ull * 1'000'000'000);
  EXPECT_EQ(Sum(Samples(Scrape(m)), "traces_span_metrics_calls_total"), 1);
}

// ---- LLM families -----------------------------------------------------------

TEST(SpanMetrics, TokenAndCostSumsAreExact) {
  ManualClock clock(kT0);
  SpanMetrics m(SpanMetricsConfig(), &clock);
  std::vector<model::SpanRecord> spans;
  spans.push_back(MakeLlmSpan("search", "answer", "v3", 1000, 200, 1'234'567));
  spans.push_back(MakeLlmSpan("search", "answer", "v3", 7, 3, 1));
  spans.back().llm->tokens.cache_read = 50;
  spans.back().llm->tokens.reasoning = 11;
  spans.push_back(MakeLlmSpan("ads", "rank", "v1", 10, 10, 999'999'999'999));  // ~$1000
  RecordAll(m, spans);
  auto s = Samples(Scrape(m));
  const std::string search = "ai_team=\"search\"";
  EXPECT_EQ(Sum(s, "ai_tokens_total", {search, "gen_ai_token_type=\"input\""}), 1007);
  EXPECT_EQ(Sum(s, "ai_tokens_total", {search, "gen_ai_token_type=\"output\""}), 203);
  EXPECT_EQ(Sum(s, "ai_tokens_total", {search, "gen_ai_token_type=\"cache_read\""}), 50);
  EXPECT_EQ(Sum(s, "ai_tokens_total", {search, "gen_ai_token_type=\"reasoning\""}), 11);
  // A type no call reported is not written.
  EXPECT_EQ(Count(s, "ai_tokens_total"), 4u + 2u);
  // 1,234,568 nano-dollars, rendered as dollars.
  EXPECT_DOUBLE_EQ(Sum(s, "ai_cost_usd_total", {search}), 0.001234568);
  EXPECT_DOUBLE_EQ(Sum(s, "ai_cost_usd_total", {"ai_team=\"ads\""}), 999.999999999);
  EXPECT_EQ(Sum(s, "ai_requests_total", {search, "status_code=\"STATUS_CODE_OK\""}), 2);
  // Labels: the attribution the normaliser resolved, not span attributes.
  EXPECT_EQ(s["ai_requests_total{ai_feature=\"answer\",ai_prompt_version=\"v3\",ai_team=\"search\","
              "gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\",service_name=\"checkout\","
              "status_code=\"STATUS_CODE_OK\"}"],
            2);
  EXPECT_EQ(Sum(s, "ai_request_duration_seconds_count", {search}), 2);
  EXPECT_EQ(Sum(s, "ai_request_duration_seconds_sum", {search}), 2.4);
  EXPECT_EQ(Sum(s, "ai_request_duration_seconds_bucket", {search, "le=\"2.5\""}), 2);
  EXPECT_EQ(Sum(s, "ai_request_duration_seconds_bucket", {search, "le=\"1\""}), 0);
}

TEST(SpanMetrics, AggregateSpansCountAsSpansButNeverAsCalls) {
  ManualClock clock(kT0);
  SpanMetrics m(SpanMetricsConfig(), &clock);
  std::vector<model::SpanRecord> spans;
  spans.push_back(MakeLlmSpan("t", "f", "v1", 100, 10, 5000));
  spans.push_back(MakeLlmSpan("t", "f", "v1", 100, 10, 5000));  // the parent's repeat of the child's usage
  spans.back().span.name = "ai.generateText";
  spans.back().llm->counts_usage = false;
  RecordAll(m, spans);
  auto s = Samples(Scrape(m));
  EXPECT_EQ(Sum(s, "traces_span_metrics_calls_total"), 2);
  EXPECT_EQ(Sum(s, "traces_span_metrics_calls_total", {"span_name=\"ai.generateText\""}), 1);
  EXPECT_EQ(Sum(s, "ai_requests_total"), 1);
  EXPECT_EQ(Sum(s, "ai_tokens_total", {"gen_ai_token_type=\"input\""}), 100);
  EXPECT_DOUBLE_EQ(Sum(s, "ai_cost_usd_total"), 0.000005);
  EXPECT_EQ(Sum(s, "ai_request_duration_seconds_count"), 1);
}

TEST(SpanMetrics, UnpricedCallsAreCountedNotCostedAtZero) {
  ManualClock clock(kT0);
  SpanMetrics m(SpanMetricsConfig(), &clock);
  std::vector<model::SpanRecord> spans = {MakeLlmSpan("t", "f", "v1", 100, 10, std::nullopt)};
  spans[0].llm->request_model = "acme-private-7";
  spans[0].llm->environment = "prod";
  spans[0].llm->error_type = "rate_limit";
  spans[0].span.status.code = model::StatusCode::kError;
  RecordAll(m, spans);
  auto s = Samples(Scrape(m));
  EXPECT_EQ(Sum(s, "ai_unpriced_calls_total", {"gen_ai_request_model=\"acme-private-7\""}), 1);
  EXPECT_EQ(Count(s, "ai_cost_usd_total"), 0u);
  EXPECT_EQ(Sum(s, "ai_requests_total", {"status_code=\"STATUS_CODE_ERROR\"", "error_type=\"rate_limit\"",
                                          "deployment_environment_name=\"prod\""}),
            1);
}

TEST(SpanMetrics, TimeToFirstTokenOnlyWhenKnown) {
  ManualClock clock(kT0);
  SpanMetrics m(SpanMetricsConfig(), &clock);
  std::vector<model::SpanRecord> spans = {MakeLlmSpan("t", "f", "v1", 1, 1, 1), MakeLlmSpan("t", "f", "v1", 1, 1, 1)};
  spans[0].llm->time_to_first_token_nanos = 300 * kMs;
  RecordAll(m, spans);
  auto s = Samples(Scrape(m));
  EXPECT_EQ(Sum(s, "ai_time_to_first_token_seconds_count"), 1);
  EXPECT_DOUBLE_EQ(Sum(s, "ai_time_to_first_token_seconds_sum"), 0.3);
  EXPECT_EQ(Sum(s, "ai_time_to_first_token_seconds_bucket", {"le=\"0.25\""}), 0);
  EXPECT_EQ(Sum(s, "ai_time_to_first_token_seconds_bucket", {"le=\"0.5\""}), 1);
}

TEST(SpanMetrics, GenAiHistogramsAreOptInWithTheSpecBuckets) {
  ManualClock clock(kT0);
  std::vector<model::SpanRecord> spans = {MakeLlmSpan("t", "f", "v1", 100, 10, 1)};
  spans[0].llm->tokens.cache_read = 900;
  {
    SpanMetrics off(SpanMetricsConfig(), &clock);
    RecordAll(off, spans);
    EXPECT_EQ(Count(Samples(Scrape(off)), "gen_ai_client_token_usage_bucket"), 0u);
    EXPECT_EQ(Scrape(off).find("# TYPE gen_ai_client"), std::string::npos);
  }
  SpanMetricsConfig config;
  config.genai_histograms = true;
  SpanMetrics m(config, &clock);
  RecordAll(m, spans);
  auto s = Samples(Scrape(m));
  // Input includes cached input, as the spec counts it: 100 + 900.
  EXPECT_EQ(Sum(s, "gen_ai_client_token_usage_sum", {"gen_ai_token_type=\"input\""}), 1000);
  EXPECT_EQ(Sum(s, "gen_ai_client_token_usage_bucket", {"gen_ai_token_type=\"input\"", "le=\"1024\""}), 1);
  EXPECT_EQ(Sum(s, "gen_ai_client_token_usage_bucket", {"gen_ai_token_type=\"input\"", "le=\"256\""}), 0);
  EXPECT_EQ(Sum(s, "gen_ai_client_token_usage_bucket", {"le=\"67108864\""}), 2);
  EXPECT_EQ(Sum(s, "gen_ai_client_operation_duration_seconds_bucket",
                {"le=\"1.28\"", "gen_ai_operation_name=\"chat\""}),
            1);  // 1.2 s
  EXPECT_EQ(Sum(s, "gen_ai_client_operation_duration_seconds_bucket", {"le=\"0.64\""}), 0);
  EXPECT_EQ(Count(s, "gen_ai_client_operation_duration_seconds_bucket"), 15u);  // 0.01 .. 81.92, +Inf
  EXPECT_EQ(GenAiTokenUsageBuckets().size(), 14u);
  EXPECT_EQ(GenAiOperationDurationBuckets().back(), 81.92);
}

// ---- exactly once ------------------------------------------------------------

TEST(SpanMetrics, RecordIfNewCountsARetriedDeliveryOnce) {
  ManualClock clock(kT0);
  SpanMetrics m(SpanMetricsConfig(), &clock);
  std::vector<model::SpanRecord> spans = {MakeLlmSpan("t", "f", "v1", 100, 10, 7000), MakeSpan("db", 3)};
  RecordAll(m, spans, /*if_new=*/true);
  RecordAll(m, spans, /*if_new=*/true);  // the client retried
  auto s = Samples(Scrape(m));
  EXPECT_EQ(Sum(s, "traces_span_metrics_calls_total"), 2);
  EXPECT_EQ(Sum(s, "ai_tokens_total", {"gen_ai_token_type=\"input\""}), 100);
  EXPECT_DOUBLE_EQ(Sum(s, "ai_cost_usd_total"), 0.000007);
  EXPECT_EQ(s["loupe_span_metrics_duplicate_spans_total{}"], 2);
  EXPECT_EQ(m.GetCounts().duplicates, 2u);
  EXPECT_EQ(m.GetCounts().spans_recorded, 2u);
}

TEST(SpanMetrics, ConsumerAdapterFiltersRepeats) {
  ManualClock clock(kT0);
  SpanMetrics m(SpanMetricsConfig(), &clock);
  SpanMetricsConsumer consumer(&m);
  model::Batch a, b;
  a.spans.push_back(MakeSpan("x", 1));
  b.spans.push_back(a.spans[0]);  // the same span id in another request
  b.spans.push_back(MakeSpan("y", 1));
  std::vector<model::Batch*> group = {&a, &b};
  ASSERT_TRUE(consumer.Consume(group).ok());
  EXPECT_EQ(m.GetCounts().spans_recorded, 2u);
  EXPECT_EQ(m.GetCounts().duplicates, 1u);
}

// ---- exposition ---------------------------------------------------------------

std::string FullScrape() {
  ManualClock clock(kT0);
  SpanMetricsConfig config;
  config.genai_histograms = true;
  config.cardinality_limit = 3;
  SpanMetrics m(config, &clock);
  std::vector<model::SpanRecord> spans;
  spans.push_back(MakeLlmSpan("search", "answer \"quoted\"\nnew line \\", "v1", 10, 2, 100));
  spans.back().llm->time_to_first_token_nanos = 20 * kMs;
  spans.push_back(MakeLlmSpan("ads", "rank", "v2", 10, 2, std::nullopt));
  for (std::string name : {"a", "b", "c", "d"}) spans.push_back(MakeSpan(name, 5));
  RecordAll(m, spans);
  return Scrape(m);
}

// Structure every consumer of the text format relies on: each sample
// belongs to the family declared just before it, buckets are cumulative
// and end with +Inf = _count.
TEST(SpanMetrics, ExpositionIsWellFormed) {
  std::string text = FullScrape();
  std::istringstream in(text);
  std::string line, family, type;
  std::map<std::string, int> declared;
  double last_bucket = -1;
  while (std::getline(in, line)) {
    ASSERT_FALSE(line.empty());
    if (line.rfind("# HELP ", 0) == 0) continue;
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream t(line.substr(7));
      t >> family >> type;
      EXPECT_EQ(++declared[family], 1) << "family declared twice: " << family;
      last_bucket = -1;
      continue;
    }
    std::string name = line.substr(0, std::min(line.find('{'), line.find(' ')));
    if (type == "histogram") {
      ASSERT_TRUE(name == family + "_bucket" || name == family + "_sum" || name == family + "_count") << line;
      double v = std::stod(line.substr(line.rfind(' ') + 1));
      if (name == family + "_bucket") {
        if (line.find("le=\"+Inf\"") == std::string::npos && last_bucket >= 0) {
          EXPECT_GE(v, last_bucket) << line;
        }
        last_bucket = line.find("le=\"+Inf\"") != std::string::npos ? -1 : v;
      }
    } else {
      ASSERT_EQ(name, family) << line;
    }
  }
  EXPECT_NE(text.find("answer \\\"quoted\\\"\\nnew line \\\\"), std::string::npos);
}

// `promtool check metrics` (Debian package prometheus) must accept the
// output, apart from its base-unit lint on the Collector-compatible
// _milliseconds family. Skipped where promtool is not installed.
TEST(SpanMetrics, PromtoolAcceptsTheExposition) {
  const char* promtool = "/usr/bin/promtool";
  if (access(promtool, X_OK) != 0) GTEST_SKIP() << "promtool not installed (apt-get install prometheus)";
  std::string dir = ::testing::TempDir();
  std::string input = dir + "/span_metrics_scrape.prom", output = dir + "/span_metrics_promtool.txt";
  std::ofstream(input) << FullScrape();
  std::string cmd = std::string(promtool) + " check metrics < " + input + " > " + output + " 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream result(output);
  std::string line, problems;
  while (std::getline(result, line)) {
    if (line.find("traces_span_metrics_duration_milliseconds") != std::string::npos &&
        line.find("base unit") != std::string::npos) {
      continue;
    }
    problems += line + "\n";
  }
  EXPECT_EQ(problems, "");
  (void)rc;  // promtool exits 3 for lint findings; only the filtered text decides.
}

// ---- concurrency ------------------------------------------------------------

TEST(SpanMetrics, RecordAndCollectConcurrently) {
  SpanMetricsConfig config;
  config.cardinality_limit = 50;
  SpanMetrics m(config);
  std::vector<std::vector<model::SpanRecord>> per_thread(2);
  for (int t = 0; t < 2; ++t) {
    for (int i = 0; i < 200; ++i) {
      per_thread[t].push_back(MakeLlmSpan("team" + std::to_string(i % 7), "f", "v" + std::to_string(i % 60), 2, 1, 3));
    }
  }
  std::atomic<bool> done{false};
  std::thread scraper([&] {
    while (!done) Scrape(m);
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 2; ++t) {
    writers.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) RecordAll(m, per_thread[t]);
    });
  }
  for (auto& w : writers) w.join();
  done = true;
  scraper.join();
  auto s = Samples(Scrape(m));
  EXPECT_EQ(Sum(s, "ai_requests_total"), 2 * 20 * 200);
  EXPECT_EQ(Sum(s, "ai_tokens_total", {"gen_ai_token_type=\"input\""}), 2 * 2 * 20 * 200);
  EXPECT_EQ(m.GetCounts().llm_series, 50u);
}

}  // namespace
}  // namespace loupe::metrics
