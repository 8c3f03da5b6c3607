// Sends one LLM span to loupe with the OpenTelemetry JS SDK
// (@opentelemetry/sdk-trace-base) through one of its OTLP exporters, and
// prints {"trace_id","span_id"} as JSON on stdout.
//   node send_spans.js proto|json|grpc http://127.0.0.1:PORT
// proto and json take the OTLP/HTTP base URL, grpc the OTLP/gRPC one.
'use strict';
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { SpanKind, SpanStatusCode } = require('@opentelemetry/api');

function exporterFor(kind, base) {
  switch (kind) {
    case 'proto': {
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
      return new OTLPTraceExporter({ url: `${base}/v1/traces` });
    }
    case 'json': {
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
      return new OTLPTraceExporter({ url: `${base}/v1/traces` });
    }
    case 'grpc': {
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc');
      const grpc = require('@grpc/grpc-js');
      return new OTLPTraceExporter({ url: base, credentials: grpc.credentials.createInsecure() });
    }
    default:
      throw new Error(`unknown exporter ${kind}`);
  }
}

async function main() {
  const [kind, base] = process.argv.slice(2);
  if (!kind || !base) throw new Error('usage: send_spans.js proto|json|grpc BASE_URL');
  const exporter = exporterFor(kind, base);
  let exportResult = null;
  const original = exporter.export.bind(exporter);
  exporter.export = (spans, cb) => original(spans, (r) => { exportResult = r; cb(r); });

  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `e2e-js-${kind}`, 'deployment.environment.name': 'e2e' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('e2e.js', '1.0');
  const span = tracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': 1500,
      'gen_ai.usage.cache_read.input_tokens': 1024,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.reasoning.output_tokens': 120,
      'ai.team': 'web',
      'ai.feature': `js-${kind}`,
      'ai.prompt_version': 'v3',
    },
  });
  span.setStatus({ code: SpanStatusCode.OK });
  span.end();
  await provider.forceFlush();
  await provider.shutdown();
  const ctx = span.spanContext();
  // code 0 = SUCCESS in @opentelemetry/core's ExportResultCode
  process.stdout.write(JSON.stringify({
    trace_id: ctx.traceId, span_id: ctx.spanId,
    export_code: exportResult ? exportResult.code : null,
    export_error: exportResult && exportResult.error ? String(exportResult.error) : null,
  }) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
