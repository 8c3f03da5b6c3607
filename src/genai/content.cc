#include "genai/content.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <utility>

#include "genai/json_value.h"
#include "genai/lookup.h"

namespace loupe::genai {
namespace {

using model::AnyValue;
using model::Message;
using model::MessagePart;

// Tool arguments and responses: strings as they are, structures as JSON.
std::string JsonText(const AnyValue* v) {
  if (v == nullptr || v->empty()) return "";
  if (const auto* s = v->AsString()) return *s;
  return v->ToJson();
}

// A one-element vector, moved in: `return {x};` would copy x out of the
// initializer list (and content parts are the bulk of a span).
template <typename T>
std::vector<T> One(T x) {
  std::vector<T> v;
  v.push_back(std::move(x));
  return v;
}

MessagePart TextPart(std::string text) {
  MessagePart p;
  p.type = "text";
  p.content = std::move(text);
  return p;
}

Message TextMessage(std::string_view role, std::string text) {
  Message m;
  m.role = std::string(role);
  m.parts.push_back(TextPart(std::move(text)));
  return m;
}

std::string NormalizeRole(std::string_view raw) {
  std::string r = Lower(raw);
  if (r == "human") return "user";
  if (r == "ai" || r == "model" || r == "bot") return "assistant";
  if (r == "developer") return "system";
  if (r == "function" || r == "ipython") return "tool";
  return r;
}

// The readable text of a content value: strings as they are, parts arrays
// by their text, anything else as JSON.
std::string ContentText(const AnyValue* v) {
  if (v == nullptr || v->empty()) return "";
  if (const auto* s = v->AsString()) return *s;
  if (v->AsArray() != nullptr) {
    std::string out;
    for (const auto& p : PartsFromValue(*v)) {
      const std::string& piece = p.content.empty() ? p.response : p.content;
      if (piece.empty()) continue;
      if (!out.empty()) out += "\n";
      out += piece;
    }
    return out;
  }
  return v->ToJson();
}

// OpenAI {id, type: function, function: {name, arguments}}, Vercel
// {toolCallId, toolName, args|input}, semconv {id, name, arguments},
// Anthropic {id, name, input}, Gemini functionCall {name, args}.
MessagePart ToolCallFrom(const AnyValue& tc) {
  MessagePart p;
  p.type = "tool_call";
  p.id = TextOf(FirstMember(tc, {"id", "toolCallId", "tool_call_id", "call_id"}));
  const AnyValue* fn = Member(tc, "function");
  const AnyValue& src = fn != nullptr && fn->AsKvList() != nullptr ? *fn : tc;
  p.name = TextOf(FirstMember(src, {"name", "toolName"}));
  p.arguments = JsonText(FirstMember(src, {"arguments", "args", "input"}));
  return p;
}

MessagePart ToolResponseFrom(const AnyValue& obj) {
  MessagePart p;
  p.type = "tool_call_response";
  p.id = TextOf(FirstMember(obj, {"id", "tool_use_id", "toolCallId", "tool_call_id", "call_id"}));
  p.name = TextOf(FirstMember(obj, {"name", "toolName"}));
  const AnyValue* r = FirstMember(obj, {"response", "result", "output", "content"});
  p.response = r != nullptr && r->AsArray() != nullptr ? ContentText(r) : JsonText(r);
  return p;
}

MessagePart MediaPart(const AnyValue& obj, const std::string& type) {
  MessagePart p;
  const AnyValue* source = Member(obj, "source");  // Anthropic image / document blocks
  const AnyValue& src = source != nullptr ? *source : obj;
  p.mime_type = TextOf(FirstMember(src, {"mime_type", "mimeType", "mediaType", "media_type"}));
  const AnyValue* uri = FirstMember(src, {"uri", "url", "file_id", "fileUri", "image"});
  if (uri != nullptr && uri->AsString() != nullptr) p.content = *uri->AsString();
  if (type == "uri" || type == "file" || type == "blob") {
    p.type = type;
  } else {
    p.type = p.content.empty() ? "blob" : "uri";
  }
  return p;
}

MessagePart PartFromObject(const AnyValue& obj) {
  const std::string type = Lower(TextOf(Member(obj, "type")));
  if (type == "tool_call" || type == "tool_use" || type == "tool-call" || type == "function_call" ||
      type == "server_tool_use") {
    return ToolCallFrom(obj);
  }
  if (type == "tool_call_response" || type == "tool_result" || type == "tool-result" ||
      type == "function_call_output" || type == "function_response") {
    return ToolResponseFrom(obj);
  }
  if (type == "reasoning" || type == "thinking" || type == "redacted_thinking") {
    MessagePart p;
    p.type = "reasoning";
    p.content = ContentText(FirstMember(obj, {"content", "text", "thinking", "reasoning"}));
    return p;
  }
  if (type == "image_url") {
    MessagePart p;
    p.type = "uri";
    const AnyValue* iu = Member(obj, "image_url");
    p.content = iu != nullptr && iu->AsKvList() != nullptr ? TextOf(Member(*iu, "url")) : TextOf(iu);
    return p;
  }
  if (type == "uri" || type == "file" || type == "blob" || type == "image" || type == "input_image" ||
      type == "document" || type == "audio" || type == "input_audio" || type == "input_file") {
    return MediaPart(obj, type);
  }
  // Gemini parts carry no type: {functionCall}, {functionResponse}, {inlineData}, {text, thought}.
  if (type.empty()) {
    if (const auto* fc = Member(obj, "functionCall")) return ToolCallFrom(*fc);
    if (const auto* fr = Member(obj, "functionResponse")) return ToolResponseFrom(*fr);
    if (const auto* d = FirstMember(obj, {"inlineData", "fileData"})) return MediaPart(*d, "");
    if (const auto* thought = Member(obj, "thought"); thought != nullptr && thought->AsBool() && *thought->AsBool()) {
      MessagePart p;
      p.type = "reasoning";
      p.content = TextOf(Member(obj, "text"));
      return p;
    }
  }
  if (const AnyValue* t = FirstMember(obj, {"content", "text", "refusal"})) return TextPart(ContentText(t));
  // An unknown part type: keep its name and its JSON so nothing is lost.
  MessagePart p;
  p.type = type.empty() ? "text" : type;
  p.content = obj.ToJson();
  return p;
}

bool IsMessageObject(const AnyValue& v) {
  return v.AsKvList() != nullptr && (Member(v, "role") != nullptr || Member(v, "parts") != nullptr ||
                                     Member(v, "message") != nullptr);
}

Message MessageFromObject(const AnyValue& obj, std::string_view default_role) {
  Message m;
  std::string role = NormalizeRole(TextOf(Member(obj, "role")));
  m.role = role.empty() ? std::string(default_role) : role;
  m.name = TextOf(Member(obj, "name"));
  m.finish_reason = TextOf(FirstMember(obj, {"finish_reason", "finishReason", "stop_reason"}));
  if (const auto* parts = Member(obj, "parts")) {
    m.parts = PartsFromValue(*parts);
  } else if (const auto* content = FirstMember(obj, {"content", "text"})) {
    m.parts = PartsFromValue(*content);
  }
  if (const auto* tcs = FirstMember(obj, {"tool_calls", "toolCalls"})) {
    AnyValue calls = Structured(*tcs);
    if (const auto* arr = calls.AsArray()) {
      for (const auto& tc : arr->values) {
        if (tc.AsKvList() != nullptr) m.parts.push_back(ToolCallFrom(tc));
      }
    }
  } else if (const auto* fc = Member(obj, "function_call")) {
    m.parts.push_back(ToolCallFrom(*fc));
  }
  if (m.role == "tool") {
    // OpenAI-style tool messages: text content answering tool_call_id.
    std::string id = TextOf(FirstMember(obj, {"tool_call_id", "toolCallId", "id"}));
    for (auto& p : m.parts) {
      if (p.type != "text") continue;
      p.type = "tool_call_response";
      p.response = std::move(p.content);
      p.content.clear();
      p.id = id;
    }
  }
  return m;
}

// One chat-completion choice {message, finish_reason} or Gemini candidate
// {content, finishReason}.
Message MessageFromChoice(const AnyValue& choice) {
  const AnyValue* inner = FirstMember(choice, {"message", "delta"});
  if (inner == nullptr) {
    if (const auto* c = Member(choice, "content"); c != nullptr && c->AsKvList() != nullptr) inner = c;
  }
  Message m = MessageFromObject(inner != nullptr ? *inner : choice, "assistant");
  if (m.finish_reason.empty()) {
    m.finish_reason = TextOf(FirstMember(choice, {"finish_reason", "finishReason", "stop_reason"}));
  }
  return m;
}

void Append(std::vector<Message>* out, std::vector<Message> more) {
  for (auto& m : more) out->push_back(std::move(m));
}

// ---- Indexed attributes: gen_ai.prompt.N.*, llm.input_messages.N.message.*

using Flat = std::vector<std::pair<std::string_view, const AnyValue*>>;

Flat FlatOf(const model::Attributes& attrs) {
  Flat f;
  for (const auto& kv : attrs.items()) f.emplace_back(kv.key, &kv.value);
  return f;
}

// Items "prefix.N.rest" grouped by N (ascending), with keys cut to "rest".
std::map<int, Flat> Group(const Flat& items, std::string_view prefix) {
  std::map<int, Flat> groups;
  for (const auto& [key, value] : items) {
    if (key.size() <= prefix.size() + 1 || !key.starts_with(prefix) || key[prefix.size()] != '.') continue;
    std::string_view rest = key.substr(prefix.size() + 1);
    int index = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + std::min<size_t>(rest.size(), 6), index);
    if (ec != std::errc() || end == rest.data() || index < 0) continue;
    rest.remove_prefix(static_cast<size_t>(end - rest.data()));
    if (rest.empty() || rest[0] != '.') continue;
    groups[index].emplace_back(rest.substr(1), value);
  }
  return groups;
}

// Items under "prefix." with the prefix cut off.
Flat Sub(const Flat& items, std::string_view prefix) {
  Flat out;
  for (const auto& [key, value] : items) {
    if (key.size() > prefix.size() + 1 && key.starts_with(prefix) && key[prefix.size()] == '.') {
      out.emplace_back(key.substr(prefix.size() + 1), value);
    }
  }
  return out;
}

const AnyValue* Get(const Flat& items, std::string_view key) {
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (it->first == key && !it->second->empty()) return it->second;
  }
  return nullptr;
}

