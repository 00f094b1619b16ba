// A cost_per_resolved_task metric is measured in USD (the currency telemetry is priced in): a
// descriptor giving it another currency is refused naming the field. Found by review: a baseline of
// 700 JPY against a measured 4.50 USD read as the target met and more, and its valuePerUnit valued a
// saving of 695.5 "yen" per task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formula } from '../../src/evidence/outcomes.js';
import { sendTasks } from '../insight/tasks.js';
import { agentOf, applyWorld, initiative } from '../insight/world.js';
import { ENGINES } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

const costMetric = (unit: string) => ({
  name: 'cost per ticket',
  source: 'cost_per_resolved_task',
  unit,
  direction: 'decrease',
  baseline: { value: 700, period: '2025-Q4' },
  target: 500,
  valuePerUnit: 1,
});

describe.each(ENGINES)('cost units on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await applyWorld(t, []);
  });
  afterAll(async () => t?.close());

  const put = (name: string, unit: string) =>
    t.request({
      method: 'PUT',
      url: `/v1/initiatives/${name}`,
      payload: { spec: initiative(name, { stage: 'proposed', outcomes: [costMetric(unit)] }).spec },
    });

  it('refuses a currency other than USD, naming the field', async () => {
    for (const [unit, currency] of [
      ['JPY', 'JPY'],
      ['eur/ticket', 'EUR'],
      ['GBP per resolved ticket', 'GBP'],
      ['€', '€'],
      ['¥/task', '¥'],
    ] as const) {
      const res = await put('in-yen', unit);
      expect(res.statusCode, `${unit}: ${res.body}`).toBe(422);
      expect(res.json().error.details).toEqual([
        expect.objectContaining({
          kind: 'Initiative',
          name: 'in-yen',
          path: '/spec/outcomes/0/unit',
          message: `cost_per_resolved_task is measured in USD: unit "${unit}" is in ${currency} (write USD, or USD/ticket; Fulcrum converts no currency)`,
        }),
      ]);
    }
  });

  // A unit naming no other currency is read in USD, as before (a descriptor saying "cost per ticket" stays valid).
  it.each(['USD', 'usd/ticket', 'USD per resolved task', '$', '$/ticket', 'cost per ticket'])('reads %s as USD', async (unit) => {
    const name = `cost-${unit.toLowerCase().replace(/[^a-z]/g, '') || 'dollar'}-${unit.length}`;
    const res = await put(name, unit);
    expect(res.statusCode, res.body).toBe(201);
    await applyWorld(t, [agentOf(name)]);
    await sendTasks(t, name, { n: 4, resolved: 2, cost: 9 }, Date.now() - 60_000);
    const outcomes = await t.request({ method: 'GET', url: `/v1/initiatives/${name}/outcomes` });
    expect(outcomes.statusCode, outcomes.body).toBe(200);
    expect(outcomes.json().metrics[0].current).toBe(4.5);
  });

  it('leaves one stored before the check unmeasured, as an unknown unit of time is', () => {
    const totals = { resolved: 2, escalated: 0, failed: 0, abandoned: 0, handleMs: 0, handled: 0, cost: 9, unpriced: 0 };
    const metric = { ...costMetric('JPY'), source: 'cost_per_resolved_task' as const, direction: 'decrease' as const };
    expect(formula(metric, totals, null)).toBeNull();
    expect(formula({ ...metric, unit: 'USD' }, totals, null)).toBe(4.5);
  });
});
