// The roadmap's net value a year when part of the cost is unknown (a model call without a price):
// value minus a lower bound of the cost is no net value, as the ROI is none — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { spansExport } from '../support/otlp.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sendTasks } from './tasks.js';
import { agentOf, applyWorld, dayOf, initiative, resolution } from './world.js';

const NOW = Date.now();

function registry(): object[] {
  return [
    initiative('claims', {
      title: 'Claims triage',
      stage: 'production',
      stageSince: dayOf(NOW, -60),
      outcomes: [resolution({ valuePerUnit: 100_000 })],
    }),
    agentOf('claims'),
  ];
}

describe.each(ENGINES)('net value with an unpriced cost on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, registry());
    // At its target on 100 tasks costing USD 10 …
    const key = await sendTasks(t, 'claims', { n: 100, resolved: 57, cost: 10 }, NOW);
    // … and a million tokens of a model no one priced: a cost unknown, perhaps larger than the rest.
    const start = BigInt(NOW - 60_000) * 1_000_000n;
    const otlp = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: spansExport([
        {
          traceId: '5bf92f3577b34da6a3ce929d0e0e4736',
          spanId: '10f067aa0ba902b7',
          name: 'chat',
          startTimeUnixNano: String(start),
          endTimeUnixNano: String(start + 1_000_000n),
          attributes: [
            { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
            { key: 'gen_ai.request.model', value: { stringValue: 'unpriced-frontier' } },
            { key: 'gen_ai.usage.input_tokens', value: { intValue: 1_000_000 } },
            { key: 'gen_ai.usage.output_tokens', value: { intValue: 0 } },
          ],
        },
      ]),
    });
    expect(otlp.statusCode, otlp.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('is unmeasured in the plan and the board report, not value minus the part of the cost that is known', async () => {
    const plan = (await t.request({ method: 'GET', url: '/v1/plan' })).json();
    const claims = plan.initiatives.find((i: { name: string }) => i.name === 'claims');
    expect(claims.roi).toBeNull();
    expect(claims.blockers.map((b: { gap: string }) => b.gap)).toContain('roi-unmeasured');
    const entry = plan.roadmap.find((e: { initiative: string }) => e.initiative === 'claims');
    expect(entry.recommendation).toBe('fix-then-scale');
    // Value a year is still stated (an assumption), the cost a year is a lower bound …
    expect(entry.value.annualUsd).toBeGreaterThan(0);
    expect(entry.cost.annualUsd).toBeGreaterThan(0);
    expect(entry.notes.join(' ')).toMatch(/cost at scale is a lower bound/);
    // … so their difference is not a net value (it read as about USD 200,000 a year).
    expect(entry.netValueUsd).toBeNull();
    const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
    expect(md).toMatch(/Roadmap: scale claims from \d{4}-Q\d; net value a year unmeasured/);
  });
});