void ToolMessageResponses(Message* m, const std::string& id) {
  if (m->role != "tool") return;
  for (auto& p : m->parts) {
    if (p.type != "text") continue;
    p.type = "tool_call_response";
    p.response = std::move(p.content);
    p.content.clear();
    p.id = id;
  }
}

// OpenLLMetry / deprecated semconv: gen_ai.prompt.N.{role,content,tool_call_id,
// tool_calls.M.{id,name,arguments}}, gen_ai.completion.N.{...,finish_reason}.
std::vector<Message> IndexedMessages(const Flat& flat, std::string_view prefix, std::string_view default_role) {
  std::vector<Message> out;
  for (const auto& [index, g] : Group(flat, prefix)) {
    Message m;
    m.role = NormalizeRole(TextOf(Get(g, "role")));
    if (m.role.empty()) m.role = std::string(default_role);
    if (const auto* c = Get(g, "content")) m.parts = PartsFromValue(*c);
    m.finish_reason = TextOf(Get(g, "finish_reason"));
    m.name = TextOf(Get(g, "name"));
    for (const auto& [i, tc] : Group(g, "tool_calls")) {
      MessagePart p;
      p.type = "tool_call";
      p.id = TextOf(Get(tc, "id"));
      p.name = TextOf(Get(tc, "name"));
      p.arguments = JsonText(Get(tc, "arguments"));
      m.parts.push_back(std::move(p));
    }
    if (const auto* fname = Get(g, "function_call.name")) {
      MessagePart p;
      p.type = "tool_call";
      p.name = TextOf(fname);
      p.arguments = JsonText(Get(g, "function_call.arguments"));
      m.parts.push_back(std::move(p));
    }
    ToolMessageResponses(&m, TextOf(Get(g, "tool_call_id")));
    if (!m.parts.empty() || !m.finish_reason.empty()) out.push_back(std::move(m));
  }
  return out;
}

