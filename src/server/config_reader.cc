#include "server/config_reader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace loupe::server {

struct ConfigReader::Doc {
  YAML::Node root;
};

namespace {

// A path segment: a map key, optionally followed by a list index
// ("endpoints[2]").
struct PathPart {
  std::string key;
  int64_t index = -1;
};

std::vector<PathPart> SplitPath(std::string_view path) {
  std::vector<PathPart> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    std::string_view seg = path.substr(start, dot - start);
    PathPart part;
    size_t bracket = seg.find('[');
    if (bracket != std::string_view::npos && seg.back() == ']') {
      std::string_view digits = seg.substr(bracket + 1, seg.size() - bracket - 2);
      int64_t index = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (ec == std::errc() && end == digits.data() + digits.size()) part.index = index;
      seg = seg.substr(0, bracket);
    }
    part.key = std::string(seg);
    parts.push_back(std::move(part));
    start = dot + 1;
  }
  return parts;
}

// The path one level up: "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "".
std::string_view ParentPath(std::string_view path) {
  if (!path.empty() && path.back() == ']') {
    size_t bracket = path.rfind('[');
    if (bracket != std::string_view::npos) return path.substr(0, bracket);
  }
  size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
}

void CollectLeafPaths(const YAML::Node& node, const std::string& prefix, std::vector<std::string>* out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      CollectLeafPaths(kv.second, prefix.empty() ? key : prefix + "." + key, out);
    }
    if (node.size() == 0 && !prefix.empty()) out->push_back(prefix);
  } else if (node.IsSequence() && node.size() > 0 && node[0].IsMap()) {
    // A list of mappings: each item's keys are checked too.
    for (size_t i = 0; i < node.size(); ++i) {
      CollectLeafPaths(node[i], prefix + "[" + std::to_string(i) + "]", out);
    }
  } else if (!prefix.empty()) {
    out->push_back(prefix);
  }
}

}  // namespace

bool ParseByteSize(std::string_view text, int64_t* out) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return false;
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + i, number);
  if (ec != std::errc() || end != text.data() + i) return false;
  std::string unit(text.substr(i));
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  double mult = 0;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KiB") mult = 1024.0;
  else if (unit == "MiB") mult = 1024.0 * 1024;
  else if (unit == "GiB") mult = 1024.0 * 1024 * 1024;
  else if (unit == "KB" || unit == "kB") mult = 1e3;
  else if (unit == "MB") mult = 1e6;
  else if (unit == "GB") mult = 1e9;
  else return false;
  double bytes = number * mult;
  if (!std::isfinite(bytes) || bytes > 9e18) return false;
  *out = static_cast<int64_t>(bytes);
  return true;
}

bool ParseDurationSeconds(std::string_view text, double* out) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return false;
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + i, number);
  if (ec != std::errc() || end != text.data() + i) return false;
  std::string_view unit = text.substr(i);
  double mult = 0;
  if (unit.empty() || unit == "s") mult = 1;
  else if (unit == "ms") mult = 1e-3;
  else if (unit == "m") mult = 60;
  else if (unit == "h") mult = 3600;
  else if (unit == "d") mult = 86400;
  else if (unit == "w") mult = 7 * 86400;
  else return false;
  *out = number * mult;
  return true;
}

ConfigReader::ConfigReader(std::unique_ptr<Doc> doc, std::string source_name)
    : doc_(std::move(doc)), source_name_(std::move(source_name)) {}

ConfigReader::~ConfigReader() = default;

Result<std::unique_ptr<ConfigReader>> ConfigReader::FromText(std::string_view text, std::string source_name) {
  auto doc = std::make_unique<Doc>();
  try {
    doc->root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source_name + ":" + std::to_string(e.mark.line + 1) + ":" +
                                   std::to_string(e.mark.column + 1) + ": YAML syntax: " + e.msg);
  }
  if (!doc->root.IsNull() && !doc->root.IsMap()) {
    return Status::InvalidArgument(source_name + ": the top level must be a mapping of keys");
  }
  return std::unique_ptr<ConfigReader>(new ConfigReader(std::move(doc), std::move(source_name)));
}

