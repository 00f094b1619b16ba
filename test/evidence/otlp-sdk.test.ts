// Real clients: spans exported by the official OpenTelemetry JS SDK (OTLP/HTTP JSON and protobuf
// exporters) into a running Fulcrum, priced at ingest, booked to the key's agent (test/security/attribution.test.ts
// holds what happens when a span names another agent).
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('OTLP from the OpenTelemetry SDK on %s', (engine) => {
  let t: TestServer;
  let url: string;
  let key: string;
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  async function exportWith(kind: 'json' | 'proto', agentName: string | undefined, compression: 'gzip' | 'none') {
    const options = {
      url: `${url}/otlp/v1/traces`,
      headers: { Authorization: `Bearer ${key}` },
      compression: compression as never,
    };
    const exporter = kind === 'json' ? new JsonExporter(options) : new ProtoExporter(options);
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-service' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const tracer = provider.getTracer('test');
    const agentAttrs = agentName ? { 'gen_ai.agent.name': agentName } : {};
    const root = tracer.startSpan('invoke_agent support', {
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        ...agentAttrs,
        'fulcrum.task.outcome': 'resolved',
        'fulcrum.task.id': `task-${kind}-${compression}`,
      },
    });
    const chat = tracer.startSpan('chat gpt-4o-mini', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        ...agentAttrs,
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.usage.input_tokens': 1_000_000,
        'gen_ai.usage.output_tokens': 500_000,
        'gen_ai.usage.cache_read.input_tokens': 200_000,
      },
    });
    chat.end();
    const tool = tracer.startSpan('execute_tool crm.lookup', {
      attributes: { 'gen_ai.operation.name': 'execute_tool', ...agentAttrs, 'gen_ai.tool.name': 'crm.lookup' },
    });
    tool.end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();
  }

  it('takes JSON and protobuf, gzip or not, and prices inference spans from the model price', async () => {
    await exportWith('json', 'support-bot-eu', 'none');
    await exportWith('proto', 'support-bot-eu', 'gzip');
    await exportWith('json', undefined, 'gzip'); // no gen_ai.agent.name: the key's agent
    await exportWith('proto', undefined, 'none');
    const rows = await t.app.database.db.selectFrom('spans').selectAll().orderBy('start_at').execute();
    expect(rows).toHaveLength(12);
    const chats = rows.filter((r) => r.operation === 'chat');
    // 0.8M input at 0.15, 0.2M cached at 0.075, 0.5M output at 0.6 USD per million.
    for (const c of chats) {
      expect(c).toMatchObject({
        agent: 'support-bot-eu',
        model: 'gpt-4o-mini',
        model_reported: 'gpt-4o-mini-2024-07-18',
        provider: 'openai',
      });
      expect(c.cost_usd).toBeCloseTo(0.8 * 0.15 + 0.2 * 0.075 + 0.5 * 0.6, 9);
    }
    const costs = await t.request({ method: 'GET', url: '/v1/costs?groupBy=model' });
    expect(costs.json().rows).toEqual([
      {
        key: 'gpt-4o-mini',
        costUsd: expect.closeTo(4 * 0.435, 6),
        inputTokens: 4_000_000,
        outputTokens: 2_000_000,
        calls: 4,
        unpricedCalls: 0,
        unpriced: { unknownModel: 0, noPrice: 0, noUsage: 0, serviceTier: 0 },
      },
    ]);
    const tasks = await t.app.database.db.selectFrom('task_events').selectAll().execute();
    expect(tasks.map((e) => e.outcome)).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
  });

  it("records telemetry naming an agent the registry does not know as a shadow agent, booked to the key's agent", async () => {
    await exportWith('json', 'rogue-gpt', 'none');
    const shadows = (await t.request({ method: 'GET', url: '/v1/shadow-agents' })).json().items;
    // One export request per span here (SimpleSpanProcessor): seen three times.
    expect(shadows).toEqual([expect.objectContaining({ identity: 'telemetry:rogue-gpt', source: 'telemetry', count: 3 })]);
    const byInitiative = (await t.request({ method: 'GET', url: '/v1/costs?groupBy=initiative' })).json().rows;
    expect(byInitiative.map((r: { key: string }) => r.key)).toEqual(['support-deflection']);
  });
});