// OpenInference: llm.input_messages.N.message.{role,content,name,tool_call_id,
// contents.M.message_content.{type,text,image.image.url},
// tool_calls.M.tool_call.{id,function.name,function.arguments}}.
std::vector<Message> OpenInferenceMessages(const Flat& flat, std::string_view prefix, std::string_view default_role) {
  std::vector<Message> out;
  for (const auto& [index, g] : Group(flat, prefix)) {
    Flat msg = Sub(g, "message");
    Message m;
    m.role = NormalizeRole(TextOf(Get(msg, "role")));
    if (m.role.empty()) m.role = std::string(default_role);
    m.name = TextOf(Get(msg, "name"));
    if (const auto* c = Get(msg, "content")) m.parts = PartsFromValue(*c);
    for (const auto& [i, c] : Group(msg, "contents")) {
      Flat mc = Sub(c, "message_content");
      std::string type = TextOf(Get(mc, "type"));
      if (type == "image") {
        MessagePart p;
        p.type = "uri";
        p.content = TextOf(Get(mc, "image.image.url"));
        m.parts.push_back(std::move(p));
      } else if (const auto* t = Get(mc, "text")) {
        m.parts.push_back(TextPart(TextOf(t)));
      }
    }
    for (const auto& [i, tc] : Group(msg, "tool_calls")) {
      Flat call = Sub(tc, "tool_call");
      MessagePart p;
      p.type = "tool_call";
      p.id = TextOf(Get(call, "id"));
      p.name = TextOf(Get(call, "function.name"));
      p.arguments = JsonText(Get(call, "function.arguments"));
      m.parts.push_back(std::move(p));
    }
    ToolMessageResponses(&m, TextOf(Get(msg, "tool_call_id")));
    if (!m.parts.empty()) out.push_back(std::move(m));
  }
  return out;
}

