// Two Fulcrum processes on one data directory, as real processes: on SQLite the second `serve`
// refuses to start (the first holds the directory until it ends, however it ends), on PostgreSQL
// nodes share a database; and migrations started at the same moment run once, on either engine.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { adminPool, databaseUrl } from '../support/postgres.js';
import { cli, cliWithin, type Served, serve, stop } from '../support/process.js';

const PG = process.env.FULCRUM_TEST_DATABASE_URL;
const dirs: string[] = [];
const servers: Served[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await stop(s, 'SIGKILL');
  for (const c of cleanups.splice(0)) await c();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const dataDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-one-dir-'));
  dirs.push(d);
  return d;
};

async function emptyPostgres(): Promise<string> {
  const base = PG as string;
  const name = `fulcrum_lock_${randomBytes(6).toString('hex')}`;
  const admin = adminPool(base);
  await admin.query(`CREATE DATABASE ${name}`);
  cleanups.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  return databaseUrl(base, name);
}

describe('fulcrum serve on SQLite: one process per data directory', () => {
  it('a second serve on the same directory refuses, naming the directory and the process that holds it', async () => {
    const dir = dataDir();
    const env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: dir };
    const first = await serve(env);
    servers.push(first);
    // Bounded: on the tree before the lock, the second one served too and never ended.
    const second = await cliWithin({ ...env, FULCRUM_PORT: '0' }, ['serve'], 30_000);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(dir);
    expect(second.stderr).toContain(`pid ${first.proc.pid}`);
    expect(second.stderr).not.toMatch(/Fulcrum listening/);
    // The first is unharmed and still the one serving.
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('the directory is free again once its holder is gone, even killed outright', async () => {
    const dir = dataDir();
    const env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: dir };
    const first = await serve(env);
    await stop(first, 'SIGKILL');
    const next = await serve(env);
    servers.push(next);
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('two serves started at the same moment: exactly one listens', async () => {
    const dir = dataDir();
    const env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: dir };
    const results = await Promise.allSettled([serve(env), serve(env)]);
    const up = results.filter((r): r is PromiseFulfilledResult<Served> => r.status === 'fulfilled').map((r) => r.value);
    servers.push(...up);
    expect(up).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toContain(`in use by another Fulcrum process`);
  }, 120_000);
});

describe.skipIf(!PG)('fulcrum serve on PostgreSQL: several nodes', () => {
  it('two serves on one database (and one data directory) both start', async () => {
    const url = await emptyPostgres();
    const dir = dataDir();
    const env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: dir, FULCRUM_DATABASE_URL: url };
    const both = await Promise.all([serve(env), serve(env)]);
    servers.push(...both);
    for (const s of both) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  }, 120_000);
});

describe('fulcrum migrate started twice at once', () => {
  const migrations = fs.readdirSync(path.resolve(import.meta.dirname, '../../src/db/migrations')).filter((f) => /^\d/.test(f));

  it('on a fresh SQLite file: both succeed and each migration ran once', async () => {
    const dir = dataDir();
    const env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: dir };
    const runs = await Promise.all([1, 2, 3].map(() => cli(env, 'migrate')));
    for (const r of runs) expect(r, r.stderr).toMatchObject({ code: 0 });
    const db = new SqliteDatabase(path.join(dir, 'fulcrum.db'), { readonly: true });
    const names = db.prepare('SELECT name FROM kysely_migration').all() as Array<{ name: string }>;
    db.close();
    expect(names).toHaveLength(migrations.length);
    expect(new Set(names.map((n) => n.name)).size).toBe(migrations.length);
  }, 120_000);

  it.skipIf(!PG)(
    'on a fresh PostgreSQL database: both succeed and each migration ran once',
    async () => {
      const url = await emptyPostgres();
      const env = { PATH: process.env.PATH, FULCRUM_DATA_DIR: dataDir(), FULCRUM_DATABASE_URL: url };
      const runs = await Promise.all([1, 2, 3].map(() => cli(env, 'migrate')));
      for (const r of runs) expect(r, r.stderr).toMatchObject({ code: 0 });
      const pool = adminPool(url);
      const { rows } = await pool.query('SELECT name FROM kysely_migration');
      await pool.end();
      expect(rows).toHaveLength(migrations.length);
    },
    120_000,
  );
});
