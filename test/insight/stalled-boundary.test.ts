// A pilot is stalled after stalledPilotDays whole days in pilot (181: stalled; 180: not yet), in the
// signals, the budget's spend on stalled pilots and the plan alike — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { clearOfMidnight } from '../support/midnight.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { applyWorld, dayOf, doc, initiative, resolution } from './world.js';

// Today, read once the test starts clear of midnight: a run across it had the server a day further on,
// and the pilot of 180 days one of 181.
let NOW = Date.now();
const day = (offset: number) => dayOf(NOW, offset);

function registry(): object[] {
  const pilot = (name: string, since: number) =>
    initiative(name, { stage: 'pilot', stageSince: day(since), outcomes: [resolution()] });
  return [
    pilot('day-180', -180),
    pilot('day-181', -181),
    doc('Budget', 'now', {
      period: { from: day(-9), to: day(80) },
      allocations: [{ category: 'data-integration', amount: 10_000 }],
      actuals: [
        { category: 'data-integration', amount: 100, date: day(0), initiative: 'day-180' },
        { category: 'data-integration', amount: 100, date: day(0), initiative: 'day-181' },
      ],
    }),
  ];
}

describe.each(ENGINES)('the stalled-pilot boundary on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    await clearOfMidnight();
    NOW = Date.now();
    t = await startTestServer(engine);
    await applyWorld(t, registry());
  }, 120_000);
  afterAll(async () => t?.close());

  it('a pilot of 180 days is not stalled anywhere, one of 181 is stalled everywhere', async () => {
    const get = async (url: string) => (await t.request({ method: 'GET', url })).json();
    const plan = await get('/v1/plan');
    const stalledInPlan = plan.initiatives
      .filter((i: { blockers: Array<{ gap: string }> }) => i.blockers.some((b) => b.gap === 'stalled'))
      .map((i: { name: string }) => i.name);
    expect(stalledInPlan).toEqual(['day-181']);
    // The signals and the budget said 180 days was past 180 (fractions of today counted).
    expect((await get('/v1/signals')).stalledPilots).toEqual([{ initiative: 'day-181', since: day(-181), days: 181 }]);
    const alignment = await get('/v1/budgets/now/alignment');
    expect(alignment.spendOnStalledPilots.map((s: { initiative: string }) => s.initiative)).toEqual(['day-181']);
    const budget = (await get('/v1/diagnostic')).areas.find((a: { area: string }) => a.area === 'budget');
    expect(budget.evidence.find((e: { label: string }) => e.label.startsWith('spend on pilots older')).value).toBe('day-181');
    const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
    expect(md).toContain('Pilot day-181 has not moved for 181 days');
    expect(md).not.toContain('Pilot day-180');
  });
});
