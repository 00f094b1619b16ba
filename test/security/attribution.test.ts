// Telemetry attribution (docs/evidence.md, docs/security.md): what an agent key sends is booked to its
// agent, never to the agent a span or event names; a telemetry collector books only to the agents it
// lists, and its keys send telemetry and nothing else.
import path from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
// 1M input and 0.5M output tokens of gpt-4o-mini (0.15 and 0.6 USD per million).
const CHAT_COST = 0.15 + 0.3;

interface Mismatch {
  sentBy: string;
  claimedAgent: string;
  bookedTo: string | null;
  spans: number;
  events: number;
  costUsd: number;
}

describe.each(ENGINES)('telemetry attribution on %s', (engine) => {
  let t: TestServer;
  let url: string;
  let senderKey: string;

  const costsByAgent = async () => {
    const res = await t.request({ method: 'GET', url: '/v1/costs?groupBy=agent' });
    expect(res.statusCode, res.body).toBe(200);
    return Object.fromEntries((res.json().rows as Array<{ key: string; costUsd: number }>).map((r) => [r.key, r.costUsd]));
  };
  const resolution = async (initiative: string) => {
    const res = await t.request({ method: 'GET', url: `/v1/initiatives/${initiative}/outcomes` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().metrics.find((m: { name: string }) => m.name === 'resolution').current as number | null;
  };
  const mismatches = async (): Promise<Mismatch[]> => {
    const res = await t.request({ method: 'GET', url: '/v1/signals' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().attributionMismatches;
  };
  const otlp = (token: string, spans: Array<{ id: number; agent?: string; chat?: boolean; outcome?: string }>) =>
    t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token,
      payload: {
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: spans.map((s) => {
                  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
                  const attrs: Array<[string, string | number]> = s.chat
                    ? [
                        ['gen_ai.operation.name', 'chat'],
                        ['gen_ai.request.model', 'gpt-4o-mini'],
                        ['gen_ai.usage.input_tokens', 1_000_000],
                        ['gen_ai.usage.output_tokens', 500_000],
                      ]
                    : [
                        ['gen_ai.operation.name', 'invoke_agent'],
                        ['fulcrum.task.outcome', s.outcome ?? 'resolved'],
                        ['fulcrum.task.id', `otlp-task-${s.id}`],
                      ];
                  if (s.agent) attrs.push(['gen_ai.agent.name', s.agent]);
                  return {
                    traceId: '5b8efff798038103d269b633813fc60c',
                    spanId: s.id.toString(16).padStart(16, '0'),
                    name: s.chat ? 'chat gpt-4o-mini' : 'invoke_agent',
                    startTimeUnixNano: String(start),
                    endTimeUnixNano: String(start + 2_000_000_000n),
                    attributes: attrs.map(([key, v]) => ({
                      key,
                      value: typeof v === 'number' ? { intValue: v } : { stringValue: v },
                    })),
                  };
                }),
              },
            ],
          },
        ],
      },
    });

  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
    // The victim: another initiative's agent, with an outcome of its own to protect.
    const initiative = await t.request({
      method: 'PUT',
      url: '/v1/initiatives/claims-triage',
      payload: {
        spec: {
          title: 'Claims triage',
          type: 'agent',
          stage: 'production',
          owner: 'dana.lee',
          businessUnit: 'cx',
          outcomes: [
            {
              name: 'resolution',
              source: 'resolution_rate',
              unit: 'fraction',
              direction: 'increase',
              baseline: { value: 0.3, period: '2025-Q4' },
              target: 0.6,
            },
          ],
        },
      },
    });
    expect(initiative.statusCode, initiative.body).toBe(201);
    const victim = await t.request({
      method: 'PUT',
      url: '/v1/agents/claims-bot',
      payload: { spec: { initiative: 'claims-triage', owner: 'omar.owner' } },
    });
    expect(victim.statusCode, victim.body).toBe(201);
    senderKey = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  it("books a span (from the OpenTelemetry SDK) naming another agent to the sender's agent, and reports the mismatch", async () => {
    const exporter = new OTLPTraceExporter({ url: `${url}/otlp/v1/traces`, headers: { Authorization: `Bearer ${senderKey}` } });
    const provider = new TracerProvider({
      // The claim made where real instrumentations make it: on the resource.
      resource: resourceFromAttributes({ 'service.name': 'claims', 'gen_ai.agent.name': 'claims-bot' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const tracer = provider.getTracer('attack');
    const root = tracer.startSpan('invoke_agent claims', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'failed', 'fulcrum.task.id': 'sdk-1' },
    });
    tracer
      .startSpan('chat gpt-4o-mini', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 1_000_000,
          'gen_ai.usage.output_tokens': 500_000,
        },
      })
      .end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();

    const costs = await costsByAgent();
    expect(costs['support-bot-eu']).toBeCloseTo(CHAT_COST, 6);
    expect(costs['claims-bot']).toBeUndefined();
    // The failed task is the sender's, not the victim's (whose resolution rate stays unmeasured).
    expect(await resolution('claims-triage')).toBeNull();
    expect(await resolution('support-deflection')).toBe(0);
    expect(await mismatches()).toEqual([
      expect.objectContaining({
        sentBy: 'agent:support-bot-eu',
        claimedAgent: 'claims-bot',
        bookedTo: 'support-bot-eu',
        spans: 2,
        events: 1,
        costUsd: expect.closeTo(CHAT_COST, 6),
      }),
    ]);
    // Naming a registered agent is not a shadow agent.
    expect((await t.request({ method: 'GET', url: '/v1/shadow-agents' })).json().items).toEqual([]);
  });

  it("books a task event naming another agent to the sender's agent, and reports the mismatch", async () => {
    const endedAt = new Date(Date.now() - 60_000).toISOString();
    const res = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: senderKey,
      payload: {
        events: [
          {
            type: 'task.completed',
            agent: 'claims-bot',
            taskId: 'ev-1',
            outcome: 'escalated',
            durationMs: 1000,
            endedAt,
            costUsd: 7,
          },
          { type: 'task.completed', agent: 'support-bot-eu', taskId: 'ev-2', outcome: 'resolved', durationMs: 1000, endedAt },
        ],
      },
    });
    expect(res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const costs = await costsByAgent();
    expect(costs['support-bot-eu']).toBeCloseTo(CHAT_COST + 7, 6);
    expect(costs['claims-bot']).toBeUndefined();
    expect(await resolution('claims-triage')).toBeNull();
    // support-deflection: failed (span), escalated (spoofed event), resolved: one in three.
    expect(await resolution('support-deflection')).toBeCloseTo(1 / 3, 4);
    const rows = await t.app.database.db.selectFrom('task_events').selectAll().where('task_id', '=', 'ev-1').execute();
    expect(rows).toEqual([
      expect.objectContaining({ agent: 'support-bot-eu', claimed_agent: 'claims-bot', sent_by: 'agent:support-bot-eu' }),
    ]);
    expect(await mismatches()).toEqual([
      expect.objectContaining({ sentBy: 'agent:support-bot-eu', claimedAgent: 'claims-bot', spans: 2, events: 2 }),
    ]);
  });

  describe('a telemetry collector', () => {
    let collectorKey: string;
    let viewer: string;

    beforeAll(async () => {
      const put = await t.request({
        method: 'PUT',
        url: '/v1/telemetry-collectors/otel-gateway',
        payload: { spec: { owner: 'omar.owner', agents: ['support-bot-eu'], description: 'the CX OpenTelemetry Collector' } },
      });
      expect(put.statusCode, put.body).toBe(201);
      viewer = (await t.request({ method: 'POST', url: '/v1/people/vic.viewer/tokens' })).json().token;
      const owner = (await t.request({ method: 'POST', url: '/v1/people/omar.owner/tokens' })).json().token;
      // Its owner issues its keys (so do admin and platform); a viewer may not.
      expect(
        (await t.request({ method: 'POST', url: '/v1/telemetry-collectors/otel-gateway/keys', token: viewer })).statusCode,
      ).toBe(403);
      const issued = await t.request({ method: 'POST', url: '/v1/telemetry-collectors/otel-gateway/keys', token: owner });
      expect(issued.statusCode, issued.body).toBe(201);
      collectorKey = issued.json().key;
      expect(collectorKey).toMatch(/^ftc_/);
    });

    it('refuses a list naming an agent that does not exist', async () => {
      const res = await t.request({
        method: 'PUT',
        url: '/v1/telemetry-collectors/bad',
        payload: { spec: { owner: 'omar.owner', agents: ['no-such-bot'] } },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.message).toContain('no Agent named "no-such-bot"');
    });

    it('books spans to the agents it lists, and to no agent when they name any other', async () => {
      const before = await costsByAgent();
      const res = await otlp(collectorKey, [
        { id: 101, agent: 'support-bot-eu', chat: true },
        { id: 102, agent: 'claims-bot', chat: true },
        { id: 103, agent: 'claims-bot', outcome: 'resolved' },
        { id: 104, agent: 'rogue-gpt', chat: true },
        { id: 105, chat: true },
      ]);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().partialSuccess).toEqual({
        rejectedSpans: '1',
        errorMessage: expect.stringContaining('span 4: telemetry collector "otel-gateway" must say which agent'),
      });
      const after = await costsByAgent();
      expect(after['support-bot-eu']).toBeCloseTo((before['support-bot-eu'] ?? 0) + CHAT_COST, 6);
      expect(Object.keys(after).sort()).toEqual(['support-bot-eu']);
      expect(await resolution('claims-triage')).toBeNull();
      const fromCollector = (await mismatches()).filter((m) => m.sentBy === 'collector:otel-gateway');
      expect(fromCollector).toEqual([
        expect.objectContaining({
          claimedAgent: 'claims-bot',
          bookedTo: null,
          spans: 2,
          events: 1,
          costUsd: expect.closeTo(CHAT_COST, 6),
        }),
        expect.objectContaining({ claimedAgent: 'rogue-gpt', bookedTo: null, spans: 1, events: 0 }),
      ]);
      // An agent the registry does not know is a shadow agent, as from any sender.
      const shadows = (await t.request({ method: 'GET', url: '/v1/shadow-agents' })).json().items;
      expect(shadows).toEqual([expect.objectContaining({ identity: 'telemetry:rogue-gpt', source: 'telemetry' })]);
    });

    it('books task events the same way, and needs each to name its agent', async () => {
      const endedAt = new Date(Date.now() - 60_000).toISOString();
      const res = await t.request({
        method: 'POST',
        url: '/v1/events',
        token: collectorKey,
        payload: {
          events: [
            { type: 'task.completed', agent: 'support-bot-eu', taskId: 'c-1', outcome: 'resolved', durationMs: 1, endedAt },
            { type: 'task.completed', agent: 'claims-bot', taskId: 'c-2', outcome: 'resolved', durationMs: 1, endedAt },
            { type: 'task.completed', taskId: 'c-3', outcome: 'resolved', durationMs: 1, endedAt },
          ],
        },
      });
      expect(res.json()).toEqual({
        accepted: 2,
        duplicates: 0,
        rejected: [{ index: 2, reason: expect.stringContaining('must say which agent') }],
      });
      expect(await resolution('claims-triage')).toBeNull();
      expect(await resolution('support-deflection')).toBeCloseTo(2 / 4, 4);
      const rows = await t.app.database.db.selectFrom('task_events').selectAll().where('task_id', 'in', ['c-1', 'c-2']).execute();
      expect(rows.map((r) => [r.task_id, r.agent, r.claimed_agent, r.sent_by]).sort()).toEqual([
        ['c-1', 'support-bot-eu', null, 'collector:otel-gateway'],
        ['c-2', '', 'claims-bot', 'collector:otel-gateway'],
      ]);
    });

    it('may send telemetry only: no decisions, no MCP, no registry', async () => {
      const decision = await t.request({
        method: 'POST',
        url: '/v1/decisions',
        token: collectorKey,
        payload: { action: 'tool.call', tool: 'kb.search', arguments: { query: 'x' } },
      });
      expect(decision.statusCode, decision.body).toBe(403);
      const mcp = await t.request({
        method: 'POST',
        url: '/mcp',
        token: collectorKey,
        headers: { accept: 'application/json, text/event-stream' },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      });
      expect(mcp.statusCode, mcp.body).toBe(403);
      expect((await t.request({ method: 'GET', url: '/v1/agents', token: collectorKey })).statusCode).toBe(403);
      // Nor is the admin token a sender of telemetry: only agent and collector keys are.
      expect((await otlp(ADMIN_TOKEN, [{ id: 200, agent: 'claims-bot', chat: true }])).statusCode).toBe(401);
    });

    it('stops at once when its key is revoked or the collector deleted', async () => {
      const keys = await t.request({ method: 'GET', url: '/v1/telemetry-collectors/otel-gateway/keys' });
      const id = keys.json().items[0].id as string;
      expect(
        (await t.request({ method: 'DELETE', url: `/v1/telemetry-collectors/otel-gateway/keys/${id}`, token: viewer }))
          .statusCode,
      ).toBe(403);
      expect((await t.request({ method: 'DELETE', url: `/v1/telemetry-collectors/otel-gateway/keys/${id}` })).statusCode).toBe(
        204,
      );
      expect((await otlp(collectorKey, [{ id: 301, agent: 'support-bot-eu', chat: true }])).statusCode).toBe(401);

      const second = (await t.request({ method: 'POST', url: '/v1/telemetry-collectors/otel-gateway/keys' })).json().key;
      expect((await otlp(second, [{ id: 302, agent: 'support-bot-eu', chat: true }])).statusCode).toBe(200);
      expect((await t.request({ method: 'DELETE', url: '/v1/telemetry-collectors/otel-gateway' })).statusCode).toBe(204);
      expect((await otlp(second, [{ id: 303, agent: 'support-bot-eu', chat: true }])).statusCode).toBe(401);
      const listed = await t.app.database.db
        .selectFrom('credentials')
        .selectAll()
        .where('subject', '=', 'otel-gateway')
        .execute();
      expect(listed.map((k) => k.revoked_at !== null)).toEqual([true, true]);
    });
  });
});
