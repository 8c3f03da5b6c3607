// Which instrumentation convention a span speaks, and what kind of GenAI
// span it is: a real model call (its usage counts), a known aggregate (its
// usage repeats its children's and never counts), or neither.
//
// Everything here is decided from the span alone: its attributes, name,
// instrumentation scope and resource. The trace-level part of the
// double-count rule lives in usage_ledger.h.
#pragma once

#include <string>
#include <string_view>

#include "model/span.h"

namespace loupe::genai {

enum class Dialect {
  kUnknown,
  kOtelGenai,            // current OTel GenAI conventions (gen_ai.provider.name, messages attributes)
  kOtelGenaiDeprecated,  // gen_ai.system, prompt_tokens, gen_ai.prompt.N, message events
  kOpenInference,        // Arize OpenInference (openinference.span.kind, llm.*)
  kOpenLlmetry,          // Traceloop OpenLLMetry (llm.request.type, traceloop.*)
  kOpenLit,              // OpenLIT SDK
  kVercelAi,             // Vercel AI SDK (ai.*)
  kLogfire,              // Logfire / Pydantic AI
  kLangfuse,             // Langfuse SDK (langfuse.observation.*)
  kBlueprint,            // the blueprint's trace_llm_call (ai.team, ai.feature, ai.cost_usd)
};
// "otel_genai", "openinference", ... ("" for kUnknown).
std::string_view DialectName(Dialect dialect);

enum class SpanRole {
  kNotLlm,     // tools, retrieval, plain application spans: no LlmCall
  kCall,       // one real model call: usage counts
  kAggregate,  // agent / workflow / SDK root: usage (if any) never counts
  kOther,      // carries GenAI keys but says neither: an LlmCall when it has a
               // model; counts unless a descendant already counted
};

struct SpanFacts {
  Dialect dialect = Dialect::kUnknown;
  SpanRole role = SpanRole::kNotLlm;
  // Normalised operation: chat, text_completion, generate_content,
  // embeddings, invoke_agent, ... or the SDK's own name for aggregates
  // (ai.generateText).
  std::string operation;
  // Vercel AI SDK major version (4, 5, 6, ...) from the scope version or
  // the usage key set; 0 when not Vercel or unknown.
  int vercel_major = 0;
};

SpanFacts ClassifySpan(const model::Span& span);

}  // namespace loupe::genai