Result<std::unique_ptr<ConfigReader>> ConfigReader::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read config file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return FromText(buffer.str(), path);
}

bool ConfigReader::Lookup(std::string_view path, YAML::Node* out) {
  known_.insert(std::string(path));
  // Walk without operator[] on non-const nodes, which would insert keys.
  // yaml-cpp's Node::operator= writes through to the referenced node, so
  // the walk rebinds with reset() instead.
  YAML::Node current;
  current.reset(doc_->root);
  for (const PathPart& part : SplitPath(path)) {
    if (!current.IsMap()) return false;
    YAML::Node next;
    bool found = false;
    for (const auto& kv : current) {
      if (kv.first.Scalar() == part.key) {
        next.reset(kv.second);
        found = true;
        break;
      }
    }
    if (!found) return false;
    if (part.index >= 0) {
      if (!next.IsSequence() || static_cast<size_t>(part.index) >= next.size()) return false;
      YAML::Node item;
      item.reset(next[static_cast<size_t>(part.index)]);
      next.reset(item);
    }
    current.reset(next);
  }
  if (current.IsNull()) return false;
  out->reset(current);
  return true;
}

std::string ConfigReader::Where(std::string_view path, const YAML::Node& node) const {
  std::string where = source_name_;
  if (node.Mark().line >= 0) where += ":" + std::to_string(node.Mark().line + 1);
  return where + ": " + std::string(path);
}

void ConfigReader::GetString(std::string_view path, std::string* out) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  if (!node.IsScalar()) {
    errors_.push_back(Where(path, node) + ": want a string");
    return;
  }
  *out = node.Scalar();
}

template <typename T>
void ConfigReader::GetAs(std::string_view path, T* out, std::string_view want) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  try {
    *out = node.as<T>();
  } catch (const YAML::Exception&) {
    errors_.push_back(Where(path, node) + ": want " + std::string(want));
  }
}

void ConfigReader::GetInt(std::string_view path, int64_t* out) { GetAs(path, out, "an integer"); }
void ConfigReader::GetBool(std::string_view path, bool* out) { GetAs(path, out, "true or false"); }
void ConfigReader::GetDouble(std::string_view path, double* out) { GetAs(path, out, "a number"); }

void ConfigReader::GetSize(std::string_view path, size_t* out) {
  int64_t value = static_cast<int64_t>(*out);
  GetInt(path, &value);
  // Negative counts read as 0, which each stage's Validate() rejects
  // with its own message.
  *out = static_cast<size_t>(std::max<int64_t>(0, value));
}

void ConfigReader::GetBytes(std::string_view path, int64_t* out) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  if (!node.IsScalar() || !ParseByteSize(node.Scalar(), out)) {
    errors_.push_back(Where(path, node) + ": want a byte size such as 20971520 or \"20MiB\"");
  }
}

void ConfigReader::GetSeconds(std::string_view path, double* out) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  if (!node.IsScalar() || !ParseDurationSeconds(node.Scalar(), out)) {
    errors_.push_back(Where(path, node) + ": want a duration such as 10, \"10s\", \"5m\" or \"1h\"");
  }
}

void ConfigReader::GetStringList(std::string_view path, std::vector<std::string>* out) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  if (!node.IsSequence()) {
    errors_.push_back(Where(path, node) + ": want a list of strings");
    return;
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < node.size(); ++i) {
    if (!node[i].IsScalar()) {
      errors_.push_back(Where(std::string(path) + "[" + std::to_string(i) + "]", node[i]) + ": want a string");
      return;
    }
    values.push_back(node[i].Scalar());
  }
  *out = std::move(values);
}

