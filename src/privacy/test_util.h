// Test support: every string a batch holds, with where it is, so that a
// test can assert that a secret appears nowhere at all.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/batch.h"

namespace loupe::privacy::testing {

using Found = std::vector<std::pair<std::string, std::string>>;  // (where, value)

inline void Collect(const model::AnyValue& v, const std::string& where, Found* out) {
  if (const auto* s = v.AsString()) out->emplace_back(where, *s);
  if (const auto* b = std::get_if<model::Bytes>(&v.v)) out->emplace_back(where, b->data);
  if (const auto* a = v.AsArray()) {
    for (size_t i = 0; i < a->values.size(); ++i) Collect(a->values[i], where + "[" + std::to_string(i) + "]", out);
  }
  if (const auto* kv = v.AsKvList()) {
    for (const auto& item : kv->values) {
      out->emplace_back(where + "{key}", item.key);
      Collect(item.value, where + "." + item.key, out);
    }
  }
}

inline void Collect(const model::Attributes& attrs, const std::string& where, Found* out) {
  for (const auto& kv : attrs.items()) {
    out->emplace_back(where + "{key}", kv.key);
    Collect(kv.value, where + "." + kv.key, out);
  }
}

inline void Collect(const std::vector<model::MessagePart>& parts, const std::string& where, Found* out) {
  for (const auto& p : parts) {
    for (const std::string* s : {&p.content, &p.arguments, &p.response, &p.name, &p.id}) out->emplace_back(where, *s);
  }
}

inline void Collect(const model::LogRecord& log, const std::string& where, Found* out) {
  Collect(log.body, where + ".body", out);
  Collect(log.attributes, where + ".attributes", out);
  if (log.resource) Collect(log.resource->attributes, where + ".resource", out);
}

inline Found AllStrings(const model::Batch& batch) {
  Found out;
  for (const auto& r : batch.spans) {
    const model::Span& s = r.span;
    const std::string w = "span " + s.name;
    out.emplace_back(w + ".name", s.name);
    out.emplace_back(w + ".status", s.status.message);
    Collect(s.attributes, w + ".attributes", &out);
    if (s.resource) Collect(s.resource->attributes, w + ".resource", &out);
    if (s.scope) Collect(s.scope->attributes, w + ".scope", &out);
    for (const auto& e : s.events) Collect(e.attributes, w + ".event " + e.name, &out);
    for (const auto& l : s.links) Collect(l.attributes, w + ".link", &out);
    for (const auto& log : s.logs) Collect(log, w + ".log", &out);
    if (r.llm) {
      const model::LlmCall& c = *r.llm;
      Collect(c.system_instructions, w + ".llm.system", &out);
      for (const auto& m : c.input_messages) Collect(m.parts, w + ".llm.input", &out);
      for (const auto& m : c.output_messages) Collect(m.parts, w + ".llm.output", &out);
      for (const std::string* f : {&c.user, &c.session, &c.team, &c.feature, &c.prompt_name, &c.prompt_version,
                                   &c.environment}) {
        out.emplace_back(w + ".llm.attribution", *f);
      }
    }
  }
  for (const auto& log : batch.logs) Collect(log, "log", &out);
  return out;
}

// Every place where one of `needles` occurs, as "where: value".
inline std::vector<std::string> Occurrences(const model::Batch& batch, const std::vector<std::string>& needles) {
  std::vector<std::string> hits;
  for (const auto& [where, value] : AllStrings(batch)) {
    for (const auto& n : needles) {
      if (value.find(n) != std::string::npos) hits.push_back(where + ": " + value.substr(0, 200));
    }
  }
  return hits;
}

}  // namespace loupe::privacy::testing
