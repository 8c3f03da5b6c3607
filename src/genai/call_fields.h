// Readers for the scalar fields of an LlmCall: models, provider, time to
// first token, reported cost, service tier, error type, finish reasons.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "genai/content.h"
#include "model/span.h"

namespace loupe::genai {

std::string ReadRequestModel(const model::Span& span);
std::string ReadResponseModel(const model::Span& span);
// Normalised provider: the provider keys, else the server address, else
// the model name.
std::string ReadProvider(const model::Span& span, std::string_view model);

// Nanoseconds from the request to the first streamed chunk, where the
// instrumentation records it.
std::optional<int64_t> ReadTimeToFirstToken(const model::Span& span);

// Reported cost in nano-dollars (USD rounded to the nearest nano-dollar).
std::optional<int64_t> ReadReportedCostNanos(const model::Span& span);
// USD -> nano-dollars; nullopt for negative, non-finite or absurd values.
std::optional<int64_t> UsdToNanos(double usd);

// "batch", "flex", "priority", ... ; "" for the standard tier or unknown.
std::string ReadServiceTier(const model::Span& span);

// error.type, else the exception event's type on an error span, else
// "_OTHER" for an error span; "" when the call did not fail.
std::string ReadErrorType(const model::Span& span);
// "<class 'openai.BadRequestError'>" (Python's str() of a class) ->
// "openai.BadRequestError"; anything else unchanged.
std::string CanonicalErrorType(std::string_view type);

std::vector<std::string> ReadFinishReasons(const model::Span& span, const Content& content);

// Parses "2025-01-31T12:00:00.123456Z" / "+02:00" (optionally JSON-quoted)
// into Unix nanoseconds.
std::optional<int64_t> ParseIso8601Nanos(std::string_view text);

}  // namespace loupe::genai
