// The AI SDK's embedding calls (`embed`, `embedMany` with experimental_telemetry, ai 6) are priced
// from their tokens (found by review): their `ai.embed.doEmbed` and `ai.embedMany.doEmbed` spans name
// the model only as `ai.model.id` and the tokens only as `ai.usage.tokens`, which Fulcrum did not
// read, so every one was an unpriced model call "naming no model" (unknown_model), whatever the
// registry priced. Run for real: the AI SDK calls a local OpenAI-compatible /embeddings endpoint
// and its spans go to Fulcrum over OTLP/HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAI } from '@ai-sdk/openai';
import { OpenInferenceSimpleSpanProcessor } from '@arizeai/openinference-vercel';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { embed, embedMany, generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const EMBEDDING_MODEL = `apiVersion: fulcrum/v1
kind: Model
metadata: { name: text-embedding-3-small }
spec:
  provider: openai
  hosting: vendor
  regions: [eu-west-1]
  status: approved
  maxClassification: confidential
  pricing:
    - { from: "2026-01-01", currency: USD, inputPerMillion: 0.02, outputPerMillion: 0 }
`;

/** An OpenAI-compatible /embeddings endpoint: 7 tokens an input; and a chat answer for the outer-span check. */
async function startEmbeddings(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const input = JSON.parse(body).input as string[];
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/chat/completions')) {
        res.end(
          JSON.stringify({
            id: 'chatcmpl-embeddings-test',
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: 'gpt-4o-mini',
            choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
          }),
        );
        return;
      }
      res.end(
        JSON.stringify({
          object: 'list',
          data: input.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })),
          model: 'text-embedding-3-small',
          // A provider that reports no usage: the AI SDK's span then says `ai.usage.tokens: NaN`.
          ...(input[0] === 'no usage' ? {} : { usage: { prompt_tokens: 7 * input.length, total_tokens: 7 * input.length } }),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each(ENGINES)('the AI SDK embedding calls on %s', (engine) => {
  let t: TestServer;
  let local: Awaited<ReturnType<typeof startEmbeddings>>;
  let provider: BasicTracerProvider;
  /** The same, exporting OTLP/JSON. */
  let jsonProvider: BasicTracerProvider;
  /** The same, through OpenInference's span processor for the AI SDK (as Arize Phoenix advises). */
  let oiProvider: BasicTracerProvider;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({
      method: 'POST',
      url: '/v1/apply',
      payload: { files: [...readMini(), { path: 'embeddings.yaml', content: EMBEDDING_MODEL }] },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
    const fulcrum = await t.server.listen({ host: '127.0.0.1', port: 0 });
    local = await startEmbeddings();
    provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-embeddings' }),
      spanProcessors: [
        new SimpleSpanProcessor(
          new OTLPTraceExporter({ url: `${fulcrum}/otlp/v1/traces`, headers: { Authorization: `Bearer ${key}` } }),
        ),
      ],
    });
    jsonProvider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-embeddings' }),
      spanProcessors: [
        new SimpleSpanProcessor(
          new JsonTraceExporter({ url: `${fulcrum}/otlp/v1/traces`, headers: { Authorization: `Bearer ${key}` } }),
        ),
      ],
    });
    oiProvider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-embeddings' }),
      spanProcessors: [
        new OpenInferenceSimpleSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${fulcrum}/otlp/v1/traces`, headers: { Authorization: `Bearer ${key}` } }),
        }),
      ],
    });
  });
  afterAll(async () => {
    await oiProvider?.shutdown();
    await jsonProvider?.shutdown();
    await provider?.shutdown();
    await local?.close();
    await t?.close();
  });

  it('prices embed and embedMany from their tokens, and counts no outer span', async () => {
    const openai = createOpenAI({ baseURL: local.url, apiKey: 'sk-local-test' });
    const telemetry = { isEnabled: true, functionId: 'support', tracer: provider.getTracer('ai') };
    const model = openai.embedding('text-embedding-3-small');
    await embed({ model, value: 'refund policy', experimental_telemetry: telemetry, maxRetries: 0 });
    await embedMany({ model, values: ['a', 'b', 'c'], experimental_telemetry: telemetry, maxRetries: 0 });
    // A chat call too: its outer ai.generateText span names the model as ai.model.id, and is no call.
    await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'hello', experimental_telemetry: telemetry, maxRetries: 0 });
    await provider.forceFlush();

    const spans = await t.app.database.db
      .selectFrom('spans')
      .select(['name', 'operation', 'model', 'input_tokens', 'output_tokens', 'cost_usd', 'unpriced_reason'])
      .where('agent', '=', 'support-bot-eu')
      .orderBy('name')
      .execute();
    expect(spans).toEqual([
      expect.objectContaining({ name: 'ai.embed', operation: null }),
      {
        name: 'ai.embed.doEmbed',
        operation: 'embeddings',
        model: 'text-embedding-3-small',
        input_tokens: 7,
        output_tokens: null,
        cost_usd: expect.closeTo((7 * 0.02) / 1e6, 15),
        unpriced_reason: null,
      },
      expect.objectContaining({ name: 'ai.embedMany', operation: null }),
      {
        name: 'ai.embedMany.doEmbed',
        operation: 'embeddings',
        model: 'text-embedding-3-small',
        input_tokens: 21,
        output_tokens: null,
        cost_usd: expect.closeTo((21 * 0.02) / 1e6, 15),
        unpriced_reason: null,
      },
      expect.objectContaining({ name: 'ai.generateText', operation: null }),
      expect.objectContaining({ name: 'ai.generateText.doGenerate', operation: 'chat', model: 'gpt-4o-mini', input_tokens: 10 }),
    ]);
    // The call whose provider reported no usage is counted, unpriced (no_usage): NaN tokens are
    // unknown, not a reason to refuse the span (the export rejected it, so it was counted nowhere).
    await embed({ model, value: 'no usage', experimental_telemetry: telemetry, maxRetries: 0 });
    await provider.forceFlush();
    const unknown = await t.app.database.db
      .selectFrom('spans')
      .select(['model', 'input_tokens', 'cost_usd', 'unpriced_reason'])
      .where('name', '=', 'ai.embed.doEmbed')
      .where('input_tokens', 'is', null)
      .execute();
    expect(unknown).toEqual([
      { model: 'text-embedding-3-small', input_tokens: null, cost_usd: null, unpriced_reason: 'no_usage' },
    ]);

    const costs = (await t.request({ method: 'GET', url: '/v1/costs?groupBy=model' })).json().rows;
    expect(costs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'text-embedding-3-small', calls: 3, unpricedCalls: 1, inputTokens: 28 }),
        expect.objectContaining({ key: 'gpt-4o-mini', calls: 1, unpricedCalls: 0 }),
      ]),
    );
    expect(costs).toHaveLength(2);
  });

  it('reads a NaN count exported as OTLP/JSON as unknown, never as 0 tokens', async () => {
    // JSON.stringify writes NaN as null, so the OTLP/JSON exporter sends {"doubleValue": null}: read
    // as Number(null), it was 0 tokens, and the call was priced at $0.
    const openai = createOpenAI({ baseURL: local.url, apiKey: 'sk-local-test' });
    const telemetry = { isEnabled: true, functionId: 'json', tracer: jsonProvider.getTracer('ai') };
    await embed({
      model: openai.embedding('text-embedding-3-small'),
      value: 'no usage',
      experimental_telemetry: telemetry,
      maxRetries: 0,
    });
    await jsonProvider.forceFlush();
    const spans = await t.app.database.db
      .selectFrom('spans')
      .select(['input_tokens', 'cost_usd', 'unpriced_reason'])
      .where('name', '=', 'ai.embed.doEmbed')
      .where('received_at', '>', new Date(Date.now() - 60_000).toISOString())
      .where('input_tokens', 'is', null)
      .execute();
    expect(spans).toEqual([
      { input_tokens: null, cost_usd: null, unpriced_reason: 'no_usage' },
      { input_tokens: null, cost_usd: null, unpriced_reason: 'no_usage' },
    ]);
    const zero = await t.app.database.db.selectFrom('spans').select('span_id').where('input_tokens', '=', 0).execute();
    expect(zero).toEqual([]);
  });

  it('counts each call once through OpenInference’s span processor, which names the model on the outer ai.embed span', async () => {
    // @arizeai/openinference-vercel labels ai.embed and ai.embedMany CHAIN spans and gives them
    // llm.model_name (the AI SDK's ai.model.id) and the step's token count: a chain is no model call.
    const calls = async () =>
      Object.fromEntries(
        (
          (await t.request({ method: 'GET', url: '/v1/costs?groupBy=model' })).json().rows as Array<{
            key: string;
            calls: number;
          }>
        ).map((r) => [r.key, r.calls]),
      );
    const before = await calls();
    const openai = createOpenAI({ baseURL: local.url, apiKey: 'sk-local-test' });
    const telemetry = { isEnabled: true, functionId: 'openinference', tracer: oiProvider.getTracer('ai') };
    const model = openai.embedding('text-embedding-3-small');
    await embed({ model, value: 'refund policy', experimental_telemetry: telemetry, maxRetries: 0 });
    await embedMany({ model, values: ['a', 'b'], experimental_telemetry: telemetry, maxRetries: 0 });
    await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'hello', experimental_telemetry: telemetry, maxRetries: 0 });
    await oiProvider.forceFlush();
    // The two outer spans are kept, as no model call (the AI SDK's functionId follows their names).
    const chains = await t.app.database.db
      .selectFrom('spans')
      .select(['name', 'operation', 'model_reported'])
      .where('name', 'in', ['ai.embed openinference', 'ai.embedMany openinference'])
      .orderBy('name')
      .execute();
    expect(chains).toEqual([
      { name: 'ai.embed openinference', operation: null, model_reported: null },
      { name: 'ai.embedMany openinference', operation: null, model_reported: null },
    ]);
    const after = await calls();
    expect({
      embeddings: (after['text-embedding-3-small'] ?? 0) - (before['text-embedding-3-small'] ?? 0),
      chat: (after['gpt-4o-mini'] ?? 0) - (before['gpt-4o-mini'] ?? 0),
      noModel: (after['(no model)'] ?? 0) - (before['(no model)'] ?? 0),
    }).toEqual({ embeddings: 2, chat: 1, noModel: 0 });
  });
});
