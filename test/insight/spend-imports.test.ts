// Spend imports are idempotent: the same lines imported again (a retry after a timeout, the same file
// twice, as CSV or JSON) answer with the earlier import and book nothing twice; a corrected re-issue
// is imported after the earlier import is withdrawn by its id. Imports and withdrawals are audited.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const INVOICE =
  'date,category,amount,initiative,description\n2026-03-01,model-licences,100,,"OpenAI, March"\n2026-03-02,model-licences,200.50,,support seats\n';

describe.each(ENGINES)('spend imports on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const csv = (payload: string) =>
    t.request({ method: 'POST', url: '/v1/budgets/fy2026/spend', headers: { 'content-type': 'text/csv' }, payload });
  const lines = async () => (await t.app.database.db.selectFrom('spend_lines').select('amount').execute()).length;

  it('books a re-import once and answers it with the earlier import', async () => {
    const first = await csv(INVOICE);
    expect(first.statusCode, first.body).toBe(201);
    const imported = first.json();
    expect(imported).toEqual({ budget: 'fy2026', importId: expect.stringMatching(/^spi_/), imported: 2, total: 300.5 });
    const [again, json] = await Promise.all([
      csv(INVOICE.replace(/\n/g, '\r\n')),
      t.request({
        method: 'POST',
        url: '/v1/budgets/fy2026/spend',
        payload: {
          lines: [
            { date: '2026-03-01', category: 'model-licences', amount: 100, description: 'OpenAI, March' },
            { date: '2026-03-02', category: 'model-licences', amount: '200.5', description: 'support seats' },
          ],
        },
      }),
    ]);
    for (const res of [again, json]) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ ...imported, alreadyImported: true });
    }
    expect(await lines()).toBe(2);
  });

  it('imports a corrected re-issue once the earlier import is withdrawn', async () => {
    const corrected = INVOICE.replace('200.50', '180');
    const first = (await csv(INVOICE)).json();
    const listed = await t.request({ method: 'GET', url: '/v1/budgets/fy2026/spend' });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ importId: first.importId, imported: 2, total: 300.5, importedBy: expect.any(String) }),
    ]);
    const withdrawn = await t.request({ method: 'DELETE', url: `/v1/budgets/fy2026/spend/${first.importId}` });
    expect(withdrawn.statusCode, withdrawn.body).toBe(204);
    expect(await lines()).toBe(0);
    const again = await t.request({ method: 'DELETE', url: `/v1/budgets/fy2026/spend/${first.importId}` });
    expect(again.statusCode).toBe(404);
    const reissued = await csv(corrected);
    expect(reissued.statusCode, reissued.body).toBe(201);
    expect(reissued.json()).toMatchObject({ imported: 2, total: 280 });
    expect(await lines()).toBe(2);
  });

  it('audits each import that books lines and each withdrawal, naming what was withdrawn', async () => {
    const audit = async (kind: string) =>
      (await t.request({ method: 'GET', url: `/v1/audit?kind=${kind}&limit=20` })).json().items as Array<{
        actor: string;
        detail: Record<string, unknown>;
      }>;
    // Two imports booked lines above (the invoice and its correction; re-imports booked nothing), one was withdrawn.
    const imported = await audit('spend.imported');
    expect(imported).toHaveLength(2);
    expect(imported[0]?.detail).toMatchObject({ budget: 'fy2026', lines: 2, total: 280, contentHash: expect.any(String) });
    const [withdrawn, ...more] = await audit('spend.withdrawn');
    expect(more).toEqual([]);
    expect(withdrawn?.detail).toMatchObject({
      budget: 'fy2026',
      import: expect.stringMatching(/^spi_/),
      lines: 2,
      total: 300.5,
      importedBy: expect.any(String),
      importedAt: expect.any(String),
    });
    expect(imported.map((e) => e.detail.import)).toContain(withdrawn?.detail.import);
    const verified = await t.request({ method: 'GET', url: '/v1/audit/verify' });
    expect(verified.json()).toMatchObject({ ok: true });
  });
});
