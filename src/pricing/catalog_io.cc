#include "pricing/catalog_io.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pricing/builtin_catalog.h"
#include "pricing/model_id.h"

namespace loupe::pricing {
namespace {

constexpr std::string_view kFormat = "loupe.price_catalog";
constexpr std::string_view kUnit = "usd_per_million_tokens";
constexpr std::string_view kEpoch = "1970-01-01";

// Rate name -> member, in the order files list them.
constexpr std::pair<std::string_view, std::optional<NanosPerMTok> Rates::*> kRateFields[] = {
    {"input", &Rates::input},
    {"output", &Rates::output},
    {"cache_read", &Rates::cache_read},
    {"cache_write_5m", &Rates::cache_write_5m},
    {"cache_write_1h", &Rates::cache_write_1h},
    {"reasoning", &Rates::reasoning},
};
constexpr std::string_view kServiceTiers[] = {"batch", "priority", "flex"};

bool IsRateKey(std::string_view k) {
  return k == "cache_write" ||
         std::any_of(std::begin(kRateFields), std::end(kRateFields),
                     [&](const auto& f) { return f.first == k; });
}

// Walks a YAML tree, producing errors that say where.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  Status Error(const YAML::Node& node, const std::string& path, const std::string& msg) const {
    std::string where = source_;
    if (node.IsDefined() && node.Mark().line >= 0) {
      where += ":" + std::to_string(node.Mark().line + 1) + ":" +
               std::to_string(node.Mark().column + 1);
    }
    return Status::InvalidArgument(where + ": " + path + ": " + msg);
  }

  // Fails on a key not in `allowed` (catches typos such as "ouput").
  Status CheckKeys(const YAML::Node& map, const std::string& path,
                   const std::function<bool(std::string_view)>& allowed) const {
    if (!map.IsMap()) return Error(map, path, "expected a mapping");
    for (const auto& kv : map) {
      std::string key = kv.first.Scalar();
      if (!allowed(key)) return Error(kv.first, path, "unknown key \"" + key + "\"");
    }
    return Status::Ok();
  }