// ---- Events: span events, joined log records, Pydantic AI's "events" attribute.

std::string_view RoleOfEvent(std::string_view name) {
  if (name == "gen_ai.system.message") return "system";
  if (name == "gen_ai.user.message") return "user";
  if (name == "gen_ai.assistant.message") return "assistant";
  if (name == "gen_ai.tool.message") return "tool";
  return {};
}

void AppendFinishReasons(const AnyValue* v, std::vector<std::string>* out) {
  if (v == nullptr) return;
  AnyValue s = Structured(*v);
  if (const auto* arr = s.AsArray()) {
    for (const auto& r : arr->values) {
      if (!r.ToText().empty()) out->push_back(r.ToText());
    }
  } else if (!s.ToText().empty()) {
    out->push_back(s.ToText());
  }
}

// `attrs` is the event's / record's own attribute list when there is one:
// the operation-details event keeps its content there rather than in a body.
void HandleEvent(std::string_view name, const AnyValue& payload, const model::Attributes* attrs, Content* ev) {
  auto get = [&](std::string_view key) -> const AnyValue* {
    if (attrs != nullptr) {
      if (const auto* v = attrs->Find(key); v != nullptr && !v->empty()) return v;
    }
    return Member(payload, key);
  };
  if (name == "gen_ai.client.inference.operation.details") {
    if (const auto* v = get("gen_ai.system_instructions")) ev->system_instructions = PartsFromValue(*v);
    if (const auto* v = get("gen_ai.input.messages")) Append(&ev->input, MessagesFromValue(*v, "user"));
    if (const auto* v = get("gen_ai.output.messages")) Append(&ev->output, MessagesFromValue(*v, "assistant"));
    AppendFinishReasons(get("gen_ai.response.finish_reasons"), &ev->finish_reasons);
    return;
  }
  if (std::string_view role = RoleOfEvent(name); !role.empty()) {
    Message m = MessageFromObject(payload, role);
    if (Member(payload, "role") == nullptr) {
      m.role = std::string(role);
      if (role == "tool") ToolMessageResponses(&m, TextOf(FirstMember(payload, {"id", "tool_call_id"})));
    }
    ev->input.push_back(std::move(m));
    return;
  }
  if (name == "gen_ai.choice") {
    Message m = MessageFromChoice(payload);
    if (!m.finish_reason.empty()) ev->finish_reasons.push_back(m.finish_reason);
    ev->output.push_back(std::move(m));
    return;
  }
  if (name == "gen_ai.content.prompt") {
    if (const auto* v = get("gen_ai.prompt")) Append(&ev->input, MessagesFromValue(*v, "user"));
    return;
  }
  if (name == "gen_ai.content.completion") {
    if (const auto* v = get("gen_ai.completion")) Append(&ev->output, MessagesFromValue(*v, "assistant"));
  }
}

