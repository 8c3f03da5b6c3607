#include "cli/query.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/api_client.h"

namespace loupe::cli {
namespace {

using nlohmann::json;

const std::vector<std::string> kDefaultMeasures = {"requests", "errors", "input_tokens", "output_tokens",
                                                   "cost_usd"};

std::string Dashed(std::string name) {
  for (char& c : name) c = c == '_' ? '-' : c;
  return name;
}

// A number as a person reads it: integers plainly, fractions without
// exponent or trailing zeros (costs are often millionths of a dollar).
std::string Num(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) {
    double d = v.get<double>();
    char buf[64];
    std::snprintf(buf, sizeof buf, d != 0 && (d < 0.001 && d > -0.001) ? "%.9f" : "%.3f", d);
    std::string s(buf);
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
    return s;
  }
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string Str(const json& v) { return v.is_string() ? v.get<std::string>() : Num(v); }

// "2025-06-15T15:06:00.123Z" -> "2025-06-15 15:06:00".
std::string Time(const json& v) {
  std::string s = Str(v);
  if (s.size() >= 19) {
    s = s.substr(0, 19);
    s[10] = ' ';
  }
  return s;
}

std::string Millis(const json& v) { return v.is_null() ? "-" : Num(v) + " ms"; }

void TraceRows(const json& traces, std::vector<std::vector<std::string>>* rows) {
  rows->push_back({"TRACE", "START", "ROOT", "SERVICE", "DURATION", "SPANS", "CALLS", "TOKENS", "COST_USD", "STATUS"});
  for (const auto& t : traces) {
    rows->push_back({Str(t["trace_id"]), Time(t["start"]), Str(t["root_name"]), Str(t["service"]),
                     Millis(t["duration_ms"]), Num(t["spans"]), Num(t["llm_calls"]), Num(t["tokens"]),
                     Num(t["cost_usd"]), Str(t["status"])});
  }
}
const std::vector<bool> kTraceRight = {false, false, false, false, true, true, true, true, true, false};

std::string Traces(const json& j) {
  std::vector<std::vector<std::string>> rows;
  TraceRows(j.at("traces"), &rows);
  std::string out = RenderTable(rows, kTraceRight);
  if (j.contains("next_cursor") && j["next_cursor"].is_string()) {
    out += "more: --cursor " + j["next_cursor"].get<std::string>() + "\n";
  }
  return out;
}

std::string Trace(const json& j) {
  const json& tot = j.at("totals");
  std::string out = "trace " + Str(j["trace_id"]) + "  start " + Time(j["start"]) + "  duration " +
                    Millis(j["duration_ms"]) + "\n" + Num(tot["spans"]) + " spans, " + Num(tot["llm_calls"]) +
                    " LLM calls, " + Num(tot["tokens"]) + " tokens, $" + Num(tot["cost_usd"]) + "\n\n";
  std::vector<std::vector<std::string>> rows = {
      {"SPAN", "SERVICE", "DURATION", "MODEL", "IN", "OUT", "COST_USD", "STATUS"}};
  for (const auto& s : j.at("spans")) {
    std::string name(2 * static_cast<size_t>(s.value("depth", 0)), ' ');
    name += Str(s["name"]);
    std::string model, in, out_tokens, cost;
    if (s["llm_call"].is_object()) {
      const json& c = s["llm_call"];
      model = Str(c["response_model"]).empty() ? Str(c["request_model"]) : Str(c["response_model"]);
      in = Num(c["tokens"]["input"]);
      out_tokens = Num(c["tokens"]["output"]);
      cost = c["cost"]["total_usd"].is_null() ? "unknown" : Num(c["cost"]["total_usd"]);
    }
    std::string status = Str(s["status"]["code"]);
    if (status.rfind("STATUS_CODE_", 0) == 0) status = status.substr(12);
    rows.push_back({name, Str(s["service"]), Millis(s["duration_ms"]), model, in, out_tokens, cost, status});
  }
  return out + RenderTable(rows, {false, false, true, false, true, true, true, false});
}

std::string Sessions(const json& j) {
  std::vector<std::vector<std::string>> rows = {
      {"SESSION", "USER", "TRACES", "CALLS", "TOKENS", "COST_USD", "START", "END"}};
  for (const auto& s : j.at("sessions")) {
    rows.push_back({Str(s["session_id"]), s.value("user", json()).is_string() ? Str(s["user"]) : "", Num(s["traces_count"]), Num(s["llm_calls"]), Num(s["tokens"]),
                    Num(s["cost_usd"]), Time(s["start"]), Time(s["end"])});
  }
  return RenderTable(rows, {false, false, true, true, true, true, false, false});
}

std::string Session(const json& j) {
  std::string out = "session " + Str(j["session_id"]) + "  " + Num(j["traces_count"]) + " traces, " +
                    Num(j["llm_calls"]) + " LLM calls, " + Num(j["tokens"]) + " tokens, $" + Num(j["cost_usd"]) +
                    "\n\n";
  std::vector<std::vector<std::string>> rows;
  TraceRows(j.at("traces"), &rows);
  return out + RenderTable(rows, kTraceRight);
}

std::string Stats(const json& j, const std::vector<std::string>& group_by, const std::vector<std::string>& measures) {
  const bool series = j.contains("step_seconds");
  std::vector<std::string> header;
  std::vector<bool> right;
  for (const auto& d : group_by) header.push_back(d), right.push_back(false);
  if (series) header.push_back("START"), right.push_back(false);
  for (const auto& m : measures) header.push_back(m), right.push_back(true);
  for (auto& h : header) {
    for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::vector<std::vector<std::string>> rows = {header};
  for (const auto& g : j.at("groups")) {
    std::vector<std::string> key;
    for (const auto& d : group_by) key.push_back(g["key"].contains(d) ? Str(g["key"][d]) : "");
    const json& points = series ? g.at("series") : json::array({g});
    for (const auto& p : points) {
      std::vector<std::string> row = key;
      if (series) row.push_back(Time(p["start"]));
      for (const auto& m : measures) row.push_back(p.contains(m) ? Num(p[m]) : "-");
      rows.push_back(std::move(row));
    }
  }
  return RenderTable(rows, right);
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

struct QueryCommand::State {
  CLI::App* query = nullptr;
  CLI::App *traces = nullptr, *trace = nullptr, *sessions = nullptr, *stats = nullptr;
  std::string url = "http://127.0.0.1:8080";
  bool json = false;
  std::string id;  // trace id or session id
  // Parameters by subcommand; std::map keeps references stable for CLI11.
  std::map<std::string, std::string> traces_params, sessions_params, stats_params;
};

QueryCommand::QueryCommand(CLI::App& app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.query = app.add_subcommand("query", "Ask a running Loupe: traces, one trace, sessions, stats");
  s.query->require_subcommand(1);
  s.query->fallthrough();  // --url and --json may also follow the subcommand
  s.query->add_option("--url", s.url, "Loupe API base URL [http://127.0.0.1:8080]; token from LOUPE_API_TOKEN");
  s.query->add_flag("--json", s.json, "Print the API's JSON answer instead of a table");
  auto add = [](CLI::App* sub, std::map<std::string, std::string>& params, const std::vector<std::string>& names,
                const std::string& what) {
    for (const auto& n : names) sub->add_option("--" + Dashed(n), params[n], what + " " + n);
  };
  s.traces = s.query->add_subcommand("traces", "Search traces, newest first");
  add(s.traces, s.traces_params,
      {"since", "until", "service", "team", "feature", "model", "user", "session", "status", "min_cost_usd",
       "min_duration_ms", "q", "limit", "cursor"},
      "filter:");
  s.trace = s.query->add_subcommand("trace", "Show one trace as a span tree");
  s.trace->add_option("ID", s.id, "trace id (32 hex digits)")->required();
  s.sessions = s.query->add_subcommand("sessions", "List sessions, or show one with its traces");
  s.sessions->add_option("ID", s.id, "session id: show this session");
  add(s.sessions, s.sessions_params, {"since", "until", "service", "user", "limit"}, "filter:");
  s.stats = s.query->add_subcommand("stats", "Aggregates: requests, tokens, cost, latency by any dimension");
  add(s.stats, s.stats_params,
      {"since", "until", "team", "feature", "model", "provider", "prompt_version", "service", "environment",
       "status", "group_by", "measures", "step", "order_by", "limit"},
      "stats:");
}

QueryCommand::~QueryCommand() = default;

bool QueryCommand::parsed() const { return state_->query->parsed(); }

int QueryCommand::Run() const {
  const State& s = *state_;
  std::string endpoint, path;
  const std::map<std::string, std::string>* params = nullptr;
  if (s.traces->parsed()) {
    endpoint = "traces", path = "/api/v1/traces", params = &s.traces_params;
  } else if (s.trace->parsed()) {
    endpoint = "trace", path = "/api/v1/traces/" + PathEscape(s.id);
  } else if (s.sessions->parsed()) {
    endpoint = s.id.empty() ? "sessions" : "session";
    path = s.id.empty() ? "/api/v1/sessions" : "/api/v1/sessions/" + PathEscape(s.id);
    params = &s.sessions_params;
    if (!s.id.empty()) {
      for (const auto& [k, v] : s.sessions_params) {
        if (!v.empty() && k != "since" && k != "until") {
          std::cerr << "error: --" << Dashed(k) << " only applies to the session list\n";
          return 2;
        }
      }
    }
  } else {
    endpoint = "stats", path = "/api/v1/stats", params = &s.stats_params;
  }
  std::string query = params ? EncodeQuery({params->begin(), params->end()}) : "";
  std::string base = s.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string body, error;
  long status = ApiRequest("GET", base + path + (query.empty() ? "" : "?" + query), &body, &error);
  if (status == 0) {
    std::cerr << "error: cannot reach Loupe at " << base << ": " << error << "\n";
    return 1;
  }
  if (status != 200) {
    json e = json::parse(body, nullptr, false);
    std::string message = !e.is_discarded() && e.contains("error") && e["error"].contains("message")
                              ? e["error"]["message"].get<std::string>()
                              : body.substr(0, 500);
    std::cerr << "error: " << status << ": " << message << "\n";
    return 1;
  }
  if (s.json) {
    std::cout << body << (body.empty() || body.back() != '\n' ? "\n" : "");
    return 0;
  }
  std::vector<std::string> group_by, measures;
  if (endpoint == "stats") {
    group_by = SplitCommas(s.stats_params.at("group_by"));
    measures = SplitCommas(s.stats_params.at("measures"));
    if (measures.empty()) measures = kDefaultMeasures;
  }
  std::string out;
  if (!RenderAnswer(endpoint, body, group_by, measures, &out)) {
    std::cerr << "error: unexpected answer from " << base + path << ": " << body.substr(0, 300) << "\n";
    return 1;
  }
  std::cout << out;
  return 0;
}

std::string RenderTable(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - row[i].size(), ' ');
      bool r = i < right.size() && right[i];
      if (i) line += "  ";
      line += r ? pad + row[i] : (i + 1 == row.size() ? row[i] : row[i] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string EncodeQuery(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    out += (out.empty() ? "" : "&") + PathEscape(k) + "=";
    // Commas stay readable in lists (group_by=team,feature).
    for (const auto& part : SplitCommas(v)) out += PathEscape(part) + ",";
    out.pop_back();
  }
  return out;
}

bool RenderAnswer(const std::string& endpoint, const std::string& body, const std::vector<std::string>& group_by,
                  const std::vector<std::string>& measures, std::string* out) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  try {
    if (endpoint == "traces") *out = Traces(j);
    else if (endpoint == "trace") *out = Trace(j);
    else if (endpoint == "sessions") *out = Sessions(j);
    else if (endpoint == "session") *out = Session(j);
    else if (endpoint == "stats") *out = Stats(j, group_by, measures);
    else return false;
  } catch (const json::exception&) {  // a field missing or of another type
    return false;
  }
  return true;
}

}  // namespace loupe::cli
