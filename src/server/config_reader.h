// ConfigReader: reads typed values out of a YAML document by dotted key
// path, and collects every problem with the path that caused it, so that
// `loupe config check` can report all errors at once.
//
// yaml-cpp throws; this adapter is the only place that catches it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace YAML {
class Node;
}

namespace loupe::server {

class ConfigReader {
 public:
  // Parses YAML text. A syntax error is reported with line and column.
  static Result<std::unique_ptr<ConfigReader>> FromText(std::string_view text, std::string source_name);
  static Result<std::unique_ptr<ConfigReader>> FromFile(const std::string& path);
  ~ConfigReader();

  // Each Get* leaves *out unchanged when the key is absent, and records an
  // error naming the key path (and the file line) when the value has the
  // wrong type. Paths are dotted: "receivers.otlp_http.max_body_bytes",
  // and list items are indexed: "fanout.endpoints[0].endpoint".
  void GetString(std::string_view path, std::string* out);
  void GetInt(std::string_view path, int64_t* out);
  void GetBool(std::string_view path, bool* out);
  void GetDouble(std::string_view path, double* out);
  // A count; negative values read as 0.
  void GetSize(std::string_view path, size_t* out);
  // A byte size: an integer, or a string such as "20MiB", "512KiB", "1GB".
  void GetBytes(std::string_view path, int64_t* out);
  // A duration: a number of seconds, or a string such as "10s", "5m", "1h", "250ms".
  void GetSeconds(std::string_view path, double* out);
  void GetStringList(std::string_view path, std::vector<std::string>* out);
  void GetDoubleList(std::string_view path, std::vector<double>* out);
  void GetStringMap(std::string_view path, std::map<std::string, std::string>* out);
  void GetBoolMap(std::string_view path, std::map<std::string, bool>* out);
  // The number of items of the list at `path` (0 when absent). Items are
  // then read with indexed paths: "fanout.endpoints[0].name".
  size_t ListSize(std::string_view path);
  // A list whose items are mappings of scalars, or bare scalars (read as
  // {"name": value}). Unknown item keys are the caller's to check.
  void GetMapList(std::string_view path, std::vector<std::map<std::string, std::string>>* out);

  // Records an error for a semantic problem found by a Validate().
  void AddError(std::string message) { errors_.push_back(std::move(message)); }

  // Keys present in the document that no Get* asked for: usually typos.
  std::vector<std::string> UnknownKeys() const;

  // All errors so far, then one per unknown key.
  std::vector<std::string> Errors() const;

 private:
  struct Doc;
  explicit ConfigReader(std::unique_ptr<Doc> doc, std::string source_name);
  // Returns the node at path or a null node; marks the path as known.
  bool Lookup(std::string_view path, YAML::Node* out);
  std::string Where(std::string_view path, const YAML::Node& node) const;
  template <typename T>
  void GetAs(std::string_view path, T* out, std::string_view want);

  std::unique_ptr<Doc> doc_;
  std::string source_name_;
  std::set<std::string, std::less<>> known_;
  std::vector<std::string> errors_;
};

// Parses "20MiB"-style sizes; returns false on junk.
bool ParseByteSize(std::string_view text, int64_t* out);
// Parses "10s"-style durations into seconds; returns false on junk.
bool ParseDurationSeconds(std::string_view text, double* out);

}  // namespace loupe::server
