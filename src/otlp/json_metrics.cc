// OTLP/JSON ExportMetricsServiceRequest: validated structurally and its
// data points counted (metrics have no consumer yet).
#include "otlp/json_decode.h"
#include "otlp/json_reader.h"

namespace loupe::otlp {

Result<DecodedMetrics> DecodeMetricsJson(std::string_view body) {
  JsonReader reader;
  JsonElement root;
  LOUPE_RETURN_IF_ERROR(reader.Parse(body, &root));
  DecodedMetrics out;
  auto count_points = [&](JsonElement data, const char* field) {
    return reader.ForEachMember(data, field, [&](std::string_view key, JsonElement v) {
      if (key != "datapoints") return Status::Ok();
      return reader.ForEachItem(v, "dataPoints", [&](JsonElement point) {
        if (!point.is_object()) return reader.Error(nullptr, "expected an object");
        ++out.data_points;
        return Status::Ok();
      });
    });
  };
  auto metric = [&](JsonElement m) {
    return reader.ForEachMember(m, nullptr, [&](std::string_view key, JsonElement v) {
      if (key == "gauge") return count_points(v, "gauge");
      if (key == "sum") return count_points(v, "sum");
      if (key == "histogram") return count_points(v, "histogram");
      if (key == "exponentialhistogram") return count_points(v, "exponentialHistogram");
      if (key == "summary") return count_points(v, "summary");
      if (key == "name") {
        std::string name;
        return reader.String(v, "name", &name);
      }
      return Status::Ok();
    });
  };
  LOUPE_RETURN_IF_ERROR(reader.ForEachMember(root, nullptr, [&](std::string_view key, JsonElement v) {
    if (key != "resourcemetrics") return Status::Ok();
    return reader.ForEachItem(v, "resourceMetrics", [&](JsonElement rm) {
      return reader.ForEachMember(rm, nullptr, [&](std::string_view k, JsonElement sms) {
        if (k != "scopemetrics") return Status::Ok();
        return reader.ForEachItem(sms, "scopeMetrics", [&](JsonElement sm) {
          return reader.ForEachMember(sm, nullptr, [&](std::string_view k2, JsonElement ms) {
            if (k2 != "metrics") return Status::Ok();
            return reader.ForEachItem(ms, "metrics", metric);
          });
        });
      });
    });
  }));
  return out;
}

}  // namespace loupe::otlp
