#include "pricing/litellm_import.h"

#include <array>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "pricing/catalog_io.h"

namespace loupe::pricing {
namespace {

using Json = nlohmann::json;

// LiteLLM provider -> OTel name, as in scripts/gen_catalog.py.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kProviders{{
    {"openai", "openai"},
    {"anthropic", "anthropic"},
    {"gemini", "gcp.gemini"},
    {"vertex_ai", "gcp.vertex_ai"},
    {"bedrock", "aws.bedrock"},
    {"bedrock_converse", "aws.bedrock"},
    {"azure", "azure.ai.openai"},
    {"azure_ai", "azure.ai.inference"},
    {"mistral", "mistral_ai"},
    {"deepseek", "deepseek"},
    {"xai", "x_ai"},
    {"groq", "groq"},
    {"cohere", "cohere"},
    {"cohere_chat", "cohere"},
}};

bool IsLiteLlmPrefix(std::string_view head) {
  for (const auto& [name, otel] : kProviders) {
    if (name == head) return true;
  }
  return false;
}

// LiteLLM price field -> rate; the longest names first, so the 1-hour
// cache-write price is not read as the 5-minute one.
constexpr std::pair<std::string_view, std::optional<NanosPerMTok> Rates::*> kFields[] = {
    {"cache_creation_input_token_cost_above_1hr", &Rates::cache_write_1h},
    {"cache_creation_input_token_cost", &Rates::cache_write_5m},
    {"cache_read_input_token_cost", &Rates::cache_read},
    {"output_cost_per_reasoning_token", &Rates::reasoning},
    {"input_cost_per_token", &Rates::input},
    {"output_cost_per_token", &Rates::output},
};
constexpr std::pair<std::string_view, std::string_view> kServiceTiers[] = {
    {"_batches", "batch"}, {"_priority", "priority"}, {"_flex", "flex"}};

// Splits "input_cost_per_token_above_200k_tokens_priority" into its rate,
// threshold (0 for none) and service tier. False for other fields.
bool ParseField(std::string_view name, std::optional<NanosPerMTok> Rates::** rate,
                int64_t* above, std::string* tier) {
  for (const auto& [base, member] : kFields) {
    if (name.substr(0, base.size()) != base) continue;
    std::string_view rest = name.substr(base.size());
    *tier = "";
    for (const auto& [suffix, service] : kServiceTiers) {
      if (rest.size() >= suffix.size() && rest.substr(rest.size() - suffix.size()) == suffix) {
        *tier = std::string(service);
        rest.remove_suffix(suffix.size());
        break;
      }
    }
    *above = 0;
    if (!rest.empty()) {
      constexpr std::string_view kPre = "_above_", kPost = "k_tokens";
      if (rest.size() <= kPre.size() + kPost.size() || rest.substr(0, kPre.size()) != kPre ||
          rest.substr(rest.size() - kPost.size()) != kPost) {
        return false;
      }
      std::string_view digits = rest.substr(kPre.size(), rest.size() - kPre.size() - kPost.size());
      int64_t k = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
      if (ec != std::errc() || ptr != digits.data() + digits.size() || k <= 0) return false;
      *above = k * 1000;
    }
    *rate = member;
    return true;
  }
  return false;
}

// USD per token (a JSON number) -> nano-dollars per million tokens. The
// double is printed in its shortest round-trip form, which is the decimal
// the file had, and that text is converted exactly.
Result<NanosPerMTok> PerTokenPrice(const Json& v) {
  char buf[64];
  std::to_chars_result r{};
  if (v.is_number_float()) {
    r = std::to_chars(buf, buf + sizeof buf, v.get<double>());
  } else if (v.is_number_unsigned()) {
    r = std::to_chars(buf, buf + sizeof buf, v.get<uint64_t>());
  } else if (v.is_number_integer()) {
    r = std::to_chars(buf, buf + sizeof buf, v.get<int64_t>());
  } else {
    return Status::InvalidArgument("not a number");
  }
  return ParseDecimalNanos(std::string_view(buf, static_cast<size_t>(r.ptr - buf)), 1'000'000);
}

