// Spend import (all or nothing, every bad line named) and budget alignment against allocations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/insight/spend.js';
import { ENGINES } from '../support/databases.js';
import { miniBudgetEnd, readMini } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('CSV', () => {
  it('reads quoted fields with commas, quotes and newlines', async () => {
    expect(await parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nthere'] },
    ]);
  });

  it('numbers each row by the line it starts on, after blank and multi-line rows', async () => {
    const rows = await parseCsv('h1,h2\n\n"a\nb\nc",1\n\n\nd,2\r\n"e\r\nf",3\r\n  \r\ng,4');
    expect(rows.map((r) => r.line)).toEqual([1, 3, 8, 9, 12]);
    expect(rows[3]?.fields).toEqual(['e\nf', '3']);
  });

  it('refuses a quote that is never closed, naming the line it opens on', async () => {
    // A hand-written parser folded every following line into the description.
    await expect(parseCsv('h1,h2\nx,1\n\ny,"unterminated\nz,3\nw,4\n')).rejects.toThrow(
      'CSV line 4: a quoted field opens here and is never closed',
    );
  });
});

describe.each(ENGINES)('budgets on %s', (engine) => {
  let t: TestServer;
  const csv = (body: string) =>
    t.request({ method: 'POST', url: '/v1/budgets/fy2026/spend', headers: { 'content-type': 'text/csv' }, payload: body });
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readMini() } });
  });
  afterAll(async () => t?.close());

  it('refuses a file with any bad line, naming every one, and imports nothing', async () => {
    const res = await csv(
      'date,category,amount,initiative,description\n' +
        '2026-03-01,agents-platforms,1200,support-deflection,"Agent platform, March"\n' +
        '2025-12-31,agents-platforms,10,,before the period\n' +
        '2026-03-02,snacks,10,,\n' +
        '2026-03-03,model-licences,-5,,\n' +
        '2026-03-04,model-licences,5,ghost-initiative,\n',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.map((p: { message: string }) => p.message)).toEqual([
      `line 3: date 2025-12-31 is outside fy2026 (2026-01-01 … ${miniBudgetEnd()})`,
      expect.stringMatching(/^line 4: category "snacks" is not one of model-licences, /),
      'line 5: amount "-5" is not a number from 0 to 1e+12',
      'line 6: no Initiative named "ghost-initiative"',
    ]);
    expect(await t.app.database.db.selectFrom('spend_lines').selectAll().execute()).toEqual([]);
    expect((await csv('when,what\n1,2\n')).json().error.message).toMatch(/the CSV header must be/);
  });

  it('refuses amounts too large to add up (1e308) and rows with more fields than the header', async () => {
    const res = await csv(
      'date,category,amount,initiative,description\n' +
        '2026-03-01,model-licences,1e308,,\n' +
        '\n' +
        '2026-03-02,model-licences,"5",,"two\nlines"\n' +
        '2026-03-03,model-licences,5,,Agent platform, March\n',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.map((p: { message: string }) => p.message)).toEqual([
      'line 2: amount "1e308" is not a number from 0 to 1e+12',
      "line 6: 1 field(s) more than the header's 5 (quote a description that holds a comma)",
    ]);
    const json = await t.request({
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      payload: { lines: [{ date: '2026-04-01', category: 'model-licences', amount: 1e308 }] },
    });
    expect(json.statusCode).toBe(422);
    // Amounts that are not numbers written out, days that do not exist, fields that are not text.
    const odd = await t.request({
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      payload: {
        lines: [
          ...[[], null, ' ', true, '0x10', [7]].map((amount) => ({ date: '2026-04-01', category: 'model-licences', amount })),
          { date: '2026-02-31', category: 'model-licences', amount: 1 },
          { date: '2026-04-01', category: 'model-licences', amount: '12.50', description: { a: 1 } },
        ],
      },
    });
    expect(odd.statusCode).toBe(422);
    expect(odd.json().error.details.map((p: { message: string }) => p.message)).toEqual([
      'lines[0]: amount "" is not a number from 0 to 1e+12',
      'lines[1]: amount "" is not a number from 0 to 1e+12',
      'lines[2]: amount " " is not a number from 0 to 1e+12',
      'lines[3]: amount "true" is not a number from 0 to 1e+12',
      'lines[4]: amount "0x10" is not a number from 0 to 1e+12',
      'lines[5]: amount "7" is not a number from 0 to 1e+12',
      'lines[6]: date "2026-02-31" is not a day written YYYY-MM-DD',
      'lines[7]: description must be text, got object',
    ]);
    const hex = await csv('date,category,amount,initiative,description\n2026-03-01,model-licences,0b11,,\n');
    expect(hex.json().error.details.map((p: { message: string }) => p.message)).toEqual([
      'line 2: amount "0b11" is not a number from 0 to 1e+12',
    ]);
    const unclosed = await csv(
      'date,category,amount,initiative,description\n2026-03-01,model-licences,5,,"oops\n2026-03-02,model-licences,5,,\n',
    );
    expect(unclosed.statusCode).toBe(400);
    expect(unclosed.json().error.message).toBe('CSV line 2: a quoted field opens here and is never closed');
    expect(await t.app.database.db.selectFrom('spend_lines').selectAll().execute()).toEqual([]);
  });

  it('imports a clean file (CSV or JSON) and aligns actuals with the pro-rated allocation', async () => {
    const ok = await csv(
      'date,category,amount,initiative,description\n2026-03-01,agents-platforms,1200,support-deflection,"Agent platform, March"\n',
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toEqual({ budget: 'fy2026', importId: expect.stringMatching(/^spi_/), imported: 1, total: 1200 });
    const json = await t.request({
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      payload: { lines: [{ date: '2026-04-01', category: 'model-licences', amount: 300.5 }] },
    });
    expect(json.json().imported).toBe(1);
    const a = (await t.request({ method: 'GET', url: '/v1/budgets/fy2026/alignment' })).json();
    const cat = Object.fromEntries(a.categories.map((c: { category: string }) => [c.category, c]));
    // Descriptor actuals (61,000 model licences) + imported lines.
    expect(cat['model-licences'].actual).toBe(61_300.5);
    expect(cat['agents-platforms']).toMatchObject({ allocated: 50_000, actual: 1200 });
    expect(Math.abs(cat['agents-platforms'].proRated - 50_000 * a.elapsed)).toBeLessThan(5); // elapsed is reported rounded
    expect(cat['data-integration']).toMatchObject({ allocated: 0, deviation: null, offPlan: false });
    expect(a.spendWithoutOutcomes.total).toBe(0); // support-deflection has outcome metrics
    expect((await t.request({ method: 'GET', url: '/v1/budgets/nope/alignment' })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: '/v1/budgets/nope/spend', payload: { lines: [] } })).statusCode).toBe(404);
  });

  it('calls spend in a category the budget allocates nothing to off plan', async () => {
    const unplanned = await t.request({
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      payload: { lines: [{ date: '2026-05-01', category: 'data-integration', amount: 9000, description: 'ETL vendor' }] },
    });
    expect(unplanned.statusCode, unplanned.body).toBe(201);
    const a = (await t.request({ method: 'GET', url: '/v1/budgets/fy2026/alignment' })).json();
    const cat = Object.fromEntries(a.categories.map((c: { category: string }) => [c.category, c]));
    expect(cat['data-integration']).toMatchObject({ allocated: 0, actual: 9000, deviation: null, offPlan: true });
    // A category with neither allocation nor spend is not.
    expect(cat['security-governance']).toMatchObject({ allocated: 0, actual: 0, offPlan: false });
    const md = await t.request({ method: 'GET', url: '/v1/report?format=md' });
    expect(md.statusCode, md.body).toBe(200);
    expect(md.body).toMatch(/\| —\s*\(off plan\)/);
    expect(md.body).toContain('or spent with nothing allocated');
  });
});
