// A cost under a cent is a cost: 20,000 input tokens of gpt-4o-mini ($0.003) were rounded to a
// total of $0, so the ROI read "no cost recorded", the plan asked to book a cost telemetry had
// measured, and the report printed $0.00 next to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

/** A server whose support-deflection initiative resolved 7 of 10 tasks and made one model call of `inputTokens`. */
async function startWithOneCall(engine: (typeof ENGINES)[number], inputTokens: number): Promise<TestServer> {
  const started = await startMini(engine);
  const t = started.t;
  const endedAt = new Date().toISOString();
  const events = Array.from({ length: 10 }, (_, i) => ({
    type: 'task.completed',
    taskId: `t${i}`,
    outcome: i < 7 ? 'resolved' : 'escalated',
    durationMs: 1000,
    endedAt,
  }));
  const sent = await t.request({ method: 'POST', url: '/v1/events', token: started.key, payload: { events } });
  expect(sent.statusCode, sent.body).toBeLessThan(300);
  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  const span = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    name: 'chat',
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_000_000n),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: inputTokens } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: 0 } },
    ],
  };
  const traced = await t.request({
    method: 'POST',
    url: '/otlp/v1/traces',
    token: started.key,
    payload: { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] },
  });
  expect(traced.statusCode, traced.body).toBe(200);
  return t;
}

describe.each(ENGINES)('ROI on a cost under a cent, on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startWithOneCall(engine, 20_000);
  });
  afterAll(async () => t?.close());

  it('counts it, and takes the ROI over it', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/roi' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.cost.items[0]).toEqual({
      source: 'model and tool calls (telemetry, priced at ingest)',
      amountUsd: 0.003,
      provenance: 'measured',
    });
    expect(r.cost.total).toBe(0.003);
    // Resolution 0.7 against a 0.42 baseline: 0.28 × 18 = 5.04 of value.
    expect(r.value.total).toBe(5.04);
    expect(r.roi).toBeCloseTo((5.04 - 0.003) / 0.003, 4);
  });

  it('the plan does not ask to book a cost that was measured, and the report does not print it as $0.00', async () => {
    const plan = (await t.request({ method: 'GET', url: '/v1/plan' })).json();
    const entry = plan.initiatives.find((i: { name: string }) => i.name === 'support-deflection');
    expect(entry.blockers.map((b: { gap: string }) => b.gap)).not.toContain('roi-unmeasured');
    const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
    const row = md.split('\n').find((l) => l.includes('support-deflection') && l.includes('$5.04'));
    expect(row).toContain('< $0.01');
    expect(row).not.toContain('$0.00');
  });
});

// Two input tokens of gpt-4o-mini cost $0.0000003: rounded to the micro-dollar it was 0, and the ROI,
// the CLI and the report said there was no cost.
describe.each(ENGINES)('ROI on a cost under $0.0000005, on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startWithOneCall(engine, 2);
  });
  afterAll(async () => t?.close());

  it('counts it, and the report does not print it as $0', async () => {
    const r = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection/roi' })).json();
    expect(r.cost.items[0].amountUsd).toBe(3e-7);
    expect(r.cost.total).toBe(3e-7);
    expect(r.roi).not.toBeNull();
    const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
    const row = md.split('\n').find((l) => l.includes('support-deflection') && l.includes('$5.04'));
    expect(row).toContain('< $0.01');
  });
});