TierRates* TierFor(PriceSet* set, int64_t above) {
  for (TierRates& t : set->above) {
    if (t.above_tokens == above) return &t;
  }
  set->above.push_back({above, {}});
  return &set->above.back();
}

size_t CountPrices(const Rates& r) {
  return !!r.input + !!r.output + !!r.cache_read + !!r.cache_write_5m + !!r.cache_write_1h +
         !!r.reasoning;
}
size_t CountPrices(const PriceSet& s) {
  size_t n = CountPrices(s.base);
  for (const TierRates& t : s.above) n += CountPrices(t.rates);
  return n;
}
size_t CountPrices(const PriceVersion& v) {
  size_t n = CountPrices(v.standard);
  for (const auto& [name, set] : v.service_tiers) n += CountPrices(set);
  return n;
}

// Builds the price version of one LiteLLM entry; "" or the skip reason.
std::string BuildVersion(const Json& entry, PriceVersion* v) {
  for (const auto& [field, value] : entry.items()) {
    std::optional<NanosPerMTok> Rates::*rate = nullptr;
    int64_t above = 0;
    std::string tier;
    if (!ParseField(field, &rate, &above, &tier) || !value.is_number() || value.is_boolean()) {
      continue;
    }
    Result<NanosPerMTok> price = PerTokenPrice(value);
    if (!price.ok()) return "bad " + field + ": " + price.status().message();
    PriceSet* set = tier.empty() ? &v->standard : &v->service_tiers[tier];
    Rates* rates = above == 0 ? &set->base : &TierFor(set, above)->rates;
    rates->*rate = *price;
  }
  // DeepSeek's older spelling of the cache-read price.
  if (auto hit = entry.find("input_cost_per_token_cache_hit");
      hit != entry.end() && hit->is_number() && !v->standard.base.cache_read) {
    Result<NanosPerMTok> price = PerTokenPrice(*hit);
    if (!price.ok()) return "bad input_cost_per_token_cache_hit: " + price.status().message();
    v->standard.base.cache_read = *price;
  }
  auto by_threshold = [](const TierRates& a, const TierRates& b) {
    return a.above_tokens < b.above_tokens;
  };
  std::sort(v->standard.above.begin(), v->standard.above.end(), by_threshold);
  for (auto& [name, set] : v->service_tiers) {
    std::sort(set.above.begin(), set.above.end(), by_threshold);
  }
  return "";
}

bool IsTokenMode(const std::string& mode) {
  return mode == "chat" || mode == "embedding" || mode == "completion" || mode == "responses";
}

}  // namespace

std::string ProviderFromLiteLlm(std::string_view p) {
  for (const auto& [name, otel] : kProviders) {
    if (name == p) return std::string(otel);
  }
  if (p.substr(0, 10) == "vertex_ai-") return "gcp.vertex_ai";
  return std::string(p);
}

