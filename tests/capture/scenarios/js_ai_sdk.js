// The Vercel AI SDK (`ai` + @ai-sdk/openai + @ai-sdk/anthropic) with
// experimental_telemetry: a root ai.generateText / ai.streamText span whose
// usage repeats its ai.*.doGenerate / doStream child's (the double-count trap).
'use strict';
const { setup } = require('./common');
const otel = setup('capture-js-ai-sdk');
const { generateText, streamText } = require('ai');
const { createOpenAI } = require('@ai-sdk/openai');
const { createAnthropic } = require('@ai-sdk/anthropic');

async function main() {
  const openai = createOpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: 'fake' });
  const anthropic = createAnthropic({ baseURL: process.env.ANTHROPIC_BASE_URL + '/v1', apiKey: 'fake' });
  const telemetry = {
    isEnabled: true,
    functionId: 'support-chat',
    metadata: { userId: 'u-42', sessionId: 's-7' },
  };
  await generateText({
    model: openai.chat('gpt-4o-mini'),
    system: 'You are terse.',
    prompt: 'Say hello.',
    experimental_telemetry: telemetry,
  });
  await generateText({
    model: anthropic('claude-sonnet-4-5'),
    prompt: 'Say hello.',
    maxOutputTokens: 200,
    experimental_telemetry: telemetry,
  });
  const result = streamText({
    model: anthropic('claude-haiku-4-5'),
    prompt: 'Say hello, streaming.',
    maxOutputTokens: 200,
    experimental_telemetry: telemetry,
  });
  for await (const _ of result.textStream) { /* drain */ }
  await result.usage;
  await otel.shutdown();
}
main().catch((e) => { console.error(e); process.exit(1); });
