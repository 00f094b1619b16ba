// Found by review: a cost_per_day monitor against a budget divided USD cost by the budget's own
// currency (4 USD a day against 60 million yen a year read as 0.00002 of plan, never a breach) and
// read a budget that allocates nothing as 0. Neither can be measured: the monitor says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('monitors against a budget on %s', (engine) => {
  let t: TestServer;
  const budget = (name: string, currency: string, amount: number) =>
    t.request({
      method: 'PUT',
      url: `/v1/budgets/${name}`,
      payload: {
        spec: {
          period: { from: '2026-01-01', to: '2027-12-31' },
          currency,
          allocations: [{ category: 'model-licences', amount }],
        },
      },
    });
  const monitor = (name: string, budgetName: string) =>
    t.request({
      method: 'PUT',
      url: `/v1/monitors/${name}`,
      payload: { spec: { metric: 'cost_per_day', window: '1d', threshold: 0.5, severity: 'sev3', budget: budgetName } },
    });

  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini(engine));
    const ev = await t.request({
      method: 'POST',
      url: '/v1/events',
      token: key,
      payload: {
        events: [
          {
            type: 'task.completed',
            taskId: 'b1',
            outcome: 'resolved',
            durationMs: 1,
            endedAt: new Date().toISOString(),
            costUsd: 4,
          },
        ],
      },
    });
    expect(ev.json().accepted).toBe(1);
    // 2,920 a budget of two years (730 days): 4 a day. In USD, 4 USD a day is all of it.
    for (const [name, currency, amount] of [
      ['usd-plan', 'USD', 2920],
      ['yen-plan', 'JPY', 2920],
      ['empty-plan', 'USD', 0],
    ] as const)
      expect((await budget(name, currency, amount)).statusCode).toBe(201);
    for (const [m, b] of [
      ['vs-usd', 'usd-plan'],
      ['vs-yen', 'yen-plan'],
      ['vs-empty', 'empty-plan'],
    ] as const)
      expect((await monitor(m, b)).statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('measures a USD budget, and says a budget in another currency or allocating nothing cannot be measured', async () => {
    const items = (await t.request({ method: 'POST', url: '/v1/monitors/evaluate' })).json().items as Array<{
      monitor: string;
      value: number;
      breached: boolean;
      error?: string;
      incident?: string;
    }>;
    const by = Object.fromEntries(items.map((i) => [i.monitor, i]));
    expect(by['vs-usd']).toMatchObject({ value: 1, breached: true });
    expect(by['vs-usd']?.error).toBeUndefined();
    expect(by['vs-yen']).toMatchObject({
      breached: false,
      error: 'budget yen-plan is in JPY: cost is measured in USD and Fulcrum converts no currency',
    });
    expect(by['vs-empty']).toMatchObject({
      breached: false,
      error: 'budget empty-plan allocates nothing: there is no share of it to measure',
    });
    expect([by['vs-yen']?.incident, by['vs-empty']?.incident]).toEqual([undefined, undefined]);
  });
});
