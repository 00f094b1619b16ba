// A node's guard reads its own writes even when a reload of its snapshot was already under way when
// the write committed. PostgreSQL lets the test hold such a reload mid-read: another connection
// locks the credentials table, so the reload has read the registry and the suspensions (the agent
// not yet suspended) and waits on the keys; the suspension commits meanwhile, then the lock goes.
// Before the fix, the suspension's own answer, and the node's view until its next poll, came from
// that reload (the agent `active`).
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe.skipIf(!ENGINES.includes('postgres'))('a reload under way when the node writes (postgres)', () => {
  let t: TestServer;
  let locker: pg.Client;
  // Watches from outside the locker's transaction, in which pg_stat_activity would stay as first read.
  let watcher: pg.Client;
  let lockerPid: number;

  beforeAll(async () => {
    // Polls once a minute: nothing but the node's own writes makes its snapshot stale in this test.
    t = await startTestServer('postgres', { registryPollMs: 60_000 });
    expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
    locker = new pg.Client({ connectionString: t.database.url });
    await locker.connect();
    lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number;
    watcher = new pg.Client({ connectionString: t.database.url });
    await watcher.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await watcher?.end();
    await t?.close();
  });

  /** The node's queries of this database under way, as PostgreSQL sees them now. */
  const activity = async () =>
    (
      await watcher.query<{ query: string; wait_event_type: string | null }>(
        `SELECT query, wait_event_type FROM pg_stat_activity
          WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1) AND state <> 'idle'`,
        [lockerPid],
      )
    ).rows;

  it('answers a suspension as made, and keeps it, when a reload begun before it ends after it', async () => {
    const agent = 'support-bot-eu';
    expect((await t.app.guard.snapshot()).status(agent)).toBe('active');

    await locker.query('BEGIN');
    await locker.query('LOCK TABLE credentials IN ACCESS EXCLUSIVE MODE');
    t.app.guard.invalidate();
    const reload = t.app.guard.snapshot();
    // The reload is waiting on the keys, and nothing else of it is still reading.
    await expect
      .poll(
        async () => {
          const a = await activity();
          return a.length === 1 && a[0]?.wait_event_type === 'Lock' && /credentials/.test(a[0].query);
        },
        { timeout: 10_000 },
      )
      .toBe(true);

    const suspending = t.app.guard.setSuspended({ type: 'admin', id: 'admin' }, agent, true, 'reload race');
    await expect
      .poll(async () => (await watcher.query('SELECT 1 FROM agent_controls WHERE agent = $1', [agent])).rowCount, {
        timeout: 10_000,
      })
      .toBe(1);
    await locker.query('COMMIT');

    // The reload begun before the suspension read the agent as active: what it answers its caller,
    // who asked before the suspension. Neither the suspension's answer nor the node from then on
    // takes that for the state after it, whichever of the two reloads ends last.
    await reload;
    expect((await suspending).status).toBe('suspended');
    expect(t.app.guard.agentStatus(agent).effective).toBe('suspended');
  });
});
