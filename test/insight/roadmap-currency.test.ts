// The roadmap's budget check subtracts today's run rate from each quarter's allocation: both must be
// in USD, the currency the extra cost at scale is priced in — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { sendTasks } from './tasks.js';
import { agentOf, applyWorld, DAY, dayOf, doc, initiative, resolution } from './world.js';

const NOW = Date.now();
const day = (offset: number) => dayOf(NOW, offset);
const now = new Date(NOW);
const q0 = Math.floor(now.getUTCMonth() / 3);
/** The last day of this quarter, and the first and last of the next four. */
const thisQuarterEnds = new Date(Date.UTC(now.getUTCFullYear(), (q0 + 1) * 3, 1) - DAY).toISOString().slice(0, 10);
const nextFrom = new Date(Date.UTC(now.getUTCFullYear(), (q0 + 1) * 3, 1)).toISOString().slice(0, 10);
const nextTo = new Date(Date.UTC(now.getUTCFullYear(), (q0 + 5) * 3, 1) - DAY).toISOString().slice(0, 10);

function registry(): object[] {
  return [
    initiative('grow', {
      title: 'Grow',
      stage: 'production',
      stageSince: day(-60),
      outcomes: [resolution({ valuePerUnit: 100_000 })],
      // 100 times today's volume: USD 10 of model cost a month becomes about USD 1,000.
      forecast: { tasksPerMonth: 10_000 },
    }),
    agentOf('grow'),
    // This quarter's budget is the subsidiary's, in yen: 50 million spent on licences to date …
    doc('Budget', 'jp-now', {
      period: { from: day(-9), to: thisQuarterEnds },
      currency: 'JPY',
      allocations: [{ category: 'model-licences', amount: 60_000_000 }],
      actuals: [{ category: 'model-licences', amount: 50_000_000, date: day(0) }],
    }),
    // … the next four quarters' is in USD, with room to spare.
    doc('Budget', 'usd-next', {
      period: { from: nextFrom, to: nextTo },
      allocations: [{ category: 'model-licences', amount: 1_000_000 }],
    }),
  ];
}

describe.each(ENGINES)('the roadmap across currencies on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, registry());
    await sendTasks(t, 'grow', { n: 100, resolved: 57, cost: 10 }, NOW);
  });
  afterAll(async () => t?.close());

  it('does not subtract a run rate in yen from an allocation in USD: the budget is not checked, and says why', async () => {
    const plan = (await t.request({ method: 'GET', url: '/v1/plan' })).json();
    const entry = plan.roadmap.find((e: { initiative: string }) => e.initiative === 'grow');
    // It waited, short by millions of "USD": five million yen a day read as dollars.
    expect(entry.shortfalls).toEqual([]);
    expect(entry.status).toBe('scheduled');
    expect(entry.notes.join(' ')).toMatch(/budget not checked: today's run rate is in JPY/);
  });
});