AnyValue AttributesAsValue(const model::Attributes& attrs) {
  model::KeyValueList kv;
  kv.values = attrs.items();
  return AnyValue(std::move(kv));
}

Content FromEvents(const model::Span& span) {
  struct Item {
    uint64_t time;
    std::string name;
    const model::Attributes* attrs;
    const AnyValue* body;
  };
  std::vector<Item> items;
  for (const auto& e : span.events) items.push_back({e.time_unix_nano, e.name, &e.attributes, nullptr});
  for (const auto& log : span.logs) {
    std::string name = log.event_name.empty() ? TextOf(log.attributes.Find("event.name")) : log.event_name;
    items.push_back({log.time_unix_nano, std::move(name), &log.attributes, &log.body});
  }
  // Span events and log records are separate streams: put the messages
  // back in the order they were emitted.
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.time < b.time; });

  Content ev;
  for (const auto& item : items) {
    if (!item.name.starts_with("gen_ai.")) continue;
    AnyValue payload;
    if (item.body != nullptr && !item.body->empty()) {
      payload = Structured(*item.body);
    } else if (const auto* c = item.attrs->Find("gen_ai.event.content"); c != nullptr && !c->empty()) {
      payload = Structured(*c);  // Azure AI Inference's span events
    } else {
      payload = AttributesAsValue(*item.attrs);
    }
    HandleEvent(item.name, payload, item.attrs, &ev);
  }
  // Pydantic AI v1 keeps its message events in one JSON attribute.
  if (const auto* v = FindOnSpan(span, "events")) {
    AnyValue events = Structured(*v);
    if (const auto* arr = events.AsArray()) {
      for (const auto& e : arr->values) HandleEvent(TextOf(Member(e, "event.name")), e, nullptr, &ev);
    }
  }
  return ev;
}

