#include "genai/call_fields.h"

#include <charconv>
#include <cmath>

#include "genai/json_value.h"
#include "genai/lookup.h"
#include "genai/provider.h"

namespace loupe::genai {
namespace {

std::optional<int64_t> SecondsToNanos(std::optional<double> s) {
  if (!s || *s < 0 || *s > 1e6) return std::nullopt;
  return static_cast<int64_t>(std::llround(*s * 1e9));
}

std::optional<int64_t> MillisToNanos(std::optional<double> ms) {
  if (!ms || *ms < 0 || *ms > 1e9) return std::nullopt;
  return static_cast<int64_t>(std::llround(*ms * 1e6));
}

bool ReadInt(std::string_view* s, size_t digits, int* out) {
  if (s->size() < digits) return false;
  auto [end, ec] = std::from_chars(s->data(), s->data() + digits, *out);
  if (ec != std::errc() || end != s->data() + digits) return false;
  s->remove_prefix(digits);
  return true;
}

bool Expect(std::string_view* s, char c) {
  if (s->empty() || s->front() != c) return false;
  s->remove_prefix(1);
  return true;
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::string ReadRequestModel(const model::Span& span) {
  if (std::string m = TextOf(FindOnSpan(span, "gen_ai.request.model")); !m.empty()) return m;
  // OpenInference has no request-model key: llm.model_name is the response's
  // model, but the request parameters it records name the one asked for.
  for (std::string_view key : {"llm.invocation_parameters", "embedding.invocation_parameters"}) {
    if (const auto* v = FindOnSpan(span, key)) {
      model::AnyValue params = Structured(*v);
      if (std::string m = TextOf(FirstMember(params, {"model", "model_name"})); !m.empty()) return m;
    }
  }
  return FirstText(span, {"gen_ai.request.model", "gen_ai.response.model", "llm.request.model_name",
                          "llm.model_name", "llm.response.model_name", "ai.model.id", "ai.response.model",
                          "langfuse.observation.model.name", "embedding.model_name", "model_name"});
}

std::string ReadResponseModel(const model::Span& span) {
  if (std::string m = FirstText(span, {"gen_ai.response.model", "llm.response.model_name", "ai.response.model"});
      !m.empty()) {
    return m;
  }
  // OpenInference's llm.model_name / embedding.model_name is read from the
  // response (openinference-instrumentation-openai 0.1.66, JS 4.2.7), except
  // on JS streams, where it is the requested model: the best the span says.
  if (FindOnSpan(span, "openinference.span.kind") != nullptr) {
    return FirstText(span, {"llm.model_name", "embedding.model_name"});
  }
  return "";
}

std::string ReadProvider(const model::Span& span, std::string_view model) {
  std::string p = NormalizeProvider(
      FirstText(span, {"gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system", "ai.model.provider"}));
  if (p.empty()) p = ProviderFromServerAddress(FirstText(span, {"server.address"}));
  if (p.empty()) p = ProviderFromModel(model);
  return p;
}

std::optional<int64_t> ReadTimeToFirstToken(const model::Span& span) {
  for (std::string_view key : {"gen_ai.response.time_to_first_chunk", "gen_ai.response.time_to_first_token",
                               "gen_ai.server.time_to_first_token"}) {
    if (auto ns = SecondsToNanos(DoubleOf(FindOnSpan(span, key)))) return ns;
  }
  for (std::string_view key : {"ai.response.msToFirstChunk", "ai.stream.msToFirstChunk"}) {
    if (auto ns = MillisToNanos(DoubleOf(FindOnSpan(span, key)))) return ns;
  }
  for (const auto& e : span.events) {
    if (e.name != "ai.stream.firstChunk") continue;
    for (std::string_view key : {"ai.response.msToFirstChunk", "ai.stream.msToFirstChunk"}) {
      if (auto ns = MillisToNanos(DoubleOf(e.attributes.Find(key)))) return ns;
    }
    if (e.time_unix_nano >= span.start_time_unix_nano && span.start_time_unix_nano != 0) {
      return static_cast<int64_t>(e.time_unix_nano - span.start_time_unix_nano);
    }
  }
  if (const auto* v = FindOnSpan(span, "langfuse.observation.completion_start_time")) {
    auto t = ParseIso8601Nanos(TextOf(v));
    auto start = static_cast<int64_t>(span.start_time_unix_nano);
    if (t && span.start_time_unix_nano != 0 && *t >= start) return *t - start;
  }
  return std::nullopt;
}

std::optional<int64_t> UsdToNanos(double usd) {
  // Above a billion dollars per call is garbage, and would near int64's range.
  if (!std::isfinite(usd) || usd < 0 || usd > 1e9) return std::nullopt;
  return static_cast<int64_t>(std::llround(usd * 1e9));
}

std::optional<int64_t> ReadReportedCostNanos(const model::Span& span) {
  std::string_view key;
  const model::AnyValue* v = FindFirst(span, {"ai.cost_usd", "llm.cost.total", "gen_ai.usage.cost", "operation.cost"},
                                       &key);
  if (auto usd = DoubleOf(v)) {
    // The blueprint writes 0 when its price table lacks the model: that is
    // "unknown", not free.
    if (key == "ai.cost_usd" && *usd == 0) return std::nullopt;
    return UsdToNanos(*usd);
  }
  if (const auto* cd = FindOnSpan(span, "langfuse.observation.cost_details")) {
    model::AnyValue details = Structured(*cd);
    if (auto total = DoubleOf(Member(details, "total"))) return UsdToNanos(*total);
    if (const auto* kv = details.AsKvList()) {
      double sum = 0;
      bool any = false;
      for (const auto& item : kv->values) {
        if (auto d = DoubleOf(&item.value)) {
          sum += *d;
          any = true;
        }
      }
      if (any) return UsdToNanos(sum);
    }
  }
  return std::nullopt;
}

std::string ReadServiceTier(const model::Span& span) {
  // The tier that served the call (response) over the one asked for.
  std::string tier = Lower(FirstText(span, {"openai.response.service_tier", "gen_ai.openai.response.service_tier",
                                            "gen_ai.response.service_tier", "anthropic.response.service_tier",
                                            "openai.request.service_tier",
                                            "gen_ai.openai.request.service_tier", "gen_ai.request.service_tier"}));
  if (tier == "auto" || tier == "default" || tier == "standard" || tier == "on_demand") return "";
  return tier;
}

std::string CanonicalErrorType(std::string_view type) {
  // opentelemetry-instrumentation-openai-v2 2.4b0 (through util-genai 1.1b0)
  // writes str() of the exception class, "<class 'openai.BadRequestError'>";
  // the conventions want the class's canonical name.
  constexpr std::string_view kPrefix = "<class '", kSuffix = "'>";
  if (type.size() > kPrefix.size() + kSuffix.size() && type.starts_with(kPrefix) && type.ends_with(kSuffix)) {
    type = type.substr(kPrefix.size(), type.size() - kPrefix.size() - kSuffix.size());
  }
  return std::string(type);
}

std::string ReadErrorType(const model::Span& span) {
  if (std::string t = CanonicalErrorType(TextOf(FindOnSpan(span, "error.type"))); !t.empty()) return t;
  if (span.status.code != model::StatusCode::kError) return "";
  for (const auto& e : span.events) {
    if (e.name != "exception") continue;
    if (std::string t = CanonicalErrorType(TextOf(e.attributes.Find("exception.type"))); !t.empty()) return t;
  }
  return "_OTHER";
}

std::vector<std::string> ReadFinishReasons(const model::Span& span, const Content& content) {
  std::vector<std::string> out;
  if (const auto* v = FindOnSpan(span, "gen_ai.response.finish_reasons")) {
    model::AnyValue s = Structured(*v);
    if (const auto* arr = s.AsArray()) {
      for (const auto& r : arr->values) {
        if (!r.ToText().empty()) out.push_back(r.ToText());
      }
    } else if (!s.ToText().empty()) {
      out.push_back(s.ToText());
    }
    if (!out.empty()) return out;
  }
  // llm.finish_reason: OpenInference (JS 4.2.7, Python 0.1.66).
  for (std::string_view key : {"ai.response.finishReason", "llm.finish_reason"}) {
    if (std::string r = TextOf(FindOnSpan(span, key)); !r.empty()) return {r};
  }
  if (!content.finish_reasons.empty()) return content.finish_reasons;
  for (const auto& m : content.output) {
    if (!m.finish_reason.empty()) out.push_back(m.finish_reason);
  }
  return out;
}

std::optional<int64_t> ParseIso8601Nanos(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadInt(&s, 4, &year) || !Expect(&s, '-') || !ReadInt(&s, 2, &month) || !Expect(&s, '-') ||
      !ReadInt(&s, 2, &day)) {
    return std::nullopt;
  }
  if (s.empty() || (s.front() != 'T' && s.front() != ' ')) return std::nullopt;
  s.remove_prefix(1);
  if (!ReadInt(&s, 2, &hour) || !Expect(&s, ':') || !ReadInt(&s, 2, &minute) || !Expect(&s, ':') ||
      !ReadInt(&s, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t frac = 0;
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    int64_t scale = 100000000;
    size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
      if (scale > 0) {
        frac += (s[n] - '0') * scale;
        scale /= 10;
      }
      ++n;
    }
    if (n == 0) return std::nullopt;
    s.remove_prefix(n);
  }
  int64_t offset = 0;
  if (!s.empty() && (s.front() == 'Z' || s.front() == 'z')) {
    s.remove_prefix(1);
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh = 0, om = 0;
    if (!ReadInt(&s, 2, &oh)) return std::nullopt;
    Expect(&s, ':');
    if (!ReadInt(&s, 2, &om)) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  }
  if (!s.empty()) return std::nullopt;
  int64_t days = DaysFromCivil(year, month, day);
  int64_t secs = days * 86400 + int64_t{hour} * 3600 + minute * 60 + second - offset;
  return secs * 1000000000 + frac;
}

}  // namespace loupe::genai
