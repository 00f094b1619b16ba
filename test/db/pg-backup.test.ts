// A PostgreSQL Fulcrum backed up as docs/operations.md ("Backups") says: pg_dump of a served database,
// pg_restore into a new one; the restored database serves, and its audit log verifies with the same key.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { MINI } from '../support/files.js';
import { call, cli, type Served, serve, stop } from '../support/process.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
const BASE = process.env.FULCRUM_TEST_DATABASE_URL;
const runnable = Boolean(BASE) && fs.existsSync(path.join(PG_BIN, 'pg_dump'));
const LOOKUP = { action: 'tool.call', tool: 'crm.lookup', arguments: { customerId: 'c-1' }, dataDomains: ['customer-records'] };

describe.skipIf(!runnable)('a PostgreSQL Fulcrum through pg_dump and pg_restore', () => {
  let db: TestDatabase | undefined;
  let node: Served | undefined;
  let restoredName: string | undefined;
  const admin = () => new pg.Client({ connectionString: BASE });
  afterEach(async () => {
    await stop(node);
    await db?.drop();
    if (restoredName) {
      const c = admin();
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
      await c.end();
    }
    node = undefined;
    db = undefined;
    restoredName = undefined;
  });

  it('dumps a node while it decides; the restore serves and its audit log verifies', async () => {
    db = await createTestDatabase('postgres');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, FULCRUM_DATA_DIR: db.dir, FULCRUM_DATABASE_URL: db.url };
    node = await serve(env);
    const applied = await cli({ ...env, FULCRUM_URL: node.url }, 'apply', '-f', MINI);
    expect(applied.code, applied.stderr).toBe(0);
    const key = (await cli({ ...env, FULCRUM_URL: node.url }, 'keys', 'create', '--agent', 'support-bot-eu')).stdout.trim();
    for (let i = 0; i < 3; i++) expect((await call(node.url, key, 'POST', '/v1/decisions', LOOKUP)).status).toBe(200);
    // Dumped while the node goes on deciding: pg_dump reads one snapshot, so every chain in it ends at a
    // committed head, whatever was in flight.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        expect((await call(node?.url as string, key, 'POST', '/v1/decisions', LOOKUP)).status).toBe(200);
        written++;
      }
    })();
    const dump = path.join(db.dir, 'fulcrum.dump');
    // Not execFileSync: that would stop this process's event loop, and the writer with it, for the dump.
    let during = 0;
    const dumped = run(path.join(PG_BIN, 'pg_dump'), ['--format=custom', `--file=${dump}`, db.url as string]).finally(() => {
      during = written;
    });
    const startedAt = written;
    await dumped;
    writing = false;
    await writer;
    expect(during).toBeGreaterThan(startedAt);
    await stop(node);
    restoredName = `fulcrum_restored_${randomBytes(6).toString('hex')}`;
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${restoredName}`);
    await c.end();
    const url = new URL(BASE as string);
    url.pathname = `/${restoredName}`;
    await run(path.join(PG_BIN, 'pg_restore'), ['--no-owner', `--dbname=${url}`, dump]);

    const restored = { ...env, FULCRUM_DATABASE_URL: url.toString() };
    const verified = await cli(restored, 'audit', 'verify');
    expect(verified.code, verified.stderr).toBe(0);
    const entries = (text: string) => Number(/intact: (\d+) entries/.exec(text)?.[1]);
    expect(entries(verified.stdout)).toBeGreaterThanOrEqual(3);

    // It serves: the agent's key works, a decision is recorded, and the log (a new chain) verifies.
    node = await serve(restored);
    expect((await call(node.url, key, 'POST', '/v1/decisions', LOOKUP)).status).toBe(200);
    await stop(node);
    const after = await cli(restored, 'audit', 'verify');
    expect(after.code, after.stderr).toBe(0);
    expect(entries(after.stdout)).toBeGreaterThan(entries(verified.stdout));
  });
});
