#include "genai/dialect.h"

#include <cctype>
#include <optional>

#include "genai/lookup.h"

namespace loupe::genai {
namespace {

bool HasKey(const model::Span& span, std::string_view key) { return FindOnSpan(span, key) != nullptr; }

// True when some span attribute starts with `prefix` (e.g. "gen_ai.prompt.")
// followed by a digit: the indexed-message key sets.
bool HasIndexedKey(const model::Span& span, std::string_view prefix) {
  for (const auto& kv : span.attributes.items()) {
    if (kv.key.size() > prefix.size() && kv.key.starts_with(prefix) &&
        std::isdigit(static_cast<unsigned char>(kv.key[prefix.size()]))) {
      return true;
    }
  }
  return false;
}

bool HasKeyWithPrefix(const model::Span& span, std::string_view prefix) {
  for (const auto& kv : span.attributes.items()) {
    if (kv.key.starts_with(prefix)) return true;
  }
  return false;
}

std::string LogEventName(const model::LogRecord& log) {
  if (!log.event_name.empty()) return log.event_name;
  return TextOf(log.attributes.Find("event.name"));
}

// Any span event or joined log record whose name starts with `prefix`.
bool HasEvent(const model::Span& span, std::string_view prefix) {
  for (const auto& e : span.events) {
    if (e.name.starts_with(prefix)) return true;
  }
  for (const auto& log : span.logs) {
    if (LogEventName(log).starts_with(prefix)) return true;
  }
  return false;
}

bool IsMessageEvent(const model::Span& span) {
  for (std::string_view name : {"gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message",
                                "gen_ai.tool.message", "gen_ai.choice", "gen_ai.content."}) {
    if (HasEvent(span, name)) return true;
  }
  return false;
}

Dialect DetectDialect(const model::Span& span) {
  const std::string scope = span.scope ? Lower(span.scope->name) : "";
  // Most specific first: the SDK-owned key families cannot be confused with
  // one another, while gen_ai.* keys appear in several dialects' spans.
  if (HasKey(span, "langfuse.observation.type") || scope.starts_with("langfuse")) return Dialect::kLangfuse;
  if (HasKey(span, "openinference.span.kind")) return Dialect::kOpenInference;
  if (HasKey(span, "ai.operationId") || HasKey(span, "ai.model.id") || HasKey(span, "ai.model.provider") ||
      (scope == "ai" && span.name.starts_with("ai."))) {
    return Dialect::kVercelAi;
  }
  if (scope.starts_with("logfire") || scope.starts_with("pydantic-ai") || scope.starts_with("pydantic_ai") ||
      HasKey(span, "logfire.msg") || HasKey(span, "logfire.span_type") || HasKey(span, "logfire.metrics")) {
    return Dialect::kLogfire;
  }
  std::string sdk = span.resource ? Lower(TextOf(span.resource->attributes.Find("telemetry.sdk.name"))) : "";
  if (scope.starts_with("openlit") || sdk == "openlit") return Dialect::kOpenLit;
  if (scope.find("traceloop") != std::string::npos || HasKey(span, "llm.request.type") ||
      HasKey(span, "traceloop.span.kind") || HasKey(span, "traceloop.entity.name") ||
      HasKey(span, "llm.usage.total_tokens") || HasKey(span, "traceloop.workflow.name")) {
    return Dialect::kOpenLlmetry;
  }
  const bool current_keys = HasKey(span, "gen_ai.provider.name") || HasKey(span, "gen_ai.operation.name");
  if (!current_keys && (HasKey(span, "ai.team") || HasKey(span, "ai.feature") || HasKey(span, "ai.cost_usd") ||
                        HasKey(span, "ai.prompt_version") || HasKey(span, "ai.latency_ms"))) {
    return Dialect::kBlueprint;
  }
  const bool has_system = HasKey(span, "gen_ai.system");
  if (HasKey(span, "gen_ai.provider.name") || HasKey(span, "gen_ai.input.messages") ||
      HasKey(span, "gen_ai.output.messages") || HasEvent(span, "gen_ai.client.inference.operation.details") ||
      (!has_system && (HasKey(span, "gen_ai.operation.name") || HasKey(span, "gen_ai.usage.input_tokens") ||
                       HasKey(span, "gen_ai.request.model") || HasKey(span, "gen_ai.response.model")))) {
    return Dialect::kOtelGenai;
  }
  if (has_system || HasKey(span, "gen_ai.operation.name") || HasKey(span, "gen_ai.usage.prompt_tokens") ||
      HasKey(span, "gen_ai.usage.input_tokens") || HasKey(span, "gen_ai.request.model") ||
      HasIndexedKey(span, "gen_ai.prompt.") || HasIndexedKey(span, "gen_ai.completion.") || IsMessageEvent(span)) {
    return Dialect::kOtelGenaiDeprecated;
  }
  return Dialect::kUnknown;
}

int VercelMajor(const model::Span& span) {
  if (span.scope && span.scope->name == "ai") {
    if (int major = MajorVersion(span.scope->version); major >= 3) return major;
  }
  // The SDK sets no tracer version, so the usage key set tells the version.
  if (HasKeyWithPrefix(span, "ai.usage.inputTokenDetails.") || HasKeyWithPrefix(span, "ai.usage.outputTokenDetails.")) {
    return 6;
  }
  if (HasKey(span, "ai.usage.inputTokens") || HasKey(span, "ai.usage.outputTokens")) return 5;
  if (HasKey(span, "ai.usage.promptTokens") || HasKey(span, "ai.usage.completionTokens")) return 4;
  return 0;
}

struct Decision {
  SpanRole role;
  std::string operation;
};

// Vercel ai.* operation ids: *.doGenerate / *.doStream / *.doEmbed are the
// provider calls; the bare names are roots summing their steps.
std::optional<Decision> FromVercelOperation(std::string_view id) {
  if (!id.starts_with("ai.")) return std::nullopt;
  if (id.ends_with(".doEmbed")) return Decision{SpanRole::kCall, "embeddings"};
  if (id.ends_with(".doGenerate") || id.ends_with(".doStream")) return Decision{SpanRole::kCall, "chat"};
  if (id == "ai.toolCall") return Decision{SpanRole::kNotLlm, "execute_tool"};
  for (std::string_view root : {"ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject",
                                "ai.embed", "ai.embedMany", "ai.agent", "ai.generateImage", "ai.generateSpeech"}) {
    if (id == root) return Decision{SpanRole::kAggregate, std::string(id)};
  }
  return Decision{SpanRole::kOther, std::string(id)};
}

std::optional<Decision> FromGenAiOperation(std::string_view op) {
  if (op.empty()) return std::nullopt;
  if (op == "chat" || op == "text_completion" || op == "generate_content" || op == "embeddings") {
    return Decision{SpanRole::kCall, std::string(op)};
  }
  if (op == "completion") return Decision{SpanRole::kCall, "text_completion"};
  if (op == "embedding") return Decision{SpanRole::kCall, "embeddings"};
  if (op == "invoke_agent" || op == "create_agent" || op == "invoke_workflow") {
    return Decision{SpanRole::kAggregate, std::string(op)};
  }
  if (op == "execute_tool" || op == "retrieval") return Decision{SpanRole::kNotLlm, std::string(op)};
  // Newer operations (memory, plan, ...): an LlmCall only if the span has a model.
  return Decision{SpanRole::kOther, std::string(op)};
}

std::optional<Decision> FromOpenInferenceKind(std::string_view kind) {
  if (kind.empty()) return std::nullopt;
  std::string k = Lower(kind);
  if (k == "llm") return Decision{SpanRole::kCall, "chat"};
  if (k == "embedding") return Decision{SpanRole::kCall, "embeddings"};
  if (k == "agent") return Decision{SpanRole::kAggregate, "invoke_agent"};
  if (k == "chain") return Decision{SpanRole::kAggregate, "chain"};
  return Decision{SpanRole::kNotLlm, k};  // tool, retriever, reranker, guardrail, evaluator, prompt
}

std::optional<Decision> FromLangfuseType(std::string_view type) {
  if (type.empty()) return std::nullopt;
  std::string t = Lower(type);
  if (t == "generation") return Decision{SpanRole::kCall, "chat"};
  if (t == "embedding") return Decision{SpanRole::kCall, "embeddings"};
  if (t == "agent") return Decision{SpanRole::kAggregate, "invoke_agent"};
  if (t == "chain" || t == "span") return Decision{SpanRole::kAggregate, t};
  return Decision{SpanRole::kNotLlm, t};  // tool, retriever, evaluator, guardrail, event
}

std::optional<Decision> FromTraceloop(std::string_view request_type, std::string_view span_kind) {
  std::string rt = Lower(request_type);
  if (rt == "chat") return Decision{SpanRole::kCall, "chat"};
  if (rt == "completion") return Decision{SpanRole::kCall, "text_completion"};
  if (rt == "embedding") return Decision{SpanRole::kCall, "embeddings"};
  if (rt == "rerank") return Decision{SpanRole::kNotLlm, "rerank"};
  std::string sk = Lower(span_kind);
  if (sk == "workflow") return Decision{SpanRole::kAggregate, "invoke_workflow"};
  if (sk == "agent") return Decision{SpanRole::kAggregate, "invoke_agent"};
  if (sk == "task") return Decision{SpanRole::kAggregate, "task"};
  if (sk == "tool") return Decision{SpanRole::kNotLlm, "execute_tool"};
  if (!rt.empty()) return Decision{SpanRole::kOther, rt};
  return std::nullopt;
}

// Pydantic AI's agent spans ("agent run", "invoke_agent x", or anything
// carrying agent_name) sum the usage of the model requests under them.
bool IsPydanticAgentRun(const model::Span& span) {
  return span.name == "agent run" || span.name.ends_with(" run") || HasKey(span, "agent_name") ||
         HasKey(span, "gen_ai.agent.name");
}

Decision Decide(const model::Span& span, Dialect dialect) {
  std::string vercel_id = TextOf(FindOnSpan(span, "ai.operationId"));
  if (vercel_id.empty() && dialect == Dialect::kVercelAi && span.name.starts_with("ai.")) vercel_id = span.name;
  if (auto d = FromVercelOperation(vercel_id)) return *d;

  if (auto d = FromGenAiOperation(Lower(TextOf(FindOnSpan(span, "gen_ai.operation.name"))))) {
    // Pydantic AI (v2+) may name its agent span invoke_agent without the
    // operation attribute; a span that says chat is still a call.
    return *d;
  }
  if (span.name.starts_with("invoke_agent") || span.name.starts_with("invoke_workflow")) {
    return Decision{SpanRole::kAggregate, span.name.starts_with("invoke_agent") ? "invoke_agent" : "invoke_workflow"};
  }
  if (auto d = FromOpenInferenceKind(TextOf(FindOnSpan(span, "openinference.span.kind")))) return *d;
  if (auto d = FromLangfuseType(TextOf(FindOnSpan(span, "langfuse.observation.type")))) return *d;
  if (auto d = FromTraceloop(TextOf(FindOnSpan(span, "llm.request.type")),
                             TextOf(FindOnSpan(span, "traceloop.span.kind")))) {
    return *d;
  }
  if (dialect == Dialect::kLogfire) {
    if (IsPydanticAgentRun(span)) return Decision{SpanRole::kAggregate, "invoke_agent"};
    if (span.name == "running tool" || span.name.starts_with("running tools")) {
      return Decision{SpanRole::kNotLlm, "execute_tool"};
    }
    // Logfire sums the metrics recorded under a span into logfire.metrics;
    // a span known only by that is an aggregate.
    if (HasKey(span, "logfire.metrics")) return Decision{SpanRole::kAggregate, "aggregate"};
  }
  if (dialect == Dialect::kUnknown) return Decision{SpanRole::kNotLlm, ""};
  return Decision{SpanRole::kOther, "chat"};
}

}  // namespace

std::string_view DialectName(Dialect dialect) {
  switch (dialect) {
    case Dialect::kUnknown: return "";
    case Dialect::kOtelGenai: return "otel_genai";
    case Dialect::kOtelGenaiDeprecated: return "otel_genai_deprecated";
    case Dialect::kOpenInference: return "openinference";
    case Dialect::kOpenLlmetry: return "openllmetry";
    case Dialect::kOpenLit: return "openlit";
    case Dialect::kVercelAi: return "vercel_ai";
    case Dialect::kLogfire: return "logfire";
    case Dialect::kLangfuse: return "langfuse";
    case Dialect::kBlueprint: return "blueprint";
  }
  return "";
}

SpanFacts ClassifySpan(const model::Span& span) {
  SpanFacts facts;
  facts.dialect = DetectDialect(span);
  Decision d = Decide(span, facts.dialect);
  facts.role = d.role;
  facts.operation = std::move(d.operation);
  if (facts.dialect == Dialect::kVercelAi) facts.vercel_major = VercelMajor(span);
  return facts;
}

}  // namespace loupe::genai
