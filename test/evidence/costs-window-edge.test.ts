// GET /v1/costs with only `to`, in the first 29 days of year 0: the default `from` (29 days before)
// fell in year -1, written "-000001-12-03", which no `date` describes, and the answer failed its own
// schema: a 500 for a query the API had accepted. The window starts at 0000-01-01 then — on every engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { startMini, type TestServer } from '../support/server.js';

describe.each(ENGINES)('GET /v1/costs at the start of year 0 (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    ({ t } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  it('answers an empty window from 0000-01-01, not a 500', async () => {
    for (const to of ['0000-01-01', '0000-01-29']) {
      const r = await t.request({ method: 'GET', url: `/v1/costs?groupBy=initiative&to=${to}` });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ from: '0000-01-01', to, rows: [], totalRows: 0 });
    }
    // 29 days before the 30th is the 1st, as before.
    const r = await t.request({ method: 'GET', url: '/v1/costs?groupBy=initiative&to=0000-01-30' });
    expect(r.json()).toMatchObject({ from: '0000-01-01', to: '0000-01-30' });
  });
});
