#include "privacy/policy.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "metrics/registry.h"
#include "privacy/content_keys.h"
#include "privacy/json_text.h"
#include "privacy/patterns.h"
#include "privacy/redactor.h"

namespace loupe::privacy {

using model::AnyValue;
using model::Attributes;

// One Apply call: the counts it made, and the copies of shared resources
// and scopes it already redacted (spans of one request share them).
class ContentPolicy::Pass {
 public:
  Pass(const ContentPolicy& policy) : policy_(policy), redactor_(*policy.redactor_) {}  // NOLINT

  void Span(model::SpanRecord& record);
  void Log(model::LogRecord& log);
  void Flush();

 private:
  bool redacting() const { return redactor_.size() > 0; }
  bool kept(std::string_view key) const {
    const auto& keys = policy_.config_.keep_keys;
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  }
  uint64_t total() const { return std::accumulate(counts_.begin(), counts_.end(), uint64_t{0}); }

  bool Text(std::string* s) { return RedactText(redactor_, s, &counts_); }
  bool Value(AnyValue& v);
  void Attrs(Attributes& attrs);
  // Drops content keys; in a content event, every attribute but the kept ones.
  bool DropContent(Attributes& attrs, bool content_event);
  void Message(std::vector<model::MessagePart>& parts);
  void Call(model::LlmCall& call, const std::set<std::string>& kept_values);
  void Resource(std::shared_ptr<const model::Resource>& resource);
  void Scope(std::shared_ptr<const model::Scope>& scope);
  // Returns true when content was dropped from the log.
  bool LogBody(model::LogRecord& log);

