// A budget in another currency than USD takes no telemetry (priced in USD; Fulcrum converts nothing),
// and the alignment says how much it leaves out (`telemetryNotIncludedUsd`). Found by review: the
// diagnostic's budget area, which the board report's scorecard and `fulcrum diagnose` print, did
// not say so, and read model licences as EUR 0 spent, off plan by −100 %, while the agents had spent
// USD on model calls — a silent zero. It names the amount left out — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sendTasks } from './tasks.js';
import { agentOf, applyWorld, dayOf, doc, initiative, resolution } from './world.js';

const NOW = Date.now();
const CATEGORIES = [
  'model-licences',
  'infrastructure-compute',
  'data-integration',
  'security-governance',
  'agents-platforms',
  'change-training',
];

describe.each(ENGINES)('a EUR budget and USD telemetry on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, [
      initiative('claims', { stage: 'production', stageSince: dayOf(NOW, -60), outcomes: [resolution()] }),
      agentOf('claims'),
      doc('Budget', 'fy-eur', {
        period: { from: dayOf(NOW, -30), to: dayOf(NOW, 30) },
        currency: 'EUR',
        allocations: CATEGORIES.map((category) => ({ category, amount: 6100 })),
      }),
    ]);
    await sendTasks(t, 'claims', { n: 4, resolved: 3, cost: 7.5 }, NOW);
  });
  afterAll(async () => t?.close());

  it('says in the diagnostic how much USD its actuals leave out', async () => {
    const alignment = (await t.request({ method: 'GET', url: '/v1/budgets/fy-eur/alignment' })).json();
    expect(alignment.telemetryNotIncludedUsd).toBe(7.5);
    const d = (await t.request({ method: 'GET', url: '/v1/diagnostic' })).json();
    const budget = d.areas.find((a: { area: string }) => a.area === 'budget');
    expect(budget.evidence).toContainEqual({
      label: 'model calls measured in USD, not in these actuals (no currency is converted)',
      value: '$7.50',
    });
  });
});
