#include "pricing/catalog.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <tuple>

#include "pricing/model_id.h"

namespace loupe::pricing {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A candidate entry and the sort key that ranks it (smaller is better).
struct Ranked {
  // (override first?, lossless?, provider rank, candidate, builtin?, index)
  std::tuple<int, int, int, size_t, int, size_t> rank;
  size_t index;
  std::string why;
};

// 0: the hinted provider (or a provider-agnostic override); 1: same
// family as the hint; 2: the model's maker; 3: anyone else.
int ProviderRank(const PriceEntry& e, const std::string& hint, const std::string& maker) {
  if (e.provider.empty() || (!hint.empty() && e.provider == hint)) return 0;
  if (!hint.empty() && ProviderFamily(e.provider) == ProviderFamily(hint)) return 1;
  if (!maker.empty() && e.provider == maker) return 2;
  return 3;
}

std::string ProviderNote(const PriceEntry& e, const std::string& hint, const std::string& maker,
                         bool hint_given) {
  if (e.provider.empty()) return "";
  if (!hint.empty() && e.provider == hint) {
    return hint_given ? "" : " (provider " + hint + " implied by the id)";
  }
  if (!hint.empty()) return "; no " + hint + " entry, using " + e.provider + "'s price";
  if (e.provider == maker) return "; the maker's own entry";
  return "";
}

}  // namespace

Status Catalog::Add(PriceEntry entry) {
  if (entry.prices.empty()) return Status::InvalidArgument(entry.key + ": no price versions");
  std::string key = Lower(entry.key);
  auto& keys = entry.origin == Origin::kOverride ? override_keys_ : builtin_keys_;
  if (keys.count(key)) return Status::AlreadyExists("duplicate price entry " + entry.key);
  size_t index = entries_.size();
  keys[key] = index;
  by_model_[Lower(entry.model)].push_back(index);
  if (!entry.match_re.empty()) patterned_.push_back(index);
  entries_.push_back(std::move(entry));
  return Status::Ok();
}

void Catalog::SetAzureDeployments(const std::map<std::string, std::string>& deployments) {
  deployments_.clear();
  for (const auto& [name, model] : deployments) deployments_[Lower(Trim(name))] = model;
}

const PriceEntry* Catalog::FindKey(std::string_view key) const {
  std::string lower = Lower(Trim(key));
  if (auto it = override_keys_.find(lower); it != override_keys_.end()) return &entries_[it->second];
  if (auto it = builtin_keys_.find(lower); it != builtin_keys_.end()) return &entries_[it->second];
  return nullptr;
}

Match Catalog::Lookup(std::string_view model, std::string_view provider_hint,
                      std::optional<int64_t> at_unix_nanos) const {
  Match match;
  std::string hint = NormaliseProvider(provider_hint);
  const bool hint_given = !hint.empty();
  std::string looked_up(Trim(model));
  std::string deployment_note;
  if (hint.empty() || ProviderFamily(hint) == "azure") {
    if (auto it = deployments_.find(Lower(looked_up)); it != deployments_.end()) {
      deployment_note = "azure deployment '" + looked_up + "' -> '" + it->second + "'; ";
      looked_up = it->second;
      if (hint.empty()) hint = "azure.ai.openai";
    }
  }
  ParsedModel parsed = ParseModelString(looked_up);
  if (hint.empty()) hint = parsed.provider;
  match.provider_hint = hint;

  std::string maker;
  for (const Candidate& c : parsed.candidates) {
    if (maker.empty()) maker = MakerOf(c.id);
  }
  std::vector<Ranked> ranked;
  for (size_t c = 0; c < parsed.candidates.size(); ++c) {
    const Candidate& cand = parsed.candidates[c];
    auto it = by_model_.find(cand.id);
    if (it == by_model_.end()) continue;
    for (size_t index : it->second) {
      const PriceEntry& e = entries_[index];
      int provider = ProviderRank(e, hint, maker);
      int builtin = e.origin == Origin::kOverride ? 0 : 1;
      // An override outranks everything, except that one made for another
      // provider does not take over spans that name their provider.
      int first = builtin == 0 && (hint.empty() || provider <= 1) ? 0 : 1;
      ranked.push_back(
          {{first, cand.lossless ? 0 : 1, provider, c, builtin, index}, index, cand.why});
    }
  }
  std::string trimmed(Trim(model));
  for (size_t index : patterned_) {
    const PriceEntry& e = entries_[index];
    for (size_t p = 0; p < e.match_re.size(); ++p) {
      if (RE2::FullMatch(trimmed, *e.match_re[p]) ||
          (looked_up != trimmed && RE2::FullMatch(looked_up, *e.match_re[p]))) {
        ranked.push_back({{0, 0, 0, parsed.candidates.size(), 0, index}, index,
                          "override pattern \"" + e.match[p] + "\""});
        break;
      }
    }
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const Ranked& a, const Ranked& b) { return a.rank < b.rank; });

  for (const Ranked& r : ranked) {
    const PriceEntry& e = entries_[r.index];
    bool in_force = !at_unix_nanos || e.VersionAt(*at_unix_nanos) != nullptr;
    if (match.entry == nullptr && in_force) {
      match.entry = &e;
      match.why = deployment_note + r.why + ProviderNote(e, hint, maker, hint_given);
      if (e.origin == Origin::kOverride) match.why += " [override]";
    } else if (&e != match.entry && match.alternatives.size() < 8 &&
               std::find(match.alternatives.begin(), match.alternatives.end(), &e) ==
                   match.alternatives.end()) {
      match.alternatives.push_back(&e);
    }
  }
  if (match.entry == nullptr) {
    std::string tried;
    for (const Candidate& c : parsed.candidates) tried += (tried.empty() ? "" : ", ") + c.id;
    match.why = deployment_note + (ranked.empty() ? "no catalog entry; tried " + tried
                                                  : "matched entries have no price in force then");
  }
  return match;
}

}  // namespace loupe::pricing
