#include "alerting/prometheus_export.h"

#include <cstdio>
#include <sstream>

#include "alerting/rule_eval.h"

namespace loupe::alerting {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Prometheus durations: whole seconds in the largest exact unit.
std::string PromDuration(double seconds) {
  auto s = static_cast<int64_t>(seconds + 0.5);
  if (s <= 0) return "0s";
  if (s % 604800 == 0) return std::to_string(s / 604800) + "w";
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

struct Shape {
  std::string by;        // "ai_feature, ai_team, gen_ai_request_model"
  std::string selector;  // "{ai_team=\"search\"}" or ""
  std::string why_not;   // non-empty: not expressible
};

Shape ShapeOf(const Rule& r, const std::string& extra_matchers = "") {
  Shape s;
  for (const auto& g : r.group_by) {
    std::string l = PrometheusLabel(g);
    if (l.empty()) {
      s.why_not = "group_by " + g + ": Loupe's metrics have no per-" + g + " label (unbounded cardinality)";
      return s;
    }
    s.by += (s.by.empty() ? "" : ", ") + l;
  }
  std::string m = extra_matchers;
  for (const auto& [k, v] : r.filters) {
    std::string l = PrometheusLabel(k);
    if (l.empty()) {
      s.why_not = "filters." + k + ": Loupe's metrics have no " + k + " label";
      return s;
    }
    m += (m.empty() ? "" : ",") + l + "=" + Quote(v);
  }
  if (!m.empty()) s.selector = "{" + m + "}";
  return s;
}

std::string Sum(const Shape& s, const std::string& inner, const std::string& extra_by = "") {
  std::string by = s.by;
  if (!extra_by.empty()) by = extra_by + (by.empty() ? "" : ", " + by);
  return "sum by (" + by + ") (" + inner + ")";
}

std::string Offset(const Rule& r, int days) {
  (void)r;
  return " offset " + std::to_string(days) + "d";
}

// Returns the expression, or sets *why_not.
std::string Expr(const Rule& r, std::string* why_not) {
  const std::string w = PromDuration(r.window_seconds);
  const std::string min = Num(static_cast<double>(r.min_samples));
  switch (r.kind) {
    case RuleKind::kLatencyRegression: {
      Shape s = ShapeOf(r);
      if (!s.why_not.empty()) break;
      std::string base_range, base_offset;
      switch (r.baseline) {
        case BaselineKind::kPrevious:
          base_range = PromDuration(r.baseline_window_seconds);
          base_offset = " offset " + w;
          break;
        case BaselineKind::kDayAgo:
          base_range = w;
          base_offset = Offset(r, 1);
          break;
        case BaselineKind::kWeekAgo:
          base_range = w;
          base_offset = " offset 1w";
          break;
        default:
          *why_not = "a " + std::string(BaselineKindName(r.baseline)) +
                     " latency baseline merges several histograms ranges; PromQL cannot take one quantile over them";
          return "";
      }
      const std::string bucket = "ai_request_duration_seconds_bucket" + s.selector;
      const std::string count = "ai_request_duration_seconds_count" + s.selector;
      const std::string q = Num(r.percentile);
      return "(\n  histogram_quantile(" + q + ", " + Sum(s, "rate(" + bucket + "[" + w + "])", "le") + ")\n  > " +
             Num(r.ratio) + " * histogram_quantile(" + q + ", " +
             Sum(s, "rate(" + bucket + "[" + base_range + "]" + base_offset + ")", "le") + ")\n)\nand " +
             Sum(s, "increase(" + count + "[" + w + "])") + " >= " + min + "\nand " +
             Sum(s, "increase(" + count + "[" + base_range + "]" + base_offset + ")") + " >= " + min + "\n";
    }
    case RuleKind::kQualityRegression: {
      std::string extra;
      if (!r.evaluator.empty()) extra += "evaluator=" + Quote(r.evaluator);
      if (!r.dimension.empty()) extra += std::string(extra.empty() ? "" : ",") + "dimension=" + Quote(r.dimension);
      Shape s = ShapeOf(r, extra);
      if (!s.why_not.empty()) {
        *why_not = s.why_not;
        return "";
      }
      auto mean = [&](const std::string& range) {
        return Sum(s, "increase(ai_quality_score_sum" + s.selector + "[" + range + "])") + "\n  / " +
               Sum(s, "increase(ai_quality_score_count" + s.selector + "[" + range + "])");
      };
      const std::string enough = "\nand " + Sum(s, "increase(ai_quality_score_count" + s.selector + "[" + w + "])") +
                                 " >= " + min + "\n";
      if (r.baseline == BaselineKind::kNone) return "(\n  " + mean(w) + "\n) < " + Num(r.threshold) + enough;
      if (r.baseline == BaselineKind::kPrevious) {
        const std::string b = PromDuration(r.baseline_window_seconds);
        return "(\n  " + mean(w) + "\n) < (\n  " +
               Sum(s, "increase(ai_quality_score_sum" + s.selector + "[" + b + "] offset " + w + ")") + "\n  / " +
               Sum(s, "increase(ai_quality_score_count" + s.selector + "[" + b + "] offset " + w + ")") + "\n) - " +
               Num(r.max_drop) + enough;
      }
      *why_not = "quality baseline " + std::string(BaselineKindName(r.baseline)) + " is not exported (only none and previous)";
      return "";
    }
    case RuleKind::kCostSpike: {
      Shape s = ShapeOf(r);
      if (!s.why_not.empty()) {
        *why_not = s.why_not;
        return "";
      }
      const std::string cost = "ai_cost_usd_total" + s.selector;
      const std::string now = Sum(s, "increase(" + cost + "[" + w + "])");
      std::string base;
      switch (r.baseline) {
        case BaselineKind::kPrevious:
          base = Sum(s, "increase(" + cost + "[" + PromDuration(r.baseline_window_seconds) + "] offset " + w + ")") +
                 " / " + Num(r.baseline_window_seconds / r.window_seconds);
          break;
        case BaselineKind::kDayAgo:
          base = Sum(s, "increase(" + cost + "[" + w + "]" + Offset(r, 1) + ")");
          break;
        case BaselineKind::kWeekAgo:
          base = Sum(s, "increase(" + cost + "[" + w + "] offset 1w)");
          break;
        case BaselineKind::kSeasonal: {
          // The same hour on each of the last N days, averaged.
          base = "(\n    ";
          for (int d = 1; d <= r.seasonal_days; ++d) {
            base += std::string(d > 1 ? "\n    + " : "") + Sum(s, "increase(" + cost + "[" + w + "]" + Offset(r, d) + ")");
          }
          base += "\n  ) / " + std::to_string(r.seasonal_days);
          break;
        }
        case BaselineKind::kNone:
          break;
      }
      const std::string requests = "ai_requests_total" + s.selector;
      return now + "\n  > " + Num(r.factor) + " * " + base + "\nand " + now + " >= " + Num(r.min_usd) + "\nand " +
             Sum(s, "increase(" + requests + "[" + w + "])") + " >= " + min + "\n";
    }
    case RuleKind::kErrorRate: {
      Shape s = ShapeOf(r);
      if (!s.why_not.empty()) {
        *why_not = s.why_not;
        return "";
      }
      Shape err = ShapeOf(r, "status_code=\"STATUS_CODE_ERROR\"");
      return "(\n  " + Sum(err, "increase(ai_requests_total" + err.selector + "[" + w + "])") + "\n  / " +
             Sum(s, "increase(ai_requests_total" + s.selector + "[" + w + "])") + "\n) > " + Num(r.threshold) +
             "\nand " + Sum(s, "increase(ai_requests_total" + s.selector + "[" + w + "])") + " >= " + min + "\n";
    }
    case RuleKind::kBudget:
      *why_not = "a budget since the start of the " + r.period +
                 " needs a range anchored at a calendar boundary; PromQL ranges only look back a fixed duration";
      return "";
  }
  if (why_not->empty()) *why_not = ShapeOf(r).why_not;
  return "";
}

std::string Indent(const std::string& text, const std::string& pad) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += pad + line + "\n";
  return out;
}

}  // namespace

