// A spend line whose text holds a NUL character (U+0000) is a bad line like any other (422, named,
// nothing imported): SQLite stored it, PostgreSQL refused it with a 500.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.each(ENGINES)('spend lines with a NUL on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
  });
  afterAll(async () => t?.close());

  it('refuses the file, naming the line, and imports nothing', async () => {
    const csv = await t.request({
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      headers: { 'content-type': 'text/csv' },
      payload:
        'date,category,amount,initiative,description\n2026-03-01,model-licences,100,,ok\n2026-03-02,model-licences,200,,bad\u0000line\n',
    });
    expect(csv.statusCode, csv.body).toBe(422);
    expect(csv.json().error.details).toEqual([{ path: 'line 3', message: 'line 3: description holds a NUL character (U+0000)' }]);
    const json = await t.request({
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      payload: { lines: [{ date: '2026-03-01', category: 'model-licences', amount: 1, description: 'x\u0000' }] },
    });
    // As JSON, the shared check of what a person sends refuses it first (src/http/unstorable-input.ts).
    expect(json.statusCode, json.body).toBe(400);
    expect(json.json().error.details).toEqual([{ path: '/lines/0/description', message: expect.stringContaining('NUL') }]);
    expect(await t.app.database.db.selectFrom('spend_lines').selectAll().execute()).toEqual([]);
  });
});