  Result<std::string> String(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) return Error(node, path, "expected a string");
    return node.Scalar();
  }

  Status ParseRates(const YAML::Node& map, const std::string& path, Rates* rates) const {
    for (const auto& [name, member] : kRateFields) {
      if (YAML::Node n = map[std::string(name)]; n) {
        LOUPE_RETURN_IF_ERROR(ParsePrice(n, path + "." + std::string(name), &(rates->*member)));
      }
    }
    if (YAML::Node n = map["cache_write"]; n) {
      if (rates->cache_write_5m) return Error(n, path, "both cache_write and cache_write_5m");
      LOUPE_RETURN_IF_ERROR(ParsePrice(n, path + ".cache_write", &rates->cache_write_5m));
    }
    return Status::Ok();
  }

  Status ParsePriceSet(const YAML::Node& map, const std::string& path, PriceSet* set) const {
    LOUPE_RETURN_IF_ERROR(ParseRates(map, path, &set->base));
    YAML::Node above = map["above"];
    if (!above) return Status::Ok();
    if (!above.IsSequence()) return Error(above, path + ".above", "expected a list");
    for (size_t i = 0; i < above.size(); ++i) {
      std::string tpath = path + ".above[" + std::to_string(i) + "]";
      LOUPE_RETURN_IF_ERROR(CheckKeys(above[i], tpath, [](std::string_view k) {
        return k == "above_tokens" || IsRateKey(k);
      }));
      TierRates tier;
      YAML::Node n = above[i]["above_tokens"];
      if (!n || !n.IsScalar()) return Error(above[i], tpath, "above_tokens is required");
      try {
        tier.above_tokens = n.as<int64_t>();
      } catch (const YAML::Exception&) {
        return Error(n, tpath + ".above_tokens", "expected a whole number of tokens");
      }
      if (tier.above_tokens < 0) return Error(n, tpath + ".above_tokens", "must not be negative");
      LOUPE_RETURN_IF_ERROR(ParseRates(above[i], tpath, &tier.rates));
      set->above.push_back(std::move(tier));
    }
    std::sort(set->above.begin(), set->above.end(),
              [](const TierRates& a, const TierRates& b) { return a.above_tokens < b.above_tokens; });
    return Status::Ok();
  }

  Status ParseVersion(const YAML::Node& map, const std::string& path, PriceVersion* v) const {
    v->effective_from = std::string(kEpoch);
    if (YAML::Node n = map["effective_from"]; n) {
      Result<std::string> s = String(n, path + ".effective_from");
      if (!s.ok()) return s.status();
      v->effective_from = *s;
    }
    Result<int64_t> t = ParseEffectiveDate(v->effective_from);
    if (!t.ok()) return Error(map["effective_from"], path + ".effective_from", t.status().message());
    v->effective_from_unix_nanos = *t;
    LOUPE_RETURN_IF_ERROR(ParsePriceSet(map, path, &v->standard));
    for (std::string_view tier : kServiceTiers) {
      YAML::Node n = map[std::string(tier)];
      if (!n) continue;
      std::string spath = path + "." + std::string(tier);
      LOUPE_RETURN_IF_ERROR(CheckKeys(n, spath, [](std::string_view k) {
        return k == "above" || IsRateKey(k);
      }));
      LOUPE_RETURN_IF_ERROR(ParsePriceSet(n, spath, &v->service_tiers[std::string(tier)]));
    }
    if (v->standard.empty() && v->service_tiers.empty()) {
      return Error(map, path, "no prices (expected input, output, ...)");
    }
    return Status::Ok();
  }

  Status ParseEntry(const YAML::Node& map, const std::string& path, Origin origin,
                    PriceEntry* e) const {
    auto version_key = [](std::string_view k) {
      return k == "effective_from" || k == "above" || k == "batch" || k == "priority" ||
             k == "flex" || IsRateKey(k);
    };
    const bool inline_prices = !map["prices"];
    LOUPE_RETURN_IF_ERROR(CheckKeys(map, path, [&](std::string_view k) {
      return k == "key" || k == "provider" || k == "model" || k == "mode" ||
             k == "litellm_keys" || k == "match" || k == "prices" ||
             (inline_prices && version_key(k));
    }));
    for (auto [name, field] : {std::pair{"key", &e->key}, std::pair{"provider", &e->provider},
                               std::pair{"model", &e->model}, std::pair{"mode", &e->mode}}) {
      if (YAML::Node n = map[name]; n) {
        Result<std::string> s = String(n, path + "." + name);
        if (!s.ok()) return s.status();
        *field = *s;
      }
    }
    e->origin = origin;
    e->provider = NormaliseProvider(e->provider);
    if (e->mode.empty()) e->mode = "chat";
    if (YAML::Node n = map["litellm_keys"]; n) {
      if (!n.IsSequence()) return Error(n, path + ".litellm_keys", "expected a list");
      for (const auto& k : n) e->litellm_keys.push_back(k.Scalar());
    }
    if (YAML::Node n = map["match"]; n) {
      if (n.IsScalar()) {
        e->match.push_back(n.Scalar());
      } else if (n.IsSequence()) {
        for (const auto& m : n) e->match.push_back(m.Scalar());
      } else {
        return Error(n, path + ".match", "expected a pattern or a list of patterns");
      }
      RE2::Options options;
      options.set_case_sensitive(false);
      options.set_log_errors(false);
      for (const std::string& pattern : e->match) {
        auto re = std::make_shared<const RE2>(pattern, options);
        if (!re->ok()) {
          return Error(n, path + ".match", "bad RE2 pattern \"" + pattern + "\": " + re->error());
        }
        e->match_re.push_back(std::move(re));
      }
    }
    if (e->model.empty() && e->key.empty() && e->match.empty()) {
      return Error(map, path, "needs a model, a key or a match pattern");
    }
    if (e->model.empty()) {
      // "provider/model" keys name their model; a pattern-only entry is
      // keyed by its first pattern.
      std::string_view k = e->key.empty() ? std::string_view(e->match.front()) : e->key;
      if (!e->provider.empty() && k.substr(0, e->provider.size() + 1) == e->provider + "/") {
        k.remove_prefix(e->provider.size() + 1);
      }
      e->model = std::string(k);
    }
    if (e->key.empty()) e->key = e->provider.empty() ? e->model : e->provider + "/" + e->model;

    if (inline_prices) {
      PriceVersion v;
      LOUPE_RETURN_IF_ERROR(ParseVersion(map, path, &v));
      e->prices.push_back(std::move(v));
    } else {
      YAML::Node prices = map["prices"];
      if (!prices.IsSequence() || prices.size() == 0) {
        return Error(prices, path + ".prices", "expected a non-empty list of price versions");
      }
      for (size_t i = 0; i < prices.size(); ++i) {
        std::string vpath = path + ".prices[" + std::to_string(i) + "]";
        LOUPE_RETURN_IF_ERROR(CheckKeys(prices[i], vpath, version_key));
        PriceVersion v;
        LOUPE_RETURN_IF_ERROR(ParseVersion(prices[i], vpath, &v));
        e->prices.push_back(std::move(v));
      }
    }
    std::stable_sort(e->prices.begin(), e->prices.end(),
                     [](const PriceVersion& a, const PriceVersion& b) {
                       return a.effective_from_unix_nanos < b.effective_from_unix_nanos;
                     });
    for (size_t i = 1; i < e->prices.size(); ++i) {
      if (e->prices[i].effective_from_unix_nanos == e->prices[i - 1].effective_from_unix_nanos) {
        return Error(map, path + ".prices",
                     "two price versions start at " + e->prices[i].effective_from);
      }
    }
    return Status::Ok();
  }

  Status ParsePrice(const YAML::Node& n, const std::string& path,
                    std::optional<NanosPerMTok>* out) const {
    if (!n.IsScalar()) return Error(n, path, "expected a price in USD per million tokens");
    Result<int64_t> nanos = ParseDecimalNanos(n.Scalar());
    if (!nanos.ok()) return Error(n, path, nanos.status().message());
    *out = *nanos;
    return Status::Ok();
  }

 private:
  std::string source_;
};

