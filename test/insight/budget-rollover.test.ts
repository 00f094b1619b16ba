// A budget rolled over to its next period (the same Budget, its period moved on) keeps the spend
// lines imported in the last one: they stay on record, but they are not this period's spend — on
// every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { applyWorld, dayOf, doc, initiative, resolution } from './world.js';

const NOW = Date.now();
const day = (offset: number) => dayOf(NOW, offset);
const budget = (from: string, to: string) =>
  doc('Budget', 'ai-platform', {
    period: { from, to },
    allocations: [
      { category: 'model-licences', amount: 10_000 },
      { category: 'data-integration', amount: 10_000 },
    ],
  });

describe.each(ENGINES)('a budget rolled over to its next period on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    // Last period: 400 to 35 days ago.
    await applyWorld(t, [
      initiative('unmeasured', { stage: 'production', stageSince: day(-300), outcomes: [] }),
      initiative('measured', { stage: 'production', stageSince: day(-300), outcomes: [resolution()] }),
      budget(day(-400), day(-35)),
    ]);
    const imported = await t.request({
      method: 'POST',
      url: '/v1/budgets/ai-platform/spend',
      payload: {
        lines: [
          { date: day(-100), category: 'model-licences', amount: 9000, initiative: 'unmeasured' },
          { date: day(-40), category: 'data-integration', amount: 7000 },
        ],
      },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    // Rolled over: this period began 9 days ago, and this period's one invoice so far.
    await applyWorld(t, [budget(day(-9), day(80))]);
    const current = await t.request({
      method: 'POST',
      url: '/v1/budgets/ai-platform/spend',
      payload: { lines: [{ date: day(-2), category: 'data-integration', amount: 100, initiative: 'measured' }] },
    });
    expect(current.statusCode, current.body).toBe(201);
  });
  afterAll(async () => t?.close());

  it("counts this period's spend lines only", async () => {
    const res = await t.request({ method: 'GET', url: '/v1/budgets/ai-platform/alignment' });
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    const actual = (category: string) => a.categories.find((c: { category: string }) => c.category === category).actual;
    // Last period's 9,000 and 7,000 were this period's actual: both categories far off plan.
    expect(actual('model-licences')).toBe(0);
    expect(actual('data-integration')).toBe(100);
    expect(a.total).toBe(100);
    expect(a.spendWithoutOutcomes).toEqual({ total: 0, share: 0, initiatives: [] });
  });

  it("leaves last period's lines out of the diagnostic's budget area", async () => {
    const res = await t.request({ method: 'GET', url: '/v1/diagnostic' });
    expect(res.statusCode, res.body).toBe(200);
    const evidence = res
      .json()
      .areas.find((x: { area: string }) => x.area === 'budget')
      .evidence.find((e: { label: string }) => e.label === 'model-licences: actual vs pro-rated allocation');
    expect(evidence.value).toMatch(/^USD 0 vs /);
  });
});
