// Redaction of string values that hold JSON text (gen_ai.input.messages,
// input.value, tool-call arguments, ...): the JSON is parsed and each
// string in it redacted, then written back. Scanning the raw text instead
// would miss "\n555-123-4567" (the escape's 'n' glues to the number) and a
// replacement could land inside an escape and break the JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "privacy/redactor.h"

namespace loupe::privacy {

// Redacts *text: as JSON when it is a JSON object or array (strings and
// object keys inside, recursively into strings that are JSON text
// themselves, up to a few levels), else as plain text. JSON that is
// malformed or nested deeper than 128 levels is treated as plain text.
// Returns true if *text changed; counts as Redactor::Redact.
bool RedactText(const Redactor& redactor, std::string* text, std::vector<uint64_t>* counts);

}  // namespace loupe::privacy