  const ContentPolicy& policy_;
  const Redactor& redactor_;
  std::vector<uint64_t> counts_;
  uint64_t dropped_ = 0;
  std::map<const model::Resource*, std::shared_ptr<const model::Resource>> resources_;
  std::map<const model::Scope*, std::shared_ptr<const model::Scope>> scopes_;
};

bool ContentPolicy::Pass::Value(AnyValue& v) {
  if (auto* s = std::get_if<std::string>(&v.v)) return Text(s);
  bool changed = false;
  if (auto* arr = std::get_if<model::ArrayValue>(&v.v)) {
    for (auto& e : arr->values) changed |= Value(e);
  } else if (auto* kv = std::get_if<model::KeyValueList>(&v.v)) {
    for (auto& item : kv->values) changed |= Value(item.value);
  }
  return changed;
}

void ContentPolicy::Pass::Attrs(Attributes& attrs) {
  if (!redacting()) return;
  for (auto& item : attrs.mutable_items()) {
    if (!kept(item.key)) Value(item.value);
  }
}

bool ContentPolicy::Pass::DropContent(Attributes& attrs, bool content_event) {
  auto& items = attrs.mutable_items();
  auto end = std::remove_if(items.begin(), items.end(), [&](const model::KeyValue& kv) {
    return content_event ? !IsKeptInContentEvent(kv.key) : IsContentKey(kv.key);
  });
  bool dropped = end != items.end();
  items.erase(end, items.end());
  return dropped;
}

void ContentPolicy::Pass::Message(std::vector<model::MessagePart>& parts) {
  for (auto& p : parts) {
    Text(&p.content);
    Text(&p.arguments);
    Text(&p.response);
  }
}

void ContentPolicy::Pass::Call(model::LlmCall& call, const std::set<std::string>& kept_values) {
  if (policy_.config_.capture == CaptureMode::kNone) {
    call.system_instructions.clear();
    call.input_messages.clear();
    call.output_messages.clear();
  }
  if (!redacting()) return;
  Message(call.system_instructions);
  for (auto& m : call.input_messages) Message(m.parts);
  for (auto& m : call.output_messages) Message(m.parts);
  // Attribution read from a kept key (user.id as an e-mail) stays as it
  // is; from any other key it is redacted like the attribute it came from.
  for (std::string* field : {&call.user, &call.session, &call.team, &call.feature, &call.prompt_name,
                             &call.prompt_version, &call.environment}) {
    if (!kept_values.count(*field)) Text(field);
  }
}

void ContentPolicy::Pass::Resource(std::shared_ptr<const model::Resource>& resource) {
  if (resource == nullptr) return;
  auto [it, inserted] = resources_.try_emplace(resource.get());
  if (inserted) {
    auto copy = std::make_shared<model::Resource>(*resource);
    uint64_t before = total();
    bool dropped = policy_.config_.capture == CaptureMode::kNone && DropContent(copy->attributes, false);
    Attrs(copy->attributes);
    // Unchanged resources stay shared with the decoder's copy.
    it->second = (dropped || total() != before) ? std::shared_ptr<const model::Resource>(std::move(copy)) : resource;
  }
  resource = it->second;
}

void ContentPolicy::Pass::Scope(std::shared_ptr<const model::Scope>& scope) {
  if (scope == nullptr || scope->attributes.empty() || !redacting()) return;
  auto [it, inserted] = scopes_.try_emplace(scope.get());
  if (inserted) {
    auto copy = std::make_shared<model::Scope>(*scope);
    uint64_t before = total();
    Attrs(copy->attributes);
    it->second = total() != before ? std::shared_ptr<const model::Scope>(std::move(copy)) : scope;
  }
  scope = it->second;
}

bool ContentPolicy::Pass::LogBody(model::LogRecord& log) {
  bool dropped = false;
  if (policy_.config_.capture == CaptureMode::kNone) {
    std::string name = log.event_name;
    if (name.empty()) {
      if (const auto* n = log.attributes.Find("event.name"); n != nullptr && n->AsString()) name = *n->AsString();
    }
    bool content_event = IsContentEvent(name);
    if (content_event && !log.body.empty()) {
      log.body = AnyValue();
      dropped = true;
    }
    dropped |= DropContent(log.attributes, content_event);
  }
  if (redacting()) Value(log.body);
  Attrs(log.attributes);
  return dropped;
}

void ContentPolicy::Pass::Log(model::LogRecord& log) {
  uint64_t before = total();
  bool dropped = LogBody(log);
  Resource(log.resource);
  Scope(log.scope);
  if (dropped) {
    log.attributes.Set(std::string(kDroppedAttribute), true);
    ++dropped_;
  }
  if (uint64_t n = total() - before; n > 0) {
    log.attributes.Set(std::string(kRedactedAttribute), static_cast<int64_t>(n));
  }
}

void ContentPolicy::Pass::Span(model::SpanRecord& record) {
  model::Span& span = record.span;
  const bool none = policy_.config_.capture == CaptureMode::kNone;
  uint64_t before = total();

  // Values of kept keys, read before anything is rewritten: the LlmCall
  // fields equal to one of them came from a kept key.
  std::set<std::string> kept_values;
  for (const auto& key : policy_.config_.keep_keys) {
    if (const auto* v = span.FindAttribute(key); v != nullptr && v->AsString()) kept_values.insert(*v->AsString());
  }

  bool dropped = false;
  if (none) {
    dropped |= DropContent(span.attributes, false);
    for (auto& e : span.events) dropped |= DropContent(e.attributes, IsContentEvent(e.name));
    if (record.llm) {
      const auto& c = *record.llm;
      dropped |= !c.system_instructions.empty() || !c.input_messages.empty() || !c.output_messages.empty();
    }
  }
  if (redacting()) {
    Text(&span.name);
    Text(&span.status.message);
  }
  Attrs(span.attributes);
  for (auto& e : span.events) Attrs(e.attributes);
  for (auto& l : span.links) Attrs(l.attributes);
  for (auto& log : span.logs) {
    if (LogBody(log)) {
      log.attributes.Set(std::string(kDroppedAttribute), true);
      dropped = true;
    }
    Resource(log.resource);
    Scope(log.scope);
  }
  Resource(span.resource);
  Scope(span.scope);
  if (record.llm) Call(*record.llm, kept_values);

  if (dropped) {
    span.attributes.Set(std::string(kDroppedAttribute), true);
    ++dropped_;
  }
  if (uint64_t n = total() - before; n > 0) {
    span.attributes.Set(std::string(kRedactedAttribute), static_cast<int64_t>(n));
  }
}

void ContentPolicy::Pass::Flush() {
  for (size_t i = 0; i < counts_.size() && i < policy_.redaction_counters_.size(); ++i) {
    if (counts_[i] > 0) policy_.redaction_counters_[i]->Inc(counts_[i]);
  }
  if (dropped_ > 0) policy_.dropped_counter_->Inc(dropped_);
}

ContentPolicy::ContentPolicy(ContentPolicyConfig config, std::unique_ptr<Redactor> redactor,
                             metrics::Registry* registry)
    : config_(std::move(config)), redactor_(std::move(redactor)) {
  if (registry == nullptr) {
    own_registry_ = std::make_unique<metrics::Registry>();
    registry = own_registry_.get();
  }
  for (const auto& name : redactor_->names()) {
    redaction_counters_.push_back(&registry->GetCounter(
        "loupe_redactions_total", "Values replaced by content redaction, by pattern.", {{"pattern", name}}));
  }
  dropped_counter_ = &registry->GetCounter("loupe_content_dropped_total",
                                           "Spans and log records whose content content.capture=none dropped.");
}

ContentPolicy::~ContentPolicy() = default;

Result<std::unique_ptr<ContentPolicy>> ContentPolicy::Create(const ContentPolicyConfig& config,
                                                             metrics::Registry* registry) {
  ContentPolicyConfig effective = config;
  // Full capture never scans: no pattern is compiled.
  if (effective.capture == CaptureMode::kFull) {
    LOUPE_RETURN_IF_ERROR(effective.Validate());
    effective.patterns.clear();
    for (const auto& name : BuiltinPatternNames()) effective.builtin[name] = false;
  }
  auto redactor = Redactor::Create(effective);
  if (!redactor.ok()) return redactor.status();
  return std::unique_ptr<ContentPolicy>(new ContentPolicy(config, std::move(redactor).value(), registry));
}

void ContentPolicy::Apply(model::Batch& batch) const {
  if (config_.capture == CaptureMode::kFull) return;
  Pass pass(*this);
  for (auto& record : batch.spans) pass.Span(record);
  for (auto& log : batch.logs) pass.Log(log);
  pass.Flush();
}

uint64_t ContentPolicy::redactions(std::string_view pattern) const {
  const auto& names = redactor_->names();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == pattern) return redaction_counters_[i]->Value();
  }
  return 0;
}

uint64_t ContentPolicy::dropped() const { return dropped_counter_->Value(); }

}  // namespace loupe::privacy