std::vector<Message> VercelOutput(const model::Span& span) {
  Message m;
  m.role = "assistant";
  if (const auto* r = FindOnSpan(span, "ai.response.reasoning")) {
    MessagePart p;
    p.type = "reasoning";
    p.content = TextOf(r);
    m.parts.push_back(std::move(p));
  }
  if (const auto* t = FindOnSpan(span, "ai.response.text")) m.parts.push_back(TextPart(TextOf(t)));
  if (const auto* o = FindOnSpan(span, "ai.response.object")) m.parts.push_back(TextPart(JsonText(o)));
  if (const auto* tcs = FindOnSpan(span, "ai.response.toolCalls")) {
    AnyValue calls = Structured(*tcs);
    if (const auto* arr = calls.AsArray()) {
      for (const auto& tc : arr->values) {
        if (tc.AsKvList() != nullptr) m.parts.push_back(ToolCallFrom(tc));
      }
    }
  }
  m.finish_reason = TextOf(FindOnSpan(span, "ai.response.finishReason"));
  if (m.parts.empty() && m.finish_reason.empty()) return {};
  return {std::move(m)};
}

}  // namespace

std::vector<MessagePart> PartsFromValue(const AnyValue& value) {
  if (const auto* s = value.AsString()) {
    if (s->empty()) return {};
    // OpenLLMetry stores list-shaped content as JSON text.
    AnyValue parsed = Structured(value);
    if (const auto* arr = parsed.AsArray(); arr != nullptr && !arr->values.empty() &&
                                           std::all_of(arr->values.begin(), arr->values.end(), [](const AnyValue& e) {
                                             return e.AsKvList() != nullptr && Member(e, "type") != nullptr;
                                           })) {
      return PartsFromValue(parsed);
    }
    return One(TextPart(*s));
  }
  std::vector<MessagePart> parts;
  if (const auto* arr = value.AsArray()) {
    for (const auto& e : arr->values) {
      if (e.AsKvList() != nullptr) {
        parts.push_back(PartFromObject(e));
      } else if (!e.empty()) {
        parts.push_back(TextPart(e.ToText()));
      }
    }
    return parts;
  }
  if (value.AsKvList() != nullptr) return One(PartFromObject(value));
  if (value.empty()) return {};
  return One(TextPart(value.ToText()));
}

std::vector<Message> MessagesFromValue(const AnyValue& value, std::string_view default_role) {
  AnyValue v = Structured(value);
  if (const auto* s = v.AsString()) {
    if (s->empty()) return {};
    return One(TextMessage(default_role, *s));
  }
  std::vector<Message> out;
  if (const auto* arr = v.AsArray()) {
    bool any_message = std::any_of(arr->values.begin(), arr->values.end(), IsMessageObject);
    if (!any_message) {
      // A bare parts array, e.g. system instructions or a prompt list.
      Message m;
      m.role = std::string(default_role);
      m.parts = PartsFromValue(v);
      if (!m.parts.empty()) out.push_back(std::move(m));
      return out;
    }
    for (const auto& e : arr->values) {
      if (e.AsKvList() != nullptr) {
        out.push_back(Member(e, "message") != nullptr ? MessageFromChoice(e) : MessageFromObject(e, default_role));
      } else if (!e.empty()) {
        out.push_back(TextMessage(default_role, e.ToText()));
      }
    }
    return out;
  }
  if (v.AsKvList() != nullptr) {
    if (const auto* msgs = Member(v, "messages")) {
      // A request body: Anthropic puts the system prompt beside the messages.
      if (const auto* sys = Member(v, "system")) {
        Message m;
        m.role = "system";
        m.parts = PartsFromValue(*sys);
        out.push_back(std::move(m));
      }
      Append(&out, MessagesFromValue(*msgs, default_role));
      return out;
    }
    if (const auto* choices = FirstMember(v, {"choices", "candidates"}); choices != nullptr && choices->AsArray()) {
      for (const auto& c : choices->AsArray()->values) out.push_back(MessageFromChoice(c));
      return out;
    }
    if (const auto* contents = Member(v, "contents")) return MessagesFromValue(*contents, default_role);
    if (Member(v, "message") != nullptr) return One(MessageFromChoice(v));
    if (Member(v, "role") != nullptr || Member(v, "parts") != nullptr || Member(v, "content") != nullptr) {
      return One(MessageFromObject(v, default_role));
    }
    if (const auto* p = FirstMember(v, {"prompt", "input", "text", "output", "completion"});
        p != nullptr && p->AsString() != nullptr) {
      return One(TextMessage(default_role, *p->AsString()));
    }
    return One(TextMessage(default_role, v.ToJson()));
  }
  if (v.empty()) return {};
  return One(TextMessage(default_role, v.ToText()));
}

