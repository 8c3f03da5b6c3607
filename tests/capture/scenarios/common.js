// Shared set-up for the JS capture scenarios: the real OpenTelemetry JS SDK
// exporting OTLP/HTTP protobuf to the capture sink (CAPTURE_OTLP_ENDPOINT).
'use strict';
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { logs } = require('@opentelemetry/api-logs');

function endpoint() {
  const base = process.env.CAPTURE_OTLP_ENDPOINT;
  if (!base) throw new Error('CAPTURE_OTLP_ENDPOINT is not set');
  return base;
}

// Returns { tracerProvider, loggerProvider, shutdown }.
function setup(serviceName, extraResource = {}) {
  const resource = resourceFromAttributes({
    'service.name': serviceName,
    'deployment.environment.name': 'capture',
    ...extraResource,
  });
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint() + '/v1/traces' }))],
  });
  tracerProvider.register();
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor(new OTLPLogExporter({ url: endpoint() + '/v1/logs' }))],
  });
  logs.setGlobalLoggerProvider(loggerProvider);
  return {
    tracerProvider,
    loggerProvider,
    async shutdown() {
      await tracerProvider.forceFlush();
      await loggerProvider.forceFlush();
      await tracerProvider.shutdown();
      await loggerProvider.shutdown();
    },
  };
}

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

module.exports = { setup, WEATHER_TOOL };
