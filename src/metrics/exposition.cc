#include "metrics/exposition.h"

#include <charconv>
#include <cmath>

namespace loupe::metrics {

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[32];
  // std::to_chars without a format gives the shortest round-trip form.
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

namespace {
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool IsValidMetricName(std::string_view name) {
  if (name.empty() || !(IsAlpha(name[0]) || name[0] == ':')) return false;
  for (char c : name) {
    if (!(IsAlpha(c) || IsDigit(c) || c == ':')) return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || !IsAlpha(name[0])) return false;
  for (char c : name) {
    if (!(IsAlpha(c) || IsDigit(c))) return false;
  }
  return true;
}

void ExpositionWriter::BeginFamily(std::string_view name, std::string_view help,
                                   MetricType type) {
  out_->append("# HELP ").append(name).append(" ").append(EscapeHelp(help)).append("\n");
  out_->append("# TYPE ").append(name).append(" ").append(MetricTypeName(type)).append("\n");
}

void ExpositionWriter::WriteSeriesName(std::string_view name, const Labels& labels,
                                       std::string_view extra_name,
                                       std::string_view extra_value) {
  out_->append(name);
  if (labels.empty() && extra_name.empty()) return;
  out_->push_back('{');
  bool first = true;
  auto append = [&](std::string_view k, std::string_view v) {
    if (!first) out_->push_back(',');
    first = false;
    out_->append(k).append("=\"").append(EscapeLabelValue(v)).append("\"");
  };
  for (const auto& [k, v] : labels) append(k, v);
  if (!extra_name.empty()) append(extra_name, extra_value);
  out_->push_back('}');
}

void ExpositionWriter::Sample(std::string_view name, const Labels& labels, double value,
                              std::string_view extra_name, std::string_view extra_value) {
  WriteSeriesName(name, labels, extra_name, extra_value);
  out_->append(" ").append(FormatValue(value)).append("\n");
}

void ExpositionWriter::Sample(std::string_view name, const Labels& labels, uint64_t value,
                              std::string_view extra_name, std::string_view extra_value) {
  WriteSeriesName(name, labels, extra_name, extra_value);
  out_->append(" ").append(std::to_string(value)).append("\n");
}

}  // namespace loupe::metrics