Result<CatalogFile> Parse(const YAML::Node& root, const Reader& r, Origin origin) {
  CatalogFile file;
  if (root.IsNull()) return file;  // an empty overrides file is fine
  LOUPE_RETURN_IF_ERROR(r.CheckKeys(root, "(top)", [](std::string_view k) {
    return k == "format" || k == "version" || k == "unit" || k == "source" || k == "models" ||
           k == "azure_deployments" || k == "cache_write_default";
  }));
  if (YAML::Node n = root["format"]; n && n.Scalar() != kFormat) {
    return r.Error(n, "format", "expected \"" + std::string(kFormat) + "\"");
  }
  if (YAML::Node n = root["version"]; n && n.Scalar() != "1") {
    return r.Error(n, "version", "this Loupe reads version 1");
  }
  if (YAML::Node n = root["unit"]; n && n.Scalar() != kUnit) {
    return r.Error(n, "unit", "prices must be in " + std::string(kUnit));
  }
  if (YAML::Node n = root["cache_write_default"]; n) {
    if (!n.IsScalar() || !IsCacheWriteDuration(n.Scalar())) {
      return r.Error(n, "cache_write_default", "must be 5m or 1h");
    }
    file.cache_write_default = n.Scalar();
  }
  if (YAML::Node n = root["azure_deployments"]; n) {
    if (!n.IsMap()) return r.Error(n, "azure_deployments", "expected deployment: model pairs");
    for (const auto& kv : n) {
      std::string name = kv.first.Scalar();
      if (!kv.second.IsScalar() || kv.second.Scalar().empty()) {
        return r.Error(kv.second, "azure_deployments." + name, "expected a model id");
      }
      file.azure_deployments[name] = kv.second.Scalar();
    }
  }
  YAML::Node models = root["models"];
  if (!models) return file;
  if (!models.IsSequence()) return r.Error(models, "models", "expected a list");
  file.entries.reserve(models.size());
  for (size_t i = 0; i < models.size(); ++i) {
    PriceEntry e;
    LOUPE_RETURN_IF_ERROR(r.ParseEntry(models[i], "models[" + std::to_string(i) + "]", origin, &e));
    file.entries.push_back(std::move(e));
  }
  return file;
}

