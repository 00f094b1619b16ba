// Which model-call spans are the same call, counted once, and which are different calls, each
// counted (found by review, each losing a real call from the evidence before its fix):
// - a provider that repeats its response ids (Ollama's OpenAI API answers `chatcmpl-<0..998>`): an
//   agent's later call with an id seen before was skipped, for the agent's whole history;
// - another agent that learnt a span's trace id, span id and start (trace context travels between
//   agents) stored a span under them first, and the real span was skipped as its re-send.
// Two instrumentations of one call (a framework's span and the provider SDK's, nested in one trace,
// one response id) still count once, as does a span sent twice.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { type OtlpSpan, otlpExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('one model call, one count (%s)', (engine) => {
  let t: TestServer;
  let key: string;
  let intruder: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const files = [
      ...readBundle(MINI),
      {
        path: 'intruder.yaml',
        content:
          'apiVersion: fulcrum/v1\nkind: Agent\nmetadata: { name: intruder-bot }\nspec: { initiative: support-deflection, archetype: support-agent, owner: dana.lee }\n',
      },
    ];
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(applied.statusCode, applied.body).toBe(200);
    key = (await t.request({ method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key;
    intruder = (await t.request({ method: 'POST', url: '/v1/agents/intruder-bot/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  const send = async (spans: OtlpSpan[], token = key) => {
    const r = await t.request({ method: 'POST', url: '/otlp/v1/traces', token, payload: otlpExport(spans) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const totals = async (agent = 'support-bot-eu') => {
    const r = await t.app.database.db
      .selectFrom('evidence_daily')
      .select((eb) => [eb.fn.sum<number>('model_calls').as('calls'), eb.fn.sum<number>('cost_measured_usd').as('cost')])
      .where('agent', '=', agent)
      .executeTakeFirst();
    return { calls: Number(r?.calls ?? 0), cost: Number(r?.cost ?? 0) };
  };
  /** A chat span of 1M input tokens of gpt-4o-mini (0.15 USD). */
  const chat = (trace: string, span: string, startMs: number, responseId: string, ms = 500): OtlpSpan => ({
    traceId: trace.repeat(32 / trace.length),
    spanId: span.repeat(16 / span.length),
    name: 'chat gpt-4o-mini',
    startMs,
    endMs: startMs + ms,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.id': responseId,
      'gen_ai.usage.input_tokens': 1_000_000,
      'gen_ai.usage.output_tokens': 0,
    },
  });
  const stored = (responseId: string) =>
    t.app.database.db.selectFrom('spans').select(['span_id', 'duplicate']).where('response_id', '=', responseId).execute();

  it('counts two calls to which the provider gave the same response id, in two traces or one after the other in one', async () => {
    const before = await totals();
    const now = Date.now() - 600_000;
    expect(await send([chat('2b', '2b', now - 120_000, 'chatcmpl-417')])).toEqual({});
    expect(await send([chat('3c', '3c', now, 'chatcmpl-417')])).toEqual({});
    // One trace, two calls in turn, the same id again.
    expect(await send([chat('4d', '41', now + 10_000, 'chatcmpl-417'), chat('4d', '42', now + 20_000, 'chatcmpl-417')])).toEqual(
      {},
    );
    expect(await stored('chatcmpl-417')).toHaveLength(4);
    const after = await totals();
    expect(after.calls - before.calls).toBe(4);
    expect(after.cost - before.cost).toBeCloseTo(0.6, 9);
  });

  it('counts once a call two instrumentations recorded (nested, one trace, one response id), and a span sent twice', async () => {
    const before = await totals();
    const at = Date.now() - 500_000;
    // The framework's span (in a resolved task's trace), then in another export the provider SDK's span within it.
    const task: OtlpSpan = {
      traceId: '5e'.repeat(16),
      spanId: '50'.repeat(8),
      name: 'invoke_agent support-bot-eu',
      startMs: at - 100,
      endMs: at + 1000,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'fulcrum.task.outcome': 'resolved' },
    };
    expect(await send([task, chat('5e', '51', at, 'chatcmpl-abc', 900)])).toEqual({});
    expect(await send([chat('5e', '52', at + 100, 'chatcmpl-abc', 700)])).toEqual({});
    // Both in one export, the other way round (another call).
    expect(await send([chat('6f', '62', at + 100, 'chatcmpl-def', 700), chat('6f', '61', at, 'chatcmpl-def', 900)])).toEqual({});
    // The first export again.
    expect(await send([chat('5e', '51', at, 'chatcmpl-abc', 900)])).toEqual({});
    expect((await stored('chatcmpl-abc')).map((r) => Number(r.duplicate)).sort()).toEqual([0, 1]);
    expect((await stored('chatcmpl-def')).map((r) => Number(r.duplicate)).sort()).toEqual([0, 1]);
    const after = await totals();
    expect(after.calls - before.calls).toBe(2);
    expect(after.cost - before.cost).toBeCloseTo(0.3, 9);
    // The task's trace holds one model call too (the plan's model mix).
    const traced = await t.app.database.db
      .selectFrom('task_traces')
      .select(['calls', 'cost_usd'])
      .where('trace_id', '=', '5e'.repeat(16))
      .executeTakeFirstOrThrow();
    expect(Number(traced.calls)).toBe(1);
    expect(Number(traced.cost_usd)).toBeCloseTo(0.15, 9);
  });

  it("does not let another agent's span under the same ids take the place of an agent's call", async () => {
    const before = await totals();
    const at = Date.now() - 400_000;
    const ids = { traceId: '7a'.repeat(16), spanId: '7a'.repeat(8), startMs: at, endMs: at + 900 };
    // intruder-bot, with its own key, first: a span that costs it nothing, under the ids it learnt.
    expect(await send([{ ...ids, name: 'GET', attributes: { 'http.request.method': 'GET' } }], intruder)).toMatchObject({
      partialSuccess: { rejectedSpans: '0' },
    });
    expect(await send([{ ...chat('7a', '7a', at, 'chatcmpl-victim'), ...ids }])).toEqual({});
    const rows = await t.app.database.db.selectFrom('spans').select('agent').where('trace_id', '=', ids.traceId).execute();
    expect(rows.map((r) => r.agent).sort()).toEqual(['intruder-bot', 'support-bot-eu']);
    const after = await totals();
    expect(after.calls - before.calls).toBe(1);
    expect(after.cost - before.cost).toBeCloseTo(0.15, 9);
    expect(await totals('intruder-bot')).toEqual({ calls: 0, cost: 0 });
  });
});
