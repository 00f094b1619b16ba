// A cost_per_day monitor over model calls without a price (a model not registered, or not priced that
// day): their cost is unknown, not 0. Found by review: an agent calling an unpriced model all day read
// a cost of 0 a day, under any threshold, and the monitor said "not breached" for ever. Now a cost that
// leaves calls out is a lower bound: above the threshold it is a breach, under it the monitor is not
// evaluated and says why — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { type OtlpSpan, otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('cost monitors over unpriced model calls on %s', (engine) => {
  let t: TestServer;
  let key: string;
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  /** A chat call of `model` (not in the registry: no price) in a trace of its own. */
  const call = (n: number, model: string, at: number): OtlpSpan => ({
    traceId: hex(n, 32),
    spanId: hex(n, 16),
    name: `chat ${model}`,
    startMs: at,
    endMs: at + 500,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': 100_000,
      'gen_ai.usage.output_tokens': 10_000,
    },
  });
  const monitor = (name: string, threshold: number) =>
    t.request({
      method: 'PUT',
      url: `/v1/monitors/${name}`,
      payload: { spec: { metric: 'cost_per_day', agent: 'support-bot-eu', window: '1d', threshold, severity: 'sev4' } },
    });

  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
    const at = Date.now() - 60_000;
    const sent = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport(Array.from({ length: 50 }, (_, i) => call(i + 1, 'in-house-llm', at))),
    });
    expect(sent.statusCode, sent.body).toBe(200);
    // And USD 4 the agent reported with a task: what is priced.
    const ev = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          {
            type: 'task.completed',
            taskId: 'u1',
            outcome: 'resolved',
            durationMs: 1,
            endedAt: new Date(at).toISOString(),
            costUsd: 4,
          },
        ],
      },
    });
    expect(ev.json().accepted).toBe(1);
    for (const [name, threshold] of [
      ['under-known', 100],
      ['over-known', 1],
    ] as const)
      expect((await monitor(name, threshold)).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('is not evaluated when what is priced stays under the threshold, and breaches when it does not', async () => {
    const res = await t.request({ method: 'POST', url: '/v1/monitors/evaluate' });
    expect(res.statusCode, res.body).toBe(200);
    const by = Object.fromEntries((res.json().items as Array<{ monitor: string; error?: string }>).map((i) => [i.monitor, i]));
    // It read 4 a day, not breached, with 50 calls of unknown cost beside it.
    expect(by['under-known']).toMatchObject({
      breached: false,
      error: expect.stringMatching(
        /^50 model calls in the window have no price \(GET \/v1\/signals lists them\): the cost per day is at least 4, not known$/,
      ),
    });
    expect(by['over-known']).toMatchObject({ value: 4, breached: true });
    expect(by['over-known']?.error).toBeUndefined();
  });
});
