// `loupe query traces|trace ID|sessions [ID]|stats`: asks a running
// Loupe's query API (docs/api.md) and prints aligned tables for people,
// or the API's JSON with --json. The server address comes from --url;
// a bearer token, when the API wants one, from LOUPE_API_TOKEN.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace loupe::cli {

class QueryCommand {
 public:
  // Adds the `query` subcommand and its own subcommands to `app`.
  // The object must outlive app.parse().
  explicit QueryCommand(CLI::App& app);
  ~QueryCommand();
  QueryCommand(const QueryCommand&) = delete;
  QueryCommand& operator=(const QueryCommand&) = delete;

  // True when the parsed command line chose `loupe query ...`.
  bool parsed() const;
  // Runs it. Returns the exit code: 0 done, 1 the server answered an
  // error or could not be reached (the reason goes to stderr).
  int Run() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// Pieces exposed for tests.
// Rows of cells as an aligned text table; the first row is the header.
// Columns flagged in `right` are right-aligned (numbers).
std::string RenderTable(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right);
// "a=1&b=x%20y" from (name, value) pairs; empty values are left out.
std::string EncodeQuery(const std::vector<std::pair<std::string, std::string>>& params);
// Renders an API answer (the JSON text of `endpoint`: "traces", "trace",
// "sessions", "session", "stats") as tables. `columns` lists the stats
// key dimensions and measures in order. Returns false when the text is
// not the expected JSON.
bool RenderAnswer(const std::string& endpoint, const std::string& body, const std::vector<std::string>& group_by,
                  const std::vector<std::string>& measures, std::string* out);

}  // namespace loupe::cli
