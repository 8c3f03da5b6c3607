// Test-only helpers for fanout tests: spans with every field set.
#pragma once

#include <memory>
#include <string>

#include "model/batch.h"

namespace loupe::fanout::testing {

inline model::SpanRecord MakeSpan(uint8_t n, std::shared_ptr<const model::Resource> resource,
                                  std::shared_ptr<const model::Scope> scope) {
  model::SpanRecord r;
  model::Span& s = r.span;
  s.trace_id.fill(0xA0);
  s.trace_id[15] = n;
  s.span_id.fill(0xB0);
  s.span_id[7] = n;
  s.name = "span-" + std::to_string(n);
  s.kind = model::SpanKind::kClient;
  s.start_time_unix_nano = 1'700'000'000'000'000'000ull + n;
  s.end_time_unix_nano = s.start_time_unix_nano + 1000;
  s.attributes.Add("gen_ai.request.model", "gpt-4o");
  s.attributes.Add("n", static_cast<int64_t>(n));
  s.resource = std::move(resource);
  s.scope = std::move(scope);
  return r;
}

inline std::shared_ptr<const model::Resource> MakeResource(std::string service) {
  auto r = std::make_shared<model::Resource>();
  r->attributes.Add("service.name", std::move(service));
  return r;
}

inline std::shared_ptr<const model::Scope> MakeScope(std::string name) {
  auto s = std::make_shared<model::Scope>();
  s->name = std::move(name);
  s->version = "1.0";
  return s;
}

}  // namespace loupe::fanout::testing
