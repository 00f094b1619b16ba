// The daily rollups are an optimisation, never a second truth: after random ingests (duplicates,
// re-sends, many batches) they equal a brute-force recomputation from the raw events and spans.
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapEvent } from '../../src/evidence/events.js';
import { MAX_REASONS, mapTraceRequest } from '../../src/evidence/otlp.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const DAYS = ['2026-11-25', '2026-11-26', '2026-11-27'];

const event = fc.record({
  type: fc.constantFrom('task.started', 'task.completed', 'handoff.human'),
  taskId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  outcome: fc.constantFrom('resolved', 'escalated', 'failed', 'abandoned'),
  durationMs: fc.integer({ min: 0, max: 3_600_000 }),
  day: fc.constantFrom(...DAYS),
  costUsd: fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: undefined }),
});
const span = fc.record({
  spanId: fc.integer({ min: 1, max: 40 }),
  agent: fc.constantFrom('support-bot-eu', 'ghost-bot', undefined),
  operation: fc.constantFrom('chat', 'execute_tool', 'invoke_agent', undefined),
  model: fc.constantFrom('gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'mystery-llm', undefined),
  // Absent usage: a model call that cannot be priced (no_usage), never a $0 one.
  input: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
  output: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
  day: fc.constantFrom(...DAYS),
  error: fc.boolean(),
});

describe.each(ENGINES)('rollups on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
  });
  afterAll(async () => t?.close());

  it('equal a recomputation from the raw tables after random, repeated ingests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 30 }), fc.array(span, { maxLength: 30 }), async (events, spans) => {
        const evidence = t.app.evidence;
        await evidence.ingestEvents(
          { type: 'agent', id: 'support-bot-eu' },
          {
            events: events.map((e) => ({
              type: e.type,
              taskId: e.taskId,
              ...(e.type === 'task.completed'
                ? { outcome: e.outcome, durationMs: e.durationMs, endedAt: `${e.day}T12:00:00Z` }
                : {}),
              ...(e.type === 'task.started' ? { startedAt: `${e.day}T11:00:00Z` } : { endedAt: `${e.day}T12:00:00Z` }),
              ...(e.costUsd !== undefined ? { costUsd: e.costUsd } : {}),
            })),
          },
        );
        const otlp = {
          resourceSpans: [
            {
              scopeSpans: [
                {
                  spans: spans.map((s) => {
                    const start = BigInt(Date.parse(`${s.day}T10:00:00Z`)) * 1_000_000n;
                    const attrs: Array<[string, string | number]> = [];
                    if (s.input !== undefined) attrs.push(['gen_ai.usage.input_tokens', s.input]);
                    if (s.output !== undefined) attrs.push(['gen_ai.usage.output_tokens', s.output]);
                    if (s.agent) attrs.push(['gen_ai.agent.name', s.agent]);
                    if (s.operation) attrs.push(['gen_ai.operation.name', s.operation]);
                    if (s.model) attrs.push(['gen_ai.request.model', s.model]);
                    if (s.error) attrs.push(['error.type', 'timeout']);
                    if (s.operation === 'invoke_agent') attrs.push(['fulcrum.task.outcome', 'resolved']);
                    return {
                      traceId: '0af7651916cd43dd8448eb211c80319c',
                      spanId: s.spanId.toString(16).padStart(16, '0'),
                      name: 'span',
                      startTimeUnixNano: String(start),
                      endTimeUnixNano: String(start + 2_000_000n),
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
        };
        await evidence.ingestTraces({ type: 'agent', id: 'support-bot-eu' }, otlp);
        await expectRollupsMatchRawTables(t);
      }),
      { numRuns: 25 },
    );
  });
});

async function expectRollupsMatchRawTables(t: TestServer) {
  const db = t.app.database.db;
  const expected = new Map<string, Record<string, number>>();
  const bump = (day: string, agent: string, model: string, k: string, v: number) => {
    const key = `${day}|${agent}|${model}`;
    const row = expected.get(key) ?? {};
    row[k] = (row[k] ?? 0) + v;
    expected.set(key, row);
  };
  for (const e of await db.selectFrom('task_events').selectAll().execute()) {
    if (e.type === 'task.started') bump(e.day, e.agent, '', 'tasks_started', 1);
    if (e.type === 'handoff.human') bump(e.day, e.agent, '', 'handoffs', 1);
    if (e.type === 'task.completed') {
      bump(e.day, e.agent, '', `tasks_${e.outcome}`, 1);
      bump(e.day, e.agent, '', 'handle_ms', e.duration_ms ?? 0);
      bump(e.day, e.agent, '', 'handled', 1);
    }
    bump(e.day, e.agent, '', 'cost_reported_usd', e.cost_usd ?? 0);
  }
  for (const s of await db.selectFrom('spans').selectAll().execute()) {
    const model = s.model ?? s.model_reported ?? '';
    bump(s.day, s.agent, model, 'spans', 1);
    const inference = s.operation ? s.operation === 'chat' : s.model_reported !== null;
    if (inference) {
      bump(s.day, s.agent, model, 'model_calls', 1);
      bump(s.day, s.agent, model, s.cost_usd === null ? 'unpriced_calls' : 'cost_measured_usd', s.cost_usd ?? 1);
      if (s.cost_usd === null) bump(s.day, s.agent, model, `unpriced_${s.unpriced_reason}`, 1);
      bump(s.day, s.agent, model, 'input_tokens', s.input_tokens ?? 0);
      bump(s.day, s.agent, model, 'output_tokens', s.output_tokens ?? 0);
    }
    if (s.duplicate) continue; // the second record of one tool call
    if (s.operation === 'execute_tool') bump(s.day, s.agent, model, 'tool_calls', 1);
    if (s.error_type) bump(s.day, s.agent, model, 'errors', 1);
  }
  const actual = await db.selectFrom('evidence_daily').selectAll().execute();
  expect(actual.length).toBe(expected.size);
  for (const r of actual) {
    const want = expected.get(`${r.day}|${r.agent}|${r.model}`);
    expect(want, `${r.day}|${r.agent}|${r.model}`).toBeDefined();
    for (const [k, v] of Object.entries(want ?? {})) expect(Number(r[k as keyof typeof r]), k).toBeCloseTo(v, 6);
  }
}

describe('the span mapper', () => {
  it('attributes a span to gen_ai.agent.name, else gen_ai.agent.id', () => {
    const span = (attributes: Array<[string, string]>) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      name: 'invoke_agent',
      startTimeUnixNano: '1764324000000000000',
      endTimeUnixNano: '1764324001000000000',
      attributes: attributes.map(([key, v]) => ({ key, value: { stringValue: v } })),
    });
    const one = (attributes: Array<[string, string]>) =>
      mapTraceRequest({ resourceSpans: [{ scopeSpans: [{ spans: [span(attributes)] }] }] }).spans[0];
    expect(one([['gen_ai.agent.id', 'agent-7']])?.agentName).toBe('agent-7');
    expect(
      one([
        ['gen_ai.agent.id', 'agent-7'],
        ['gen_ai.agent.name', 'support-bot-eu'],
      ])?.agentName,
    ).toBe('support-bot-eu');
    expect(one([])?.agentName).toBeNull();
  });
});