std::string PrometheusLabel(const std::string& d) {
  if (d == "team") return "ai_team";
  if (d == "feature") return "ai_feature";
  if (d == "model") return "gen_ai_request_model";
  if (d == "provider") return "gen_ai_provider_name";
  if (d == "prompt_version") return "ai_prompt_version";
  if (d == "service") return "service_name";
  if (d == "environment") return "deployment_environment_name";
  return "";
}

std::string ExportPrometheusRules(const std::vector<Rule>& rules) {
  std::string out =
      "# Generated by `loupe rules export --format prometheus` from Loupe's alerting rules.\n"
      "# Metrics: docs/metrics.md. Loupe's own engine stays the default; rules PromQL cannot\n"
      "# express exactly are left as comments below.\n"
      "groups:\n"
      "  - name: loupe-alerts\n"
      "    rules:\n";
  std::string skipped;
  for (const Rule& r : rules) {
    std::string why_not;
    std::string expr = Expr(r, &why_not);
    if (expr.empty()) {
      skipped += "#   " + r.name + " (" + std::string(RuleKindName(r.kind)) + "): " + why_not + "\n";
      continue;
    }
    out += "      - alert: " + r.name + "\n";
    out += "        expr: |\n" + Indent(expr, "          ");
    if (r.for_seconds > 0) out += "        for: " + PromDuration(r.for_seconds) + "\n";
    if (r.keep_firing_for_seconds > 0) out += "        keep_firing_for: " + PromDuration(r.keep_firing_for_seconds) + "\n";
    out += "        labels:\n          severity: " + Quote(r.severity) + "\n";
    for (const auto& [k, v] : r.labels) out += "          " + k + ": " + Quote(v) + "\n";
    std::string who;
    for (const auto& g : r.group_by) who += " " + g + "={{ $labels." + PrometheusLabel(g) + " }}";
    out += "        annotations:\n";
    out += "          summary: " +
           Quote(std::string(RuleKindName(r.kind)) + " of" + who + ": {{ $value | humanize }}") + "\n";
    for (const auto& [k, v] : r.annotations) out += "          " + k + ": " + Quote(v) + "\n";
  }
  if (!skipped.empty()) out += "\n# Not exported (not expressible in PromQL):\n" + skipped;
  return out;
}

}  // namespace loupe::alerting