// JSON text of a price set's fields (without braces).
void AppendRates(const Rates& rates, std::string* out) {
  for (const auto& [name, member] : kRateFields) {
    if (const auto& v = rates.*member) {
      *out += ",\"" + std::string(name) + "\":" + FormatUsd(*v);
    }
  }
}

void AppendPriceSet(const PriceSet& set, std::string* out) {
  AppendRates(set.base, out);
  if (set.above.empty()) return;
  *out += ",\"above\":[";
  for (size_t i = 0; i < set.above.size(); ++i) {
    *out += (i ? ",{" : "{");
    *out += "\"above_tokens\":" + std::to_string(set.above[i].above_tokens);
    AppendRates(set.above[i].rates, out);
    *out += "}";
  }
  *out += "]";
}

std::string Quote(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

}  // namespace

Result<int64_t> ParseEffectiveDate(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("bad date \"" + std::string(text) +
                                   "\": expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  };
  auto num = [&](size_t pos, size_t len, int* out) {
    if (pos + len > text.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (!num(0, 4, &y) || text.size() < 10 || text[4] != '-' || !num(5, 2, &mo) || text[7] != '-' ||
      !num(8, 2, &d)) {
    return bad();
  }
  if (text.size() != 10) {
    if (text.size() != 20 || (text[10] != 'T' && text[10] != ' ') || !num(11, 2, &h) ||
        text[13] != ':' || !num(14, 2, &mi) || text[16] != ':' || !num(17, 2, &s) ||
        text[19] != 'Z' || h > 23 || mi > 59 || s > 59) {
      return bad();
    }
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad();
  auto tp = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
            std::chrono::seconds{s};
  return static_cast<int64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(tp.time_since_epoch()).count());
}

Result<CatalogFile> ParseCatalogFile(std::string_view text, std::string_view source,
                                     Origin origin) {
  Reader reader(source);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return Parse(root, reader, origin);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string(source) + ":" + std::to_string(e.mark.line + 1) +
                                   ":" + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

Result<CatalogFile> ReadCatalogFile(const std::string& path, Origin origin) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open price file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read price file " + path);
  return ParseCatalogFile(buffer.str(), path, origin);
}

std::string SerializeCatalog(const std::vector<PriceEntry>& entries, std::string_view source_note) {
  std::vector<const PriceEntry*> sorted;
  for (const PriceEntry& e : entries) sorted.push_back(&e);
  // Sorted as scripts/gen_catalog.py sorts: by lower-case key.
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::sort(sorted.begin(), sorted.end(), [&](const PriceEntry* a, const PriceEntry* b) {
    return std::pair(lower(a->key), a->key) < std::pair(lower(b->key), b->key);
  });
  std::string out = "{\n\"format\":\"" + std::string(kFormat) + "\",\"version\":1,\"unit\":\"" +
                    std::string(kUnit) + "\",\n\"source\":" + Quote(source_note) +
                    ",\n\"models\":[\n";
  for (size_t i = 0; i < sorted.size(); ++i) {
    const PriceEntry& e = *sorted[i];
    out += "{\"key\":" + Quote(e.key) + ",\"provider\":" + Quote(e.provider) +
           ",\"model\":" + Quote(e.model) + ",\"mode\":" + Quote(e.mode);
    if (!e.litellm_keys.empty()) {
      out += ",\"litellm_keys\":[";
      for (size_t k = 0; k < e.litellm_keys.size(); ++k) {
        if (k) out += ',';
        out += Quote(e.litellm_keys[k]);
      }
      out += "]";
    }
    if (!e.match.empty()) {
      out += ",\"match\":[";
      for (size_t k = 0; k < e.match.size(); ++k) {
        if (k) out += ',';
        out += Quote(e.match[k]);
      }
      out += "]";
    }
    out += ",\"prices\":[";
    for (size_t v = 0; v < e.prices.size(); ++v) {
      const PriceVersion& pv = e.prices[v];
      out += (v ? ",{" : "{");
      out += "\"effective_from\":" + Quote(pv.effective_from);
      AppendPriceSet(pv.standard, &out);
      for (std::string_view tier : kServiceTiers) {  // the generator's order
        auto it = pv.service_tiers.find(std::string(tier));
        if (it == pv.service_tiers.end()) continue;
        out += ",\"" + std::string(tier) + "\":{";
        std::string inner;
        AppendPriceSet(it->second, &inner);
        out += inner.empty() ? "" : inner.substr(1);  // drop the leading comma
        out += "}";
      }
      out += "}";
    }
    out += "]}";
    out += i + 1 < sorted.size() ? ",\n" : "\n";
  }
  out += "]}\n";
  return out;
}

Status WriteCatalogFile(const std::string& path, const std::vector<PriceEntry>& entries,
                        std::string_view source_note) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("cannot write " + path);
  out << SerializeCatalog(entries, source_note);
  out.close();
  if (!out) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

Result<std::shared_ptr<const Catalog>> BuiltinCatalog() {
  // Parsed once; a function-local static is initialised thread-safely.
  static const Result<std::shared_ptr<const Catalog>> builtin =
      []() -> Result<std::shared_ptr<const Catalog>> {
    Result<CatalogFile> file =
        ParseCatalogFile(BuiltinCatalogText(), "builtin.json", Origin::kBuiltin);
    if (!file.ok()) return file.status();
    auto catalog = std::make_shared<Catalog>();
    for (PriceEntry& e : file->entries) LOUPE_RETURN_IF_ERROR(catalog->Add(std::move(e)));
    return std::shared_ptr<const Catalog>(std::move(catalog));
  }();
  return builtin;
}

Result<LoadedPricing> LoadPricing(const PricingConfig& config) {
  Result<std::shared_ptr<const Catalog>> builtin = BuiltinCatalog();
  if (!builtin.ok()) return builtin.status();
  LoadedPricing loaded;
  loaded.cache_write_1h = config.cache_write_default == "1h";
  if (config.overrides_file.empty() && config.azure_deployments.empty()) {
    loaded.catalog = *builtin;
    return loaded;
  }
  CatalogFile overrides;
  if (!config.overrides_file.empty()) {
    Result<CatalogFile> file = ReadCatalogFile(config.overrides_file, Origin::kOverride);
    if (!file.ok()) return file.status().WithContext("pricing.overrides_file");
    overrides = std::move(*file);
  }
  auto catalog = std::make_shared<Catalog>(**builtin);
  for (PriceEntry& e : overrides.entries) {
    Status s = catalog->Add(std::move(e));
    if (!s.ok()) return s.WithContext(config.overrides_file);
  }
  std::map<std::string, std::string> deployments = overrides.azure_deployments;
  for (const auto& [name, model] : config.azure_deployments) deployments[name] = model;
  catalog->SetAzureDeployments(deployments);
  if (!overrides.cache_write_default.empty()) {
    loaded.cache_write_1h = overrides.cache_write_default == "1h";
  }
  loaded.catalog = std::move(catalog);
  return loaded;
}

}  // namespace loupe::pricing
