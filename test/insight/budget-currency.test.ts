// A Budget's currency is its imported spend lines' currency (they carry none of their own), so it is
// not changed while it has any (found by review): re-applied with currency EUR, fy2026 read an
// invoice imported as $1,000 as EUR 1,000, silently. Apply refuses it, naming the lines; withdrawn,
// the change goes through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** The mini enterprise with fy2026 in `currency` (its own actuals are in the descriptor, and move with it). */
const mini = (currency: string) =>
  readMini().map((f) => ({
    ...f,
    content: f.content.includes('kind: Budget') ? f.content.replace('  currency: USD\n', `  currency: ${currency}\n`) : f.content,
  }));

describe.each(ENGINES)("a budget's currency on %s", (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: mini('USD') } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('is not changed while imported spend lines are booked in it', async () => {
    const imported = await t.request({
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      payload: { lines: [{ date: '2026-03-01', category: 'data-integration', amount: 1000 }] },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const files = mini('EUR');
    expect(files.some((f) => f.content.includes('currency: EUR'))).toBe(true);
    const refused = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error.details).toEqual([
      expect.objectContaining({
        kind: 'Budget',
        name: 'fy2026',
        path: '/spec/currency',
        message:
          'fy2026 has 1 imported spend line(s) in USD, which would read as EUR (Fulcrum converts no currency): withdraw its imports first (GET /v1/budgets/fy2026/spend lists them), or make a new Budget in EUR',
      }),
    ]);
    const alignment = await t.request({ method: 'GET', url: '/v1/budgets/fy2026/alignment' });
    expect(alignment.json().currency).toBe('USD');

    const withdrawn = await t.request({ method: 'DELETE', url: `/v1/budgets/fy2026/spend/${imported.json().importId}` });
    expect(withdrawn.statusCode, withdrawn.body).toBe(204);
    const changed = await t.request({ method: 'POST', url: '/v1/apply', payload: { files } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await t.request({ method: 'GET', url: '/v1/budgets/fy2026/alignment' })).json().currency).toBe('EUR');
  });
});
