// The Prometheus export: shape of the text, what is left as a comment,
// and promtool on the committed file (deploy/prometheus/loupe-alerts.yml),
// which must equal the export of the default rules.
// LOUPE_REGENERATE=1 rewrites the committed file.
#include "alerting/prometheus_export.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace loupe::alerting {
namespace {

const char* kCommitted = "deploy/prometheus/loupe-alerts.yml";
const char* kPromtoolTest = "deploy/prometheus/loupe-alerts.test.yml";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a command, returns its exit code and output.
int RunCommand(const std::string& cmd, std::string* output) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) *output += buf;
  return pclose(p);
}

bool HavePromtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

TEST(PrometheusExportTest, DefaultRulesUseLoupeMetrics) {
  std::string yaml = ExportPrometheusRules(DefaultRules());
  EXPECT_NE(yaml.find("- alert: LlmLatencyRegression"), std::string::npos);
  EXPECT_NE(yaml.find("histogram_quantile(0.95, sum by (le, ai_feature, ai_team, gen_ai_request_model) "
                      "(rate(ai_request_duration_seconds_bucket[10m])))"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("> 1.5 * histogram_quantile(0.95"), std::string::npos);
  EXPECT_NE(yaml.find("[1d] offset 10m"), std::string::npos);  // the baseline excludes the window
  EXPECT_NE(yaml.find("ai_quality_score_sum"), std::string::npos);
  EXPECT_NE(yaml.find(") < 3.5"), std::string::npos);
  EXPECT_NE(yaml.find("sum by (ai_feature, ai_team, gen_ai_request_model) (increase(ai_cost_usd_total[1h]))\n"
                      "            > 2 * sum by (ai_feature, ai_team, gen_ai_request_model) "
                      "(increase(ai_cost_usd_total[1d] offset 1h)) / 24"),
            std::string::npos)
      << yaml;
  EXPECT_EQ(yaml.find("Not exported"), std::string::npos);
}

TEST(PrometheusExportTest, InexpressibleRulesBecomeComments) {
  Rule budget;
  budget.name = "MonthlyBudget";
  budget.kind = RuleKind::kBudget;
  budget.period = "month";
  Rule per_user = DefaultRules()[2];
  per_user.name = "UserSpend";
  per_user.group_by = {"user"};
  Rule seasonal = DefaultRules()[0];
  seasonal.name = "SeasonalLatency";
  seasonal.baseline = BaselineKind::kSeasonal;
  Rule filtered = DefaultRules()[2];
  filtered.name = "SearchSpend";
  filtered.filters = {{"team", "search"}};
  filtered.baseline = BaselineKind::kSeasonal;
  std::string yaml = ExportPrometheusRules({budget, per_user, seasonal, filtered});
  EXPECT_EQ(yaml.find("- alert: MonthlyBudget"), std::string::npos);
  EXPECT_NE(yaml.find("#   MonthlyBudget (budget): a budget since the start of the month"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("#   UserSpend (cost_spike): group_by user"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("#   SeasonalLatency (latency_regression)"), std::string::npos) << yaml;
  // A seasonal cost baseline is expressible: the mean of 7 offsets.
  EXPECT_NE(yaml.find("- alert: SearchSpend"), std::string::npos);
  EXPECT_NE(yaml.find("ai_cost_usd_total{ai_team=\"search\"}[1h] offset 7d"), std::string::npos) << yaml;
  if (HavePromtool()) {
    std::string path = ::testing::TempDir() + "/loupe_export_check.yml";
    std::ofstream(path) << yaml;
    std::string out;
    EXPECT_EQ(RunCommand("promtool check rules " + path, &out), 0) << out;
    std::remove(path.c_str());
  }
}

TEST(PrometheusExportTest, CommittedFileIsCurrentAndPassesPromtool) {
  std::string yaml = ExportPrometheusRules(DefaultRules());
  if (std::getenv("LOUPE_REGENERATE")) std::ofstream(kCommitted) << yaml;
  EXPECT_EQ(ReadFile(kCommitted), yaml) << kCommitted << " is stale: rerun with LOUPE_REGENERATE=1";
  if (!HavePromtool()) GTEST_SKIP() << "promtool not installed";
  std::string out;
  EXPECT_EQ(RunCommand(std::string("promtool check rules ") + kCommitted, &out), 0) << out;
  out.clear();
  EXPECT_EQ(RunCommand(std::string("promtool test rules ") + kPromtoolTest, &out), 0) << out;
}

}  // namespace
}  // namespace loupe::alerting
