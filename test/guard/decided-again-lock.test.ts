// A group commit whose calls were decided at an older registry revision, and decided again at commit
// into asking a person (a policy changed meanwhile), takes the revision's lock shared before it opens
// the approval, and reads the revision again holding it: a suspension that committed between the
// commit's first read and that lock is obeyed (the batch is decided again at its revision), instead of
// the approval being opened after the suspension's revocation ran, for an agent now suspended.

import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { gate, pauseQuery, selectsFrom } from '../support/pause.js';
import { ADMIN_TOKEN, startNode } from '../support/server.js';
import { until } from '../support/wait.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.skipIf(!ENGINES.includes('postgres'))('a batch decided again into asking a person (postgres)', () => {
  type Node = Awaited<ReturnType<typeof startNode>>;
  let database: TestDatabase;
  let a: Node;
  let b: Node | undefined;
  // Without the lock, node B's group commit would be stopped here: the registry read (the agent
  // active), its pending approvals counted, just before it inserts the new one.
  const held = pauseQuery({ query: selectsFrom('approvals'), row: (r) => 'n' in r });
  const inject = (node: Node, { token, ...o }: InjectOptions & { token?: string }) =>
    node.server.inject({ ...o, headers: { authorization: `Bearer ${token ?? ADMIN_TOKEN}` } });
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    a = await startNode(database);
  });
  afterAll(async () => {
    for (const n of [a, b]) {
      await n?.server.close();
      await n?.app.close();
    }
    await database?.drop();
  });

  it('reads the revision again under the lock, and obeys a suspension committed since its first read', async () => {
    expect((await inject(a, { method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    const key = (await inject(a, { method: 'POST', url: '/v1/agents/support-bot-eu/keys' })).json().key as string;
    // Node B polls the registry once an hour: it decides the call at the revision it started with.
    b = await startNode(database, { registryPollMs: 3_600_000 }, held.plugin);
    // Through node A: every lookup now asks a person. B has not seen it.
    const put = await inject(a, {
      method: 'PUT',
      url: '/v1/policies/lookup-approval',
      payload: {
        spec: {
          description: 'Lookups need a supervisor',
          cedar: '@approval("Lookups need a supervisor")\nforbid (principal, action == Action::"crm.lookup", resource);',
        },
      },
    });
    expect(put.statusCode, put.body).toBe(201);
    // A suspension as setSuspended makes one (the revision's lock taken exclusively, the agent's control
    // row, the revision moved), left uncommitted while B's group commit runs.
    const suspension = gate();
    const suspending = a.app.database.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended('fulcrum.registry-revision', 0))`.execute(trx);
      await trx
        .insertInto('agent_controls')
        .values({
          agent: 'support-bot-eu',
          status: 'suspended',
          reason: 'drill',
          actor: 'person:test',
          at: new Date().toISOString(),
        })
        .execute();
      await trx
        .updateTable('registry_state')
        .set((eb) => ({ revision: eb('revision', '+', 1) }))
        .where('id', '=', 1)
        .execute();
      await suspension.stop();
    });
    await suspension.reached;
    let paused = false;
    void held.paused.then(() => {
      paused = true;
    });
    let answered = false;
    const call = inject(b, {
      method: 'POST',
      url: '/v1/decisions',
      token: key,
      payload: { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' } },
    }).then((r) => {
      answered = true;
      return r;
    });
    // B decided the call at its revision (allowed), read the committed one at commit (asks a person),
    // and now waits for the revision's lock the suspension holds (or, without it, is about to insert).
    await until(async () => {
      if (paused || answered) return true;
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where wait_event_type = 'Lock' and datname = current_database()`.execute(a.app.database.db);
      return (rows[0]?.n ?? 0) > 0;
    }, "node B's group commit to wait on the revision's lock");
    suspension.release();
    await suspending;
    held.release();
    const answer = await call;
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ decision: 'deny' });
    const open = await a.app.database.db
      .selectFrom('approvals')
      .select(['id', 'status'])
      .where('agent', '=', 'support-bot-eu')
      .execute();
    expect(open).toEqual([]);
  }, 60_000);
});
