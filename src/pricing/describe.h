// Human-readable answers for `loupe prices lookup MODEL`.
#pragma once

#include <string>
#include <string_view>

#include "pricing/catalog.h"
#include "pricing/price.h"

namespace loupe::pricing {

// What `model` (with an optional provider hint) matches, why, and every
// price version of the entry in USD per million tokens. For no match,
// says so, what was tried, and that such calls cost "unknown", not $0.
std::string DescribeLookup(const Catalog& catalog, std::string_view model,
                           std::string_view provider_hint);

// One entry's price versions, one line per price set, in USD per
// million tokens ("input 3  output 15  cache_read 0.3 ...").
std::string DescribePrices(const PriceEntry& entry);

}  // namespace loupe::pricing
