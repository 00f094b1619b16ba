// A Budget's currency change and a spend import into it, on two PostgreSQL nodes at once: never both
// (found by review). The change counted the lines when it was worked out, before its transaction, and
// an import checked the currency in its node's registry snapshot: either could commit in the other's
// gap, leaving lines imported in USD under a Budget in EUR.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { readMini } from '../support/files.js';
import { finishedOrWaitingOnLock, pauseQuery, selectsFrom } from '../support/pause.js';
import { ADMIN_TOKEN, startNode } from '../support/server.js';

const mini = (currency: string) =>
  readMini().map((f) => ({
    ...f,
    content: f.content.includes('kind: Budget') ? f.content.replace('  currency: USD\n', `  currency: ${currency}\n`) : f.content,
  }));

describe.skipIf(!ENGINES.includes('postgres'))('a budget currency change racing an import (postgres)', () => {
  type Node = Awaited<ReturnType<typeof startNode>>;
  let database: TestDatabase;
  const nodes: Node[] = [];
  // Armed by each test: stops node 0 at a chosen query.
  let pause = pauseQuery({ query: () => false });
  const request = (n: number, opts: { method: 'POST' | 'GET' | 'DELETE'; url: string; payload?: object }) =>
    (nodes[n] as Node).server.inject({ ...opts, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const apply = (n: number, currency: string) =>
    request(n, { method: 'POST', url: '/v1/apply', payload: { files: mini(currency) } });
  const importLine = (n: number, amount: number) =>
    request(n, {
      method: 'POST',
      url: '/v1/budgets/fy2026/spend',
      payload: { lines: [{ date: '2026-03-01', category: 'data-integration', amount }] },
    });
  /** The Budget's currency as committed, and how many lines it has. */
  const state = async () => ({
    currency: (await request(1, { method: 'GET', url: '/v1/budgets/fy2026/alignment' })).json().currency,
    lines: (await (nodes[1] as Node).app.database.db.selectFrom('spend_lines').select('id').execute()).length,
  });

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    nodes.push(
      await startNode(
        database,
        {},
        {
          transformQuery: (a) => pause.plugin.transformQuery(a),
          transformResult: (a) => pause.plugin.transformResult(a),
        },
      ),
    );
    nodes.push(await startNode(database));
    const applied = await apply(1, 'USD');
    expect(applied.statusCode, applied.body).toBe(200);
  });
  // Each test from fy2026 in USD with no imported lines.
  beforeEach(async () => {
    const imports = (await request(1, { method: 'GET', url: '/v1/budgets/fy2026/spend' })).json().items as Array<{
      importId: string;
    }>;
    for (const i of imports) await request(1, { method: 'DELETE', url: `/v1/budgets/fy2026/spend/${i.importId}` });
    expect((await apply(1, 'USD')).statusCode).toBe(200);
  });
  afterAll(async () => {
    for (const n of nodes) {
      await n.server.close();
      await n.app.close();
    }
    await database?.drop();
  });

  it('refuses the change when an import commits after the change counted the lines', async () => {
    pause = pauseQuery({ query: selectsFrom('spend_lines') });
    const changing = apply(0, 'EUR');
    await pause.paused;
    const imported = await importLine(1, 1000);
    expect(imported.statusCode, imported.body).toBe(201);
    pause.release();
    const changed = await changing;
    expect(changed.statusCode, changed.body).toBe(422);
    expect(await state()).toEqual({ currency: 'USD', lines: 1 });
  });

  it('makes the change wait for an import under way, then refuses it', async () => {
    pause = pauseQuery({ query: (node) => node.kind === 'InsertQueryNode' && JSON.stringify(node).includes('"spend_imports"') });
    const importing = importLine(0, 2000);
    await pause.paused;
    const { done: changing } = await finishedOrWaitingOnLock(
      (nodes[1] as Node).app.database.db,
      apply(1, 'EUR'),
      'the change to commit or wait for the import',
    );
    pause.release();
    const [imported, changed] = await Promise.all([importing, changing]);
    // Whichever way it went, never both: lines in USD under a Budget in EUR.
    expect([imported.statusCode, changed.statusCode], `${imported.body} ${changed.body}`).toEqual([201, 422]);
    expect(await state()).toEqual({ currency: 'USD', lines: 1 });
  });
});