Result<ImportReport> ImportLiteLlm(std::string_view json_text, const ImportOptions& options) {
  Json doc = Json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::InvalidArgument("LiteLLM price file: not valid JSON");
  }
  if (!doc.is_object()) {
    return Status::InvalidArgument("LiteLLM price file: expected an object of models");
  }
  Result<int64_t> effective = ParseEffectiveDate(options.effective_from);
  if (!effective.ok()) return effective.status().WithContext("effective_from");

  ImportReport report;
  std::unordered_map<std::string, size_t> by_key;  // lower-case key -> entries index
  std::vector<std::string> chosen;                 // LiteLLM key each entry came from
  auto skip = [&](const std::string& key, const std::string& reason,
                  const std::string& detail = "") {
    report.skipped.push_back(key + ": " + reason + (detail.empty() ? "" : " (" + detail + ")"));
    ++report.skipped_by_reason[reason];
  };
  for (const auto& [key, entry] : doc.items()) {
    ++report.models_seen;
    if (key == "sample_spec" || key == "fallback_generalizations") {
      skip(key, "not a model", "the file's own metadata");
      continue;
    }
    if (!entry.is_object()) {
      skip(key, "not a model", "not an object");
      continue;
    }
    std::string mode = entry.value("mode", Json()).is_string() ? entry["mode"].get<std::string>() : "";
    if (!IsTokenMode(mode)) {
      skip(key, "mode not priced per token", mode.empty() ? "no mode" : mode);
      continue;
    }
    std::string litellm_provider = entry.value("litellm_provider", Json()).is_string()
                                       ? entry["litellm_provider"].get<std::string>()
                                       : "";
    std::string provider = ProviderFromLiteLlm(litellm_provider);
    if (!options.providers.empty() && !options.providers.count(provider)) {
      skip(key, "provider not selected", provider);
      continue;
    }
    if (!entry.contains("input_cost_per_token") && !entry.contains("output_cost_per_token")) {
      skip(key, "no per-token price");
      continue;
    }
    PriceVersion version;
    version.effective_from = options.effective_from;
    version.effective_from_unix_nanos = *effective;
    if (std::string why = BuildVersion(entry, &version); !why.empty()) {
      skip(key, "unusable price", why);
      continue;
    }
    std::string model = key;
    if (size_t slash = key.find('/'); slash != std::string::npos) {
      std::string head = key.substr(0, slash);
      if (IsLiteLlmPrefix(head) || head == litellm_provider) model = key.substr(slash + 1);
    }
    PriceEntry e;
    e.key = provider.empty() ? model : provider + "/" + model;
    e.provider = provider;
    e.model = model;
    e.mode = mode;
    e.litellm_keys = {key};
    e.origin = options.origin;
    e.prices.push_back(std::move(version));
    ++report.imported;
    ++report.imported_by_mode[mode];

    std::string lower = e.key;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = by_key.find(lower);
    if (it == by_key.end()) {
      by_key[lower] = report.entries.size();
      chosen.push_back(key);
      report.entries.push_back(std::move(e));
      continue;
    }
    // The same model under two LiteLLM keys (with and without LiteLLM's
    // prefix): keep the more detailed prices, on a tie the prefixed key.
    ++report.merged_duplicates;
    PriceEntry& old = report.entries[it->second];
    std::vector<std::string> keys = old.litellm_keys;
    keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    auto score = [](const PriceEntry& x, const std::string& k) {
      return std::pair{CountPrices(x.prices.front()), k.find('/') != std::string::npos};
    };
    if (score(e, key) > score(old, chosen[it->second])) {
      old = std::move(e);
      chosen[it->second] = key;
    }
    old.litellm_keys = std::move(keys);
  }
  return report;
}

Result<ImportReport> ImportLiteLlmFile(const std::string& path, const ImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  Result<ImportReport> report = ImportLiteLlm(buffer.str(), options);
  if (!report.ok()) return report.status().WithContext(path);
  return report;
}

Result<std::string> RunPricesImport(const std::string& path, const std::string& out_path) {
  Result<ImportReport> report = ImportLiteLlmFile(path);
  if (!report.ok()) return report.status();
  std::ostringstream out;
  out << "Imported " << report->entries.size() << " models from " << path << " ("
      << report->models_seen << " keys; " << report->merged_duplicates
      << " duplicates merged; " << report->skipped_count() << " skipped)\n";
  for (const auto& [mode, n] : report->imported_by_mode) out << "  " << mode << ": " << n << "\n";
  if (!report->skipped_by_reason.empty()) out << "Skipped:\n";
  for (const auto& [reason, n] : report->skipped_by_reason) out << "  " << n << " x " << reason << "\n";
  if (!out_path.empty()) {
    LOUPE_RETURN_IF_ERROR(WriteCatalogFile(out_path, report->entries, "imported from " + path));
    out << "Wrote " << out_path << " (use it as pricing.overrides_file)\n";
  }
  return out.str();
}

}  // namespace loupe::pricing
