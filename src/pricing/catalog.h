// Catalog: price entries indexed for matching the model strings spans
// carry. Built once (builtin + overrides, see catalog_io.h), then
// read-only: every const method is safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "pricing/price.h"

namespace loupe::pricing {

// The result of a lookup. `entry` points into the Catalog that produced
// it and lives as long as that Catalog.
struct Match {
  const PriceEntry* entry = nullptr;  // null when nothing matched
  std::string why;                    // how the string matched, or what was tried
  std::string provider_hint;          // the normalised hint used ("" if none)
  std::vector<const PriceEntry*> alternatives;  // other entries the string matched
  bool matched() const { return entry != nullptr; }
};

class Catalog {
 public:
  Catalog() = default;

  // Adds an entry. Keys are unique per origin (case-insensitive): an
  // override entry may share a builtin key, and then wins.
  // REQUIRES: entry.prices is sorted by effective_from and non-empty.
  Status Add(PriceEntry entry);

  // Azure deployment name -> model id; names match case-insensitively
  // when the span's provider is Azure or unknown.
  void SetAzureDeployments(const std::map<std::string, std::string>& deployments);
  const std::map<std::string, std::string>& azure_deployments() const { return deployments_; }

  // Finds the entry for `model` (as a span reports it). `provider_hint`
  // is the span's provider (any alias; normalised here) and makes that
  // provider's entry preferred; without it the model maker's own entry is
  // preferred. When `at_unix_nanos` is given, entries with no price
  // version in force at that time are passed over (so a dated override
  // does not hide the builtin price for older calls).
  //
  // Preference: override entries before builtin ones (unless the override
  // is for another provider than the hint's family); then candidates
  // that name the same snapshot (case, prefixes, Bedrock/Vertex id forms)
  // before ones with a date or version stripped; then the provider rank;
  // then the candidate order (model_id.h).
  Match Lookup(std::string_view model, std::string_view provider_hint = {},
               std::optional<int64_t> at_unix_nanos = std::nullopt) const;

  // The entry with this canonical key (case-insensitive), preferring an
  // override; null if none.
  const PriceEntry* FindKey(std::string_view key) const;

  const std::vector<PriceEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<PriceEntry> entries_;
  // Lower-case key -> index, per origin.
  std::unordered_map<std::string, size_t> builtin_keys_;
  std::unordered_map<std::string, size_t> override_keys_;
  // Lower-case model id -> indexes of entries with that id.
  std::unordered_map<std::string, std::vector<size_t>> by_model_;
  // Override entries with match patterns.
  std::vector<size_t> patterned_;
  std::map<std::string, std::string> deployments_;  // lower-case name -> model
};

}  // namespace loupe::pricing