describe('the event and span mappers under random input', () => {
  it('never throw anything but an Error with a message', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (v) => {
        try {
          mapEvent(v);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).message.length).toBeGreaterThan(0);
        }
        try {
          const { spans, rejected } = mapTraceRequest(v);
          for (const r of rejected) expect(r.reason.length).toBeGreaterThan(0);
          expect(spans.length + rejected.length).toBeGreaterThanOrEqual(0);
        } catch (err) {
          expect((err as Error).name).toBe('InputError');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('account for every span: each is kept or rejected', () => {
    const attr = fc.record({
      key: fc.constantFrom('gen_ai.usage.input_tokens', 'gen_ai.agent.name', 'fulcrum.task.outcome', 'x'),
      value: fc.anything({ maxDepth: 2 }),
    });
    const rawSpan = fc.record(
      {
        traceId: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string()),
        spanId: fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), fc.string()),
        name: fc.oneof(fc.string(), fc.constant(undefined)),
        startTimeUnixNano: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 62n }).map(String), fc.anything()),
        endTimeUnixNano: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 62n }).map(String), fc.anything()),
        attributes: fc.array(attr, { maxLength: 4 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(rawSpan, { maxLength: 10 }), (spans) => {
        const r = mapTraceRequest({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
        expect(r.spans.length + r.rejectedCount).toBe(spans.length);
        expect(r.rejected).toHaveLength(Math.min(r.rejectedCount, MAX_REASONS));
      }),
      { numRuns: 2000 },
    );
  });
});
