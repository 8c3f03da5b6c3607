#include "alerting/state_store.h"

#include "store/store.h"

namespace loupe::alerting {
namespace {

class StoreStateStore final : public StateStore {
 public:
  explicit StoreStateStore(store::Store* store) : store_(store) {}
  Status PutValue(const std::string& ns, const std::string& key, const std::string& value) override {
    return store_->PutValue(ns, key, value);
  }
  Status DeleteValue(const std::string& ns, const std::string& key) override { return store_->DeleteValue(ns, key); }
  Result<std::vector<std::pair<std::string, std::string>>> ListValues(const std::string& ns) override {
    return store_->ListValues(ns);
  }
  Result<uint64_t> AppendJournal(store::JournalEntry entry) override { return store_->AppendJournal(std::move(entry)); }
  Result<std::vector<store::JournalEntry>> QueryJournal(const store::JournalQuery& query) override {
    return store_->QueryJournal(query);
  }

 private:
  store::Store* store_;
};

}  // namespace

std::unique_ptr<StateStore> MakeStoreStateStore(store::Store* store) {
  return std::make_unique<StoreStateStore>(store);
}

}  // namespace loupe::alerting
