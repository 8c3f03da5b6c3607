// @arizeai/openinference-instrumentation-openai (OpenInference keys):
// chat, streaming chat with usage, a tool call, embeddings.
'use strict';
const { setup, WEATHER_TOOL } = require('./common');
const otel = setup('capture-js-openinference-openai', { 'ai.team': 'capture-js' });
const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
const instrumentation = new OpenAIInstrumentation();
instrumentation.setTracerProvider(otel.tracerProvider);
const OpenAI = require('openai');
instrumentation.manuallyInstrument(OpenAI);

async function main() {
  const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: 'fake' });
  await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say hello.' }],
    max_tokens: 100,
  });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Say hello, streaming.' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _ of stream) { /* drain */ }
  await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [WEATHER_TOOL],
  });
  await client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello', 'world'] });
  await otel.shutdown();
}
main().catch((e) => { console.error(e); process.exit(1); });
