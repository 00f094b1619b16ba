// A spend line in JSON says only what Fulcrum reads (found by review): a field it does not know was
// dropped, so a line of 1,000 EUR imported into a USD budget was booked as $1,000, and a line whose
// "initative" was misspelt was booked to no initiative. Either refuses the file, naming the line.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('spend line fields on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const post = (lines: object[]) => t.request({ method: 'POST', url: '/v1/budgets/fy2026/spend', payload: { lines } });
  const booked = async () =>
    (await t.app.database.db.selectFrom('spend_lines').select(['amount', 'initiative']).execute()).length;

  it('refuses a line in another currency than the budget, or with a field it does not know', async () => {
    const res = await post([
      { date: '2026-03-01', category: 'model-licences', amount: 1000, currency: 'EUR', description: 'Mistral, March' },
      { date: '2026-03-02', category: 'agents-platforms', amount: 500, initative: 'support-deflection' },
      { date: '2026-03-03', category: 'model-licences', amount: 20, currency: 7 },
    ]);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.details).toEqual([
      {
        path: 'lines[0]',
        message:
          'lines[0]: currency "EUR" is not the currency of fy2026 (USD): Fulcrum converts no currency; import it into a budget in EUR, or convert it first',
      },
      {
        path: 'lines[1]',
        message: 'lines[1]: unknown field "initative" (a line has date, category, amount, initiative, description, currency)',
      },
      { path: 'lines[2]', message: 'lines[2]: currency must be text, got number' },
    ]);
    expect(await booked()).toBe(0);
  });

  it("takes a line that names the budget's own currency", async () => {
    const res = await post([{ date: '2026-03-01', category: 'model-licences', amount: 1000, currency: 'USD' }]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ imported: 1, total: 1000 });
    expect(await booked()).toBe(1);
  });
});
