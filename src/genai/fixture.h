// Test support: loads a GenAI fixture (a JSON description of spans shaped
// like one instrumentation library's output, plus the LlmCall expected
// from each) into model::Batches, and checks normalized calls against the
// expectations. The format is documented in testdata/README.md.
//
// Built as loupe_genai_testing; only tests link it. Captured OTLP/JSON
// fixtures (tests/fixtures/captured/) can reuse CheckExpectation with
// their own decoder.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "genai/config.h"
#include "model/batch.h"
#include "model/llm_call.h"

namespace loupe::genai::testing {

struct Expectation {
  std::string span;    // the fixture's span id ("call", "root", ...)
  size_t batch = 0;    // which batch holds the span
  size_t index = 0;    // its index in that batch's spans
  std::string json;    // the "expect" object, as JSON text
};

struct Fixture {
  std::string path;
  std::string description;
  NormalizerConfig config;
  std::vector<model::Batch> batches;  // normalize in order
  std::vector<Expectation> expectations;
};

// Reads and validates a fixture; the Status names the file and the field.
Result<Fixture> LoadFixture(const std::string& path);

// Compares `call` with an expectation object. Only the fields the
// expectation names are compared. Returns one line per mismatch; empty
// when everything matches. A malformed expectation is a mismatch too.
std::vector<std::string> CheckExpectation(const std::optional<model::LlmCall>& call, std::string_view expect_json);

// A span for hand-written tests: trace "t", span id from `id`, the given
// attributes, scope and resource attributes (resource and scope never null).
model::Span MakeSpan(std::string_view id, std::string_view name, model::Attributes attrs,
                     std::string_view scope_name = "", std::string_view scope_version = "",
                     model::Attributes resource = {});

// Deterministic ids for fixture names (non-zero).
model::TraceId TraceIdFor(std::string_view name);
model::SpanId SpanIdFor(std::string_view name);

}  // namespace loupe::genai::testing
