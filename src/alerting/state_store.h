// StateStore: the few durable operations the engine needs (named values
// and the event journal), so the engine and its tests do not depend on
// the whole store::Store interface. StoreStateStore forwards to the store.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/state.h"

namespace loupe::store {
class Store;
}

namespace loupe::alerting {

class StateStore {
 public:
  virtual ~StateStore() = default;
  virtual Status PutValue(const std::string& ns, const std::string& key, const std::string& value) = 0;
  virtual Status DeleteValue(const std::string& ns, const std::string& key) = 0;
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListValues(const std::string& ns) = 0;
  virtual Result<uint64_t> AppendJournal(store::JournalEntry entry) = 0;
  virtual Result<std::vector<store::JournalEntry>> QueryJournal(const store::JournalQuery& query) = 0;
};

// Forwards to `store` (not owned).
std::unique_ptr<StateStore> MakeStoreStateStore(store::Store* store);

}  // namespace loupe::alerting
