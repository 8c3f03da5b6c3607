#include "store/sqlite/content_strip.h"

#include <algorithm>
#include <cctype>

namespace loupe::store::sqlite {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// `prefix` followed by a digit: gen_ai.prompt.0.content but not gen_ai.prompt.name.
bool IndexedUnder(std::string_view key, std::string_view prefix) {
  return StartsWith(key, prefix) && key.size() > prefix.size() &&
         std::isdigit(static_cast<unsigned char>(key[prefix.size()]));
}

bool StripAttributes(model::Attributes* attrs, bool everything) {
  auto& items = attrs->mutable_items();
  const size_t before = items.size();
  items.erase(std::remove_if(items.begin(), items.end(),
                             [everything](const model::KeyValue& kv) {
                               return everything || IsContentAttribute(kv.key);
                             }),
              items.end());
  return items.size() != before;
}

}  // namespace

bool IsContentAttribute(std::string_view key) {
  static constexpr std::string_view kExact[] = {
      "gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.prompt",
      "gen_ai.completion", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.retrieval.documents",
      "input.value", "output.value", "ai.prompt", "ai.prompt.messages", "ai.response.text", "ai.response.toolCalls",
      "ai.response.object", "ai.toolCall.args", "ai.toolCall.result", "langfuse.observation.input",
      "langfuse.observation.output", "traceloop.entity.input", "traceloop.entity.output",
      "gen_ai.event.content",
  };
  for (std::string_view e : kExact) {
    if (key == e) return true;
  }
  static constexpr std::string_view kPrefixes[] = {"llm.input_messages.", "llm.output_messages.",
                                                   "retrieval.documents.", "gen_ai.retrieval.documents."};
  for (std::string_view p : kPrefixes) {
    if (StartsWith(key, p)) return true;
  }
  return IndexedUnder(key, "gen_ai.prompt.") || IndexedUnder(key, "gen_ai.completion.");
}

bool IsContentEvent(std::string_view name) {
  static constexpr std::string_view kEvents[] = {
      "gen_ai.system.message", "gen_ai.user.message",  "gen_ai.assistant.message",
      "gen_ai.tool.message",   "gen_ai.choice",        "gen_ai.content.prompt",
      "gen_ai.content.completion", "gen_ai.client.inference.operation.details",
  };
  return std::find(std::begin(kEvents), std::end(kEvents), name) != std::end(kEvents);
}

bool StripContent(model::LogRecord* log) {
  bool changed = false;
  if (IsContentEvent(log->event_name) && !(log->body == model::AnyValue())) {
    log->body = model::AnyValue();
    changed = true;
  }
  return StripAttributes(&log->attributes, IsContentEvent(log->event_name)) || changed;
}

bool StripContent(model::Span* span) {
  bool changed = StripAttributes(&span->attributes, false);
  for (model::Event& e : span->events) changed = StripAttributes(&e.attributes, IsContentEvent(e.name)) || changed;
  for (model::LogRecord& log : span->logs) changed = StripContent(&log) || changed;
  return changed;
}

}  // namespace loupe::store::sqlite