void ConfigReader::GetDoubleList(std::string_view path, std::vector<double>* out) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  if (!node.IsSequence()) {
    errors_.push_back(Where(path, node) + ": want a list of numbers");
    return;
  }
  std::vector<double> values;
  for (size_t i = 0; i < node.size(); ++i) {
    try {
      values.push_back(node[i].as<double>());
    } catch (const YAML::Exception&) {
      errors_.push_back(Where(std::string(path) + "[" + std::to_string(i) + "]", node[i]) + ": want a number");
      return;
    }
  }
  *out = std::move(values);
}

void ConfigReader::GetStringMap(std::string_view path, std::map<std::string, std::string>* out) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  if (!node.IsMap()) {
    errors_.push_back(Where(path, node) + ": want a mapping of strings");
    return;
  }
  std::map<std::string, std::string> values;
  for (const auto& kv : node) {
    if (!kv.second.IsScalar()) {
      errors_.push_back(Where(std::string(path) + "." + kv.first.Scalar(), kv.second) + ": want a string");
      return;
    }
    values[kv.first.Scalar()] = kv.second.Scalar();
  }
  *out = std::move(values);
}

void ConfigReader::GetBoolMap(std::string_view path, std::map<std::string, bool>* out) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  if (!node.IsMap()) {
    errors_.push_back(Where(path, node) + ": want a mapping of true/false values");
    return;
  }
  std::map<std::string, bool> values;
  for (const auto& kv : node) {
    try {
      values[kv.first.Scalar()] = kv.second.as<bool>();
    } catch (const YAML::Exception&) {
      errors_.push_back(Where(std::string(path) + "." + kv.first.Scalar(), kv.second) + ": want true or false");
      return;
    }
  }
  *out = std::move(values);
}

size_t ConfigReader::ListSize(std::string_view path) {
  YAML::Node node;
  // Looking the list up does not make its items' keys known: each item's
  // keys are read (and checked) one by one.
  if (!Lookup(path, &node)) return 0;
  known_.erase(known_.find(path));
  if (!node.IsSequence()) {
    errors_.push_back(Where(path, node) + ": want a list");
    return 0;
  }
  return node.size();
}

void ConfigReader::GetMapList(std::string_view path, std::vector<std::map<std::string, std::string>>* out) {
  YAML::Node node;
  if (!Lookup(path, &node)) return;
  if (!node.IsSequence()) {
    errors_.push_back(Where(path, node) + ": want a list");
    return;
  }
  std::vector<std::map<std::string, std::string>> items;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    const YAML::Node& item = node[i];
    std::map<std::string, std::string> values;
    if (item.IsScalar()) {
      values["name"] = item.Scalar();
    } else if (item.IsMap()) {
      for (const auto& kv : item) {
        if (!kv.second.IsScalar()) {
          errors_.push_back(Where(item_path + "." + kv.first.Scalar(), kv.second) + ": want a string");
          return;
        }
        values[kv.first.Scalar()] = kv.second.Scalar();
      }
    } else {
      errors_.push_back(Where(item_path, item) + ": want a mapping or a string");
      return;
    }
    items.push_back(std::move(values));
  }
  *out = std::move(items);
}

std::vector<std::string> ConfigReader::UnknownKeys() const {
  std::vector<std::string> leaves;
  CollectLeafPaths(doc_->root, "", &leaves);
  std::vector<std::string> unknown;
  for (const std::string& leaf : leaves) {
    // A leaf is known if it, or any prefix of it (a map-valued key), was asked for.
    bool known = false;
    for (std::string_view p = leaf; !p.empty(); p = ParentPath(p)) {
      if (known_.count(p)) {
        known = true;
        break;
      }
    }
    if (!known) unknown.push_back(leaf);
  }
  return unknown;
}

std::vector<std::string> ConfigReader::Errors() const {
  std::vector<std::string> all = errors_;
  for (const std::string& key : UnknownKeys()) all.push_back(source_name_ + ": " + key + ": unknown key");
  return all;
}

}  // namespace loupe::server
