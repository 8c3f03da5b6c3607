// @traceloop/node-server-sdk (OpenLLMetry JS): OpenAI and Anthropic calls
// inside a workflow with association properties (user, session, team).
// Traceloop installs its own SDK and OTLP/proto exporter; we only point its
// base URL at the capture sink.
'use strict';
const traceloop = require('@traceloop/node-server-sdk');
const OpenAI = require('openai');
const Anthropic = require('@anthropic-ai/sdk');

traceloop.initialize({
  appName: 'capture-js-traceloop',
  baseUrl: process.env.CAPTURE_OTLP_ENDPOINT,
  apiKey: 'fake',
  silenceInitializationMessage: true,
  traceloopSyncEnabled: false,
  instrumentModules: { openAI: OpenAI.OpenAI, anthropic: Anthropic },
});

async function main() {
  const openai = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: 'fake' });
  const anthropic = new Anthropic({ baseURL: process.env.ANTHROPIC_BASE_URL, apiKey: 'fake' });
  await traceloop.withWorkflow(
    { name: 'support_flow', associationProperties: { user_id: 'u-42', session_id: 's-7', team: 'growth' } },
    async () => {
      await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Say hello.' }],
      });
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Say hello, streaming.' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _ of stream) { /* drain */ }
      await anthropic.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 200,
        system: 'You are terse.',
        messages: [{ role: 'user', content: 'Say hello.' }],
      });
      const astream = await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Say hello, streaming.' }],
        stream: true,
      });
      for await (const _ of astream) { /* drain */ }
    },
  );
  await traceloop.forceFlush();
}
main().then(() => process.exit(0)).catch((e) => { console.error(e); process.exit(1); });
