// A large spend import does not hold the node. csv-parse reads 20-50 µs a line here, and checking a
// line cost as much again: a 1.3 MB file (20,000 lines) held the event loop, and with it every decision
// of the node, for 1.6 s on SQLite, 1.2 s on PostgreSQL (found by review). The CSV is now parsed and
// checked in slices of a few ms with the loop turning between them, the lines are written many a
// statement, and one import holds at most MAX_SPEND_LINES lines (it is written with its audit entry in
// one transaction that the node's decisions wait for).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SPEND_LINES } from '../../src/insight/spend.js';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

function invoice(lines: number, tag: string): string {
  let csv = 'date,category,amount,initiative,description\n';
  for (let i = 0; i < lines; i++)
    csv += `2026-03-${String((i % 28) + 1).padStart(2, '0')},model-licences,${(i % 97) + 1}.25,,"${tag} line ${i}, of the invoice"\n`;
  return csv;
}

describe.each(ENGINES)('a large spend import on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const applied = await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    expect(applied.statusCode, applied.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const booked = async () => (await t.app.database.db.selectFrom('spend_lines').select('id').execute()).length;
  const csv = (payload: string) =>
    t.request({ method: 'POST', url: '/v1/budgets/fy2026/spend', headers: { 'content-type': 'text/csv' }, payload });

  it(`refuses an import of more than ${MAX_SPEND_LINES} lines, CSV or JSON, naming its size; nothing is booked`, async () => {
    const message = `the import holds ${MAX_SPEND_LINES + 1} lines, more than the ${MAX_SPEND_LINES} one import may hold: import it in parts (the same lines imported again are booked once, so a part retried is safe)`;
    const asCsv = await csv(invoice(MAX_SPEND_LINES + 1, 'big'));
    expect(asCsv.statusCode, asCsv.body).toBe(400);
    expect(asCsv.json().error.message).toBe(message);
    const lines = Array.from({ length: MAX_SPEND_LINES + 1 }, (_, i) => ({
      date: '2026-03-01',
      category: 'model-licences',
      amount: i + 1,
    }));
    const asJson = await t.request({ method: 'POST', url: '/v1/budgets/fy2026/spend', payload: { lines } });
    expect(asJson.statusCode, asJson.body).toBe(400);
    expect(asJson.json().error.message).toBe(message);
    expect(await booked()).toBe(0);
  });

  it('lets the event loop turn while it reads and checks an import of the most lines, then books every line', async () => {
    // Turns of the event loop while the import runs: before, reading and checking its lines took none
    // (one task of a second and more: 3 turns in all); now each 16 KiB of CSV is read on a turn of its
    // own (this file is ~620 KiB), and the checks take one every few ms besides.
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const r = await csv(invoice(MAX_SPEND_LINES, 'full'));
    running = false;
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ imported: MAX_SPEND_LINES });
    expect(turns).toBeGreaterThanOrEqual(30);
    expect(await booked()).toBe(MAX_SPEND_LINES);
  });
});
