// A budget's alignment is a table finance reads down to its total: its rows must add up to it. Each
// category's actual was rounded to cents on its own and the total from the unrounded sum, so three
// categories of 0.334 read 0.33 each under a total of 1.00 (found by review). Now the rows are rounded
// so that they add up (the largest remainder: each within a cent of its own value).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centsAddingUp } from '../../src/money.js';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { agentOf, applyWorld, dayOf, doc, initiative } from './world.js';

const NOW = Date.now();
const day = (offset: number) => dayOf(NOW, offset);

describe('cents that add up', () => {
  it('rounds each amount within a cent of itself and the amounts to their rounded sum', () => {
    expect(centsAddingUp([0.334, 0.334, 0.334])).toEqual([0.34, 0.33, 0.33]);
    expect(centsAddingUp([1.005, 2.004])).toEqual([1.01, 2]); // 1.005 keeps its half cent as a double loses it
    expect(centsAddingUp([10, 0, 2.5])).toEqual([10, 0, 2.5]);
    expect(centsAddingUp([-0.334, -0.334, -0.334])).toEqual([-0.33, -0.33, -0.34]);
    expect(centsAddingUp([1, Number.POSITIVE_INFINITY])).toEqual([1, Number.POSITIVE_INFINITY]);
    for (let seed = 1; seed < 200; seed++) {
      const values = Array.from({ length: 6 }, (_, i) => ((seed * 7919 * (i + 3)) % 100_003) / 1000 - 20);
      const out = centsAddingUp(values);
      const sum = values.reduce((a, b) => a + b, 0);
      expect(Math.round(out.reduce((a, b) => a + b * 100, 0))).toBe(Math.round(Number((sum * 100).toFixed(6))));
      for (const [i, v] of values.entries()) expect(Math.abs((out[i] as number) - v)).toBeLessThan(0.01 + 1e-9);
    }
  });
});

describe.each(ENGINES)("a budget's alignment on %s", (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, [
      initiative('ledger', { stage: 'production', stageSince: day(-60), outcomes: [] }),
      agentOf('ledger'),
      doc('Budget', 'thirds', {
        period: { from: day(-9), to: day(80) },
        allocations: [{ category: 'data-integration', amount: 100 }],
        actuals: ['data-integration', 'security-governance', 'change-training'].map((category) => ({
          category,
          amount: 0.334,
          date: day(0),
        })),
      }),
    ]);
  });
  afterAll(async () => t?.close());

  it('has rows that add up to its total', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/budgets/thirds/alignment' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { total: number; categories: Array<{ category: string; actual: number }> };
    expect(body.total).toBe(1);
    const rows = body.categories.map((c) => c.actual);
    expect(Math.round(rows.reduce((a, b) => a + b * 100, 0))).toBe(100);
    expect(rows.filter((a) => a > 0).sort()).toEqual([0.33, 0.33, 0.34]);
  });
});
