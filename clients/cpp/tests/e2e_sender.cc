// A program linked against loupe_otel_client, driven by
// tests/e2e/test_cpp_helper.py: sends three LLM calls to a real Loupe and
// prints "<label> <trace_id> <span_id>" per call. It does not call Flush():
// the exporter's destructor must deliver them at exit.
//
// usage: loupe_cpp_helper_e2e <otlp-http-base-url>
#include <cstdio>
#include <stdexcept>

#include "loupe/trace_llm_call.h"

namespace {

void Print(const char* label, const loupe::LlmCallScope& call) {
  std::printf("%s %s %s\n", label, call.context().TraceIdHex().c_str(), call.context().SpanIdHex().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <otlp-http-base-url>\n", argv[0]);
    return 2;
  }
  loupe::ExporterOptions options;
  options.endpoint = argv[1];
  options.service_name = "e2e-cpp-helper";
  options.resource_attributes = {{"deployment.environment.name", "e2e"}};
  loupe::OtlpHttpExporter exporter(options);

  {
    loupe::LlmCallScope call(exporter, "claude-sonnet-4-5-20250929", "support-chat", "v3", "growth");
    call.input_tokens(1500);  // includes cache, as the convention says
    call.cache_read_tokens(1000);
    call.cache_write_tokens(300);
    call.output_tokens(150);
    Print("cached", call);
  }
  {
    loupe::LlmCallScope call(exporter, "gpt-4o", "planner");
    call.input_tokens(1200);
    call.output_tokens(250);
    call.reasoning_tokens(100);
    Print("reasoning", call);
  }
  try {
    loupe::LlmCallScope call(exporter, "gpt-4o", "chat");
    call.input_tokens(40);
    Print("failed", call);
    call.fail("ConnectionError", "provider unreachable");
    throw std::runtime_error("provider unreachable");
  } catch (const std::runtime_error&) {
  }
  std::fflush(stdout);
  return 0;  // ~OtlpHttpExporter flushes
}