Content ReadContent(const model::Span& span) {
  Content c;
  auto fill = [](std::vector<Message>* into, std::vector<Message> from) {
    if (into->empty()) *into = std::move(from);
  };
  // 1. Current conventions: attributes on the span.
  if (const auto* v = FindOnSpan(span, "gen_ai.system_instructions")) c.system_instructions = PartsFromValue(*v);
  if (const auto* v = FindOnSpan(span, "gen_ai.input.messages")) c.input = MessagesFromValue(*v, "user");
  if (const auto* v = FindOnSpan(span, "gen_ai.output.messages")) c.output = MessagesFromValue(*v, "assistant");

  // 2. Events and joined log records (current details event, older message events).
  Content ev = FromEvents(span);
  if (c.system_instructions.empty()) c.system_instructions = std::move(ev.system_instructions);
  fill(&c.input, std::move(ev.input));
  fill(&c.output, std::move(ev.output));
  c.finish_reasons = std::move(ev.finish_reasons);

  // 3. Indexed attributes: OpenLLMetry / deprecated semconv, then OpenInference.
  if (c.input.empty() || c.output.empty()) {
    Flat flat = FlatOf(span.attributes);
    fill(&c.input, IndexedMessages(flat, "gen_ai.prompt", "user"));
    fill(&c.output, IndexedMessages(flat, "gen_ai.completion", "assistant"));
    fill(&c.input, OpenInferenceMessages(flat, "llm.input_messages", "user"));
    fill(&c.output, OpenInferenceMessages(flat, "llm.output_messages", "assistant"));
  }

  // 4. Single-attribute forms, most specific first.
  if (c.input.empty()) {
    if (const auto* v = FindOnSpan(span, "ai.prompt.messages")) {
      c.input = MessagesFromValue(*v, "user");
    } else if (const auto* p = FindOnSpan(span, "ai.prompt")) {
      // Vercel roots: {"system"?, "prompt"? | "messages"?}.
      AnyValue prompt = Structured(*p);
      if (const auto* sys = Member(prompt, "system"); sys != nullptr && c.system_instructions.empty()) {
        c.system_instructions = PartsFromValue(*sys);
      }
      if (const auto* msgs = Member(prompt, "messages")) {
        c.input = MessagesFromValue(*msgs, "user");
      } else if (const auto* text = Member(prompt, "prompt")) {
        c.input = MessagesFromValue(*text, "user");
      } else if (prompt.AsString() != nullptr) {
        c.input = MessagesFromValue(prompt, "user");
      }
    }
  }
  if (c.output.empty()) c.output = VercelOutput(span);
  for (auto [in_key, out_key] : {std::pair<std::string_view, std::string_view>{"langfuse.observation.input",
                                                                               "langfuse.observation.output"},
                                 {"gen_ai.prompt", "gen_ai.completion"},
                                 {"gen_ai.content.prompt", "gen_ai.content.completion"},
                                 {"input.value", "output.value"},
                                 {"request_data", "response_data"},  // logfire.instrument_openai
                                 {"traceloop.entity.input", "traceloop.entity.output"}}) {
    if (const auto* v = FindOnSpan(span, in_key); v != nullptr && c.input.empty()) {
      c.input = MessagesFromValue(*v, "user");
    }
    if (const auto* v = FindOnSpan(span, out_key); v != nullptr && c.output.empty()) {
      c.output = MessagesFromValue(*v, "assistant");
    }
  }
  return c;
}

}  // namespace loupe::genai
