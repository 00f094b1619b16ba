// Budgets as finance keeps them: a closed budget read after its end, and an initiative's earmark for
// a category written as several allocation lines (a top-up) — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sendTasks } from './tasks.js';
import { agentOf, applyWorld, dayOf, doc, initiative } from './world.js';

const NOW = Date.now();
const day = (offset: number) => dayOf(NOW, offset);
const FROM = day(-9);
const TO = day(80);
/**
 * An amount pro-rated to today as budgetAlignment does (elapsed days incl. today ÷ period days); a run
 * across UTC midnight has the server a day further on: 11 days of 90.
 */
const proRated = (amount: number, elapsed = 10) => (amount * elapsed) / 90;

function registry(): object[] {
  const production = (name: string) => [
    initiative(name, { stage: 'production', stageSince: day(-60), outcomes: [] }),
    agentOf(name),
  ];
  return [
    ...production('topped-up'),
    ...production('overspent'),
    // Last year's budget, closed 35 days ago: what was spent since is none of its business.
    doc('Budget', 'closed', {
      period: { from: day(-400), to: day(-35) },
      allocations: [{ category: 'model-licences', amount: 1000 }],
    }),
    // This year's: each initiative's data-integration earmark in two lines, 1,000 and a 1,000 top-up.
    doc('Budget', 'current', {
      period: { from: FROM, to: TO },
      allocations: ['topped-up', 'overspent'].flatMap((initiative) => [
        { category: 'data-integration', amount: 1000, initiative },
        { category: 'data-integration', amount: 1000, initiative },
      ]),
      actuals: [
        // 1.5 × one line pro-rated, 0.75 × the earmark: within it.
        { category: 'data-integration', amount: proRated(1000) * 1.5, date: day(0), initiative: 'topped-up' },
        // 1.5 × the whole earmark pro-rated: over it (past the 25% tolerance on 10 days or 11), once.
        { category: 'data-integration', amount: proRated(2000) * 1.5, date: day(0), initiative: 'overspent' },
      ],
    }),
  ];
}

describe.each(ENGINES)('budget periods and earmarks on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, registry());
    // USD 50 of model cost today, long after the closed budget ended.
    await sendTasks(t, 'topped-up', { n: 40, resolved: 30, cost: 50 }, NOW);
  });
  afterAll(async () => t?.close());

  it("a closed budget's alignment leaves out telemetry after its period", async () => {
    const res = await t.request({ method: 'GET', url: '/v1/budgets/closed/alignment' });
    expect(res.statusCode, res.body).toBe(200);
    const licences = res.json().categories.find((c: { category: string }) => c.category === 'model-licences');
    // It took today's USD 50 as its own: 50 against 1,000 allocated for a period that had ended.
    expect(licences.actual).toBe(0);
    expect(res.json().total).toBe(0);
    const current = (await t.request({ method: 'GET', url: '/v1/budgets/current/alignment' })).json();
    expect(current.categories.find((c: { category: string }) => c.category === 'model-licences').actual).toBe(50);
  });

  it('an earmark in several allocation lines is one allocation: over it once, or not at all', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/plan' });
    expect(res.statusCode, res.body).toBe(200);
    const over = (name: string) =>
      res
        .json()
        .initiatives.find((i: { name: string }) => i.name === name)
        .blockers.filter((b: { gap: string }) => b.gap === 'over-allocation');
    expect(over('topped-up')).toEqual([]);
    expect(over('overspent')).toHaveLength(1);
    const against = /against (\d+) of its allocation/.exec(over('overspent')[0].detail)?.[1];
    expect([proRated(2000), proRated(2000, 11)].map(Math.round)).toContain(Number(against));
  });
});
